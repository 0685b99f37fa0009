// A partner's receiver test: the partner's receiver (ticket_handler.*) is served on an ephemeral
// loopback port and gets realistic signed notifications, built by multihook's notification
// builder and signing helper (the code the mock delivers with), over real HTTP.
#define CATCH_CONFIG_MAIN
#include "ticket_handler.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "mock_server/codec/notification_codec.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace {

using multihook::codec::BuildInboundNotification;
using multihook::codec::SignatureHex;

constexpr char kSecret[] = "s3cret";

// The channel as the provider identifies it in every notification's metadata.
const multihook::core::ChannelIdentity kChannel{"demo-key", "106540352242922", "15550783881",
                                                "102290129340398"};

// A notification as the mock would deliver it, for a `POST /mock/inbound` body.
std::string Notification(const std::string& inbound, std::uint64_t seed = 7) {
  multihook::core::IdSource ids(seed);
  const multihook::core::WallTime now{std::chrono::seconds(1767225600)};
  auto built = BuildInboundNotification(inbound, kChannel, now, ids);
  if (!built.ok()) FAIL(built.status().ToString());
  return built->body;
}

struct Receiver {
  partner::TicketHandler handler{kSecret};
  std::unique_ptr<partner::TicketServer> server = partner::TicketServer::Start(handler);
  httplib::Client client{"127.0.0.1", server ? server->port() : 0};

  // POSTs `body` as the provider does; the status the receiver answered (0: no answer).
  int Deliver(const std::string& body, const std::string& signature) {
    httplib::Headers headers;
    if (!signature.empty()) headers.emplace("x-360dialog-signature", signature);
    const auto answer = client.Post("/webhook", headers, body, "application/json");
    return answer ? answer->status : 0;
  }
  int DeliverSigned(const std::string& body) { return Deliver(body, SignatureHex(kSecret, body)); }
};

TEST_CASE("A signed text message is accepted and opens a ticket", "[receiver]") {
  Receiver receiver;
  REQUIRE(receiver.server != nullptr);
  const std::string body = Notification(
      R"({"message": {"type": "text", "from": "16505551234", "id": "wamid.T1",
          "text": {"body": "Where is my order #4711? Grüße"}}})");

  CHECK(receiver.DeliverSigned(body) == 200);

  const auto tickets = receiver.handler.Tickets();
  REQUIRE(tickets.size() == 1);
  CHECK(tickets[0].from == "16505551234");
  CHECK(tickets[0].text == "Where is my order #4711? Grüße");
  CHECK(tickets[0].message_id == "wamid.T1");
}

TEST_CASE("Every notification the provider sends is accepted", "[receiver]") {
  Receiver receiver;
  REQUIRE(receiver.server != nullptr);
  const auto inbound = GENERATE(
      as<std::string>{}, R"({"message": {"type": "image", "image": {"caption": "a cat"}}})",
      R"({"message": {"type": "audio", "audio": {"voice": true}}})",
      R"({"message": {"type": "video"}})",
      R"({"message": {"type": "document", "document": {"filename": "invoice.pdf"}}})",
      R"({"message": {"type": "sticker"}})",
      R"({"message": {"type": "location", "location": {"latitude": 52.52, "longitude": 13.405}}})",
      R"({"message": {"type": "contacts", "contacts": [{"name": {"formatted_name": "Bo"}}]}})",
      R"({"message": {"type": "interactive", "interactive": {"type": "button_reply",
          "button_reply": {"id": "yes", "title": "Yes"}}}})",
      R"({"message": {"type": "button", "button": {"payload": "STOP", "text": "Stop"}}})",
      R"({"message": {"type": "reaction", "reaction": {"message_id": "wamid.A", "emoji": "👍"}}})",
      R"({"message": {"type": "unsupported"}})",
      R"({"status": {"id": "wamid.OUT", "status": "sent"}})",
      R"({"status": {"id": "wamid.OUT", "status": "read"}})",
      R"({"status": {"id": "wamid.OUT", "status": "failed"}})", R"({"error": {"code": 130429}})");
  INFO(inbound);
  CHECK(receiver.DeliverSigned(Notification(inbound)) == 200);
  CHECK(receiver.handler.Tickets().empty());  // only text messages open tickets
}

TEST_CASE("A wrong or missing signature is refused and opens nothing", "[receiver]") {
  Receiver receiver;
  REQUIRE(receiver.server != nullptr);
  const std::string body =
      Notification(R"({"message": {"type": "text", "text": {"body": "hello"}}})");

  SECTION("signed with another secret") {
    CHECK(receiver.Deliver(body, SignatureHex("not-the-secret", body)) == 401);
  }
  SECTION("the body changed after signing") {
    std::string changed = body;
    changed.replace(changed.find("hello"), 5, "HELLO");
    CHECK(receiver.Deliver(changed, SignatureHex(kSecret, body)) == 401);
  }
  SECTION("uppercase hex") {
    std::string upper = SignatureHex(kSecret, body);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(receiver.Deliver(body, upper) == 401);
  }
  SECTION("no signature header") { CHECK(receiver.Deliver(body, "") == 401); }
  CHECK(receiver.handler.Tickets().empty());
}

TEST_CASE("A signed body that is not a notification is refused", "[receiver]") {
  Receiver receiver;
  REQUIRE(receiver.server != nullptr);
  CHECK(receiver.DeliverSigned(R"({"hello": 1})") == 400);
  CHECK(receiver.DeliverSigned("not json") == 400);
  CHECK(receiver.DeliverSigned(R"({"object": "whatsapp_business_account", "entry": [{}]})") == 400);
  CHECK(receiver.handler.Tickets().empty());
}

}  // namespace
