// The request format of the control endpoint `POST /mock/inbound`: one notification to deliver,
// built into the Cloud API envelope (cloud_api_envelope.hpp) for one channel.
//
// Inputs are read strictly (json_reader.hpp): unknown fields, wrong types, missing required
// fields and values out of range fail with "invalid_argument at <JSON pointer>: <reason>".
// Everything generated (event ids, wamids, phone numbers, media ids, hashes, names) comes from
// the injected IdSource (fake_values.hpp), and timestamps from the given WallTime, so a seeded
// IdSource and a fixed time give byte-identical bodies. No function throws.
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
  // What it is, as the delivery view and GET /mock/events/{id} name it: the message's type
  // ("text", "image", ...), "status:" + the status ("status:delivered"), "error" or "payload".
  std::string type;
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

}  // namespace multihook::codec
