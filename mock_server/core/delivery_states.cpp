#include "mock_server/core/delivery_states.hpp"

#include <initializer_list>

namespace multihook::core {
namespace {

// The inverse of a Name function over every value of its enum.
template <typename Enum, typename NameFn>
std::optional<Enum> ParseByName(std::string_view name, std::initializer_list<Enum> values,
                                NameFn name_of) {
  for (Enum value : values) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view GateName(Gate gate) {
  switch (gate) {
    case Gate::kOpen:
      return "open";
    case Gate::kClosed:
      return "closed";
    case Gate::kAfterMain:
      return "after_main";
  }
  return "closed";
}

std::optional<Gate> ParseGate(std::string_view name) {
  return ParseByName(name, {Gate::kOpen, Gate::kClosed, Gate::kAfterMain}, GateName);
}

std::string_view ErrorClassName(ErrorClass error) {
  switch (error) {
    case ErrorClass::kNone:
      return "none";
    case ErrorClass::kTimeout:
      return "timeout";
    case ErrorClass::kConnect:
      return "connect";
    case ErrorClass::kReset:
      return "reset";
    case ErrorClass::kTls:
      return "tls";
    case ErrorClass::kProtocol:
      return "protocol";
    case ErrorClass::kOther:
      return "other";
    case ErrorClass::kNoWebhook:
      return "no_webhook";
  }
  return "other";
}

std::optional<ErrorClass> ParseErrorClass(std::string_view name) {
  return ParseByName(
      name,
      {ErrorClass::kNone, ErrorClass::kTimeout, ErrorClass::kConnect, ErrorClass::kReset,
       ErrorClass::kTls, ErrorClass::kProtocol, ErrorClass::kOther, ErrorClass::kNoWebhook},
      ErrorClassName);
}

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

std::optional<EventState> ParseEventState(std::string_view name) {
  return ParseByName(name,
                     {EventState::kPending, EventState::kRetrying, EventState::kFanningOut,
                      EventState::kDelivered, EventState::kExpired, EventState::kUndeliverable},
                     EventStateName);
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

std::optional<ExtraState> ParseExtraState(std::string_view name) {
  return ParseByName(name,
                     {ExtraState::kWaiting, ExtraState::kRetrying, ExtraState::kSucceeded,
                      ExtraState::kFailed, ExtraState::kExpired, ExtraState::kSkipped},
                     ExtraStateName);
}

}  // namespace multihook::core
