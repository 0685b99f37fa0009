// Secrets stay where they belong (issue #12 item 7, docs/semantics.md "Safe by default"): the
// signing secret, a channel's API key and a destination's header values are used on the wire but
// never appear in log lines, error bodies, the delivery journal, events, stats or the options.
#include <catch2/catch.hpp>
#include <mutex>

#include "harness/scripted_receiver.hpp"
#include "mock_server/codec/signature.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

constexpr char kSecretKey[] = "key-Zq7-channel";
constexpr char kWrongKey[] = "key-Zq7-not-a-channel";
constexpr char kSigningSecret[] = "sig-Zq7-secret";
constexpr char kToken[] = "tok-Zq7-bearer";
constexpr char kExtraToken[] = "tok-Zq7-extra";

void CheckClean(const std::string& where, const std::string& text) {
  CAPTURE(where, text);
  // kSigningSecret is a prefix of the secret the refused PATCH tries to set.
  for (const char* secret : {kSecretKey, kWrongKey, kSigningSecret, kToken, kExtraToken}) {
    CHECK(text.find(secret) == std::string::npos);
  }
}

std::string Text(const httplib::Result& res) {
  REQUIRE(res);
  std::string text = std::to_string(res->status) + "\n";
  for (const auto& [name, value] : res->headers) text += name + ": " + value + "\n";
  return text + res->body;
}

TEST_CASE("Secrets and API keys stay out of logs, errors, the journal, events, stats and options",
          "[http][security]") {
  harness::ReceiverOptions receiver_options;
  receiver_options.name = "main";
  auto receiver = harness::ScriptedReceiver::Start(receiver_options);
  REQUIRE(receiver.ok());
  app::MockOptions options = TestOptions();
  options.apply_delay = std::chrono::seconds(0);
  core::ChannelSpec secret_channel;
  secret_channel.api_key = kSecretKey;
  secret_channel.phone_number_id = "100000000000003";
  options.channels.push_back(secret_channel);
  options.signing_secret = kSigningSecret;
  auto route = core::ParseHostRoute("main.example.com=" + (*receiver)->BaseUrl());
  REQUIRE(route.ok());
  options.routes.push_back(*route);
  std::mutex log_mu;
  std::vector<std::string> log;
  TestMock mock(options, [&](std::string_view line) {
    std::lock_guard lock(log_mu);
    log.emplace_back(line);
  });

  const Json main{{"url", "https://main.example.com/wa"},
                  {"headers", {{"Authorization", std::string("Bearer ") + kToken}}}};
  REQUIRE(mock.Post("/v1/configs/webhook", main.dump(), kSecretKey)->status == 200);
  mock.Enable(
      Json::array({Dest("crm", "https://main.example.com/crm", {{"X-Token", kExtraToken}})}),
      kSecretKey);

  std::vector<std::pair<std::string, std::string>> seen;  // what was answered, by whom
  // A skipped duplicate: a warning on the log and in a response header.
  seen.emplace_back(
      "skipped duplicate",
      Text(mock.Put("/multi_webhook",
                    Json{{"destinations", Json::array({Dest("crm", "https://main.example.com/x",
                                                            {{"X-Token", kExtraToken}})})}}
                        .dump(),
                    kSecretKey)));
  seen.emplace_back("unknown key", Text(mock.Get("/multi_webhook", kWrongKey)));
  seen.emplace_back(
      "bad header value",
      Text(mock.Put(
          "/multi_webhook",
          Json{{"destinations", Json::array({Dest("bad", "https://main.example.com/b",
                                                  {{"X-Token", std::string(kToken) + "\u0001"}})})}}
              .dump(),
          kSecretKey)));
  // Refused all or nothing: the error names the bad key, and says nothing of the secret beside it.
  seen.emplace_back(
      "bad option",
      Text(mock.client().Patch(
          "/mock/options", Json{{"signing_secret", "sig-Zq7-secret-2"}, {"timeout", "soon"}}.dump(),
          "application/json")));

  auto inbound = mock.Post("/mock/inbound",
                           R"({"message": {"type": "text", "text": {"body": "hi"}}})", kSecretKey);
  REQUIRE(inbound->status == 202);
  const std::string event_id = BodyOf(inbound).at("event_id");
  seen.emplace_back("inbound", Text(inbound));
  seen.emplace_back(
      "deliveries",
      Text(mock.client().Get(
          ("/mock/deliveries?min_count=2&timeout_ms=5000&event_id=" + event_id).c_str())));
  seen.emplace_back("event", Text(mock.client().Get(("/mock/events/" + event_id).c_str())));
  seen.emplace_back("stats", Text(mock.client().Get("/mock/stats")));
  seen.emplace_back("options", Text(mock.client().Get("/mock/options")));

  // The secrets were in use: the receiver got them on the wire.
  auto got = (*receiver)->WaitForRequests(2);
  REQUIRE(got.ok());
  CHECK(got->at(0).Header("Authorization") == std::string("Bearer ") + kToken);
  CHECK(codec::SignatureMatches(kSigningSecret, got->at(0).body,
                                got->at(0).Header(std::string(core::kSignatureHeader))));
  CHECK(got->at(1).Header("X-Token") == kExtraToken);
  CHECK(BodyOf(mock.client().Get("/mock/options")).at("signing_secret") == "********");
  CHECK(seen.at(0).second.find("skipped destination 'crm'") != std::string::npos);
  CHECK(seen.at(1).second.rfind("401", 0) == 0);
  CHECK(seen.at(2).second.rfind("400", 0) == 0);
  CHECK(seen.at(3).second.rfind("400", 0) == 0);
  CHECK(seen.at(5).second.find("\"destination\":\"crm\"") != std::string::npos);

  for (const auto& [where, text] : seen) CheckClean(where, text);
  std::lock_guard lock(log_mu);
  REQUIRE_FALSE(log.empty());
  for (const std::string& line : log) CheckClean("log", line);
}

}  // namespace
}  // namespace multihook::testing
