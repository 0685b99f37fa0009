#include "mock_server/delivery/transition.hpp"

namespace multihook::delivery {
namespace {

// The retry rule, for main and extras alike: the next attempt's time, or none past the horizon.
std::optional<core::SteadyTime> RetryAt(const AttemptState& state, const AttemptOutcome& outcome,
                                        const DeliveryPolicy& policy) {
  const auto delay =
      policy.retry.DelayBeforeAttempt(state.attempt + 1, state.since_first, state.unit_random);
  if (!delay) return std::nullopt;
  return outcome.ended + *delay;
}

// The next sequential extra goes after this one's first attempt, whatever its answer: a retried
// extra never holds back the rest.
void StartNextSequential(const AttemptState& state, const DeliveryPolicy& policy,
                         Actions& actions) {
  if (policy.fanout != Fanout::kSequential || state.attempt != 1) return;
  if (static_cast<std::size_t>(state.extra) + 1 >= state.plan_size) return;
  actions.start_first = state.extra + 1;
  actions.start_count = 1;
}

Actions MainTransition(const AttemptState& state, const AttemptOutcome& outcome,
                       const DeliveryPolicy& policy) {
  Actions actions;
  if (!outcome.sent) {
    actions.event_state = EventState::kUndeliverable;
    actions.detail = std::string(outcome.unavailable);
    return actions;
  }
  actions.succeeded = Accepted(policy.success, outcome.status, outcome.error);
  actions.gate = actions.succeeded ? Gate::kOpen : Gate::kClosed;
  if (actions.succeeded) {
    actions.release_extras = true;
    if (state.plan_size == 0) {
      actions.event_state = EventState::kDelivered;
      if (state.all_deleted) {
        actions.detail = "multi-webhook is enabled with no extra webhook: empty fan-out";
      }
      return actions;
    }
    actions.event_state = EventState::kFanningOut;
    actions.start_count =
        policy.fanout == Fanout::kParallel ? static_cast<int>(state.plan_size) : 1;
    return actions;
  }
  actions.retry_at = RetryAt(state, outcome, policy);
  if (actions.retry_at) {
    actions.event_state = EventState::kRetrying;
  } else {
    actions.event_state = EventState::kExpired;
    actions.detail = "no 200 from the main webhook within the retry horizon (" +
                     std::to_string(state.attempt) + " attempts); extras not sent";
  }
  return actions;
}

Actions ExtraTransition(const AttemptState& state, const AttemptOutcome& outcome,
                        const DeliveryPolicy& policy) {
  Actions actions;
  actions.gate = Gate::kAfterMain;
  if (!outcome.sent) {
    actions.record = false;
    actions.extra_state = ExtraState::kSkipped;
  } else if ((actions.succeeded = Accepted(policy.success, outcome.status, outcome.error))) {
    actions.extra_state = ExtraState::kSucceeded;
  } else if (policy.retry_extras == RetryExtras::kYes) {
    actions.retry_at = RetryAt(state, outcome, policy);
    actions.extra_state = actions.retry_at ? ExtraState::kRetrying : ExtraState::kExpired;
  } else {
    actions.extra_state = ExtraState::kFailed;
  }
  StartNextSequential(state, policy, actions);
  const bool final_now = actions.extra_state != ExtraState::kRetrying;
  actions.event_state =
      final_now && state.extras_open <= 1 ? EventState::kDelivered : EventState::kFanningOut;
  return actions;
}

}  // namespace

bool Accepted(SuccessRule rule, int status, ErrorClass error) {
  if (error != ErrorClass::kNone) return false;
  if (rule == SuccessRule::kAny2xx) return status >= 200 && status <= 299;
  return status == 200;
}

Actions Transition(const AttemptState& state, const AttemptOutcome& outcome,
                   const DeliveryPolicy& policy) {
  return state.extra < 0 ? MainTransition(state, outcome, policy)
                         : ExtraTransition(state, outcome, policy);
}

}  // namespace multihook::delivery
