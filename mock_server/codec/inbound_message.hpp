// The `message` of a `POST /mock/inbound` body (inbound_request.hpp describes its fields): one
// table row per message type holds the type's name, its media defaults and the reader of its
// object; the allowed keys and the "expected one of" message are derived from that table.
// Internal to the codec; no function throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/notification_fields.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"

namespace multihook::codec {

// What goes into the envelope's value after messaging_product and metadata.
struct BuiltValue {
  OrderedJson value_fields;
  std::optional<std::string> message_id;
};

// value.contacts + value.messages for the message object at `pointer` of `body`.
core::Result<BuiltValue> BuildMessageValue(const Json& value, const std::string& pointer,
                                           std::string_view body, core::WallTime now,
                                           core::IdSource& ids);

}  // namespace multihook::codec
