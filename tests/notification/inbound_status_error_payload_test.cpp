// POST /mock/inbound {"status"}, {"error"} and {"payload"}, the top-level request rules, and the
// status notifications that follow POST /messages.
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
using testing::BuildError;
using testing::BuildOk;
using testing::Has;
using testing::kStatus;
using testing::kValue;
using testing::ParseBuilt;
using testing::TestChannel;
using testing::TestNow;

TEST_CASE("A status builds a statuses envelope about the given message id", "[notification]") {
  const auto status = GENERATE(as<std::string>{}, "sent", "delivered", "read");
  const BuiltNotification built =
      BuildOk(R"({"status": {"id": "wamid.OUT", "status": ")" + status + R"("}})");
  const json body = ParseBuilt(built.body);
  const std::string at(kStatus);
  CHECK(At(body, "/entry/0/id") == TestChannel().waba_id);
  CHECK(At(body, std::string(kValue) + "/metadata/phone_number_id") ==
        TestChannel().phone_number_id);
  CHECK(At(body, std::string(kValue) + "/statuses").size() == 1);
  CHECK_FALSE(Has(body, std::string(kValue) + "/messages"));
  CHECK_FALSE(Has(body, std::string(kValue) + "/contacts"));
  CHECK(At(body, at + "/id") == "wamid.OUT");
  CHECK(At(body, at + "/status") == status);
  CHECK(At(body, at + "/timestamp") == std::to_string(testing::kNowSeconds));
  const std::string recipient = At(body, at + "/recipient_id");
  CHECK(testing::IsDigits(recipient));
  CHECK(recipient.size() == 12);
  CHECK_FALSE(Has(body, at + "/errors"));
  // Like the Cloud API, `sent` opens the conversation and says how it is billed.
  CHECK(Has(body, at + "/conversation") == (status == "sent"));
  CHECK(Has(body, at + "/pricing") == (status == "sent"));
  REQUIRE(built.message_id.has_value());
  CHECK(*built.message_id == "wamid.OUT");
  CHECK(built.event_id.rfind("evt_", 0) == 0);
}

TEST_CASE("A status takes the caller's timestamp, recipient, conversation and pricing",
          "[notification]") {
  const json body = ParseBuilt(BuildOk(R"({"status": {"id": "wamid.OUT", "status": "delivered",
      "timestamp": "1700000001", "recipient_id": "5511987654321",
      "conversation": {"id": "c0ffee", "expiration_timestamp": "1700086400",
                       "origin": {"type": "marketing"}},
      "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"}}})")
                                   .body);
  CHECK(At(body, kStatus) == json::parse(R"({"id": "wamid.OUT", "status": "delivered",
      "timestamp": "1700000001", "recipient_id": "5511987654321",
      "conversation": {"id": "c0ffee", "expiration_timestamp": "1700086400",
                       "origin": {"type": "marketing"}},
      "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"}})"));
}

TEST_CASE("A failed status carries errors, by default 131026", "[notification]") {
  SECTION("default error") {
    const json body =
        ParseBuilt(BuildOk(R"({"status": {"id": "wamid.F", "status": "failed"}})").body);
    const std::string at(kStatus);
    CHECK(At(body, at + "/status") == "failed");
    REQUIRE(At(body, at + "/errors").size() == 1);
    CHECK(At(body, at + "/errors/0/code") == 131026);
    CHECK(At(body, at + "/errors/0/title") == "Message undeliverable");
    CHECK(At(body, at + "/errors/0/message") == "Message undeliverable");
    CHECK_FALSE(At(body, at + "/errors/0/error_data/details").get<std::string>().empty());
    CHECK_FALSE(Has(body, at + "/conversation"));
  }
  SECTION("caller's errors, completed from the code's description") {
    const json body = ParseBuilt(BuildOk(R"({"status": {"id": "wamid.F", "status": "failed",
        "errors": [{"code": 131047}, {"code": 1, "title": "T", "message": "M",
                                      "error_data": {"details": "D"}}]}})")
                                     .body);
    const std::string at(kStatus);
    REQUIRE(At(body, at + "/errors").size() == 2);
    CHECK(At(body, at + "/errors/0/code") == 131047);
    CHECK(At(body, at + "/errors/0/title") == "Re-engagement message");
    CHECK(At(body, at + "/errors/1") ==
          json::parse(
              R"({"code": 1, "title": "T", "message": "M", "error_data": {"details": "D"}})"));
  }
}

TEST_CASE("An out-of-band error builds an errors envelope", "[notification]") {
  SECTION("rate limit with the Cloud API's texts") {
    const BuiltNotification built = BuildOk(R"({"error": {"code": 130429}})");
    const json body = ParseBuilt(built.body);
    const std::string value(kValue);
    CHECK(At(body, value + "/messaging_product") == "whatsapp");
    CHECK(At(body, value + "/errors").size() == 1);
    CHECK(At(body, value + "/errors/0/code") == 130429);
    CHECK(At(body, value + "/errors/0/title") == "Rate limit hit");
    CHECK(At(body, value + "/errors/0/message") == "Rate limit hit");
    CHECK_FALSE(At(body, value + "/errors/0/error_data/details").get<std::string>().empty());
    CHECK_FALSE(Has(body, value + "/statuses"));
    CHECK_FALSE(built.message_id.has_value());
    // Field order of an error object, as the Cloud API writes it.
    CHECK(
        built.body.find(
            R"("errors":[{"code":130429,"title":"Rate limit hit","message":"Rate limit hit","error_data":{"details":)") !=
        std::string::npos);
  }
  SECTION("caller's texts win; an unknown code gets generic texts") {
    const json custom = ParseBuilt(
        BuildOk(R"({"error": {"code": 130429, "title": "Slow down", "error_data": {}}})").body);
    CHECK(At(custom, std::string(kValue) + "/errors/0/title") == "Slow down");
    CHECK(At(custom, std::string(kValue) + "/errors/0/message") == "Slow down");
    const json unknown = ParseBuilt(BuildOk(R"({"error": {"code": 4242}})").body);
    CHECK(At(unknown, std::string(kValue) + "/errors/0/title") == "Unknown error");
    CHECK(At(unknown, std::string(kValue) + "/errors/0/error_data/details") == "Error code 4242.");
  }
}

TEST_CASE("A payload is delivered as given, without an envelope", "[notification]") {
  SECTION("key order and values kept, whitespace dropped") {
    const std::string payload =
        R"({"zeta": 1, "alpha": {"y": [1, 2.5, -3, true, null], "x": "s"}, "object": "custom"})";
    const BuiltNotification built = BuildOk(R"({"payload": )" + payload + "}");
    CHECK(built.body ==
          R"({"zeta":1,"alpha":{"y":[1,2.5,-3,true,null],"x":"s"},"object":"custom"})");
    CHECK(json::parse(built.body) == json::parse(payload));
    CHECK_FALSE(built.message_id.has_value());
    CHECK(built.event_id.rfind("evt_", 0) == 0);
  }
  SECTION("an empty object") { CHECK(BuildOk(R"({"payload": {}})").body == "{}"); }
  SECTION("unicode, escaped or not, arrives as UTF-8") {
    const std::string payload =
        R"({"text": "Gr\u00fc\u00dfe \ud83d\udc4b 日本語 ✓", "quote": "\"a\\b\""})";
    const BuiltNotification built = BuildOk(R"({"payload": )" + payload + "}");
    CHECK(json::parse(built.body) == json::parse(payload));
    CHECK(built.body == "{\"text\":\"Grüße 👋 日本語 ✓\",\"quote\":\"\\\"a\\\\b\\\"\"}");
  }
  SECTION("a 3 MB Cloud API envelope with unicode text") {
    nlohmann::ordered_json big = {{"object", "whatsapp_business_account"},
                                  {"entry", nlohmann::ordered_json::array()}};
    const std::string text = "Olá 👋 ";  // 11 bytes of UTF-8
    std::string long_text;
    while (long_text.size() < std::size_t{3} * 1000 * 1000) long_text += text;
    big["entry"].push_back(
        {{"id", "1"}, {"changes", {{{"field", "messages"}, {"value", {{"text", long_text}}}}}}});
    const std::string compact = big.dump();
    REQUIRE(compact.size() > 3'000'000);
    const BuiltNotification built = BuildOk(R"({"payload": )" + big.dump(2) + "}");
    CHECK(built.body.size() == compact.size());
    CHECK(built.body == compact);
  }
}

TEST_CASE("BuildStatusNotification builds the status script's notifications", "[notification]") {
  const auto [status, name] = GENERATE(table<MessageStatus, std::string>({
      {MessageStatus::kSent, "sent"},
      {MessageStatus::kDelivered, "delivered"},
      {MessageStatus::kRead, "read"},
      {MessageStatus::kFailed, "failed"},
  }));
  CHECK(MessageStatusName(status) == name);
  CHECK(ParseMessageStatus(name) == status);
  const std::string body_text =
      BuildStatusNotification(TestChannel(), "wamid.S", status, "15551234567", TestNow());
  // The string overload is the same function.
  CHECK(BuildStatusNotification(TestChannel(), "wamid.S", name, "15551234567", TestNow()) ==
        body_text);
  const json body = ParseBuilt(body_text);
  const std::string at(kStatus);
  CHECK(At(body, "/object") == "whatsapp_business_account");
  CHECK(At(body, "/entry/0/id") == TestChannel().waba_id);
  CHECK(At(body, "/entry/0/changes/0/field") == "messages");
  CHECK(At(body, std::string(kValue) + "/metadata/display_phone_number") ==
        TestChannel().display_phone_number);
  CHECK(At(body, at + "/id") == "wamid.S");
  CHECK(At(body, at + "/status") == name);
  CHECK(At(body, at + "/timestamp") == std::to_string(testing::kNowSeconds));
  CHECK(At(body, at + "/recipient_id") == "15551234567");
  if (status == MessageStatus::kSent) {
    const std::string conversation_id = At(body, at + "/conversation/id");
    CHECK(conversation_id.size() == 32);
    CHECK(testing::IsLowerHex(conversation_id));
    CHECK(At(body, at + "/conversation/origin") == json{{"type", "service"}});
    CHECK(At(body, at + "/pricing") == json{{"billable", false},
                                            {"pricing_model", "PMP"},
                                            {"type", "free_customer_service"},
                                            {"category", "service"}});
  } else {
    CHECK_FALSE(Has(body, at + "/conversation"));
    CHECK_FALSE(Has(body, at + "/pricing"));
  }
  CHECK(Has(body, at + "/errors") == (status == MessageStatus::kFailed));
  CHECK(ParseMessageStatus("Sent") == std::nullopt);
}

TEST_CASE("A conversation id is stable per channel and recipient", "[notification]") {
  const auto ConversationOf = [](const core::ChannelIdentity& channel, const char* message_id,
                                 const char* recipient) {
    const json body = ParseBuilt(
        BuildStatusNotification(channel, message_id, MessageStatus::kSent, recipient, TestNow()));
    return At(body, std::string(kStatus) + "/conversation/id").get<std::string>();
  };
  const std::string first = ConversationOf(TestChannel(), "wamid.1", "15551234567");
  CHECK(ConversationOf(TestChannel(), "wamid.2", "15551234567") == first);
  CHECK(ConversationOf(TestChannel(), "wamid.1", "15557654321") != first);
  core::ChannelIdentity other = TestChannel();
  other.phone_number_id = "999";
  CHECK(ConversationOf(other, "wamid.1", "15551234567") != first);

  // The control endpoint's `sent` gives the same conversation for the same recipient.
  const json inbound = ParseBuilt(
      BuildOk(R"({"status": {"id": "wamid.X", "status": "sent", "recipient_id": "15551234567"}})")
          .body);
  CHECK(At(inbound, std::string(kStatus) + "/conversation/id") == first);
}

TEST_CASE("Bad inbound requests fail with the pointer of the problem", "[notification]") {
  const auto [request, expected] = GENERATE(table<std::string, std::string>({
      // The request itself.
      {"", "invalid_argument: request body is not valid JSON (syntax error at byte 1)"},
      {"[]", "invalid_argument: expected an object, got array"},
      {"{}", "invalid_argument: expected exactly one of message, status, error, payload"},
      {R"({"messages": {}})", "invalid_argument at /messages: unknown field"},
      {R"({"message": {"type": "unsupported"}, "status": {"id": "w", "status": "read"}})",
       "invalid_argument at /status: only one of message, status, error, payload may be given"},
      {R"({"error": {"code": 1}, "payload": {}})",
       "invalid_argument at /payload: only one of message, status, error, payload may be given"},
      {R"({"payload": {}, "payload": {}})",
       "invalid_argument: request body rejected: duplicate key 'payload' in an object"},
      // payload
      {R"({"payload": [1]})", "invalid_argument at /payload: expected an object, got array"},
      {R"({"payload": "{}"})", "invalid_argument at /payload: expected an object, got string"},
      {R"({"payload": {"a": 1, "a": 2}})",
       "invalid_argument: request body rejected: duplicate key 'a' in an object"},
      // status
      {R"({"status": {"status": "read"}})", "invalid_argument at /status/id: is required"},
      {R"({"status": {"id": "", "status": "read"}})",
       "invalid_argument at /status/id: must not be empty"},
      {R"({"status": {"id": "w"}})", "invalid_argument at /status/status: is required"},
      {R"({"status": {"id": "w", "status": "deleted"}})",
       "invalid_argument at /status/status: expected one of sent, delivered, read, failed"},
      {R"({"status": {"id": "w", "status": "read", "timestamp": "-5"}})",
       "invalid_argument at /status/timestamp: expected a string of Unix seconds (digits only)"},
      {R"({"status": {"id": "w", "status": "read", "recipient_id": 15551234567}})",
       "invalid_argument at /status/recipient_id: expected a string, got number"},
      {R"({"status": {"id": "w", "status": "read", "errors": [{"code": 1}]}})",
       "invalid_argument at /status/errors: only a failed status carries errors"},
      {R"({"status": {"id": "w", "status": "failed", "errors": []}})",
       "invalid_argument at /status/errors: must not be empty"},
      {R"({"status": {"id": "w", "status": "failed", "errors": [{"title": "x"}]}})",
       "invalid_argument at /status/errors/0/code: is required"},
      {R"({"status": {"id": "w", "status": "failed", "errors": [{"code": 1, "href": "x"}]}})",
       "invalid_argument at /status/errors/0/href: unknown field"},
      {R"({"status": {"id": "w", "status": "sent", "conversation": {"id": "c"}}})",
       "invalid_argument at /status/conversation/origin: is required"},
      {R"({"status": {"id": "w", "status": "sent", "conversation": {"id": "c", "origin": {"type": "service", "x": 1}}}})",
       "invalid_argument at /status/conversation/origin/x: unknown field"},
      {R"({"status": {"id": "w", "status": "sent", "pricing": {"billable": "true", "pricing_model": "CBP", "category": "service"}}})",
       "invalid_argument at /status/pricing/billable: expected a boolean, got string"},
      {R"({"status": {"id": "w", "status": "sent", "biz_opaque_callback_data": "x"}})",
       "invalid_argument at /status/biz_opaque_callback_data: unknown field"},
      // error
      {R"({"error": {}})", "invalid_argument at /error/code: is required"},
      {R"({"error": {"code": "130429"}})",
       "invalid_argument at /error/code: expected an integer, got string"},
      {R"({"error": {"code": 130429.5}})",
       "invalid_argument at /error/code: expected an integer, got number"},
      {R"({"error": {"code": -1}})",
       "invalid_argument at /error/code: must be a non-negative 64-bit integer"},
      {R"({"error": {"code": 1, "error_data": {"details": 5}}})",
       "invalid_argument at /error/error_data/details: expected a string, got number"},
      {R"({"error": [{"code": 1}]})", "invalid_argument at /error: expected an object, got array"},
  }));
  CHECK(BuildError(request) == expected);
}

}  // namespace
}  // namespace multihook::codec
