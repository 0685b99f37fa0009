// POST /mock/inbound {"message": ...}: the Cloud API envelope for inbound user messages.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/core/id_source.hpp"
#include "tests/notification/notification_test_support.hpp"

namespace multihook::codec {
namespace {

using nlohmann::json;
using testing::At;
using testing::BuildError;
using testing::BuildOk;
using testing::Has;
using testing::kMessage;
using testing::kValue;
using testing::ParseBuilt;
using testing::TestChannel;
using testing::TestNow;

TEST_CASE("A text message builds the Cloud API envelope for the channel", "[notification]") {
  const BuiltNotification built =
      BuildOk(R"({"message": {"type": "text", "text": {"body": "hi"}}})");
  const json body = ParseBuilt(built.body);

  CHECK(At(body, "/object") == "whatsapp_business_account");
  CHECK(At(body, "/entry").size() == 1);
  CHECK(At(body, "/entry/0/id") == TestChannel().waba_id);
  CHECK(At(body, "/entry/0/changes").size() == 1);
  CHECK(At(body, "/entry/0/changes/0/field") == "messages");
  const std::string value(kValue);
  CHECK(At(body, value + "/messaging_product") == "whatsapp");
  CHECK(At(body, value + "/metadata") ==
        json{{"display_phone_number", "15550783881"}, {"phone_number_id", "106540352242922"}});
  CHECK(At(body, value + "/messages").size() == 1);

  const std::string message(kMessage);
  CHECK(At(body, message + "/type") == "text");
  CHECK(At(body, message + "/text") == json{{"body", "hi"}});
  CHECK(At(body, message + "/timestamp") == std::to_string(testing::kNowSeconds));
  const std::string from = At(body, message + "/from");
  CHECK(testing::IsDigits(from));
  CHECK(from.size() == 12);
  const std::string id = At(body, message + "/id");
  CHECK(id.rfind("wamid.", 0) == 0);
  CHECK(id.size() > 20);
  CHECK_FALSE(Has(body, message + "/context"));

  // The sender's contact entry matches the message.
  CHECK(At(body, value + "/contacts").size() == 1);
  CHECK(At(body, value + "/contacts/0/wa_id") == from);
  CHECK_FALSE(At(body, value + "/contacts/0/profile/name").get<std::string>().empty());

  REQUIRE(built.message_id.has_value());
  CHECK(*built.message_id == id);
  CHECK(built.event_id.size() == 4 + 16);
  CHECK(built.event_id.rfind("evt_", 0) == 0);
  CHECK(testing::IsLowerHex(built.event_id.substr(4)));
}

TEST_CASE("The envelope is compact JSON in the Cloud API's field order", "[notification]") {
  const BuiltNotification built = BuildOk(
      R"({"message": {"type": "text", "from": "4915112345678", "id": "wamid.X",
          "timestamp": "1700000000", "profile_name": "Ana", "text": {"body": "hi"}}})");
  CHECK(built.body ==
        R"({"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[)"
        R"({"field":"messages","value":{"messaging_product":"whatsapp","metadata":)"
        R"({"display_phone_number":"15550783881","phone_number_id":"106540352242922"},)"
        R"("contacts":[{"profile":{"name":"Ana"},"wa_id":"4915112345678"}],)"
        R"("messages":[{"from":"4915112345678","id":"wamid.X","timestamp":"1700000000",)"
        R"("type":"text","text":{"body":"hi"}}]}}]}]})");
}

TEST_CASE("Every message type builds its type object", "[notification]") {
  // message object given -> the expected value of /messages/0/<type>.
  const auto [type, request, expected] = GENERATE(table<std::string, std::string, std::string>({
      {"text", R"({"type": "text", "text": {"body": "Hello \u00e9 👋"}})",
       R"({"body": "Hello é 👋"})"},
      {"image",
       R"({"type": "image", "image": {"id": "1", "mime_type": "image/png", "sha256": "h", "caption": "c"}})",
       R"({"caption": "c", "mime_type": "image/png", "sha256": "h", "id": "1", "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1"})"},
      {"audio",
       R"({"type": "audio", "audio": {"id": "2", "mime_type": "audio/mpeg", "sha256": "h", "voice": true}})",
       R"({"mime_type": "audio/mpeg", "sha256": "h", "id": "2", "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=2", "voice": true})"},
      {"video", R"({"type": "video", "video": {"id": "3", "mime_type": "video/mp4", "sha256": "h",
           "url": "https://media.example.com/3"}})",
       R"({"mime_type": "video/mp4", "sha256": "h", "id": "3", "url": "https://media.example.com/3"})"},
      {"document",
       R"({"type": "document", "document": {"id": "4", "mime_type": "application/pdf", "sha256": "h",
           "caption": "c", "filename": "invoice.pdf"}})",
       R"({"caption": "c", "filename": "invoice.pdf", "mime_type": "application/pdf", "sha256": "h", "id": "4",
           "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=4"})"},
      {"sticker",
       R"({"type": "sticker", "sticker": {"id": "5", "mime_type": "image/webp", "sha256": "h", "animated": false}})",
       R"({"mime_type": "image/webp", "sha256": "h", "id": "5", "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=5", "animated": false})"},
      {"location",
       R"({"type": "location", "location": {"latitude": 52.52, "longitude": 13, "name": "Berlin", "address": "Platz 1"}})",
       R"({"latitude": 52.52, "longitude": 13, "name": "Berlin", "address": "Platz 1"})"},
      {"location", R"({"type": "location", "location": {"latitude": -90, "longitude": 180}})",
       R"({"latitude": -90, "longitude": 180})"},
      {"contacts",
       R"({"type": "contacts", "contacts": [{"name": {"formatted_name": "Bo", "first_name": "Bo"},
           "phones": [{"phone": "+1 555", "type": "CELL"}]}]})",
       R"([{"name": {"formatted_name": "Bo", "first_name": "Bo"}, "phones": [{"phone": "+1 555", "type": "CELL"}]}])"},
      {"interactive",
       R"({"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}})",
       R"({"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}})"},
      {"interactive",
       R"({"type": "interactive", "interactive": {"type": "list_reply",
           "list_reply": {"id": "r1", "title": "Row 1", "description": "First"}}})",
       R"({"type": "list_reply", "list_reply": {"id": "r1", "title": "Row 1", "description": "First"}})"},
      {"button", R"({"type": "button", "button": {"payload": "STOP", "text": "Stop promotions"}})",
       R"({"payload": "STOP", "text": "Stop promotions"})"},
      {"reaction", R"({"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": "👍"}})",
       R"({"message_id": "wamid.A", "emoji": "👍"})"},
  }));
  INFO(request);
  const json body = ParseBuilt(BuildOk(R"({"message": )" + request + "}").body);
  CHECK(At(body, std::string(kMessage) + "/type") == type);
  CHECK(At(body, std::string(kMessage) + "/" + type) == json::parse(expected));
  CHECK_FALSE(Has(body, std::string(kMessage) + "/errors"));
}

TEST_CASE("Media objects are generated when absent, with per-type MIME defaults",
          "[notification]") {
  const auto [type, mime_type] = GENERATE(table<std::string, std::string>({
      {"image", "image/jpeg"},
      {"audio", "audio/ogg; codecs=opus"},
      {"video", "video/mp4"},
      {"document", "application/pdf"},
      {"sticker", "image/webp"},
  }));
  const bool with_empty_object = GENERATE(false, true);
  const std::string request = R"({"message": {"type": ")" + type + R"(")" +
                              (with_empty_object ? R"(, ")" + type + R"(": {})" : "") + "}}";
  INFO(request);
  const json body = ParseBuilt(BuildOk(request).body);
  const json media = At(body, std::string(kMessage) + "/" + type);
  CHECK(media.at("mime_type") == mime_type);
  const std::string id = media.at("id");
  CHECK(testing::IsDigits(id));
  CHECK(id.size() == 16);
  // A base64 SHA-256 as the Cloud API sends it: 32 bytes -> 44 characters ending in '='.
  const std::string sha256 = media.at("sha256");
  CHECK(sha256.size() == 44);
  CHECK(sha256.back() == '=');
  CHECK(media.at("url") == "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=" + id);
  // voice and animated are always sent (false unless given); no caption/filename invented.
  if (type == "audio") CHECK(media.at("voice") == false);
  if (type == "sticker") CHECK(media.at("animated") == false);
  CHECK(media.size() == (type == "audio" || type == "sticker" ? 5U : 4U));
}

TEST_CASE("Media objects keep the Cloud API's field order", "[notification]") {
  const BuiltNotification built = BuildOk(
      R"({"message": {"type": "audio", "from": "4915112345678", "id": "wamid.X",
          "timestamp": "1700000000", "profile_name": "Ana", "audio": {"id": "7", "sha256": "h"}}})");
  CHECK_THAT(built.body, Catch::Contains(R"("audio":{"mime_type":"audio/ogg; codecs=opus",)"
                                         R"("sha256":"h","id":"7","url":"https://lookaside.)"
                                         R"(fbsbx.com/whatsapp_business/attachments/?mid=7",)"
                                         R"("voice":false}})"));
}

TEST_CASE("Bodies are ASCII: non-ASCII text is sent as lowercase \\u escapes", "[notification]") {
  const BuiltNotification built = BuildOk(
      R"({"message": {"type": "text", "profile_name": "Zoë", "text": {"body": "Grüße 👋"}}})");
  for (const char c : built.body) CHECK(static_cast<unsigned char>(c) < 0x80);
  CHECK_THAT(built.body, Catch::Contains(R"("body":"Gr\u00fc\u00dfe \ud83d\udc4b")"));
  CHECK_THAT(built.body, Catch::Contains(R"("name":"Zo\u00eb")"));
  CHECK(At(ParseBuilt(built.body), std::string(kMessage) + "/text/body") == "Grüße 👋");
}

TEST_CASE("Caller-given sender, id, timestamp, name and reply context are used as given",
          "[notification]") {
  const BuiltNotification built = BuildOk(
      R"({"message": {"type": "text", "text": {"body": "ok"}, "from": "447700900123",
          "id": "wamid.CUSTOM=", "timestamp": "1600000000", "profile_name": "Zoë",
          "context": {"from": "15550783881", "id": "wamid.ORIGINAL"}}})");
  const json body = ParseBuilt(built.body);
  const std::string message(kMessage);
  CHECK(At(body, message + "/from") == "447700900123");
  CHECK(At(body, message + "/id") == "wamid.CUSTOM=");
  CHECK(At(body, message + "/timestamp") == "1600000000");
  CHECK(At(body, message + "/context") == json{{"from", "15550783881"}, {"id", "wamid.ORIGINAL"}});
  CHECK(At(body, std::string(kValue) + "/contacts/0") ==
        json{{"profile", {{"name", "Zoë"}}}, {"wa_id", "447700900123"}});
  CHECK(built.message_id == "wamid.CUSTOM=");
}

TEST_CASE("An unsupported message carries error 131051 and the unsupported type",
          "[notification]") {
  const json body = ParseBuilt(BuildOk(R"({"message": {"type": "unsupported"}})").body);
  const std::string message(kMessage);
  CHECK(At(body, message + "/type") == "unsupported");
  CHECK(At(body, message + "/unsupported") == json{{"type", "unknown"}});
  const json poll = ParseBuilt(
      BuildOk(R"({"message": {"type": "unsupported", "unsupported": {"type": "poll"}}})").body);
  CHECK(At(poll, message + "/unsupported") == json{{"type", "poll"}});
  CHECK(At(body, message + "/errors").size() == 1);
  CHECK(At(body, message + "/errors/0/code") == 131051);
  CHECK(At(body, message + "/errors/0/title") == "Message type unknown");
  CHECK(At(body, message + "/errors/0/message") == "Message type unknown");
  CHECK(At(body, message + "/errors/0/error_data/details") ==
        "Message type is currently not supported.");
}

TEST_CASE("Contact cards pass through with their key order", "[notification]") {
  const BuiltNotification built = BuildOk(
      R"({"message": {"type": "contacts", "contacts": [{"phones": [{"wa_id": "1", "phone": "+1"}],
          "name": {"last_name": "Z", "formatted_name": "A Z"}}]}})");
  CHECK(
      built.body.find(
          R"("contacts":[{"phones":[{"wa_id":"1","phone":"+1"}],"name":{"last_name":"Z","formatted_name":"A Z"}}])") !=
      std::string::npos);
}

TEST_CASE("Generated values are deterministic for a seed and a fixed time", "[notification]") {
  const std::string request = R"({"message": {"type": "image"}})";
  const BuiltNotification first = BuildOk(request, 1234);
  const BuiltNotification second = BuildOk(request, 1234);
  CHECK(first.body == second.body);
  CHECK(first.event_id == second.event_id);
  CHECK(first.message_id == second.message_id);

  const BuiltNotification other_seed = BuildOk(request, 1235);
  CHECK(other_seed.body != first.body);
  CHECK(other_seed.event_id != first.event_id);

  // One IdSource used twice gives two distinct notifications.
  core::IdSource ids(1234);
  auto a = BuildInboundNotification(request, TestChannel(), TestNow(), ids);
  auto b = BuildInboundNotification(request, TestChannel(), TestNow(), ids);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->body == first.body);
  CHECK(a->event_id != b->event_id);
  CHECK(a->message_id != b->message_id);
}

TEST_CASE("Bad inbound message requests fail with the pointer of the problem", "[notification]") {
  const auto [request, expected] = GENERATE(table<std::string, std::string>({
      {R"({"message": {}})", "invalid_argument at /message/type: is required"},
      {R"({"message": {"type": 3}})",
       "invalid_argument at /message/type: expected a string, got number"},
      {R"({"message": {"type": "poll"}})",
       "invalid_argument at /message/type: expected one of text, image, audio, video, document, "
       "sticker, location, contacts, interactive, button, reaction, unsupported"},
      {R"({"message": []})", "invalid_argument at /message: expected an object, got array"},
      {R"({"message": {"type": "text", "txt": {"body": "x"}}})",
       "invalid_argument at /message/txt: unknown field"},
      {R"({"message": {"type": "text"}})", "invalid_argument at /message/text: is required"},
      {R"({"message": {"type": "text", "text": {}}})",
       "invalid_argument at /message/text/body: is required"},
      {R"({"message": {"type": "text", "text": {"body": 1}}})",
       "invalid_argument at /message/text/body: expected a string, got number"},
      {R"({"message": {"type": "text", "text": {"body": "x", "preview_url": true}}})",
       "invalid_argument at /message/text/preview_url: unknown field"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "image": {}}})",
       "invalid_argument at /message/image: does not match type 'text'"},
      {R"({"message": {"type": "unsupported", "unsupported": {"kind": "poll"}}})",
       "invalid_argument at /message/unsupported/kind: unknown field"},
      {R"({"message": {"type": "unsupported", "unsupported": {"type": 1}}})",
       "invalid_argument at /message/unsupported/type: expected a string, got number"},
      {R"({"message": {"type": "image", "image": {"url": 1}}})",
       "invalid_argument at /message/image/url: expected a string, got number"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "from": "+4915"}})",
       "invalid_argument at /message/from: expected 1 to 15 digits (a phone number in E.164 "
       "without '+')"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "from": "1234567890123456"}})",
       "invalid_argument at /message/from: expected 1 to 15 digits (a phone number in E.164 "
       "without '+')"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "id": ""}})",
       "invalid_argument at /message/id: must not be empty"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "timestamp": 1700000000}})",
       "invalid_argument at /message/timestamp: expected a string, got number"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "timestamp": "2024-01-01"}})",
       "invalid_argument at /message/timestamp: expected a string of Unix seconds (digits only)"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "profile_name": null}})",
       "invalid_argument at /message/profile_name: expected a string, got null"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "context": {"id": "wamid.A"}}})",
       "invalid_argument at /message/context/from: is required"},
      {R"({"message": {"type": "text", "text": {"body": "x"}, "context": {"from": "1", "id": "w", "forwarded": true}}})",
       "invalid_argument at /message/context/forwarded: unknown field"},
      {R"({"message": {"type": "image", "image": {"id": 5}}})",
       "invalid_argument at /message/image/id: expected a string, got number"},
      {R"({"message": {"type": "image", "image": {"link": "https://x"}}})",
       "invalid_argument at /message/image/link: unknown field"},
      {R"({"message": {"type": "image", "image": {"filename": "a.jpg"}}})",
       "invalid_argument at /message/image/filename: only a document has a filename"},
      {R"({"message": {"type": "video", "video": {"voice": true}}})",
       "invalid_argument at /message/video/voice: only audio has 'voice'"},
      {R"({"message": {"type": "audio", "audio": {"animated": true}}})",
       "invalid_argument at /message/audio/animated: only a sticker has 'animated'"},
      {R"({"message": {"type": "audio", "audio": {"voice": "yes"}}})",
       "invalid_argument at /message/audio/voice: expected a boolean, got string"},
      {R"({"message": {"type": "location", "location": {"latitude": "52.5", "longitude": 13}}})",
       "invalid_argument at /message/location/latitude: expected a number, got string"},
      {R"({"message": {"type": "location", "location": {"latitude": 52.5}}})",
       "invalid_argument at /message/location/longitude: is required"},
      {R"({"message": {"type": "location", "location": {"latitude": 90.5, "longitude": 0}}})",
       "invalid_argument at /message/location/latitude: must be between -90 and 90"},
      {R"({"message": {"type": "location", "location": {"latitude": 0, "longitude": -181}}})",
       "invalid_argument at /message/location/longitude: must be between -180 and 180"},
      {R"({"message": {"type": "location", "location": {"latitude": true, "longitude": 0}}})",
       "invalid_argument at /message/location/latitude: expected a number, got boolean"},
      {R"({"message": {"type": "contacts", "contacts": []}})",
       "invalid_argument at /message/contacts: must not be empty"},
      {R"({"message": {"type": "contacts", "contacts": {"name": {}}}})",
       "invalid_argument at /message/contacts: expected an array, got object"},
      {R"({"message": {"type": "contacts", "contacts": [{}, "Bo"]}})",
       "invalid_argument at /message/contacts/1: expected an object, got string"},
      {R"({"message": {"type": "interactive", "interactive": {"type": "nfm_reply"}}})",
       "invalid_argument at /message/interactive/type: expected one of button_reply, list_reply"},
      {R"({"message": {"type": "interactive", "interactive": {"type": "button_reply"}}})",
       "invalid_argument at /message/interactive/button_reply: is required"},
      {R"({"message": {"type": "interactive", "interactive": {"type": "button_reply",
           "list_reply": {"id": "a", "title": "b"}}}})",
       "invalid_argument at /message/interactive/list_reply: does not match type 'button_reply'"},
      {R"({"message": {"type": "interactive", "interactive": {"type": "button_reply",
           "button_reply": {"id": "a", "title": "b", "description": "c"}}}})",
       "invalid_argument at /message/interactive/button_reply/description: only a list_reply has a "
       "description"},
      {R"({"message": {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "a"}}}})",
       "invalid_argument at /message/interactive/list_reply/title: is required"},
      {R"({"message": {"type": "button", "button": {"payload": "P"}}})",
       "invalid_argument at /message/button/text: is required"},
      {R"({"message": {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": 1}}})",
       "invalid_argument at /message/reaction/emoji: expected a string, got number"},
  }));
  CHECK(BuildError(request) == expected);
}

// The message types are one table: every type's member is an allowed key of `message`, and
// belongs to that type only.
TEST_CASE("Every message type's object is rejected beside another type", "[notification]") {
  const std::vector<std::string_view> names = InboundMessageTypeNames();
  for (const std::string_view type : names) {
    for (const std::string_view other : names) {
      if (other == type) continue;
      const std::string request = R"({"message": {"type": ")" + std::string(type) + R"(", ")" +
                                  std::string(other) + R"(": {}}})";
      CHECK(BuildError(request) == "invalid_argument at /message/" + std::string(other) +
                                       ": does not match type '" + std::string(type) + "'");
    }
  }
}

}  // namespace
}  // namespace multihook::codec
