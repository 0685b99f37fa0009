// The request format of the provider path `POST /messages` and the mock's answer to it. The
// status notifications that follow a send are built by cloud_api_envelope.hpp.
//
// Inputs are read strictly (json_reader.hpp); errors are "invalid_argument at <JSON pointer>:
// <reason>". The wamid comes from the injected IdSource. Free functions; thread-safe as long as
// the caller does not share one IdSource between threads. No function throws.
#pragma once

#include <string>
#include <string_view>

#include "mock_server/core/id_source.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::codec {

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

}  // namespace multihook::codec
