#include "mock_server/delivery/retry_policy.hpp"

#include <catch2/catch.hpp>

namespace multihook::delivery {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

TEST_CASE("Default backoff: 1 s, doubling, capped at 1 h", "[delivery][retry]") {
  const RetryPolicy policy;
  REQUIRE(policy.Validate().ok());
  CHECK(policy.BaseDelay(2) == seconds(1));
  CHECK(policy.BaseDelay(3) == seconds(2));
  CHECK(policy.BaseDelay(4) == seconds(4));
  CHECK(policy.BaseDelay(13) == seconds(2048));
  CHECK(policy.BaseDelay(14) == hours(1));      // 4096 s would pass the cap
  CHECK(policy.BaseDelay(10'000) == hours(1));  // no overflow on absurd attempt numbers
}

TEST_CASE("The horizon bounds when the next attempt may start", "[delivery][retry]") {
  const RetryPolicy policy{.first_delay = seconds(1),
                           .factor = 2.0,
                           .cap = seconds(10),
                           .horizon = seconds(100),
                           .jitter = 0.0};
  CHECK(policy.DelayBeforeAttempt(2, seconds(0)) == core::Micros(seconds(1)));
  CHECK(policy.DelayBeforeAttempt(9, seconds(90)) == core::Micros(seconds(10)));  // lands on 100
  CHECK_FALSE(policy.DelayBeforeAttempt(9, seconds(91)).has_value());
  CHECK_FALSE(RetryPolicy{.horizon = seconds(0)}.DelayBeforeAttempt(2, seconds(0)).has_value());
}

TEST_CASE("Jitter shortens a wait by at most its fraction", "[delivery][retry]") {
  const RetryPolicy policy{.first_delay = seconds(10), .jitter = 0.5};
  CHECK(policy.DelayBeforeAttempt(2, seconds(0), 0.0) == core::Micros(seconds(10)));
  CHECK(policy.DelayBeforeAttempt(2, seconds(0), 0.5) ==
        core::Micros(std::chrono::milliseconds(7500)));
  const auto shortest = policy.DelayBeforeAttempt(2, seconds(0), 0.999999);
  REQUIRE(shortest.has_value());
  CHECK(*shortest > core::Micros(seconds(5)));
  CHECK(*shortest <= core::Micros(seconds(10)));
}

TEST_CASE("Out-of-range retry options are rejected with their location", "[delivery][retry]") {
  using Row = std::tuple<RetryPolicy, std::string>;
  const auto [policy, message] = GENERATE(table<RetryPolicy, std::string>({
      Row{RetryPolicy{.first_delay = seconds(0)},
          "invalid_argument at /retry/first_delay: must be positive"},
      Row{RetryPolicy{.factor = 0.5},
          "invalid_argument at /retry/factor: must be a finite number >= 1"},
      Row{RetryPolicy{.first_delay = seconds(10), .cap = seconds(5)},
          "invalid_argument at /retry/cap: must be at least first_delay"},
      Row{RetryPolicy{.horizon = seconds(-1)},
          "invalid_argument at /retry/horizon: must not be negative"},
      Row{RetryPolicy{.jitter = 1.5}, "invalid_argument at /retry/jitter: must be in [0, 1]"},
  }));
  CHECK(policy.Validate().ToString() == message);
}

}  // namespace
}  // namespace multihook::delivery
