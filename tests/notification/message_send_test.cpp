// POST /messages: validation of the send request and the Cloud API's answer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/core/id_source.hpp"
#include "tests/notification/notification_test_support.hpp"

namespace multihook::codec {
namespace {

using nlohmann::json;
using testing::At;
using testing::ParseBuilt;

SendResult SendOk(const std::string& request, std::uint64_t seed = 11) {
  core::IdSource ids(seed);
  auto sent = BuildMessageSendResponse(request, ids);
  INFO("request: " << request);
  REQUIRE(sent.ok());
  return std::move(sent).value();
}

std::string SendError(const std::string& request) {
  core::IdSource ids(11);
  auto sent = BuildMessageSendResponse(request, ids);
  INFO("request: " << request);
  REQUIRE_FALSE(sent.ok());
  return sent.status().ToString();
}

std::string Request(const std::string& type, const std::string& object) {
  return R"({"messaging_product": "whatsapp", "recipient_type": "individual",
             "to": "15551234567", "type": ")" +
         type + R"(", ")" + type + R"(": )" + object + "}";
}

TEST_CASE("A send answers the Cloud API's shape with a new wamid", "[notification]") {
  const SendResult sent =
      SendOk(R"({"messaging_product": "whatsapp", "to": "15551234567", "type": "text",
                 "text": {"body": "hello"}})");
  const json body = ParseBuilt(sent.response_body);
  CHECK(body.size() == 3);
  CHECK(At(body, "/messaging_product") == "whatsapp");
  CHECK(At(body, "/contacts") ==
        json::parse(R"([{"input": "15551234567", "wa_id": "15551234567"}])"));
  REQUIRE(At(body, "/messages").size() == 1);
  CHECK(At(body, "/messages/0").size() == 1);
  CHECK(At(body, "/messages/0/id") == sent.message_id);
  CHECK(sent.message_id.rfind("wamid.", 0) == 0);
  CHECK(sent.to == "15551234567");
  CHECK(
      sent.response_body ==
      R"({"messaging_product":"whatsapp","contacts":[{"input":"15551234567","wa_id":"15551234567"}],)"
      R"("messages":[{"id":")" +
          sent.message_id + R"("}]})");
}

TEST_CASE("A formatted recipient number is answered as given and as digits", "[notification]") {
  const SendResult sent = SendOk(R"({"messaging_product": "whatsapp", "to": "+1 (555) 123-4567",
                                     "type": "text", "text": {"body": "x"}})");
  const json body = ParseBuilt(sent.response_body);
  CHECK(At(body, "/contacts/0/input") == "+1 (555) 123-4567");
  CHECK(At(body, "/contacts/0/wa_id") == "15551234567");
  CHECK(sent.to == "15551234567");
}

TEST_CASE("Send ids are deterministic for a seed and distinct per send", "[notification]") {
  const std::string request = Request("text", R"({"body": "x"})");
  CHECK(SendOk(request, 5).message_id == SendOk(request, 5).message_id);
  CHECK(SendOk(request, 5).message_id != SendOk(request, 6).message_id);
  core::IdSource ids(5);
  auto first = BuildMessageSendResponse(request, ids);
  auto second = BuildMessageSendResponse(request, ids);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->message_id != second->message_id);
}

TEST_CASE("Every standard message type can be sent", "[notification]") {
  const auto [type, object] = GENERATE(table<std::string, std::string>({
      {"text", R"({"body": "hi", "preview_url": false})"},
      {"image", R"({"link": "https://example.com/a.jpg", "caption": "c"})"},
      {"audio", R"({"id": "1234"})"},
      {"video", R"({"id": "1234", "caption": "c"})"},
      {"document", R"({"link": "https://example.com/a.pdf", "filename": "a.pdf", "caption": "c"})"},
      {"sticker", R"({"id": "1234"})"},
      {"location", R"({"latitude": 1.5, "longitude": -2, "name": "N", "address": "A"})"},
      {"contacts", R"([{"name": {"formatted_name": "Bo", "first_name": "Bo"}}])"},
      {"interactive", R"({"type": "button", "body": {"text": "?"}, "action": {"buttons": []}})"},
      {"template", R"({"name": "hello_world", "language": {"code": "en_US"}, "components": []})"},
      {"reaction", R"({"message_id": "wamid.A", "emoji": ""})"},
  }));
  const SendResult sent = SendOk(Request(type, object));
  CHECK(sent.message_id.rfind("wamid.", 0) == 0);
  CHECK(sent.to == "15551234567");
  CHECK(At(ParseBuilt(sent.response_body), "/messages/0/id") == sent.message_id);
}

TEST_CASE("Replies and callback data are accepted", "[notification]") {
  const SendResult sent = SendOk(R"({"messaging_product": "whatsapp", "to": "15551234567",
      "type": "text", "text": {"body": "x"}, "context": {"message_id": "wamid.IN"},
      "biz_opaque_callback_data": "tracking-1"})");
  CHECK(sent.to == "15551234567");
}

TEST_CASE("Bad send requests fail with the pointer of the problem", "[notification]") {
  const auto [request, expected] = GENERATE(table<std::string, std::string>({
      {"not json", "invalid_argument: request body is not valid JSON (syntax error at byte 2)"},
      {R"({"to": "1", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /messaging_product: is required"},
      {R"({"messaging_product": "sms", "to": "1", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /messaging_product: expected 'whatsapp'"},
      {R"({"messaging_product": "whatsapp", "recipient_type": "group", "to": "1", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /recipient_type: expected 'individual'"},
      {R"({"messaging_product": "whatsapp", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /to: is required"},
      {R"({"messaging_product": "whatsapp", "to": 15551234567, "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /to: expected a string, got number"},
      {R"({"messaging_product": "whatsapp", "to": "phone", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /to: expected 1 to 15 digits (a phone number in E.164 without '+')"},
      {R"({"messaging_product": "whatsapp", "to": "+", "type": "text", "text": {"body": "x"}})",
       "invalid_argument at /to: expected 1 to 15 digits (a phone number in E.164 without '+')"},
      {R"({"messaging_product": "whatsapp", "to": "1", "text": {"body": "x"}})",
       "invalid_argument at /type: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "poll", "text": {"body": "x"}})",
       "invalid_argument at /type: expected one of text, image, audio, video, document, sticker, "
       "location, contacts, interactive, template, reaction"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text"})",
       "invalid_argument at /text: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": "x"}, "image": {"id": "1"}})",
       "invalid_argument at /image: does not match type 'text'"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": "x"}, "priority": 1})",
       "invalid_argument at /priority: unknown field"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": ""}})",
       "invalid_argument at /text/body: must not be empty"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": "x", "preview_url": "yes"}})",
       "invalid_argument at /text/preview_url: expected a boolean, got string"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "image", "image": {"caption": "c"}})",
       "invalid_argument at /image: expected exactly one of id, link"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "image", "image": {"id": "1", "link": "https://x"}})",
       "invalid_argument at /image: expected exactly one of id, link"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "audio", "audio": {"id": "1", "caption": "c"}})",
       "invalid_argument at /audio/caption: audio and stickers have no caption"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "video", "video": {"id": "1", "filename": "v.mp4"}})",
       "invalid_argument at /video/filename: only a document has a filename"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "location", "location": {"latitude": 1}})",
       "invalid_argument at /location/longitude: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "contacts", "contacts": []})",
       "invalid_argument at /contacts: must not be empty"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "interactive", "interactive": {"body": {}}})",
       "invalid_argument at /interactive/type: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "template", "template": {"name": "t"}})",
       "invalid_argument at /template/language: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "template", "template": {"name": "t", "language": {"policy": "deterministic"}}})",
       "invalid_argument at /template/language/code: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "template", "template": {"name": "t", "language": {"code": "en"}, "components": {}}})",
       "invalid_argument at /template/components: expected an array, got object"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "reaction", "reaction": {"emoji": "x"}})",
       "invalid_argument at /reaction/message_id: is required"},
      {R"({"messaging_product": "whatsapp", "to": "1", "type": "text", "text": {"body": "x"}, "context": {"id": "w"}})",
       "invalid_argument at /context/id: unknown field"},
  }));
  CHECK(SendError(request) == expected);
}

}  // namespace
}  // namespace multihook::codec
