// The soak's parts (bench/soak.cpp runs them): its options, the receivers with their fault
// profiles, the HTTP calls of the racing threads, the drain, and the final check.
#pragma once

#include <httplib.h>

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "harness/fault_profile.hpp"
#include "harness/scripted_receiver.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::soak {

inline constexpr std::string_view kApiKey = "soak-key";
inline constexpr std::size_t kExtras = 3;  // the provider's limit; receivers 1..3

struct SoakOptions {
  int duration_s = 60;
  int rate = 10;  // steady notifications per second
  int burst = 150;
  int burst_every_s = 10;
  std::size_t max_pending = 50;
  // The mock's delivery timeout (a timeout fault holds 500 ms longer): far above the slowest
  // prompt answer (115 ms), so a loaded machine does not turn a 200 into a timeout.
  int timeout_ms = 1000;
  int retry_horizon_s = 15;   // virtual: a main failing ~5 times in a row expires
  int churn_ms = 100;         // real time between config changes
  int advance_ms = 1000;      // virtual time per advance
  int advance_every_ms = 50;  // real time between advances
  std::uint64_t seed = 1;
  int drain_s = 120;            // real time the drain may take at most
  std::string inject = "none";  // test-only: "drop-journal-record" or "early-extra"
};

// What the racing threads did; thread-safe.
struct Tally {
  std::mutex mu;
  std::vector<std::string> accepted;              // event ids, in acceptance order
  std::map<std::string, std::string> message_of;  // event id -> message id
  std::uint64_t rejected_429 = 0;
  std::map<std::string, std::uint64_t> changes;  // "DELETE", "PUT", "PATCH" -> accepted count
  std::uint64_t advances = 0;
  std::vector<std::string> errors;  // anything unexpected (a 5xx, a refused config change)

  void Error(std::string what);
};

// Receiver 0 is the main webhook ("main"), receivers 1..3 the extras "e1".."e3".
struct Rig {
  std::vector<std::unique_ptr<harness::ScriptedReceiver>> receivers;
  std::vector<harness::FaultProfile> profiles;  // what each answers its n-th request with
  bool inject_early_extra = false;              // --inject early-extra
  std::string early_extra_sent;                 // the message id it used
};

// "main.soak.example.com" for receiver "main": the host its URL names and the mock routes.
std::string HostOf(std::string_view receiver_name);
httplib::Client Client(const std::string& base_url);
int Fail(const std::string& why);  // prints, returns 2

core::Result<Rig> StartReceivers(const SoakOptions& options);
// The main webhook and the three extras, enabled.
core::Status Configure(const std::string& base, const Rig& rig);
void Send(httplib::Client& client, std::uint64_t n, Rig& rig, Tally& tally);
// Deletes extra `k` if `present` (or replaces its headers when `patch`), else re-adds it (PUT).
void Churn(httplib::Client& client, std::size_t k, bool& present, bool patch, Tally& tally);
void Advance(httplib::Client& client, int ms, Tally& tally);
// Advances virtual time until nothing is in progress or queued (bounded).
// Advances virtual time until every accepted event is final (bounded: --drain-s of real time),
// waiting on the journal of the oldest event still in progress.
core::Status Drain(const std::string& base, const SoakOptions& options, Tally& tally);

struct Report {
  std::vector<std::pair<std::string, std::string>> figures;  // in print order
  std::vector<std::string> failures;
};
Report Check(const SoakOptions& options, const std::string& base, const Rig& rig, Tally& tally);
void Print(const Report& report, std::ostream& out);

}  // namespace multihook::soak
