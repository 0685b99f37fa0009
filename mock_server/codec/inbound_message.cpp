#include "mock_server/codec/inbound_message.hpp"

#include <array>
#include <cstdint>
#include <utility>

#include "mock_server/codec/cloud_api_errors.hpp"
#include "mock_server/codec/fake_values.hpp"
#include "mock_server/codec/inbound_request.hpp"

namespace multihook::codec {
namespace {

enum class MediaKind { kNone, kImage, kAudio, kVideo, kDocument, kSticker };

// The member named by the message's type.
struct TypeInput {
  const Json* value;  // nullptr when absent
  const std::string& pointer;
  std::string_view body;  // the whole request, for parts passed through with their key order
  core::IdSource& ids;
};

struct InboundType;
using ReadTypeObject = core::Result<OrderedJson> (*)(const InboundType&, const TypeInput&);

struct InboundType {
  std::string_view name;
  ReadTypeObject read;
  MediaKind media = MediaKind::kNone;
  const char* default_mime_type = nullptr;
  std::int64_t error_code = 0;  // when not 0, a message of this type carries errors [code]
};

core::Result<const Json*> Required(const TypeInput& in) {
  if (in.value == nullptr) return core::InvalidArgument(in.pointer, "is required");
  return in.value;
}

// `in.value` may be absent for the types that accept no object: it then reads as {}.
const Json& ObjectOrEmpty(const TypeInput& in) {
  static const Json kEmpty = Json::object();
  return in.value != nullptr ? *in.value : kEmpty;
}

core::Result<OrderedJson> ReadStringPair(const Json& value, const std::string& pointer,
                                         std::string_view first, std::string_view second) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {first, second}));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string a, reader.RequiredString(first));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string b, reader.RequiredString(second));
  return OrderedJson{{first, std::move(a)}, {second, std::move(b)}};
}

core::Result<OrderedJson> ReadText(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(*value, in.pointer, {"body"}));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string body, reader.RequiredString("body"));
  return OrderedJson{{"body", std::move(body)}};
}

core::Status CheckMediaVariant(const ObjectReader& reader, MediaKind media) {
  if (media != MediaKind::kDocument) {
    MULTIHOOK_RETURN_IF_ERROR(RejectFields(reader, {"filename"}, "only a document has a filename"));
  }
  if (media != MediaKind::kAudio) {
    MULTIHOOK_RETURN_IF_ERROR(RejectFields(reader, {"voice"}, "only audio has 'voice'"));
  }
  if (media != MediaKind::kSticker) {
    MULTIHOOK_RETURN_IF_ERROR(RejectFields(reader, {"animated"}, "only a sticker has 'animated'"));
  }
  return core::Status::Ok();
}

// The object itself may be absent: everything it leaves out is generated.
core::Result<OrderedJson> ReadMedia(const InboundType& type, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(ObjectOrEmpty(in), in.pointer,
                                                {"id", "mime_type", "sha256", "caption", "filename",
                                                 "url", "voice", "animated"}));
  MULTIHOOK_RETURN_IF_ERROR(CheckMediaVariant(reader, type.media));
  MULTIHOOK_ASSIGN_OR_RETURN(auto caption, reader.OptionalString("caption"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto filename, reader.OptionalString("filename"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto mime_type, reader.OptionalString("mime_type"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto sha256, reader.OptionalString("sha256"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto id, reader.OptionalString("id"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto url, reader.OptionalString("url"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto voice, reader.OptionalBool("voice"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto animated, reader.OptionalBool("animated"));

  OrderedJson out = OrderedJson::object();
  if (caption) out["caption"] = std::move(*caption);
  if (filename) out["filename"] = std::move(*filename);
  out["mime_type"] = mime_type.value_or(type.default_mime_type);
  out["sha256"] = sha256 ? std::move(*sha256) : GenerateSha256(in.ids);
  const std::string media_id = id ? std::move(*id) : GenerateMediaId(in.ids);
  out["id"] = media_id;
  out["url"] = url ? std::move(*url) : MediaUrl(media_id);
  // The Cloud API always tells a voice note from an audio file, and an animated sticker.
  if (type.media == MediaKind::kAudio) out["voice"] = voice.value_or(false);
  if (type.media == MediaKind::kSticker) out["animated"] = animated.value_or(false);
  return out;
}

core::Result<OrderedJson> ReadLocationType(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  return ReadLocation(*value, in.pointer);
}

// Contact cards have a large, evolving schema; they are checked for shape and passed through
// with their key order.
core::Result<OrderedJson> ReadContacts(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  MULTIHOOK_RETURN_IF_ERROR(CheckNonEmptyArrayOfObjects(*value, in.pointer));
  return OrderedAt(in.body, in.pointer);
}

struct ReplyKind {
  std::string_view name;
  bool with_description;
};

constexpr std::array<ReplyKind, 2> kReplyKinds = {{{"button_reply", false}, {"list_reply", true}}};
constexpr auto kInteractiveFields =
    FieldsAndNames(std::array<std::string_view, 1>{"type"}, kReplyKinds);

core::Result<OrderedJson> ReadReply(const Json& value, const std::string& pointer,
                                    const ReplyKind& kind) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, {"id", "title", "description"}));
  if (!kind.with_description) {
    MULTIHOOK_RETURN_IF_ERROR(
        RejectFields(reader, {"description"}, "only a list_reply has a description"));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(std::string id, reader.RequiredString("id"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string title, reader.RequiredString("title"));
  MULTIHOOK_ASSIGN_OR_RETURN(auto description, reader.OptionalString("description"));
  OrderedJson out = {{"id", std::move(id)}, {"title", std::move(title)}};
  if (description) out["description"] = std::move(*description);
  return out;
}

core::Result<OrderedJson> ReadInteractive(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(*value, in.pointer, kInteractiveFields));
  MULTIHOOK_ASSIGN_OR_RETURN(const ReplyKind* kind, ChooseRow(reader, "type", kReplyKinds));
  MULTIHOOK_RETURN_IF_ERROR(RejectOtherRows(reader, *kind, kReplyKinds));
  const Json* reply = reader.Find(kind->name);
  if (reply == nullptr) return core::InvalidArgument(reader.PointerTo(kind->name), "is required");
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson read,
                             ReadReply(*reply, reader.PointerTo(kind->name), *kind));
  return OrderedJson{{"type", kind->name}, {kind->name, std::move(read)}};
}

core::Result<OrderedJson> ReadButton(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  return ReadStringPair(*value, in.pointer, "payload", "text");
}

core::Result<OrderedJson> ReadReaction(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const Json* value, Required(in));
  return ReadStringPair(*value, in.pointer, "message_id", "emoji");
}

// {type?}: what the user sent that the Cloud API cannot show (e.g. "edit", "poll").
core::Result<OrderedJson> ReadUnsupported(const InboundType&, const TypeInput& in) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(ObjectOrEmpty(in), in.pointer, {"type"}));
  MULTIHOOK_ASSIGN_OR_RETURN(auto unsupported_type, reader.OptionalString("type"));
  return OrderedJson{{"type", unsupported_type.value_or("unknown")}};
}

// The message types, in the order InboundMessageTypeNames lists them.
constexpr std::array<InboundType, 12> kInboundTypes = {{
    {"text", ReadText},
    {"image", ReadMedia, MediaKind::kImage, "image/jpeg"},
    {"audio", ReadMedia, MediaKind::kAudio, "audio/ogg; codecs=opus"},
    {"video", ReadMedia, MediaKind::kVideo, "video/mp4"},
    {"document", ReadMedia, MediaKind::kDocument, "application/pdf"},
    {"sticker", ReadMedia, MediaKind::kSticker, "image/webp"},
    {"location", ReadLocationType},
    {"contacts", ReadContacts},
    {"interactive", ReadInteractive},
    {"button", ReadButton},
    {"reaction", ReadReaction},
    {"unsupported", ReadUnsupported, MediaKind::kNone, nullptr, kMessageTypeUnknown},
}};

constexpr auto kMessageFields = FieldsAndNames(
    std::array<std::string_view, 6>{"type", "from", "id", "timestamp", "profile_name", "context"},
    kInboundTypes);

// The fields every message type shares.
struct MessageHeader {
  std::optional<std::string> from;
  std::optional<std::string> id;
  std::optional<std::string> timestamp;
  std::optional<std::string> profile_name;
  std::optional<OrderedJson> context;
};

core::Result<std::optional<OrderedJson>> ReadContext(const ObjectReader& message) {
  const Json* given = message.Find("context");
  if (given == nullptr) return std::optional<OrderedJson>();
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(*given, message.PointerTo("context"), {"from", "id"}));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string from, RequiredWaId(reader, "from"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::string id, NonEmptyString(reader, "id"));
  return std::optional<OrderedJson>(OrderedJson{{"from", std::move(from)}, {"id", std::move(id)}});
}

core::Result<MessageHeader> ReadHeader(const ObjectReader& reader) {
  MessageHeader header;
  MULTIHOOK_ASSIGN_OR_RETURN(header.from, OptionalWaId(reader, "from"));
  MULTIHOOK_ASSIGN_OR_RETURN(header.id, reader.OptionalString("id"));
  if (header.id && header.id->empty()) {
    return core::InvalidArgument(reader.PointerTo("id"), "must not be empty");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(header.timestamp, OptionalTimestamp(reader, "timestamp"));
  MULTIHOOK_ASSIGN_OR_RETURN(header.profile_name, reader.OptionalString("profile_name"));
  MULTIHOOK_ASSIGN_OR_RETURN(header.context, ReadContext(reader));
  return header;
}

BuiltValue MessageValue(const InboundType& type, MessageHeader header, OrderedJson type_object,
                        core::WallTime now, core::IdSource& ids) {
  // Generated in a fixed order so that a seeded IdSource gives the same values every run.
  const std::string sender = header.from ? std::move(*header.from) : GeneratePhoneNumber(ids);
  const std::string message_id = header.id ? std::move(*header.id) : GenerateWamid(ids);
  const std::string name =
      header.profile_name ? std::move(*header.profile_name) : GenerateProfileName(ids);

  OrderedJson message = OrderedJson::object();
  if (header.context) message["context"] = std::move(*header.context);
  message["from"] = sender;
  message["id"] = message_id;
  message["timestamp"] = header.timestamp.value_or(UnixSeconds(now));
  message["type"] = type.name;
  message[std::string(type.name)] = std::move(type_object);
  if (type.error_code != 0) message["errors"] = OrderedJson::array({DefaultError(type.error_code)});
  OrderedJson contact = {{"profile", {{"name", name}}}, {"wa_id", sender}};
  OrderedJson contacts = OrderedJson::array();
  contacts.push_back(std::move(contact));
  return BuiltValue{OrderedJson{{"contacts", std::move(contacts)},
                                {"messages", OrderedJson::array({std::move(message)})}},
                    message_id};
}

}  // namespace

core::Result<BuiltValue> BuildMessageValue(const Json& value, const std::string& pointer,
                                           std::string_view body, core::WallTime now,
                                           core::IdSource& ids) {
  MULTIHOOK_ASSIGN_OR_RETURN(const ObjectReader reader,
                             ObjectReader::Open(value, pointer, kMessageFields));
  MULTIHOOK_ASSIGN_OR_RETURN(const InboundType* type, ChooseRow(reader, "type", kInboundTypes));
  MULTIHOOK_RETURN_IF_ERROR(RejectOtherRows(reader, *type, kInboundTypes));
  MULTIHOOK_ASSIGN_OR_RETURN(MessageHeader header, ReadHeader(reader));
  const std::string type_pointer = reader.PointerTo(type->name);
  const TypeInput input{reader.Find(type->name), type_pointer, body, ids};
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson type_object, type->read(*type, input));
  return MessageValue(*type, std::move(header), std::move(type_object), now, ids);
}

std::vector<std::string_view> InboundMessageTypeNames() {
  std::vector<std::string_view> names;
  names.reserve(kInboundTypes.size());
  for (const InboundType& type : kInboundTypes) names.push_back(type.name);
  return names;
}

}  // namespace multihook::codec
