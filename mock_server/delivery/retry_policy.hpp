// RetryPolicy: the backoff schedule of failed deliveries (contract §6; the schedule itself is a
// mock decision): attempt 2 waits `first_delay` after attempt 1 ended, each later wait is
// `factor` times the previous one, no wait exceeds `cap`, and no attempt starts later than
// `horizon` after the first attempt started. Optional jitter shortens a wait by up to that
// fraction, drawn by the caller (policy code reads neither clocks nor randomness).
//
// Pure value type; thread-compatible.
#pragma once

#include <chrono>
#include <optional>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::delivery {

struct RetryPolicy {
  core::Micros first_delay = std::chrono::seconds(1);
  double factor = 2.0;
  core::Micros cap = std::chrono::hours(1);
  core::Micros horizon = std::chrono::hours(24 * 7);
  double jitter = 0.0;  // in [0, 1]: a wait becomes wait * (1 - jitter * u), u in [0, 1)

  // invalid_argument at /retry/<field> when a field is out of range.
  [[nodiscard]] core::Status Validate() const;

  // The wait before attempt `next_attempt` (2 for the first retry), given how long ago the first
  // attempt started when the wait begins (`elapsed_since_first`: usually the end of the previous
  // attempt). nullopt when that attempt would start after the horizon: the delivery expires.
  // `unit_random` in [0, 1) is only used when jitter > 0. Never returns less than 1 µs.
  std::optional<core::Micros> DelayBeforeAttempt(int next_attempt, core::Micros elapsed_since_first,
                                                 double unit_random = 0.0) const;

  // The wait before `next_attempt` ignoring the horizon and jitter (for docs and tests).
  core::Micros BaseDelay(int next_attempt) const;
};

}  // namespace multihook::delivery
