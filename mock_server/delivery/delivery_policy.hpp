// DeliveryPolicy: the plain values that say how the delivery engine behaves (retries, fan-out,
// success rule, timeout, capacities). No wiring (clock, transport, signer: see DeliveryDeps in
// delivery_engine.hpp), so option parsers can hold one without pulling in the engine.
//
// Pure value type; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/retry_policy.hpp"

namespace multihook::delivery {

// Attempts in flight at once in serve mode (--delivery-workers): the one default.
inline constexpr std::size_t kDefaultDeliveryWorkers = 8;

enum class Fanout { kSequential, kParallel };
enum class RetryExtras { kNo, kYes };
enum class SuccessRule { kExactly200, kAny2xx };
// Multi-webhook enabled with no extra destination left (every one deleted). The provider's page:
// "if you delete all webhooks, the system will return an empty response when attempting
// callbacks". kMainOnly reads "webhooks" as the extra destinations: main still receives and the
// fan-out is empty. kNoCallbacks reads it as every webhook of the number: nothing is sent, and
// the event is undeliverable.
enum class DeleteAll { kMainOnly, kNoCallbacks };

struct DeliveryPolicy {
  RetryPolicy retry = {};
  Fanout fanout = Fanout::kSequential;
  RetryExtras retry_extras = RetryExtras::kNo;
  SuccessRule success = SuccessRule::kExactly200;
  DeleteAll delete_all = DeleteAll::kMainOnly;
  // Per attempt. An answer that arrives later than this counts as a timeout even if the transport
  // delivered it.
  core::Micros timeout = std::chrono::seconds(5);
  std::size_t journal_capacity = 100'000;  // attempt records kept
  // Finished events kept for GetEvent (oldest go first). The default matches what the journal
  // can still show: its 100,000 attempts are the last ~25,000 notifications of a channel with
  // three extras.
  std::size_t event_capacity = 25'000;
  // Notifications accepted but not final yet (pending, retrying or fanning out). Submit refuses
  // more with resource_exhausted (HTTP 429) rather than queueing without bound: a sender faster
  // than the receivers would otherwise grow the mock by ~1 KB per queued notification.
  std::size_t max_pending = 10'000;
  // Key of the x-360dialog-signature header (signed by DeliveryDeps::sign); none = no header.
  std::optional<std::string> signing_secret = std::nullopt;

  // invalid_argument at the field when a value is out of range (capacities included).
  [[nodiscard]] core::Status Validate() const;
};

}  // namespace multihook::delivery
