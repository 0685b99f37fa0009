#include "mock_server/codec/cloud_api_envelope.hpp"

#include <array>
#include <cassert>
#include <utility>

#include "mock_server/codec/cloud_api_errors.hpp"
#include "mock_server/codec/envelope_json.hpp"
#include "mock_server/codec/fake_values.hpp"

namespace multihook::codec {
namespace {

constexpr std::array<MessageStatus, 4> kMessageStatuses = {
    MessageStatus::kSent, MessageStatus::kDelivered, MessageStatus::kRead, MessageStatus::kFailed};

OrderedJson DefaultConversation(const core::ChannelIdentity& channel, std::string_view recipient) {
  return OrderedJson{{"id", ConversationId(channel, recipient)}, {"origin", {{"type", "service"}}}};
}

// Per-message pricing (PMP): a reply inside the customer service window is free.
OrderedJson DefaultPricing() {
  return OrderedJson{{"billable", false},
                     {"pricing_model", "PMP"},
                     {"type", "free_customer_service"},
                     {"category", "service"}};
}

}  // namespace

OrderedJson Envelope(const core::ChannelIdentity& channel, OrderedJson value_fields) {
  OrderedJson value = {{"messaging_product", "whatsapp"},
                       {"metadata",
                        {{"display_phone_number", channel.display_phone_number},
                         {"phone_number_id", channel.phone_number_id}}}};
  for (auto& [key, field] : value_fields.items()) value[key] = std::move(field);
  OrderedJson change = {{"field", "messages"}, {"value", std::move(value)}};
  OrderedJson entry = {{"id", channel.waba_id}, {"changes", OrderedJson::array()}};
  entry["changes"].push_back(std::move(change));
  OrderedJson envelope = {{"object", "whatsapp_business_account"}, {"entry", OrderedJson::array()}};
  envelope["entry"].push_back(std::move(entry));
  return envelope;
}

std::string DumpAscii(const OrderedJson& json) {
  return json.dump(-1, ' ', true, OrderedJson::error_handler_t::replace);
}

OrderedJson StatusJson(const core::ChannelIdentity& channel, StatusFields fields) {
  OrderedJson status = {{"id", std::move(fields.id)},
                        {"status", MessageStatusName(fields.status)},
                        {"timestamp", std::move(fields.timestamp)},
                        {"recipient_id", fields.recipient_id}};
  if (fields.status == MessageStatus::kSent) {
    if (!fields.conversation) {
      fields.conversation = DefaultConversation(channel, fields.recipient_id);
    }
    if (!fields.pricing) fields.pricing = DefaultPricing();
  }
  if (fields.status == MessageStatus::kFailed && !fields.errors) {
    fields.errors = OrderedJson::array({DefaultError(kMessageUndeliverable)});
  }
  if (fields.conversation) status["conversation"] = std::move(*fields.conversation);
  if (fields.pricing) status["pricing"] = std::move(*fields.pricing);
  if (fields.errors) status["errors"] = std::move(*fields.errors);
  return status;
}

std::string_view MessageStatusName(MessageStatus status) {
  switch (status) {
    case MessageStatus::kSent:
      return "sent";
    case MessageStatus::kDelivered:
      return "delivered";
    case MessageStatus::kRead:
      return "read";
    case MessageStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

std::optional<MessageStatus> ParseMessageStatus(std::string_view name) {
  for (const MessageStatus status : kMessageStatuses) {
    if (MessageStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::vector<std::string_view> MessageStatusNames() {
  std::vector<std::string_view> names;
  names.reserve(kMessageStatuses.size());
  for (const MessageStatus status : kMessageStatuses) names.push_back(MessageStatusName(status));
  return names;
}

std::string BuildStatusNotification(const core::ChannelIdentity& channel,
                                    std::string_view message_id, MessageStatus status,
                                    std::string_view recipient_id, core::WallTime at) {
  try {
    StatusFields fields;
    fields.id = std::string(message_id);
    fields.status = status;
    fields.timestamp = UnixSeconds(at);
    fields.recipient_id = std::string(recipient_id);
    OrderedJson statuses = OrderedJson::array({StatusJson(channel, std::move(fields))});
    return DumpAscii(Envelope(channel, OrderedJson{{"statuses", std::move(statuses)}}));
  } catch (const nlohmann::json::exception&) {
    // Unreachable: only objects, strings and booleans are built and dumped with `replace`.
    assert(false && "building a status notification threw");
    return std::string();
  }
}

std::string BuildStatusNotification(const core::ChannelIdentity& channel,
                                    std::string_view message_id, std::string_view status,
                                    std::string_view recipient_id, core::WallTime at) {
  const auto parsed = ParseMessageStatus(status);
  assert(parsed.has_value() && "status must be sent, delivered, read or failed");
  if (!parsed) return std::string();
  return BuildStatusNotification(channel, message_id, *parsed, recipient_id, at);
}

}  // namespace multihook::codec
