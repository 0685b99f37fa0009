#include "mock_server/delivery/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace multihook::delivery {

core::Status RetryPolicy::Validate() const {
  if (first_delay <= core::Micros(0)) {
    return core::InvalidArgument("/retry/first_delay", "must be positive");
  }
  if (!(factor >= 1.0) || !std::isfinite(factor)) {
    return core::InvalidArgument("/retry/factor", "must be a finite number >= 1");
  }
  if (cap < first_delay) {
    return core::InvalidArgument("/retry/cap", "must be at least first_delay");
  }
  if (horizon < core::Micros(0)) {
    return core::InvalidArgument("/retry/horizon", "must not be negative");
  }
  if (!(jitter >= 0.0 && jitter <= 1.0)) {
    return core::InvalidArgument("/retry/jitter", "must be in [0, 1]");
  }
  return core::Status::Ok();
}

core::Micros RetryPolicy::BaseDelay(int next_attempt) const {
  if (next_attempt <= 2) return first_delay;
  // Computed in double so that a long run of retries cannot overflow before the cap applies.
  const double raw = static_cast<double>(first_delay.count()) *
                     std::pow(factor, static_cast<double>(next_attempt - 2));
  if (!(raw < static_cast<double>(cap.count()))) return cap;
  return core::Micros(static_cast<core::Micros::rep>(raw));
}

std::optional<core::Micros> RetryPolicy::DelayBeforeAttempt(int next_attempt,
                                                            core::Micros elapsed_since_first,
                                                            double unit_random) const {
  core::Micros delay = BaseDelay(next_attempt);
  if (jitter > 0.0) {
    const double u = std::clamp(unit_random, 0.0, 1.0);
    delay = core::Micros(
        static_cast<core::Micros::rep>(static_cast<double>(delay.count()) * (1.0 - jitter * u)));
  }
  delay = std::max(delay, core::Micros(1));
  if (elapsed_since_first + delay > horizon) return std::nullopt;
  return delay;
}

}  // namespace multihook::delivery
