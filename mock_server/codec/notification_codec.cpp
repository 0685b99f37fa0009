#include "mock_server/codec/notification_codec.hpp"

#include <array>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <utility>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/signature.hpp"

namespace multihook::codec {
namespace {

// Output keeps the Cloud API's field order.
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kMaxWaIdDigits = 15;  // E.164
constexpr std::size_t kMaxTimestampDigits = 19;
constexpr std::size_t kGeneratedPhoneDigits = 12;
constexpr std::size_t kGeneratedMediaIdDigits = 16;
constexpr std::size_t kWamidChars = 48;
constexpr std::size_t kEventIdHexDigits = 16;
constexpr std::int64_t kMessageUndeliverable = 131026;
constexpr std::int64_t kMessageTypeUnknown = 131051;

// ---------------------------------------------------------------------------------------------
// Generated values

std::string Timestamp(core::WallTime at) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

std::string Alphanumerics(core::IdSource& ids, std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) out += kAlphabet[ids.Next() % (sizeof(kAlphabet) - 1)];
  return out;
}

// Standard base64 with padding, as the Cloud API writes media hashes.
std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 0x3f] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 0x3f] : '=';
  }
  return out;
}

// Wamids are opaque base64 in the Cloud API; alphanumerics keep generated ones URL-safe.
std::string GenerateWamid(core::IdSource& ids) {
  return "wamid." + Alphanumerics(ids, kWamidChars);
}

std::string GenerateSha256(core::IdSource& ids) {
  std::string bytes;
  while (bytes.size() < 32) {
    const std::uint64_t word = ids.Next();
    for (int shift = 0; shift < 64; shift += 8) {
      bytes += static_cast<char>((word >> shift) & 0xff);
    }
  }
  return Base64(bytes);
}

std::string GenerateProfileName(core::IdSource& ids) {
  static constexpr std::array<const char*, 12> kNames = {
      "Maria Silva",  "John Smith", "Aisha Khan",  "Wei Zhang",   "Carlos Gomez", "Priya Patel",
      "Ahmed Hassan", "Emma Weber", "Kofi Mensah", "Yuki Tanaka", "Olga Ivanova", "Lucas Martin"};
  return kNames[ids.Next() % kNames.size()];
}

// Derived, not drawn: every status of one conversation (channel + recipient) shows the same id,
// as in the Cloud API, without needing an IdSource.
std::string ConversationId(const core::ChannelIdentity& channel, std::string_view recipient_id) {
  return SignatureHex(channel.phone_number_id, recipient_id).substr(0, 32);
}

std::string Dump(const OrderedJson& json) {
  // Inputs were validated as UTF-8 by the parser; ToText is total for the rest.
  return ToText(json);
}

// The Cloud API's notification bodies are ASCII: every non-ASCII character is a \uXXXX escape
// (lowercase hex, surrogate pairs above U+FFFF), and the signature covers those bytes. Consumer
// libraries re-escape a raw body that way before checking the signature, so a UTF-8 body would
// fail their check.
std::string DumpAscii(const OrderedJson& json) {
  return json.dump(-1, ' ', true, OrderedJson::error_handler_t::replace);
}

// Where the Cloud API serves a media object's bytes (fetched with the access token).
std::string MediaUrl(const std::string& media_id) {
  return "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=" + media_id;
}

// ---------------------------------------------------------------------------------------------
// Reading helpers on top of json_reader.hpp

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

core::Result<std::string> NonEmptyString(const ObjectReader& reader, std::string_view key) {
  auto value = reader.RequiredString(key);
  if (!value.ok()) return value.status();
  if (value->empty()) return core::InvalidArgument(reader.PointerTo(key), "must not be empty");
  return value;
}

core::Status WaIdError(const std::string& pointer) {
  return core::InvalidArgument(pointer,
                               "expected 1 to 15 digits (a phone number in E.164 without '+')");
}

core::Result<std::optional<std::string>> OptionalWaId(const ObjectReader& reader,
                                                      std::string_view key) {
  auto value = reader.OptionalString(key);
  if (!value.ok()) return value.status();
  if (value->has_value() && (!IsDigits(**value) || (*value)->size() > kMaxWaIdDigits)) {
    return WaIdError(reader.PointerTo(key));
  }
  return value;
}

core::Result<std::string> RequiredWaId(const ObjectReader& reader, std::string_view key) {
  auto value = OptionalWaId(reader, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return core::InvalidArgument(reader.PointerTo(key), "is required");
  return std::move(**value);
}

core::Result<std::optional<std::string>> OptionalTimestamp(const ObjectReader& reader,
                                                           std::string_view key) {
  auto value = reader.OptionalString(key);
  if (!value.ok()) return value.status();
  if (value->has_value() && (!IsDigits(**value) || (*value)->size() > kMaxTimestampDigits)) {
    return core::InvalidArgument(reader.PointerTo(key),
                                 "expected a string of Unix seconds (digits only)");
  }
  return value;
}

// A JSON number copied with its kind (integer stays integer).
OrderedJson CopyNumber(const Json& number) {
  if (number.is_number_unsigned()) return OrderedJson(number.get<std::uint64_t>());
  if (number.is_number_integer()) return OrderedJson(number.get<std::int64_t>());
  return OrderedJson(number.get<double>());
}

core::Result<OrderedJson> RequiredCoordinate(const ObjectReader& reader, std::string_view key,
                                             double limit) {
  const Json* value = reader.Find(key);
  if (value == nullptr) return core::InvalidArgument(reader.PointerTo(key), "is required");
  if (!value->is_number()) return TypeError(reader.PointerTo(key), "a number", *value);
  const double degrees = value->get<double>();
  if (degrees < -limit || degrees > limit) {
    return core::InvalidArgument(reader.PointerTo(key),
                                 "must be between -" + std::to_string(static_cast<int>(limit)) +
                                     " and " + std::to_string(static_cast<int>(limit)));
  }
  return CopyNumber(*value);
}

// Rejects any of `fields` present in the object. ObjectReader::Open checks against the union of
// all variants' fields (media kinds, reply kinds); this narrows it to the variant at hand.
core::Status RejectFields(const ObjectReader& reader,
                          std::initializer_list<std::string_view> fields, std::string_view why) {
  for (const std::string_view field : fields) {
    if (reader.Has(field)) return core::InvalidArgument(reader.PointerTo(field), std::string(why));
  }
  return core::Status::Ok();
}

core::Status CheckNonEmptyArrayOfObjects(const Json& value, const std::string& pointer) {
  if (!value.is_array()) return TypeError(pointer, "an array", value);
  if (value.empty()) return core::InvalidArgument(pointer, "must not be empty");
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_object()) {
      return TypeError(pointer + "/" + std::to_string(i), "an object", value[i]);
    }
  }
  return core::Status::Ok();
}

// The value at `pointer` of `body` parsed with key order kept, for parts passed through as given.
// ParseBody has already accepted `body`, so failures here are internal.
core::Result<OrderedJson> OrderedAt(std::string_view body, const std::string& pointer) {
  try {
    OrderedJson whole = OrderedJson::parse(body.begin(), body.end());
    return std::move(whole.at(OrderedJson::json_pointer(pointer)));
  } catch (const OrderedJson::exception& error) {
    return core::Status(core::StatusCode::kInternal, pointer,
                        std::string("re-reading an accepted body failed: ") + error.what());
  }
}

// ---------------------------------------------------------------------------------------------
// Errors: {code, title, message, error_data: {details}}

struct ErrorText {
  std::int64_t code;
  const char* title;
  const char* details;
};

// Titles and details as the Cloud API's error-code reference words them.
constexpr std::array<ErrorText, 8> kKnownErrors = {{
    {130429, "Rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "in a short period of time."},
    {131000, "Something went wrong", "Message failed to send due to an unknown error."},
    {131026, "Message undeliverable", "Message Undeliverable."},
    {131047, "Re-engagement message",
     "Message failed to send because more than 24 hours have passed since the customer last "
     "replied to this number."},
    {131048, "Spam rate limit hit",
     "Message failed to send because there are restrictions on how many messages can be sent "
     "from this phone number."},
    {131051, "Message type unknown", "Message type is currently not supported."},
    {131053, "Media upload error", "Unable to upload the media used in the message."},
    {131056, "(Business Account, Consumer Account) pair rate limit hit",
     "Message failed to send because there were too many messages sent from this phone number "
     "to the same phone number in a short period of time."},
}};

OrderedJson ErrorJson(std::int64_t code, std::optional<std::string> title,
                      std::optional<std::string> message, std::optional<std::string> details) {
  std::string default_title = "Unknown error";
  std::string default_details = "Error code " + std::to_string(code) + ".";
  for (const ErrorText& known : kKnownErrors) {
    if (known.code == code) {
      default_title = known.title;
      default_details = known.details;
    }
  }
  const std::string final_title = title.value_or(default_title);
  return OrderedJson{{"code", code},
                     {"title", final_title},
                     {"message", message.value_or(final_title)},
                     {"error_data", {{"details", details.value_or(default_details)}}}};
}

OrderedJson DefaultError(std::int64_t code) {
  return ErrorJson(code, std::nullopt, std::nullopt, std::nullopt);
}

core::Result<OrderedJson> ReadError(const Json& value, const std::string& pointer) {
  auto reader = ObjectReader::Open(value, pointer, {"code", "title", "message", "error_data"});
  if (!reader.ok()) return reader.status();
  const Json* code = reader->Find("code");
  if (code == nullptr) return core::InvalidArgument(reader->PointerTo("code"), "is required");
  if (!code->is_number_integer()) return TypeError(reader->PointerTo("code"), "an integer", *code);
  if (code->is_number_unsigned() ? code->get<std::uint64_t>() > INT64_MAX
                                 : code->get<std::int64_t>() < 0) {
    return core::InvalidArgument(reader->PointerTo("code"),
                                 "must be a non-negative 64-bit integer");
  }
  auto title = reader->OptionalString("title");
  if (!title.ok()) return title.status();
  auto message = reader->OptionalString("message");
  if (!message.ok()) return message.status();
  std::optional<std::string> details;
  if (const Json* data = reader->Find("error_data")) {
    auto data_reader = ObjectReader::Open(*data, reader->PointerTo("error_data"), {"details"});
    if (!data_reader.ok()) return data_reader.status();
    auto given = data_reader->OptionalString("details");
    if (!given.ok()) return given.status();
    details = std::move(*given);
  }
  return ErrorJson(code->get<std::int64_t>(), std::move(*title), std::move(*message),
                   std::move(details));
}

core::Result<OrderedJson> ReadErrorList(const Json& value, const std::string& pointer) {
  if (!value.is_array()) return TypeError(pointer, "an array", value);
  if (value.empty()) return core::InvalidArgument(pointer, "must not be empty");
  OrderedJson out = OrderedJson::array();
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto error = ReadError(value[i], pointer + "/" + std::to_string(i));
    if (!error.ok()) return error.status();
    out.push_back(std::move(*error));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The envelope

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

// ---------------------------------------------------------------------------------------------
// Statuses

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

struct StatusFields {
  std::string id;
  MessageStatus status = MessageStatus::kSent;
  std::string timestamp;
  std::string recipient_id;
  std::optional<OrderedJson> conversation;  // defaulted for `sent` when absent
  std::optional<OrderedJson> pricing;       // defaulted for `sent` when absent
  std::optional<OrderedJson> errors;        // defaulted for `failed` when absent
};

OrderedJson StatusJson(const core::ChannelIdentity& channel, StatusFields fields) {
  OrderedJson status = {{"id", std::move(fields.id)},
                        {"status", MessageStatusName(fields.status)},
                        {"timestamp", std::move(fields.timestamp)},
                        {"recipient_id", fields.recipient_id}};
  if (fields.status == MessageStatus::kSent) {
    if (!fields.conversation)
      fields.conversation = DefaultConversation(channel, fields.recipient_id);
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

core::Result<OrderedJson> ReadConversation(const Json& value, const std::string& pointer) {
  auto reader = ObjectReader::Open(value, pointer, {"id", "origin", "expiration_timestamp"});
  if (!reader.ok()) return reader.status();
  auto id = NonEmptyString(*reader, "id");
  if (!id.ok()) return id.status();
  auto expiration = OptionalTimestamp(*reader, "expiration_timestamp");
  if (!expiration.ok()) return expiration.status();
  const Json* origin = reader->Find("origin");
  if (origin == nullptr) return core::InvalidArgument(reader->PointerTo("origin"), "is required");
  auto origin_reader = ObjectReader::Open(*origin, reader->PointerTo("origin"), {"type"});
  if (!origin_reader.ok()) return origin_reader.status();
  auto origin_type = NonEmptyString(*origin_reader, "type");
  if (!origin_type.ok()) return origin_type.status();
  OrderedJson out = {{"id", std::move(*id)}};
  if (expiration->has_value()) out["expiration_timestamp"] = std::move(**expiration);
  out["origin"] = {{"type", std::move(*origin_type)}};
  return out;
}

core::Result<OrderedJson> ReadPricing(const Json& value, const std::string& pointer) {
  auto reader =
      ObjectReader::Open(value, pointer, {"billable", "pricing_model", "type", "category"});
  if (!reader.ok()) return reader.status();
  auto billable = reader->RequiredBool("billable");
  if (!billable.ok()) return billable.status();
  auto model = NonEmptyString(*reader, "pricing_model");
  if (!model.ok()) return model.status();
  auto type = reader->OptionalString("type");
  if (!type.ok()) return type.status();
  auto category = NonEmptyString(*reader, "category");
  if (!category.ok()) return category.status();
  OrderedJson out = {{"billable", *billable}, {"pricing_model", std::move(*model)}};
  if (type->has_value()) out["type"] = std::move(**type);
  out["category"] = std::move(*category);
  return out;
}

struct BuiltValue {
  OrderedJson value_fields;  // what goes into value after messaging_product and metadata
  std::optional<std::string> message_id;
};

core::Result<BuiltValue> BuildStatusValue(const Json& value, const std::string& pointer,
                                          const core::ChannelIdentity& channel, core::WallTime now,
                                          core::IdSource& ids) {
  auto reader = ObjectReader::Open(
      value, pointer,
      {"id", "status", "timestamp", "recipient_id", "conversation", "pricing", "errors"});
  if (!reader.ok()) return reader.status();
  StatusFields fields;
  auto id = NonEmptyString(*reader, "id");
  if (!id.ok()) return id.status();
  fields.id = std::move(*id);
  auto status_name = reader->RequiredString("status");
  if (!status_name.ok()) return status_name.status();
  const auto status = ParseMessageStatus(*status_name);
  if (!status) {
    return core::InvalidArgument(reader->PointerTo("status"),
                                 "expected one of sent, delivered, read, failed");
  }
  fields.status = *status;
  auto timestamp = OptionalTimestamp(*reader, "timestamp");
  if (!timestamp.ok()) return timestamp.status();
  fields.timestamp = timestamp->value_or(Timestamp(now));
  auto recipient = OptionalWaId(*reader, "recipient_id");
  if (!recipient.ok()) return recipient.status();
  fields.recipient_id =
      recipient->has_value() ? std::move(**recipient) : ids.Digits(kGeneratedPhoneDigits);
  if (const Json* conversation = reader->Find("conversation")) {
    auto read = ReadConversation(*conversation, reader->PointerTo("conversation"));
    if (!read.ok()) return read.status();
    fields.conversation = std::move(*read);
  }
  if (const Json* pricing = reader->Find("pricing")) {
    auto read = ReadPricing(*pricing, reader->PointerTo("pricing"));
    if (!read.ok()) return read.status();
    fields.pricing = std::move(*read);
  }
  if (const Json* errors = reader->Find("errors")) {
    if (fields.status != MessageStatus::kFailed) {
      return core::InvalidArgument(reader->PointerTo("errors"),
                                   "only a failed status carries errors");
    }
    auto read = ReadErrorList(*errors, reader->PointerTo("errors"));
    if (!read.ok()) return read.status();
    fields.errors = std::move(*read);
  }
  std::string message_id = fields.id;
  OrderedJson statuses = OrderedJson::array({StatusJson(channel, std::move(fields))});
  return BuiltValue{OrderedJson{{"statuses", std::move(statuses)}}, std::move(message_id)};
}

// ---------------------------------------------------------------------------------------------
// Inbound messages

enum class MediaKind { kNone, kImage, kAudio, kVideo, kDocument, kSticker };

struct MessageType {
  std::string_view name;
  MediaKind media;
  const char* default_mime_type;
};

constexpr std::array<MessageType, 12> kInboundTypes = {{
    {"text", MediaKind::kNone, nullptr},
    {"image", MediaKind::kImage, "image/jpeg"},
    {"audio", MediaKind::kAudio, "audio/ogg; codecs=opus"},
    {"video", MediaKind::kVideo, "video/mp4"},
    {"document", MediaKind::kDocument, "application/pdf"},
    {"sticker", MediaKind::kSticker, "image/webp"},
    {"location", MediaKind::kNone, nullptr},
    {"contacts", MediaKind::kNone, nullptr},
    {"interactive", MediaKind::kNone, nullptr},
    {"button", MediaKind::kNone, nullptr},
    {"reaction", MediaKind::kNone, nullptr},
    {"unsupported", MediaKind::kNone, nullptr},
}};

const MessageType* FindInboundType(std::string_view name) {
  for (const MessageType& type : kInboundTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

core::Result<OrderedJson> ReadText(const Json& value, const std::string& pointer) {
  auto reader = ObjectReader::Open(value, pointer, {"body"});
  if (!reader.ok()) return reader.status();
  auto body = reader->RequiredString("body");
  if (!body.ok()) return body.status();
  return OrderedJson{{"body", std::move(*body)}};
}

// `value` may be null: the whole media object is then generated.
core::Result<OrderedJson> ReadInboundMedia(const Json* value, const std::string& pointer,
                                           const MessageType& type, core::IdSource& ids) {
  static const Json kEmpty = Json::object();
  auto reader = ObjectReader::Open(
      value ? *value : kEmpty, pointer,
      {"id", "mime_type", "sha256", "caption", "filename", "url", "voice", "animated"});
  if (!reader.ok()) return reader.status();
  if (type.media != MediaKind::kDocument) {
    auto rejected = RejectFields(*reader, {"filename"}, "only a document has a filename");
    if (!rejected.ok()) return rejected;
  }
  if (type.media != MediaKind::kAudio) {
    auto rejected = RejectFields(*reader, {"voice"}, "only audio has 'voice'");
    if (!rejected.ok()) return rejected;
  }
  if (type.media != MediaKind::kSticker) {
    auto rejected = RejectFields(*reader, {"animated"}, "only a sticker has 'animated'");
    if (!rejected.ok()) return rejected;
  }
  auto caption = reader->OptionalString("caption");
  if (!caption.ok()) return caption.status();
  auto filename = reader->OptionalString("filename");
  if (!filename.ok()) return filename.status();
  auto mime_type = reader->OptionalString("mime_type");
  if (!mime_type.ok()) return mime_type.status();
  auto sha256 = reader->OptionalString("sha256");
  if (!sha256.ok()) return sha256.status();
  auto id = reader->OptionalString("id");
  if (!id.ok()) return id.status();
  auto url = reader->OptionalString("url");
  if (!url.ok()) return url.status();
  auto voice = reader->OptionalBool("voice");
  if (!voice.ok()) return voice.status();
  auto animated = reader->OptionalBool("animated");
  if (!animated.ok()) return animated.status();

  OrderedJson out = OrderedJson::object();
  if (caption->has_value()) out["caption"] = std::move(**caption);
  if (filename->has_value()) out["filename"] = std::move(**filename);
  out["mime_type"] = mime_type->value_or(type.default_mime_type);
  out["sha256"] = sha256->has_value() ? std::move(**sha256) : GenerateSha256(ids);
  const std::string media_id =
      id->has_value() ? std::move(**id) : ids.Digits(kGeneratedMediaIdDigits);
  out["id"] = media_id;
  out["url"] = url->has_value() ? std::move(**url) : MediaUrl(media_id);
  // The Cloud API always tells a voice note from an audio file, and an animated sticker.
  if (type.media == MediaKind::kAudio) out["voice"] = voice->value_or(false);
  if (type.media == MediaKind::kSticker) out["animated"] = animated->value_or(false);
  return out;
}

core::Result<OrderedJson> ReadLocation(const Json& value, const std::string& pointer) {
  auto reader = ObjectReader::Open(value, pointer, {"latitude", "longitude", "name", "address"});
  if (!reader.ok()) return reader.status();
  auto latitude = RequiredCoordinate(*reader, "latitude", 90);
  if (!latitude.ok()) return latitude.status();
  auto longitude = RequiredCoordinate(*reader, "longitude", 180);
  if (!longitude.ok()) return longitude.status();
  auto name = reader->OptionalString("name");
  if (!name.ok()) return name.status();
  auto address = reader->OptionalString("address");
  if (!address.ok()) return address.status();
  OrderedJson out = {{"latitude", std::move(*latitude)}, {"longitude", std::move(*longitude)}};
  if (name->has_value()) out["name"] = std::move(**name);
  if (address->has_value()) out["address"] = std::move(**address);
  return out;
}

core::Result<OrderedJson> ReadReply(const Json& value, const std::string& pointer,
                                    bool with_description) {
  auto reader = ObjectReader::Open(value, pointer, {"id", "title", "description"});
  if (!reader.ok()) return reader.status();
  if (!with_description) {
    auto rejected = RejectFields(*reader, {"description"}, "only a list_reply has a description");
    if (!rejected.ok()) return rejected;
  }
  auto id = reader->RequiredString("id");
  if (!id.ok()) return id.status();
  auto title = reader->RequiredString("title");
  if (!title.ok()) return title.status();
  auto description = reader->OptionalString("description");
  if (!description.ok()) return description.status();
  OrderedJson out = {{"id", std::move(*id)}, {"title", std::move(*title)}};
  if (description->has_value()) out["description"] = std::move(**description);
  return out;
}

core::Result<OrderedJson> ReadInteractive(const Json& value, const std::string& pointer) {
  auto reader = ObjectReader::Open(value, pointer, {"type", "button_reply", "list_reply"});
  if (!reader.ok()) return reader.status();
  auto type = reader->RequiredString("type");
  if (!type.ok()) return type.status();
  if (*type != "button_reply" && *type != "list_reply") {
    return core::InvalidArgument(reader->PointerTo("type"),
                                 "expected one of button_reply, list_reply");
  }
  const std::string other = *type == "button_reply" ? "list_reply" : "button_reply";
  if (reader->Has(other)) {
    return core::InvalidArgument(reader->PointerTo(other), "does not match type '" + *type + "'");
  }
  const Json* reply = reader->Find(*type);
  if (reply == nullptr) return core::InvalidArgument(reader->PointerTo(*type), "is required");
  auto read = ReadReply(*reply, reader->PointerTo(*type), *type == "list_reply");
  if (!read.ok()) return read.status();
  return OrderedJson{{"type", *type}, {*type, std::move(*read)}};
}

core::Result<OrderedJson> ReadStringPair(const Json& value, const std::string& pointer,
                                         std::string_view first, std::string_view second) {
  auto reader = ObjectReader::Open(value, pointer, {first, second});
  if (!reader.ok()) return reader.status();
  auto a = reader->RequiredString(first);
  if (!a.ok()) return a.status();
  auto b = reader->RequiredString(second);
  if (!b.ok()) return b.status();
  return OrderedJson{{first, std::move(*a)}, {second, std::move(*b)}};
}

// The object of the message's type (none for `unsupported`).
core::Result<std::optional<OrderedJson>> ReadInboundTypeObject(const ObjectReader& message,
                                                               const MessageType& type,
                                                               std::string_view body,
                                                               core::IdSource& ids) {
  const std::string key(type.name);
  const std::string pointer = message.PointerTo(key);
  const Json* value = message.Find(key);
  if (type.media != MediaKind::kNone) {
    auto media = ReadInboundMedia(value, pointer, type, ids);
    if (!media.ok()) return media.status();
    return std::optional<OrderedJson>(std::move(*media));
  }
  if (type.name == "unsupported") {
    // {type?}: what the user sent that the Cloud API cannot show (e.g. "edit", "poll").
    static const Json kEmpty = Json::object();
    auto reader = ObjectReader::Open(value ? *value : kEmpty, pointer, {"type"});
    if (!reader.ok()) return reader.status();
    auto unsupported_type = reader->OptionalString("type");
    if (!unsupported_type.ok()) return unsupported_type.status();
    return std::optional<OrderedJson>(OrderedJson{{"type", unsupported_type->value_or("unknown")}});
  }
  if (value == nullptr) return core::InvalidArgument(pointer, "is required");
  core::Result<OrderedJson> read = OrderedJson();
  if (type.name == "text") {
    read = ReadText(*value, pointer);
  } else if (type.name == "location") {
    read = ReadLocation(*value, pointer);
  } else if (type.name == "contacts") {
    // Contact cards have a large, evolving schema; they are checked for shape and passed through
    // with their key order.
    auto shape = CheckNonEmptyArrayOfObjects(*value, pointer);
    if (!shape.ok()) return shape;
    read = OrderedAt(body, pointer);
  } else if (type.name == "interactive") {
    read = ReadInteractive(*value, pointer);
  } else if (type.name == "button") {
    read = ReadStringPair(*value, pointer, "payload", "text");
  } else if (type.name == "reaction") {
    read = ReadStringPair(*value, pointer, "message_id", "emoji");
  }
  if (!read.ok()) return read.status();
  return std::optional<OrderedJson>(std::move(*read));
}

core::Result<BuiltValue> BuildMessageValue(const Json& value, const std::string& pointer,
                                           std::string_view body, core::WallTime now,
                                           core::IdSource& ids) {
  auto reader =
      ObjectReader::Open(value, pointer,
                         {"type", "from", "id", "timestamp", "profile_name", "context", "text",
                          "image", "audio", "video", "document", "sticker", "location", "contacts",
                          "interactive", "button", "reaction", "unsupported"});
  if (!reader.ok()) return reader.status();
  auto type_name = reader->RequiredString("type");
  if (!type_name.ok()) return type_name.status();
  const MessageType* type = FindInboundType(*type_name);
  if (type == nullptr) {
    return core::InvalidArgument(reader->PointerTo("type"),
                                 "expected one of text, image, audio, video, document, sticker, "
                                 "location, contacts, interactive, button, reaction, unsupported");
  }
  for (const MessageType& other : kInboundTypes) {
    if (other.name != type->name && reader->Has(other.name)) {
      return core::InvalidArgument(reader->PointerTo(other.name),
                                   "does not match type '" + *type_name + "'");
    }
  }
  auto from = OptionalWaId(*reader, "from");
  if (!from.ok()) return from.status();
  auto id = reader->OptionalString("id");
  if (!id.ok()) return id.status();
  if (id->has_value() && (*id)->empty()) {
    return core::InvalidArgument(reader->PointerTo("id"), "must not be empty");
  }
  auto timestamp = OptionalTimestamp(*reader, "timestamp");
  if (!timestamp.ok()) return timestamp.status();
  auto profile_name = reader->OptionalString("profile_name");
  if (!profile_name.ok()) return profile_name.status();
  std::optional<OrderedJson> context;
  if (const Json* given = reader->Find("context")) {
    auto context_reader = ObjectReader::Open(*given, reader->PointerTo("context"), {"from", "id"});
    if (!context_reader.ok()) return context_reader.status();
    auto context_from = RequiredWaId(*context_reader, "from");
    if (!context_from.ok()) return context_from.status();
    auto context_id = NonEmptyString(*context_reader, "id");
    if (!context_id.ok()) return context_id.status();
    context = OrderedJson{{"from", std::move(*context_from)}, {"id", std::move(*context_id)}};
  }
  auto type_object = ReadInboundTypeObject(*reader, *type, body, ids);
  if (!type_object.ok()) return type_object.status();

  // Generated in a fixed order so that a seeded IdSource gives the same values every run.
  const std::string sender =
      from->has_value() ? std::move(**from) : ids.Digits(kGeneratedPhoneDigits);
  const std::string message_id = id->has_value() ? std::move(**id) : GenerateWamid(ids);
  const std::string name =
      profile_name->has_value() ? std::move(**profile_name) : GenerateProfileName(ids);

  OrderedJson message = OrderedJson::object();
  if (context) message["context"] = std::move(*context);
  message["from"] = sender;
  message["id"] = message_id;
  message["timestamp"] = timestamp->value_or(Timestamp(now));
  message["type"] = *type_name;
  if (type_object->has_value()) message[*type_name] = std::move(**type_object);
  if (type->name == "unsupported") {
    message["errors"] = OrderedJson::array({DefaultError(kMessageTypeUnknown)});
  }
  OrderedJson contact = {{"profile", {{"name", name}}}, {"wa_id", sender}};
  OrderedJson contacts = OrderedJson::array();
  contacts.push_back(std::move(contact));
  return BuiltValue{OrderedJson{{"contacts", std::move(contacts)},
                                {"messages", OrderedJson::array({std::move(message)})}},
                    message_id};
}

core::Result<BuiltValue> BuildErrorValue(const Json& value, const std::string& pointer) {
  auto error = ReadError(value, pointer);
  if (!error.ok()) return error.status();
  return BuiltValue{OrderedJson{{"errors", OrderedJson::array({std::move(*error)})}}, std::nullopt};
}

core::Result<BuiltNotification> BuildInbound(std::string_view request_body,
                                             const core::ChannelIdentity& channel,
                                             core::WallTime now, core::IdSource& ids) {
  auto json = ParseBody(request_body);
  if (!json.ok()) return json.status();
  static constexpr std::array<std::string_view, 4> kKinds = {"message", "status", "error",
                                                             "payload"};
  auto reader = ObjectReader::Open(*json, "", {"message", "status", "error", "payload"});
  if (!reader.ok()) return reader.status();
  std::string_view kind;
  for (const std::string_view candidate : kKinds) {
    if (!reader->Has(candidate)) continue;
    if (!kind.empty()) {
      return core::InvalidArgument(reader->PointerTo(candidate),
                                   "only one of message, status, error, payload may be given");
    }
    kind = candidate;
  }
  if (kind.empty()) {
    return core::InvalidArgument("", "expected exactly one of message, status, error, payload");
  }
  const Json& value = *reader->Find(kind);
  const std::string pointer = reader->PointerTo(kind);

  if (kind == "payload") {
    if (!value.is_object()) return TypeError(pointer, "an object", value);
    auto ordered = OrderedAt(request_body, pointer);
    if (!ordered.ok()) return ordered.status();
    return BuiltNotification{"evt_" + ids.Hex(kEventIdHexDigits), std::nullopt, Dump(*ordered)};
  }
  core::Result<BuiltValue> built = core::InvalidArgument(pointer, "unreachable");
  if (kind == "message") {
    built = BuildMessageValue(value, pointer, request_body, now, ids);
  } else if (kind == "status") {
    built = BuildStatusValue(value, pointer, channel, now, ids);
  } else {
    built = BuildErrorValue(value, pointer);
  }
  if (!built.ok()) return built.status();
  return BuiltNotification{"evt_" + ids.Hex(kEventIdHexDigits), std::move(built->message_id),
                           DumpAscii(Envelope(channel, std::move(built->value_fields)))};
}

// ---------------------------------------------------------------------------------------------
// POST /messages

constexpr std::array<std::string_view, 11> kSendTypes = {
    "text",     "image",    "audio",       "video",    "document", "sticker",
    "location", "contacts", "interactive", "template", "reaction"};

core::Status CheckSendMedia(const Json& value, const std::string& pointer, std::string_view type) {
  auto reader = ObjectReader::Open(value, pointer, {"id", "link", "caption", "filename"});
  if (!reader.ok()) return reader.status();
  if (type == "audio" || type == "sticker") {
    auto rejected = RejectFields(*reader, {"caption"}, "audio and stickers have no caption");
    if (!rejected.ok()) return rejected;
  }
  if (type != "document") {
    auto rejected = RejectFields(*reader, {"filename"}, "only a document has a filename");
    if (!rejected.ok()) return rejected;
  }
  for (const std::string_view key : {"id", "link", "caption", "filename"}) {
    auto field = reader->OptionalString(key);
    if (!field.ok()) return field.status();
  }
  if (reader->Has("id") == reader->Has("link")) {
    return core::InvalidArgument(pointer, "expected exactly one of id, link");
  }
  return core::Status::Ok();
}

core::Status CheckSendTypeObject(const Json& value, const std::string& pointer,
                                 std::string_view type) {
  if (type == "text") {
    auto reader = ObjectReader::Open(value, pointer, {"body", "preview_url"});
    if (!reader.ok()) return reader.status();
    auto body = NonEmptyString(*reader, "body");
    if (!body.ok()) return body.status();
    auto preview = reader->OptionalBool("preview_url");
    return preview.ok() ? core::Status::Ok() : preview.status();
  }
  if (type == "image" || type == "audio" || type == "video" || type == "document" ||
      type == "sticker") {
    return CheckSendMedia(value, pointer, type);
  }
  if (type == "location") return ReadLocation(value, pointer).status();
  if (type == "contacts") return CheckNonEmptyArrayOfObjects(value, pointer);
  if (type == "interactive") {
    // Interactive messages (buttons, lists, flows, ...) are many shapes; require the discriminator.
    if (!value.is_object()) return TypeError(pointer, "an object", value);
    const auto type_field = value.find("type");
    if (type_field == value.end()) return core::InvalidArgument(pointer + "/type", "is required");
    if (!type_field->is_string()) return TypeError(pointer + "/type", "a string", *type_field);
    return core::Status::Ok();
  }
  if (type == "template") {
    auto reader = ObjectReader::Open(value, pointer, {"name", "language", "components"});
    if (!reader.ok()) return reader.status();
    auto name = NonEmptyString(*reader, "name");
    if (!name.ok()) return name.status();
    const Json* language = reader->Find("language");
    if (language == nullptr)
      return core::InvalidArgument(reader->PointerTo("language"), "is required");
    auto language_reader =
        ObjectReader::Open(*language, reader->PointerTo("language"), {"code", "policy"});
    if (!language_reader.ok()) return language_reader.status();
    auto code = NonEmptyString(*language_reader, "code");
    if (!code.ok()) return code.status();
    auto policy = language_reader->OptionalString("policy");
    if (!policy.ok()) return policy.status();
    if (const Json* components = reader->Find("components");
        components && !components->is_array()) {
      return TypeError(reader->PointerTo("components"), "an array", *components);
    }
    return core::Status::Ok();
  }
  // reaction; an empty emoji removes a reaction.
  auto reader = ObjectReader::Open(value, pointer, {"message_id", "emoji"});
  if (!reader.ok()) return reader.status();
  auto message_id = NonEmptyString(*reader, "message_id");
  if (!message_id.ok()) return message_id.status();
  auto emoji = reader->RequiredString("emoji");
  return emoji.ok() ? core::Status::Ok() : emoji.status();
}

core::Result<SendResult> BuildSend(std::string_view request_body, core::IdSource& ids) {
  auto json = ParseBody(request_body);
  if (!json.ok()) return json.status();
  auto reader = ObjectReader::Open(
      *json, "",
      {"messaging_product", "recipient_type", "to", "type", "context", "biz_opaque_callback_data",
       "text", "image", "audio", "video", "document", "sticker", "location", "contacts",
       "interactive", "template", "reaction"});
  if (!reader.ok()) return reader.status();
  auto product = reader->RequiredString("messaging_product");
  if (!product.ok()) return product.status();
  if (*product != "whatsapp") {
    return core::InvalidArgument("/messaging_product", "expected 'whatsapp'");
  }
  auto recipient_type = reader->OptionalString("recipient_type");
  if (!recipient_type.ok()) return recipient_type.status();
  if (recipient_type->has_value() && **recipient_type != "individual") {
    return core::InvalidArgument("/recipient_type", "expected 'individual'");
  }
  auto to = reader->RequiredString("to");
  if (!to.ok()) return to.status();
  // The Cloud API accepts formatted numbers ("+1 (555) 010-0000") and answers the digits as wa_id.
  std::string wa_id;
  for (const char c : *to) {
    if (c >= '0' && c <= '9') {
      wa_id += c;
    } else if (c != '+' && c != ' ' && c != '-' && c != '(' && c != ')') {
      return WaIdError("/to");
    }
  }
  if (wa_id.empty() || wa_id.size() > kMaxWaIdDigits) return WaIdError("/to");
  auto type = reader->RequiredString("type");
  if (!type.ok()) return type.status();
  bool known_type = false;
  for (const std::string_view candidate : kSendTypes) known_type = known_type || candidate == *type;
  if (!known_type) {
    return core::InvalidArgument("/type",
                                 "expected one of text, image, audio, video, document, sticker, "
                                 "location, contacts, interactive, template, reaction");
  }
  for (const std::string_view other : kSendTypes) {
    if (other != *type && reader->Has(other)) {
      return core::InvalidArgument(reader->PointerTo(other), "does not match type '" + *type + "'");
    }
  }
  const Json* type_object = reader->Find(*type);
  if (type_object == nullptr) return core::InvalidArgument(reader->PointerTo(*type), "is required");
  auto checked = CheckSendTypeObject(*type_object, reader->PointerTo(*type), *type);
  if (!checked.ok()) return checked;
  if (const Json* context = reader->Find("context")) {
    auto context_reader = ObjectReader::Open(*context, "/context", {"message_id"});
    if (!context_reader.ok()) return context_reader.status();
    auto replied_to = NonEmptyString(*context_reader, "message_id");
    if (!replied_to.ok()) return replied_to.status();
  }
  auto opaque = reader->OptionalString("biz_opaque_callback_data");
  if (!opaque.ok()) return opaque.status();

  std::string message_id = GenerateWamid(ids);
  const OrderedJson response = {
      {"messaging_product", "whatsapp"},
      {"contacts", OrderedJson::array({{{"input", *to}, {"wa_id", wa_id}}})},
      {"messages", OrderedJson::array({{{"id", message_id}}})}};
  return SendResult{Dump(response), std::move(message_id), std::move(wa_id)};
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public functions: each catches the library's exceptions so that none escapes.

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

core::Result<SendResult> BuildMessageSendResponse(std::string_view request_body,
                                                  core::IdSource& ids) {
  try {
    return BuildSend(request_body, ids);
  } catch (const nlohmann::json::exception& error) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("building the send response failed: ") + error.what());
  }
}

std::vector<std::string_view> InboundMessageTypeNames() {
  std::vector<std::string_view> names;
  names.reserve(kInboundTypes.size());
  for (const MessageType& type : kInboundTypes) names.push_back(type.name);
  return names;
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

constexpr std::array<MessageStatus, 4> kMessageStatuses = {
    MessageStatus::kSent, MessageStatus::kDelivered, MessageStatus::kRead, MessageStatus::kFailed};

std::optional<MessageStatus> ParseMessageStatus(std::string_view name) {
  for (const MessageStatus status : kMessageStatuses) {
    if (MessageStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::vector<std::string_view> MessageStatusNames() {
  std::vector<std::string_view> names;
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
    fields.timestamp = Timestamp(at);
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
