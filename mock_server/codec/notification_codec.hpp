// Builds the notifications the mock delivers: the upstream Cloud API webhook envelope
// (contract §7) for one channel, from the control endpoint `POST /mock/inbound`, from the status
// script that follows `POST /messages` (contract §8), and the answer of `POST /messages` itself.
//
//   {"object": "whatsapp_business_account",
//    "entry": [{"id": "<waba_id>", "changes": [{"field": "messages", "value": {
//      "messaging_product": "whatsapp",
//      "metadata": {"display_phone_number": "...", "phone_number_id": "..."},
//      <contacts + messages | statuses | errors>}}]}]}
//
// Inputs are read strictly (json_reader.hpp): unknown fields, wrong types, missing required
// fields and values out of range fail with "invalid_argument at <JSON pointer>: <reason>".
// Everything generated (event ids, wamids, phone numbers, media ids, hashes, names) comes from
// the injected IdSource, and timestamps from the given WallTime, so a seeded IdSource and a fixed
// time give byte-identical bodies. Bodies are compact JSON with the Cloud API's field order, and
// ASCII like the Cloud API's: non-ASCII characters are sent as \uXXXX escapes (lowercase hex).
// No function throws.
//
// Free functions; thread-safe as long as the caller does not share one IdSource between threads
// (IdSource is not thread-safe).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

// One notification ready to deliver.
struct BuiltNotification {
  std::string event_id;                   // "evt_" + 16 hex digits; the journal's key
  std::optional<std::string> message_id;  // the message's wamid, or the id a status is about
  std::string body;                       // the serialized envelope (compact JSON)
};

// Builds the notification for a `POST /mock/inbound` body, which is exactly one of:
//
//  {"message": {...}}  an inbound user message. Fields:
//      type          required: text | image | audio | video | document | sticker | location |
//                    contacts | interactive | button | reaction | unsupported
//      <type>        the object named by `type` (only that one), with the Cloud API's fields:
//                    text {body}; image|audio|video|document|sticker {id?, mime_type?, sha256?,
//                    url?, caption?} (+ filename? for document, voice? for audio, animated? for
//                    sticker; id, mime_type, sha256 and url are generated when absent, voice and
//                    animated default to false and are always sent, so the object itself may be
//                    omitted); location {latitude, longitude, name?, address?};
//                    contacts [non-empty array of contact-card objects, passed through];
//                    interactive {type: "button_reply", button_reply: {id, title}} or
//                    {type: "list_reply", list_reply: {id, title, description?}};
//                    button {payload, text}; reaction {message_id, emoji};
//                    unsupported {type?} (default "unknown"; the message gets errors [131051]).
//      from          digits; default a generated 12-digit number
//      id            default "wamid." + 48 generated alphanumerics
//      timestamp     string of Unix seconds; default `now`
//      profile_name  the sender's profile name (value.contacts[0].profile.name); default a
//                    generated plausible name
//      context       {from, id}: the message replies to message `id` sent by `from`
//  {"status": {...}}   a status of an outgoing message: {id (required), status (required: sent |
//                    delivered | read | failed), timestamp?, recipient_id? (digits; generated),
//                    conversation? {id, origin: {type}, expiration_timestamp?},
//                    pricing? {billable, pricing_model, type?, category}, errors? [error]}. A
//                    `sent` status without conversation/pricing gets the defaults of
//                    BuildStatusNotification; `failed` gets errors [131026] when none are given;
//                    only a failed status may carry errors.
//  {"error": error}    an out-of-band error (value.errors), e.g. {"code": 130429}.
//  {"payload": {...}}  any JSON object, delivered as given with no envelope added: key order and
//                    values are kept, re-serialized compactly (so whitespace is dropped, escapes
//                    such as "\u00e9" become UTF-8, and numbers take nlohmann's canonical form).
//
// An error is {code (required integer), title?, message?, error_data? {details?}}; missing texts
// come from the Cloud API's description of well-known codes (130429, 131026, 131047, 131051, ...).
core::Result<BuiltNotification> BuildInboundNotification(std::string_view request_body,
                                                         const core::ChannelIdentity& channel,
                                                         core::WallTime now, core::IdSource& ids);

// The inbound message types BuildInboundNotification accepts (`message.type`), in the order
// listed above: text, image, ..., unsupported. Tools that offer every type read them here.
std::vector<std::string_view> InboundMessageTypeNames();

// The mock's answer to the provider path `POST /messages`.
struct SendResult {
  std::string
      response_body;  // {"messaging_product", "contacts": [{input, wa_id}], "messages": [{id}]}
  std::string message_id;  // the generated wamid the status notifications are about
  std::string to;          // the recipient's wa_id: `to` with '+', spaces, '-', '(' and ')' removed
};

// Validates a send request {"messaging_product": "whatsapp", "recipient_type"?: "individual",
// "to", "type", "context"? {message_id}, "biz_opaque_callback_data"?, <type object>} where type is
// one of text, image, audio, video, document, sticker, location, contacts, interactive,
// template, reaction, and the object named by `type` must be present (and no other).
core::Result<SendResult> BuildMessageSendResponse(std::string_view request_body,
                                                  core::IdSource& ids);

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
