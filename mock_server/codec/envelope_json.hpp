// The JSON pieces of cloud_api_envelope.hpp that the request codecs (inbound_request,
// send_request) assemble: the envelope around a `value`, one status object, the ASCII dump.
// Internal to the codec; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mock_server/codec/cloud_api_envelope.hpp"
#include "mock_server/codec/notification_fields.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

// The envelope of `channel` whose value holds messaging_product, metadata, then `value_fields`.
OrderedJson Envelope(const core::ChannelIdentity& channel, OrderedJson value_fields);

// The Cloud API's notification bodies are ASCII: every non-ASCII character is a \uXXXX escape
// (lowercase hex, surrogate pairs above U+FFFF), and the signature covers those bytes. Consumer
// libraries re-escape a raw body that way before checking the signature, so a UTF-8 body would
// fail their check.
std::string DumpAscii(const OrderedJson& json);

struct StatusFields {
  std::string id;
  MessageStatus status = MessageStatus::kSent;
  std::string timestamp;
  std::string recipient_id;
  std::optional<OrderedJson> conversation;  // defaulted for `sent` when absent
  std::optional<OrderedJson> pricing;       // defaulted for `sent` when absent
  std::optional<OrderedJson> errors;        // defaulted for `failed` when absent
};

// One element of value.statuses, with the defaults of the status filled in.
OrderedJson StatusJson(const core::ChannelIdentity& channel, StatusFields fields);

}  // namespace multihook::codec
