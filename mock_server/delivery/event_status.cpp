#include "mock_server/delivery/event_status.hpp"

namespace multihook::delivery {

std::string_view EventStateName(EventState state) {
  switch (state) {
    case EventState::kPending:
      return "pending";
    case EventState::kRetrying:
      return "retrying";
    case EventState::kFanningOut:
      return "fanning_out";
    case EventState::kDelivered:
      return "delivered";
    case EventState::kExpired:
      return "expired";
    case EventState::kUndeliverable:
      return "undeliverable";
  }
  return "pending";
}

bool IsFinal(EventState state) {
  return state == EventState::kDelivered || state == EventState::kExpired ||
         state == EventState::kUndeliverable;
}

std::string_view ExtraStateName(ExtraState state) {
  switch (state) {
    case ExtraState::kWaiting:
      return "waiting";
    case ExtraState::kRetrying:
      return "retrying";
    case ExtraState::kSucceeded:
      return "succeeded";
    case ExtraState::kFailed:
      return "failed";
    case ExtraState::kExpired:
      return "expired";
    case ExtraState::kSkipped:
      return "skipped";
  }
  return "waiting";
}

std::optional<EventState> ParseEventState(std::string_view name) {
  for (EventState state :
       {EventState::kPending, EventState::kRetrying, EventState::kFanningOut,
        EventState::kDelivered, EventState::kExpired, EventState::kUndeliverable}) {
    if (EventStateName(state) == name) return state;
  }
  return std::nullopt;
}

std::optional<ExtraState> ParseExtraState(std::string_view name) {
  for (ExtraState state : {ExtraState::kWaiting, ExtraState::kRetrying, ExtraState::kSucceeded,
                           ExtraState::kFailed, ExtraState::kExpired, ExtraState::kSkipped}) {
    if (ExtraStateName(state) == name) return state;
  }
  return std::nullopt;
}

}  // namespace multihook::delivery
