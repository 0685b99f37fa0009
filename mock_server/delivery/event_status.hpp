// The delivery state of one notification as GET /mock/events/{id} shows it (EventStatus) and of
// each extra destination. Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/delivery_states.hpp"

namespace multihook::delivery {

// The states and their names live in core (delivery_states.hpp), so the control codec and its
// clients decode them without the engine.
using core::EventState;
using core::EventStateName;
using core::ExtraState;
using core::ExtraStateName;
using core::IsFinal;
using core::ParseEventState;
using core::ParseExtraState;

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
