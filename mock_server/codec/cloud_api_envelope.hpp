// The notification bodies the mock delivers: the upstream Cloud API webhook envelope (contract
// §7) for one channel,
//
//   {"object": "whatsapp_business_account",
//    "entry": [{"id": "<waba_id>", "changes": [{"field": "messages", "value": {
//      "messaging_product": "whatsapp",
//      "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
//      <contacts + messages | statuses | errors>}}]}]}
//
// and the statuses an outgoing message goes through (contract §8). Bodies are compact JSON with
// the Cloud API's field order, and ASCII like the Cloud API's: non-ASCII characters are sent as
// \uXXXX escapes (lowercase hex). Timestamps come from the given WallTime, so a fixed time gives
// byte-identical bodies. Free functions; thread-safe; no function throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

// The statuses an outgoing message goes through.
enum class MessageStatus { kSent, kDelivered, kRead, kFailed };

std::string_view MessageStatusName(MessageStatus status);  // "sent", ...
std::optional<MessageStatus> ParseMessageStatus(std::string_view name);
std::vector<std::string_view> MessageStatusNames();  // sent, delivered, read, failed

// The full envelope with one status of `message_id`, stamped `at`. `sent` carries
// conversation {id, origin: {type: "service"}} and, like the Cloud API's per-message pricing for a
// reply inside the service window, pricing {billable: false, pricing_model: "PMP", type:
// "free_customer_service", category: "service"}; the conversation id is derived from the channel
// and the recipient, so every status of one conversation shows the same id. `failed` carries the
// default error 131026 "Message undeliverable".
std::string BuildStatusNotification(const core::ChannelIdentity& channel,
                                    std::string_view message_id, MessageStatus status,
                                    std::string_view recipient_id, core::WallTime at);

// The same with the status by name. Precondition: `status` is sent, delivered, read or failed
// (the status script passes constants); anything else is a bug and yields an empty string.
std::string BuildStatusNotification(const core::ChannelIdentity& channel,
                                    std::string_view message_id, std::string_view status,
                                    std::string_view recipient_id, core::WallTime at);

}  // namespace multihook::codec
