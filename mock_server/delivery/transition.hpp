// Transition: the delivery rules in one pure function. Given where an event stands after one
// attempt (AttemptState), what the attempt got (AttemptOutcome) and the policy, it returns what
// the engine must do (Actions): record the attempt, retry the destination at T, release the
// extras, start extras now, finish the event. The gate (main's exact 200, or any 2xx under
// SuccessRule::kAny2xx), the retry rule and the fan-out order are written here and nowhere else.
//
// Pure: reads no clock and no randomness (the caller draws `unit_random`); thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "mock_server/core/clock.hpp"
#include "mock_server/delivery/delivery_policy.hpp"
#include "mock_server/delivery/event_status.hpp"
#include "mock_server/delivery/journal.hpp"
#include "mock_server/delivery/transport.hpp"

namespace multihook::delivery {

// Whether an answer counts as delivered under `rule`: a status with no transport error, exactly
// 200 (kExactly200) or any 2xx (kAny2xx).
bool Accepted(SuccessRule rule, int status, ErrorClass error);

struct AttemptState {
  int extra = -1;   // -1: the main webhook; else the extra's index in the fan-out plan
  int attempt = 1;  // the attempt just made at this destination, 1-based
  // From the start of this destination's first attempt to the end of this one (retry horizon).
  core::Micros since_first{0};
  std::size_t plan_size = 0;    // main: extras enabled now; extra: extras in the fan-out plan
  std::size_t extras_open = 0;  // extra: extras not final before this attempt (this one included)
  bool all_deleted = false;     // main: multi-webhook enabled with no extra left
  double unit_random = 0.0;     // in [0, 1), for retry jitter
};

struct AttemptOutcome {
  bool sent = true;              // false: nothing to send to (why: `unavailable`)
  std::string_view unavailable;  // when !sent
  int status = 0;                // HTTP status when error == kNone
  ErrorClass error = ErrorClass::kNone;
  core::SteadyTime ended{};  // when the answer (or error) came, on the scheduling clock
};

struct Actions {
  bool record = true;      // journal the attempt (false: an extra skipped, nothing sent)
  bool succeeded = false;  // the attempt counts as delivered
  Gate gate = Gate::kClosed;
  EventState event_state = EventState::kPending;  // the event's state now; final = finish it
  std::optional<ExtraState> extra_state;          // extras: this extra's state now
  std::optional<core::SteadyTime> retry_at;       // attempt this destination again then
  bool release_extras = false;  // main: the fan-out plan becomes the extras enabled now
  // Extras [start_first, start_first + start_count) are due now, in order.
  int start_first = 0;
  int start_count = 0;
  std::string detail;  // why the event is expired or undeliverable, or an empty fan-out
};

Actions Transition(const AttemptState& state, const AttemptOutcome& outcome,
                   const DeliveryPolicy& policy);

}  // namespace multihook::delivery
