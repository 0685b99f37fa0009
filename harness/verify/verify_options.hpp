// What `multihook verify` is told: the receiver to check (URL, routes, secret, TLS trust), what to
// send (catalogue cases, an optional fixed-rate load) and where to write reports. Parsed from the
// command line by ParseVerifyArgs, which enforces the safety bounds (rate, duration, timeout)
// before anything is sent.
//
// Plain values; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/route_table.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/http_transport.hpp"

namespace multihook::harness {

// Safety bounds: the load goes to whatever URL the user gives.
inline constexpr int kMaxVerifyRate = 10'000;  // requests per second
inline constexpr core::Micros kMaxVerifyDuration = std::chrono::minutes(10);
inline constexpr core::Micros kMaxVerifyTimeout = std::chrono::minutes(1);
inline constexpr std::size_t kMaxVerifyConnections = 1024;

// A fixed-rate open-loop load: request i is due at start + i / rate whether or not earlier
// requests were answered, and its latency runs from that due time (so a slow receiver cannot hide
// behind the requests it delayed: no coordinated omission).
struct LoadPlan {
  int rate = 0;                 // requests per second, 1..kMaxVerifyRate
  core::Micros duration{0};     // > 0, <= kMaxVerifyDuration
  std::size_t connections = 0;  // concurrent requests at most; 0: min(rate, 256) (1 s of load)

  std::uint64_t RequestCount() const;  // rate x duration, at least 1
  std::size_t EffectiveConnections() const;
};

// What the Verifier does.
struct VerifyPlan {
  std::string url;                    // the receiver as the partner configured it
  std::optional<std::string> secret;  // sign bodies with x-360dialog-signature when set
  // With a secret: also send the signature faults (signature_faults.hpp), each to be refused.
  bool signature_checks = true;
  core::Micros timeout = std::chrono::seconds(5);  // per request (the provider's limit)
  std::vector<std::string> cases;                  // catalogue case names to run; empty: all
  std::optional<LoadPlan> load;
  std::uint64_t seed = 1;  // ids in the generated notifications
};

struct VerifyOptions {
  VerifyPlan plan;
  std::vector<core::HostRoute> routes;       // --route HOST=ADDR, as in multihook-mock
  delivery::HttpTransportOptions transport;  // --ca-file, --insecure
  std::optional<std::string> json_file;
  std::optional<std::string> junit_file;
  bool seed_given = false;  // false: the command seeds plan.seed from the OS
};

enum class VerifyAction { kRun, kHelp, kListCases };

struct VerifyCommandLine {
  VerifyAction action = VerifyAction::kRun;
  VerifyOptions options;
};

// Parses the arguments after `verify`. Errors name the option and are one line, e.g.
// "invalid_argument at --rate: expected a whole number from 1 to 10000, got '0'".
core::Result<VerifyCommandLine> ParseVerifyArgs(const std::vector<std::string_view>& args);

std::string VerifyUsageText();

}  // namespace multihook::harness
