#include "mock_server/codec/send_request.hpp"

#include <array>
#include <utility>

#include "mock_server/codec/fake_values.hpp"
#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/notification_fields.hpp"

namespace multihook::codec {
namespace {

constexpr std::size_t kMaxWaIdDigits = 15;  // E.164

struct SendType;
using CheckTypeObject = core::Status (*)(const SendType&, const Json&, const std::string&);

// One message type a send request may carry, and the check of its object.
struct SendType {
  std::string_view name;
  CheckTypeObject check;
  bool has_caption = false;   // media: a caption is allowed
  bool has_filename = false;  // media: a filename is allowed
};

core::Status CheckText(const SendType&, const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {"body", "preview_url"}));
  MULTIHOOK_RETURN_IF_ERROR(NonEmptyString(reader, "body"));
  return reader.OptionalBool("preview_url").status();
}

core::Status CheckMedia(const SendType& type, const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"id", "link", "caption", "filename"}));
  if (!type.has_caption) {
    MULTIHOOK_RETURN_IF_ERROR(
        RejectFields(reader, {"caption"}, "audio and stickers have no caption"));
  }
  if (!type.has_filename) {
    MULTIHOOK_RETURN_IF_ERROR(RejectFields(reader, {"filename"}, "only a document has a filename"));
  }
  for (const std::string_view key : {"id", "link", "caption", "filename"}) {
    MULTIHOOK_RETURN_IF_ERROR(reader.OptionalString(key));
  }
  if (reader.Has("id") == reader.Has("link")) {
    return core::InvalidArgument(pointer, "expected exactly one of id, link");
  }
  return core::Status::Ok();
}

core::Status CheckLocation(const SendType&, const Json& value, const std::string& pointer) {
  return ReadLocation(value, pointer).status();
}

core::Status CheckContacts(const SendType&, const Json& value, const std::string& pointer) {
  return CheckNonEmptyArrayOfObjects(value, pointer);
}

// Interactive messages (buttons, lists, flows, ...) are many shapes; require the discriminator.
core::Status CheckInteractive(const SendType&, const Json& value, const std::string& pointer) {
  if (!value.is_object()) return TypeError(pointer, "an object", value);
  const auto type_field = value.find("type");
  if (type_field == value.end()) return core::InvalidArgument(pointer + "/type", "is required");
  if (!type_field->is_string()) return TypeError(pointer + "/type", "a string", *type_field);
  return core::Status::Ok();
}

core::Status CheckTemplate(const SendType&, const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"name", "language", "components"}));
  MULTIHOOK_RETURN_IF_ERROR(NonEmptyString(reader, "name"));
  const Json* language = reader.Find("language");
  if (language == nullptr) {
    return core::InvalidArgument(reader.PointerTo("language"), "is required");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader language_reader,
      ObjectReader::Open(*language, reader.PointerTo("language"), {"code", "policy"}));
  MULTIHOOK_RETURN_IF_ERROR(NonEmptyString(language_reader, "code"));
  MULTIHOOK_RETURN_IF_ERROR(language_reader.OptionalString("policy"));
  if (const Json* components = reader.Find("components"); components && !components->is_array()) {
    return TypeError(reader.PointerTo("components"), "an array", *components);
  }
  return core::Status::Ok();
}

// An empty emoji removes a reaction.
core::Status CheckReaction(const SendType&, const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {"message_id", "emoji"}));
  MULTIHOOK_RETURN_IF_ERROR(NonEmptyString(reader, "message_id"));
  return reader.RequiredString("emoji").status();
}

constexpr std::array<SendType, 11> kSendTypes = {{
    {"text", CheckText},
    {"image", CheckMedia, true},
    {"audio", CheckMedia},
    {"video", CheckMedia, true},
    {"document", CheckMedia, true, true},
    {"sticker", CheckMedia},
    {"location", CheckLocation},
    {"contacts", CheckContacts},
    {"interactive", CheckInteractive},
    {"template", CheckTemplate},
    {"reaction", CheckReaction},
}};

constexpr auto kRequestFields =
    FieldsAndNames(std::array<std::string_view, 6>{"messaging_product", "recipient_type", "to",
                                                   "type", "context", "biz_opaque_callback_data"},
                   kSendTypes);

// The Cloud API accepts formatted numbers ("+1 (555) 010-0000") and answers the digits as wa_id.
core::Result<std::string> WaIdOf(std::string_view to) {
  std::string wa_id;
  for (const char c : to) {
    if (c >= '0' && c <= '9') {
      wa_id += c;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
      return WaIdError("/to");
    }
  }
  if (wa_id.empty() || wa_id.size() > kMaxWaIdDigits) return WaIdError("/to");
  return wa_id;
}

core::Status CheckProductAndRecipientType(const ObjectReader& reader) {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string product, reader.RequiredString("messaging_product"));
  if (product != "whatsapp") {
    return core::InvalidArgument("/messaging_product", "expected 'whatsapp'");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(auto recipient_type, reader.OptionalString("recipient_type"));
  if (recipient_type && *recipient_type != "individual") {
    return core::InvalidArgument("/recipient_type", "expected 'individual'");
  }
  return core::Status::Ok();
}

core::Status CheckTypeAndObject(const ObjectReader& reader) {
  MULTIHOOK_ASSIGN_OR_RETURN(const SendType* type, ChooseRow(reader, "type", kSendTypes));
  MULTIHOOK_RETURN_IF_ERROR(RejectOtherRows(reader, *type, kSendTypes));
  const Json* type_object = reader.Find(type->name);
  if (type_object == nullptr) {
    return core::InvalidArgument(reader.PointerTo(type->name), "is required");
  }
  return type->check(*type, *type_object, reader.PointerTo(type->name));
}

core::Status CheckContextAndOpaqueData(const ObjectReader& reader) {
  if (const Json* context = reader.Find("context")) {
    MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader context_reader,
                               ObjectReader::Open(*context, "/context", {"message_id"}));
    MULTIHOOK_RETURN_IF_ERROR(NonEmptyString(context_reader, "message_id"));
  }
  return reader.OptionalString("biz_opaque_callback_data").status();
}

core::Result<SendResult> BuildSend(std::string_view request_body, core::IdSource& ids) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json json, ParseBody(request_body));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(json, "", kRequestFields));
  MULTIHOOK_RETURN_IF_ERROR(CheckProductAndRecipientType(reader));
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string to, reader.RequiredString("to"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string wa_id, WaIdOf(to));
  MULTIHOOK_RETURN_IF_ERROR(CheckTypeAndObject(reader));
  MULTIHOOK_RETURN_IF_ERROR(CheckContextAndOpaqueData(reader));

  std::string message_id = GenerateWamid(ids);
  const OrderedJson response = {
      {"messaging_product", "whatsapp"},
      {"contacts", OrderedJson::array({{{"input", to}, {"wa_id", wa_id}}})},
      {"messages", OrderedJson::array({{{"id", message_id}}})}};
  return SendResult{Dump(response), std::move(message_id), std::move(wa_id)};
}

}  // namespace

// Catches the library's exceptions so that none escapes.
core::Result<SendResult> BuildMessageSendResponse(std::string_view request_body,
                                                  core::IdSource& ids) {
  try {
    return BuildSend(request_body, ids);
  } catch (const nlohmann::json::exception& error) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("building the send response failed: ") + error.what());
  }
}

}  // namespace multihook::codec
