// The plain outcome types of a delivery, as the engine records them and the control API shows
// them: an attempt's gate and error class, an event's and an extra's state, each with its stable
// wire name and the inverse parser. They live in core, below the engine, so that the control API's
// codec (and a client decoding its answers, e.g. harness::MockClient in a partner's test) can
// speak them without linking the delivery engine. The engine re-exports them as delivery::*.
//
// Free functions of their arguments; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace multihook::core {

// Why a request was (or was not) sent: for the main webhook whether its answer opened the gate to
// the extras; extras are always sent after the main webhook's 200.
enum class Gate { kOpen, kClosed, kAfterMain };
std::string_view GateName(Gate gate);  // "open", "closed", "after_main"
std::optional<Gate> ParseGate(std::string_view name);

// Why an attempt failed without an HTTP status. Counted per class, like wrk's error counters.
enum class ErrorClass {
  kNone,       // an HTTP answer arrived (any status)
  kTimeout,    // no complete answer within the timeout (also: an answer that came too late)
  kConnect,    // refused / unreachable / DNS
  kReset,      // connection reset or closed before a complete answer
  kTls,        // handshake or certificate failure
  kProtocol,   // malformed HTTP answer
  kOther,      // anything else (including a transport that threw)
  kNoWebhook,  // engine only: nothing was sent because no destination is configured
};
// Stable lowercase names: "none", "timeout", "connect", "reset", "tls", "protocol", "other",
// "no_webhook". Journal encodings and tests match on them.
std::string_view ErrorClassName(ErrorClass error);
std::optional<ErrorClass> ParseErrorClass(std::string_view name);

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

}  // namespace multihook::core
