// GET /mock/ui and its long-poll over HTTP: a MockProvider on an ephemeral loopback port and a
// scripted receiver; bounded waits only.
#include <catch2/catch.hpp>
#include <chrono>
#include <future>

#include "harness/scripted_receiver.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

std::unique_ptr<harness::ScriptedReceiver> MainReceiver() {
  harness::ReceiverOptions options;
  options.name = "main";
  auto receiver = harness::ScriptedReceiver::Start(std::move(options));
  if (!receiver.ok()) FAIL(receiver.status().ToString());
  return std::move(*receiver);
}

std::unique_ptr<TestMock> MockDeliveringTo(const harness::ScriptedReceiver& main) {
  app::MockOptions options = TestOptions();
  auto route = core::ParseHostRoute("main.example.com=" + main.BaseUrl());
  REQUIRE(route.ok());
  options.routes.push_back(*route);
  auto mock = std::make_unique<TestMock>(options);
  auto res = mock->Post("/v1/configs/webhook", R"({"url": "https://main.example.com/wa"})");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return mock;
}

TEST_CASE("GET /mock/ui: a server-rendered page and its own assets, nothing from elsewhere",
          "[ui][api]") {
  TestMock mock;
  auto page = mock.client().Get("/mock/ui");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK_THAT(page->body, Catch::StartsWith("<!doctype html><html lang=\"en\">"));
  CHECK_THAT(page->body, Catch::Contains("<ol id=\"events\" data-last-seq=\"0\" data-live=\"1\">"));
  CHECK_THAT(page->body, Catch::Contains("<code>100000000000002</code>"));  // channels
  CHECK_THAT(page->body, !Catch::Contains("src=\"http") && !Catch::Contains("href=\"http"));
  for (const auto& [path, type] : {std::pair{"/mock/ui/app.js", "text/javascript; charset=utf-8"},
                                   std::pair{"/mock/ui/style.css", "text/css; charset=utf-8"}}) {
    auto asset = mock.client().Get(path);
    REQUIRE(asset);
    CHECK(asset->status == 200);
    CHECK(asset->get_header_value("Content-Type") == type);
    CHECK(asset->body.size() > 100);
  }
}

TEST_CASE("GET /mock/ui: a bad filter is a 400 in the {error} shape", "[ui][api]") {
  TestMock mock;
  for (const auto& [path, error] :
       {std::pair{"/mock/ui?status=500",
                  "invalid_argument at ?status: expected 2xx, 3xx, 4xx, 5xx or error"},
        std::pair{"/mock/ui?channel=nope",
                  "invalid_argument at ?channel: no channel has phone_number_id 'nope'"},
        std::pair{"/mock/ui/events?timeout_ms=60001",
                  "invalid_argument at ?timeout_ms: expected a whole number from 0 to 60000"},
        std::pair{"/mock/ui/events?channels_tag=0123456789abcdef0",
                  "invalid_argument at ?channels_tag: expected at most 16 characters"}}) {
    auto res = mock.client().Get(path);
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(BodyOf(res) == Json{{"error", error}});
  }
}

TEST_CASE("GET /mock/ui/events: the long-poll answers when an attempt finishes, with the event",
          "[ui][api]") {
  auto main = MainReceiver();
  auto mock = MockDeliveringTo(*main);
  auto first = mock->client().Get("/mock/ui/events");
  REQUIRE(first);
  const Json before = BodyOf(first);
  CHECK(before.at("events").empty());
  const std::uint64_t last_seq = before.at("last_seq").get<std::uint64_t>();

  const std::string base = mock->BaseUrl();
  const auto started = std::chrono::steady_clock::now();
  auto poll = std::async(std::launch::async, [&base, last_seq] {
    httplib::Client client = MakeClient(base);
    client.set_read_timeout(std::chrono::seconds(15));
    return client.Get(
        ("/mock/ui/events?timeout_ms=10000&after_seq=" + std::to_string(last_seq)).c_str());
  });
  auto sent =
      mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "x"}}})");
  REQUIRE(sent);
  REQUIRE(sent->status == 202);
  const std::string event_id = BodyOf(sent).at("event_id");

  REQUIRE(poll.wait_for(std::chrono::seconds(15)) == std::future_status::ready);
  auto answered = poll.get();
  REQUIRE(answered);
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(took < std::chrono::seconds(5));  // woken by the attempt, not by its 10 s timeout
  const Json update = BodyOf(answered);
  INFO(update.dump());
  REQUIRE(update.at("events").size() == 1);
  CHECK(update.at("events")[0].at("event_id") == event_id);
  CHECK_THAT(update.at("events")[0].at("html").get<std::string>(),
             Catch::Contains("gate opened by main's 200"));
  CHECK(update.at("last_seq").get<std::uint64_t>() == last_seq + 1);
}

// The channels as the long-poll last saw them, and a long-poll waiting from there.
std::future<httplib::Result> PollFrom(const std::string& base, const Json& seen) {
  const std::string query = "/mock/ui/events?timeout_ms=10000&after_seq=" +
                            std::to_string(seen.at("last_seq").get<std::uint64_t>()) +
                            "&channels_tag=" + seen.at("channels_tag").get<std::string>();
  return std::async(std::launch::async, [base, query] {
    httplib::Client client = MakeClient(base);
    client.set_read_timeout(std::chrono::seconds(15));
    return client.Get(query.c_str());
  });
}

TEST_CASE("GET /mock/ui/events: a config change wakes the long-poll, and so does its apply time",
          "[ui][api]") {
  TestMock mock;  // apply delay 2 s on a manual clock
  auto first = mock.client().Get("/mock/ui/events");
  REQUIRE(first);
  Json seen = BodyOf(first);
  CHECK_THAT(seen.at("channels_html").get<std::string>(), Catch::Contains("Pending changes: none"));

  // Accepted, not applied: the panel lists the pending change with its due time.
  auto poll = PollFrom(mock.BaseUrl(), seen);
  auto enabled = mock.Post(
      "/multi_webhook",
      Json{{"enabled", true}, {"destinations", {Dest("crm", "https://crm.example.com/wa")}}}
          .dump());
  REQUIRE(enabled);
  REQUIRE(enabled->status == 200);
  REQUIRE(poll.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  auto answered = poll.get();
  REQUIRE(answered);
  seen = BodyOf(answered);
  CHECK(seen.at("events").empty());
  CHECK_THAT(seen.at("channels_html").get<std::string>(),
             Catch::Contains("<code>POST /multi_webhook</code> due <time"));
  CHECK(seen.at("channels_tag") != BodyOf(first).at("channels_tag"));

  // Nothing changes: the poll waits for its timeout (not answered within 300 ms).
  poll = PollFrom(mock.BaseUrl(), seen);
  CHECK(poll.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
  // The apply time passes (no request touches the store): the poll finds the applied config.
  mock.AwaitApply();
  REQUIRE(poll.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  answered = poll.get();
  REQUIRE(answered);
  const std::string applied = BodyOf(answered).at("channels_html");
  CHECK_THAT(applied, Catch::Contains("enabled, 1 configured"));
  CHECK_THAT(applied, Catch::Contains("<strong>crm</strong>"));
  CHECK_THAT(applied, Catch::Contains("Pending changes: none"));
}

}  // namespace
}  // namespace multihook::testing
