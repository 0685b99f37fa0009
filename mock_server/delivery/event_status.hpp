// The delivery state of one notification as GET /mock/events/{id} shows it (EventStatus), and
// the state names of the event and of each extra destination. Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"

namespace multihook::delivery {

enum class EventState {
  kPending,        // first main attempt not finished
  kRetrying,       // main failed, next attempt scheduled
  kFanningOut,     // main answered 200, extras in progress
  kDelivered,      // main 200 and every extra attempted (final)
  kExpired,        // horizon passed without a 200; extras never sent (final)
  kUndeliverable,  // no main webhook (or the channel is gone) (final)
};
// "pending", "retrying", "fanning_out", "delivered", "expired", "undeliverable".
std::string_view EventStateName(EventState state);
// The inverse of EventStateName; nullopt for any other text.
std::optional<EventState> ParseEventState(std::string_view name);
bool IsFinal(EventState state);

enum class ExtraState {
  kWaiting,    // not attempted yet (sequential fan-out: its turn has not come)
  kRetrying,   // failed, retry scheduled (RetryExtras::kYes)
  kSucceeded,  // final
  kFailed,     // final: failed and not retried
  kExpired,    // final: retried until the horizon passed
  kSkipped,    // final: deleted or disabled before its turn; nothing sent
};
// "waiting", "retrying", "succeeded", "failed", "expired", "skipped".
std::string_view ExtraStateName(ExtraState state);
// The inverse of ExtraStateName; nullopt for any other text.
std::optional<ExtraState> ParseExtraState(std::string_view name);

struct ExtraProgress {
  std::string destination;
  std::string url;  // of the latest attempt; empty before the first
  int attempts = 0;
  ExtraState state = ExtraState::kWaiting;
  std::string last_outcome;  // OutcomeName of the latest attempt, or why it was skipped
  std::optional<core::Micros> added_latency;  // main's 200 -> this extra's first answer
};

// GET /mock/events/{id}.
struct EventStatus {
  std::string event_id;
  std::string api_key;
  EventState state = EventState::kPending;
  std::string detail;  // why it expired or is undeliverable; empty otherwise
  core::SteadyTime submitted_at{};
  int main_attempts = 0;
  std::string main_last_outcome;                      // OutcomeName of the latest main attempt
  std::optional<core::SteadyTime> next_attempt_at;    // while retrying
  std::optional<core::SteadyTime> main_succeeded_at;  // when main answered 200
  std::vector<ExtraProgress> extras;  // the fan-out plan in order; empty until main's 200
};

}  // namespace multihook::delivery
