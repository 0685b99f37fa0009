// FaultProfile: a seeded, reproducible mix of receiver faults (row N6 of docs/semantics.md), so a
// scripted receiver can stand in for a flaky one: some 500s and 429s, resets, answers later than
// the provider waits, malformed answers, and a latency distribution given by its median and 99th
// percentile. The draw is pure: (seed, request index) -> fault and Answer, the same on every run
// and machine, with no sockets involved, so it is unit-tested on its own and a soak can recompute
// what a receiver answered to its n-th request.
//
//   {"seed": 7, "p500": 0.05, "p429": 0.02, "p_reset": 0.01, "p_timeout": 0.01,
//    "p_garbage": 0.01, "delay_ms": {"p50": 20, "p99": 400}, "timeout_ms": 6000}
//
// Value type; thread-compatible (Pick and Draw are const and may be called from any thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness/answer.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::harness {

class ScriptedReceiver;

// The keys of a profile object and of its "delay_ms" (scenarios/schema.json lists the same; a test
// keeps them in sync).
inline constexpr std::string_view kFaultProfileKeys[] = {
    "seed", "p500", "p429", "p_reset", "p_timeout", "p_garbage", "delay_ms", "timeout_ms"};
inline constexpr std::string_view kFaultDelayKeys[] = {"p50", "p99"};

// What a profile answers one request with.
enum class Fault {
  kNone,     // 200 after the drawn delay
  k500,      // 500 after the drawn delay
  k429,      // 429 (Retry-After: 1) after the drawn delay
  kReset,    // the connection closes mid-answer, after the drawn delay
  kTimeout,  // 200, but only after timeout_ms: later than the provider waits
  kGarbage,  // an answer that is not HTTP (Answer::Kind::kGarbage), after the drawn delay
};
// "ok", "500", "429", "reset", "timeout", "garbage".
std::string_view FaultName(Fault fault);

struct FaultProfile {
  std::uint64_t seed = 0;
  // Probabilities of each fault per request; the rest (1 - their sum) answer 200.
  double p500 = 0;
  double p429 = 0;
  double p_reset = 0;
  double p_timeout = 0;
  double p_garbage = 0;
  // Latency of every answer but a timeout: half are at most p50, 99 % at most p99, none over
  // 2 * p99 - p50 (piecewise linear between 0, p50, p99 and that bound).
  std::chrono::milliseconds delay_p50{0};
  std::chrono::milliseconds delay_p99{0};
  // How long a timeout holds the request before its (late) 200; above the provider's 5 s.
  std::chrono::milliseconds timeout{6000};

  // The fault and delay of request `index` (0-based): a pure function of (seed, index).
  Fault Pick(std::uint64_t index) const;
  std::chrono::milliseconds Delay(std::uint64_t index) const;
  // The Answer for request `index`: Pick and Delay made into what the receiver sends.
  Answer Draw(std::uint64_t index) const;
};

// Reads a profile object strictly through codec::ObjectReader: unknown keys, wrong types, a
// probability outside [0, 1], probabilities summing over 1, a negative delay or p50 > p99 are
// invalid_argument at the JSON pointer under `pointer` (e.g. "/receivers/0/faults/p500").
core::Result<FaultProfile> ParseFaultProfile(const codec::Json& value, std::string pointer = "");
core::Result<FaultProfile> ParseFaultProfileText(std::string_view text);

// Makes `receiver` answer from `profile` once its script is used up: the n-th request after this
// call (0-based) gets profile.Draw(n).
void ApplyFaults(ScriptedReceiver& receiver, FaultProfile profile);

}  // namespace multihook::harness
