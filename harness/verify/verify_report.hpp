// VerifyReport: what `multihook verify` found, as data. The Verifier fills it; reporters
// (verify_reporters.hpp) print it; JudgeStandards applies the provider's receiver standards
// (contract §6: median <= 250 ms, fewer than 1 % of answers over 1 s, every answer 200).
//
// Plain values; thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/delivery/histogram.hpp"
#include "mock_server/delivery/transport.hpp"

namespace multihook::harness {

inline constexpr core::Micros kMedianLimit = std::chrono::milliseconds(250);
inline constexpr core::Micros kSlowAnswer = std::chrono::seconds(1);
inline constexpr double kSlowFractionLimit = 0.01;  // "fewer than 1 %"

// Stable names of the standards (JUnit test names, JSON keys).
inline constexpr char kStandardMedian[] = "median_at_most_250ms";
inline constexpr char kStandardSlow[] = "under_1_percent_over_1s";
inline constexpr char kStandardStatus[] = "load_answers_200";

// One request of a catalogue case.
struct RequestOutcome {
  int status = 0;  // HTTP status; 0 when no answer came
  delivery::ErrorClass error = delivery::ErrorClass::kNone;
  std::string detail;  // the transport's words when no answer came
  core::Micros latency{0};
  std::size_t bytes = 0;  // body size sent

  bool ok() const { return error == delivery::ErrorClass::kNone && status == 200; }
};

struct CaseResult {
  std::string name;
  std::string description;
  std::vector<RequestOutcome> requests;

  bool passed() const;
  // Why it failed, e.g. "request 2 of 2: status 500 (expected 200)"; empty when passed.
  std::string Reason() const;
  core::Micros Latency() const;  // the slowest request
};

// One signature fault (signature_faults.hpp): passed when the receiver answered it with a status
// that is not 2xx. A 2xx is an acceptance; no answer at all (timeout, reset) is no refusal either.
struct SignatureCheckResult {
  std::string name;
  std::string description;
  RequestOutcome request;

  bool accepted() const;
  bool passed() const;
  // Why it failed, e.g. "accepted: answered 200 (expected a refusal: any status but 2xx)"; empty
  // when passed.
  std::string Reason() const;
};

// The latencies the standards are judged on.
struct LatencyStats {
  std::string source;             // "load" or "catalogue"
  delivery::Histogram histogram;  // answered requests and timeouts (a timeout is a slow answer)
  std::uint64_t over_1s = 0;      // exact count of recorded latencies > 1 s

  double SlowFraction() const;
};

// The fixed-rate open-loop phase.
struct LoadResult {
  int rate = 0;
  core::Micros duration{0};
  std::size_t connections = 0;
  std::uint64_t scheduled = 0;  // requests due in the plan
  std::uint64_t completed = 0;  // sent and finished (answer or error)
  std::uint64_t answered_200 = 0;
  std::map<int, std::uint64_t> other_statuses;  // status -> count
  std::map<std::string, std::uint64_t> errors;  // ErrorClassName -> count (wrk-style classes)
  core::Micros elapsed{0};                      // first due time to last completion
  core::Micros max_start_lag{
      0};  // how late the latest-starting request left (all connections busy)
};

struct StandardResult {
  std::string name;
  bool passed = false;
  std::string detail;  // e.g. "median 301.2 ms > 250 ms"
};

struct VerifyReport {
  std::string url;
  bool signed_requests = false;
  std::optional<std::string> setup_error;  // the run could not start (nothing was judged)
  std::vector<CaseResult> cases;
  // Empty when the checks did not run; then `signature_checks_off` says why.
  std::vector<SignatureCheckResult> signature_checks;
  std::string signature_checks_off;  // e.g. "--no-signature-checks"
  std::optional<LoadResult> load;
  LatencyStats latency;
  std::vector<StandardResult> standards;
  core::Micros elapsed{0};

  bool passed() const;
  std::size_t CasesPassed() const;
  // The names of the signature faults the receiver accepted, in the order sent.
  std::vector<std::string> AcceptedSignatureFaults() const;
};

// Judges the standards over `latency` (and, when a load ran, its answers).
std::vector<StandardResult> JudgeStandards(const LatencyStats& latency,
                                           const std::optional<LoadResult>& load);

// "301.2 ms"
std::string FormatMillis(core::Micros value);

}  // namespace multihook::harness
