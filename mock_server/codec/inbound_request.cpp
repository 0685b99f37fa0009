#include "mock_server/codec/inbound_request.hpp"

#include <array>
#include <utility>

#include "mock_server/codec/cloud_api_envelope.hpp"
#include "mock_server/codec/cloud_api_errors.hpp"
#include "mock_server/codec/envelope_json.hpp"
#include "mock_server/codec/fake_values.hpp"
#include "mock_server/codec/inbound_message.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/notification_fields.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::codec {
namespace {

// The member of the request that says what to deliver.
struct KindInput {
  const Json& value;
  const std::string& pointer;
  std::string_view body;
  const core::ChannelIdentity& channel;
  core::WallTime now;
  core::IdSource& ids;
};

struct InboundKind {
  std::string_view name;
  core::Result<BuiltNotification> (*build)(const KindInput&);
};

BuiltNotification InEnvelope(const KindInput& in, BuiltValue built, std::string type) {
  return BuiltNotification{core::NewEventId(in.ids), std::move(built.message_id),
                           DumpAscii(Envelope(in.channel, std::move(built.value_fields))),
                           std::move(type)};
}

core::Result<BuiltNotification> BuildMessage(const KindInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(BuiltValue built,
                             BuildMessageValue(in.value, in.pointer, in.body, in.now, in.ids));
  const auto type = in.value.find("type");  // checked by BuildMessageValue
  return InEnvelope(in, std::move(built),
                    type != in.value.end() && type->is_string() ? type->get<std::string>()
                                                                : std::string("message"));
}

core::Result<OrderedJson> ReadConversation(const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"id", "origin", "expiration_timestamp"}));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string id, NonEmptyString(reader, "id"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto expiration, OptionalTimestamp(reader, "expiration_timestamp"));
  const Json* origin = reader.Find("origin");
  if (origin == nullptr) return core::InvalidArgument(reader.PointerTo("origin"), "is required");
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader origin_reader,
                             ObjectReader::Open(*origin, reader.PointerTo("origin"), {"type"}));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string origin_type, NonEmptyString(origin_reader, "type"));
  OrderedJson out = {{"id", std::move(id)}};
  if (expiration) out["expiration_timestamp"] = std::move(*expiration);
  out["origin"] = {{"type", std::move(origin_type)}};
  return out;
}

core::Result<OrderedJson> ReadPricing(const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"billable", "pricing_model", "type", "category"}));
  MULTIHOOK_ASSIGN_OR_RETURN(const bool billable, reader.RequiredBool("billable"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string model, NonEmptyString(reader, "pricing_model"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto type, reader.OptionalString("type"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string category, NonEmptyString(reader, "category"));
  OrderedJson out = {{"billable", billable}, {"pricing_model", std::move(model)}};
  if (type) out["type"] = std::move(*type);
  out["category"] = std::move(category);
  return out;
}

// The optional objects of a status, each read only when given.
core::Status ReadStatusExtras(const ObjectReader& reader, StatusFields& fields) {
  if (const Json* conversation = reader.Find("conversation")) {
    MULTIHOOK_ASSIGN_OR_RETURN(fields.conversation,
                               ReadConversation(*conversation, reader.PointerTo("conversation")));
  }
  if (const Json* pricing = reader.Find("pricing")) {
    MULTIHOOK_ASSIGN_OR_RETURN(fields.pricing, ReadPricing(*pricing, reader.PointerTo("pricing")));
  }
  if (const Json* errors = reader.Find("errors")) {
    if (fields.status != MessageStatus::kFailed) {
      return core::InvalidArgument(reader.PointerTo("errors"),
                                   "only a failed status carries errors");
    }
    MULTIHOOK_ASSIGN_OR_RETURN(fields.errors, ReadErrorList(*errors, reader.PointerTo("errors")));
  }
  return core::Status::Ok();
}

core::Result<MessageStatus> ReadStatusName(const ObjectReader& reader) {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string name, reader.RequiredString("status"));
  if (const auto status = ParseMessageStatus(name)) return *status;
  return core::InvalidArgument(reader.PointerTo("status"),
                               "expected one of " + JoinNames(MessageStatusNames()));
}

core::Result<BuiltNotification> BuildStatus(const KindInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(in.value, in.pointer,
                                                {"id", "status", "timestamp", "recipient_id",
                                                 "conversation", "pricing", "errors"}));
  StatusFields fields;
  MULTIHOOK_ASSIGN_OR_RETURN(fields.id, NonEmptyString(reader, "id"));
  MULTIHOOK_ASSIGN_OR_RETURN(fields.status, ReadStatusName(reader));
  MULTIHOOK_ASSIGN_OR_RETURN(auto timestamp, OptionalTimestamp(reader, "timestamp"));
  fields.timestamp = timestamp.value_or(UnixSeconds(in.now));
  MULTIHOOK_ASSIGN_OR_RETURN(auto recipient, OptionalWaId(reader, "recipient_id"));
  fields.recipient_id = recipient ? std::move(*recipient) : GeneratePhoneNumber(in.ids);
  MULTIHOOK_RETURN_IF_ERROR(ReadStatusExtras(reader, fields));
  std::string message_id = fields.id;
  std::string type = "status:" + std::string(MessageStatusName(fields.status));
  OrderedJson statuses = OrderedJson::array({StatusJson(in.channel, std::move(fields))});
  return InEnvelope(
      in, BuiltValue{OrderedJson{{"statuses", std::move(statuses)}}, std::move(message_id)},
      std::move(type));
}

core::Result<BuiltNotification> BuildError(const KindInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson error, ReadError(in.value, in.pointer));
  return InEnvelope(
      in, BuiltValue{OrderedJson{{"errors", OrderedJson::array({std::move(error)})}}, std::nullopt},
      "error");
}

// Delivered as given: no envelope, key order kept.
core::Result<BuiltNotification> BuildPayload(const KindInput& in) {
  if (!in.value.is_object()) return TypeError(in.pointer, "an object", in.value);
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson ordered, OrderedAt(in.body, in.pointer));
  return BuiltNotification{core::NewEventId(in.ids), std::nullopt, Dump(ordered), "payload"};
}

constexpr std::array<InboundKind, 4> kKinds = {{
    {"message", BuildMessage},
    {"status", BuildStatus},
    {"error", BuildError},
    {"payload", BuildPayload},
}};

constexpr auto kRequestFields = FieldsAndNames(std::array<std::string_view, 0>{}, kKinds);

// The one kind the request carries.
core::Result<const InboundKind*> ChooseKind(const ObjectReader& reader) {
  const InboundKind* chosen = nullptr;
  for (const InboundKind& kind : kKinds) {
    if (!reader.Has(kind.name)) continue;
    if (chosen != nullptr) {
      return core::InvalidArgument(reader.PointerTo(kind.name),
                                   "only one of " + JoinNames(kKinds) + " may be given");
    }
    chosen = &kind;
  }
  if (chosen == nullptr) {
    return core::InvalidArgument("", "expected exactly one of " + JoinNames(kKinds));
  }
  return chosen;
}

core::Result<BuiltNotification> BuildInbound(std::string_view request_body,
                                             const core::ChannelIdentity& channel,
                                             core::WallTime now, core::IdSource& ids) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(request_body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", kRequestFields));
  MULTIHOOK_ASSIGN_OR_RETURN(const InboundKind* kind, ChooseKind(reader));
  const std::string pointer = reader.PointerTo(kind->name);
  return kind->build(KindInput{*reader.Find(kind->name), pointer, request_body, channel, now, ids});
}

}  // namespace

// Catches the library's exceptions so that none escapes.
core::Result<BuiltNotification> BuildInboundNotification(std::string_view request_body,
                                                         const core::ChannelIdentity& channel,
                                                         core::WallTime now, core::IdSource& ids) {
  try {
    return BuildInbound(request_body, channel, now, ids);
  } catch (const nlohmann::json::exception& error) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("building the notification failed: ") + error.what());
  }
}

}  // namespace multihook::codec
