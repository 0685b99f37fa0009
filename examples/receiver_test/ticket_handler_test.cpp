// Tests the partner's handler against a scripted CRM: multihook::harness::ScriptedReceiver is a
// real HTTP server on an ephemeral loopback port that answers from a script and records every
// request; WaitForRequests is a bounded wait that says what it expected and what came.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "harness/scripted_receiver.hpp"
#include "ticket_handler.hpp"

namespace {

using multihook::harness::Answer;
using multihook::harness::ReceiverOptions;
using multihook::harness::ScriptedReceiver;

std::unique_ptr<ScriptedReceiver> StartCrm() {
  ReceiverOptions options;
  options.name = "crm";
  auto crm = ScriptedReceiver::Start(options);
  if (!crm.ok()) FAIL(crm.status().ToString());
  return std::move(*crm);
}

// A provider notification with one inbound text message (contract §7 shape).
std::string TextNotification(const std::string& text) {
  return nlohmann::json{
      {"object", "whatsapp_business_account"},
      {"entry",
       {{{"id", "102290129340398"},
         {"changes",
          {{{"field", "messages"},
            {"value",
             {{"messaging_product", "whatsapp"},
              {"metadata",
               {{"display_phone_number", "15550783881"}, {"phone_number_id", "106540352242922"}}},
              {"contacts", {{{"profile", {{"name", "Sheena Nelson"}}}, {"wa_id", "16505551234"}}}},
              {"messages",
               {{{"from", "16505551234"},
                 {"id", "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="},
                 {"timestamp", "1749416383"},
                 {"type", "text"},
                 {"text", {{"body", text}}}}}}}}}}}}}}}
      .dump();
}

TEST_CASE("An inbound text message opens a ticket in the CRM", "[example]") {
  auto crm = StartCrm();
  crm->Script({Answer::Status(201)});
  const partner::TicketHandler handler(crm->BaseUrl());

  CHECK(handler.Handle(TextNotification("Where is my order #4711?")) == 200);

  auto requests = crm->WaitForRequests(1, std::chrono::seconds(5));
  REQUIRE(requests.ok());  // on failure: "timed out after 5000 ms waiting for 1 requests to 'crm'..."
  const auto& ticket = requests->at(0);
  CHECK(ticket.method == "POST");
  CHECK(ticket.path == "/tickets");
  const auto body = nlohmann::json::parse(ticket.body);
  CHECK(body.at("from") == "16505551234");
  CHECK(body.at("text") == "Where is my order #4711?");
}

TEST_CASE("A CRM outage answers the provider 503 so that it retries", "[example]") {
  auto crm = StartCrm();
  crm->Script({Answer::Status(503)});
  const partner::TicketHandler handler(crm->BaseUrl());

  CHECK(handler.Handle(TextNotification("Hello")) == 503);
  CHECK(crm->WaitForRequests(1).ok());
}

TEST_CASE("A body that is not a notification is rejected without calling the CRM", "[example]") {
  auto crm = StartCrm();
  const partner::TicketHandler handler(crm->BaseUrl());
  CHECK(handler.Handle("{\"hello\": 1}") == 400);
  CHECK(crm->RequestCount() == 0);
}

}  // namespace
