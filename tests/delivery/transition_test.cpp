// The delivery rules as one table: state x outcome x policy -> actions, for Transition() alone
// (no engine, no sockets, no clock but fixed instants).
#include "mock_server/delivery/transition.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <tuple>

namespace multihook::delivery {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const core::SteadyTime kEnded = core::SteadyTime(seconds(100));

AttemptOutcome Answer(int status) {
  return AttemptOutcome{true, {}, status, ErrorClass::kNone, kEnded};
}
AttemptOutcome Failure(ErrorClass error) { return AttemptOutcome{true, {}, 0, error, kEnded}; }
AttemptOutcome NotSent() {
  return AttemptOutcome{false, "no main webhook configured", 0, ErrorClass::kNone, kEnded};
}

AttemptState Main(int attempt, std::size_t plan, core::Micros since_first = seconds(0)) {
  return AttemptState{
      .extra = -1, .attempt = attempt, .since_first = since_first, .plan_size = plan};
}
AttemptState ExtraAt(int index, int attempt, std::size_t plan, std::size_t open,
                     core::Micros since_first = seconds(0)) {
  return AttemptState{.extra = index,
                      .attempt = attempt,
                      .since_first = since_first,
                      .plan_size = plan,
                      .extras_open = open};
}

DeliveryPolicy Policy(SuccessRule success = SuccessRule::kExactly200,
                      Fanout fanout = Fanout::kSequential,
                      RetryExtras retry_extras = RetryExtras::kNo) {
  DeliveryPolicy policy;
  policy.success = success;
  policy.fanout = fanout;
  policy.retry_extras = retry_extras;
  policy.retry = RetryPolicy{
      .first_delay = seconds(1), .factor = 2.0, .cap = hours(1), .horizon = hours(24 * 7)};
  return policy;
}

// What a row expects, written compactly.
struct Expected {
  bool record;
  bool succeeded;
  Gate gate;
  EventState event;
  std::optional<ExtraState> extra;
  std::optional<core::Micros> retry_after;  // from kEnded
  bool release;
  int start_first;
  int start_count;
};

constexpr auto kSeq = Fanout::kSequential;
constexpr auto kPar = Fanout::kParallel;
constexpr auto k200 = SuccessRule::kExactly200;
constexpr auto k2xx = SuccessRule::kAny2xx;
constexpr auto kRetry = RetryExtras::kYes;

TEST_CASE("Transition: the gate, retry and fan-out rules as a table", "[delivery][transition]") {
  using S = EventState;
  using X = ExtraState;
  using Row = std::tuple<std::string, AttemptState, AttemptOutcome, DeliveryPolicy, Expected>;
  const auto [name, state, outcome, policy,
              want] = GENERATE(table<std::string, AttemptState, AttemptOutcome, DeliveryPolicy,
                                     Expected>({
      // The gate: exactly 200 opens it by default; any 2xx under kAny2xx; nothing else.
      Row{"main 200, 3 extras, sequential",
          Main(1, 3),
          Answer(200),
          Policy(),
          {true, true, Gate::kOpen, S::kFanningOut, {}, {}, true, 0, 1}},
      Row{"main 200, 3 extras, parallel",
          Main(1, 3),
          Answer(200),
          Policy(k200, kPar),
          {true, true, Gate::kOpen, S::kFanningOut, {}, {}, true, 0, 3}},
      Row{"main 200, no extras",
          Main(1, 0),
          Answer(200),
          Policy(),
          {true, true, Gate::kOpen, S::kDelivered, {}, {}, true, 0, 0}},
      Row{"main 201 under exact 200 is retried",
          Main(1, 3),
          Answer(201),
          Policy(),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(1), false, 0, 0}},
      Row{"main 201 under any 2xx opens",
          Main(1, 2),
          Answer(201),
          Policy(k2xx),
          {true, true, Gate::kOpen, S::kFanningOut, {}, {}, true, 0, 1}},
      Row{"main 299 under any 2xx opens",
          Main(1, 1),
          Answer(299),
          Policy(k2xx),
          {true, true, Gate::kOpen, S::kFanningOut, {}, {}, true, 0, 1}},
      Row{"main 300 under any 2xx is retried",
          Main(1, 1),
          Answer(300),
          Policy(k2xx),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(1), false, 0, 0}},
      Row{"main 199 under any 2xx is retried",
          Main(1, 1),
          Answer(199),
          Policy(k2xx),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(1), false, 0, 0}},
      Row{"main 500 is retried",
          Main(1, 3),
          Answer(500),
          Policy(),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(1), false, 0, 0}},
      Row{"main timeout is retried",
          Main(1, 3),
          Failure(ErrorClass::kTimeout),
          Policy(k2xx),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(1), false, 0, 0}},
      // The retry rule: backoff doubles; past the horizon the event expires.
      Row{"main attempt 3 fails: waits 4 s",
          Main(3, 0, seconds(10)),
          Answer(503),
          Policy(),
          {true, false, Gate::kClosed, S::kRetrying, {}, seconds(4), false, 0, 0}},
      Row{"main fails at the horizon: expired",
          Main(9, 3, hours(24 * 7)),
          Answer(500),
          Policy(),
          {true, false, Gate::kClosed, S::kExpired, {}, {}, false, 0, 0}},
      Row{"main unavailable: undeliverable",
          Main(1, 0),
          NotSent(),
          Policy(),
          {true, false, Gate::kClosed, S::kUndeliverable, {}, {}, false, 0, 0}},
      // Extras: never gate anything; the next sequential one starts after a first attempt.
      Row{"extra 0 of 3 succeeds: next starts",
          ExtraAt(0, 1, 3, 3),
          Answer(200),
          Policy(),
          {true, true, Gate::kAfterMain, S::kFanningOut, X::kSucceeded, {}, false, 1, 1}},
      Row{"extra 0 of 3 fails: next starts anyway",
          ExtraAt(0, 1, 3, 3),
          Answer(500),
          Policy(),
          {true, false, Gate::kAfterMain, S::kFanningOut, X::kFailed, {}, false, 1, 1}},
      Row{"last extra succeeds: delivered",
          ExtraAt(2, 1, 3, 1),
          Answer(200),
          Policy(),
          {true, true, Gate::kAfterMain, S::kDelivered, X::kSucceeded, {}, false, 0, 0}},
      Row{"last extra fails, no retries: delivered",
          ExtraAt(2, 1, 3, 1),
          Answer(500),
          Policy(),
          {true, false, Gate::kAfterMain, S::kDelivered, X::kFailed, {}, false, 0, 0}},
      Row{"parallel extra starts nobody",
          ExtraAt(0, 1, 3, 3),
          Answer(200),
          Policy(k200, kPar),
          {true, true, Gate::kAfterMain, S::kFanningOut, X::kSucceeded, {}, false, 0, 0}},
      Row{"extra 201 under any 2xx succeeds",
          ExtraAt(0, 1, 1, 1),
          Answer(201),
          Policy(k2xx),
          {true, true, Gate::kAfterMain, S::kDelivered, X::kSucceeded, {}, false, 0, 0}},
      Row{"extra fails with retries: retried, next starts",
          ExtraAt(0, 1, 2, 2),
          Failure(ErrorClass::kReset),
          Policy(k200, kSeq, kRetry),
          {true, false, Gate::kAfterMain, S::kFanningOut, X::kRetrying, seconds(1), false, 1, 1}},
      Row{"last extra retried: not delivered yet",
          ExtraAt(1, 1, 2, 1),
          Answer(500),
          Policy(k200, kSeq, kRetry),
          {true, false, Gate::kAfterMain, S::kFanningOut, X::kRetrying, seconds(1), false, 0, 0}},
      Row{"extra retry 2 fails: no second next",
          ExtraAt(0, 2, 2, 2),
          Answer(500),
          Policy(k200, kSeq, kRetry),
          {true, false, Gate::kAfterMain, S::kFanningOut, X::kRetrying, seconds(2), false, 0, 0}},
      Row{"extra past the horizon: expired",
          ExtraAt(0, 5, 1, 1, hours(24 * 7)),
          Answer(500),
          Policy(k200, kSeq, kRetry),
          {true, false, Gate::kAfterMain, S::kDelivered, X::kExpired, {}, false, 0, 0}},
      Row{"extra deleted meanwhile: skipped, not recorded",
          ExtraAt(0, 1, 2, 2),
          NotSent(),
          Policy(),
          {false, false, Gate::kAfterMain, S::kFanningOut, X::kSkipped, {}, false, 1, 1}},
      Row{"last extra deleted meanwhile: delivered",
          ExtraAt(1, 1, 2, 1),
          NotSent(),
          Policy(k200, kSeq, kRetry),
          {false, false, Gate::kAfterMain, S::kDelivered, X::kSkipped, {}, false, 0, 0}},
  }));
  INFO(name);
  const Actions actions = Transition(state, outcome, policy);
  CHECK(actions.record == want.record);
  CHECK(actions.succeeded == want.succeeded);
  CHECK(actions.gate == want.gate);
  CHECK(EventStateName(actions.event_state) == EventStateName(want.event));
  CHECK(actions.extra_state == want.extra);
  const std::optional<core::SteadyTime> retry_at =
      want.retry_after ? std::optional(kEnded + *want.retry_after) : std::nullopt;
  CHECK(actions.retry_at == retry_at);
  CHECK(actions.release_extras == want.release);
  CHECK(actions.start_count == want.start_count);
  if (want.start_count > 0) CHECK(actions.start_first == want.start_first);
}

TEST_CASE("Transition says why an event expired, is undeliverable or fanned out to nobody",
          "[delivery][transition]") {
  CHECK(Transition(Main(9, 3, hours(24 * 7)), Answer(500), Policy()).detail ==
        "no 200 from the main webhook within the retry horizon (9 attempts); extras not sent");
  CHECK(Transition(Main(1, 0), NotSent(), Policy()).detail == "no main webhook configured");
  AttemptState all_deleted = Main(1, 0);
  all_deleted.all_deleted = true;
  CHECK(Transition(all_deleted, Answer(200), Policy()).detail ==
        "multi-webhook is enabled with no extra webhook: empty fan-out");
  CHECK(Transition(Main(1, 0), Answer(200), Policy()).detail.empty());
}

TEST_CASE("Transition: jitter shortens the wait by the caller's draw", "[delivery][transition]") {
  DeliveryPolicy policy = Policy();
  policy.retry.jitter = 0.5;
  AttemptState state = Main(1, 0);
  state.unit_random = 0.5;  // 1 s * (1 - 0.5 * 0.5)
  CHECK(Transition(state, Answer(500), policy).retry_at == kEnded + std::chrono::milliseconds(750));
}

TEST_CASE("Accepted: the gate's success rule", "[delivery][transition]") {
  CHECK(Accepted(SuccessRule::kExactly200, 200, ErrorClass::kNone));
  CHECK_FALSE(Accepted(SuccessRule::kExactly200, 204, ErrorClass::kNone));
  CHECK_FALSE(Accepted(SuccessRule::kExactly200, 200, ErrorClass::kTimeout));
  CHECK(Accepted(SuccessRule::kAny2xx, 204, ErrorClass::kNone));
  CHECK_FALSE(Accepted(SuccessRule::kAny2xx, 200, ErrorClass::kReset));
}

}  // namespace
}  // namespace multihook::delivery
