// The delivery path end to end over loopback: POST /mock/inbound -> the mock -> scripted
// receivers, checked on the receivers and through the journal, events and stats endpoints.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include "harness/scripted_receiver.hpp"
#include "tests/support/test_certificate.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

using harness::Answer;
using harness::ScriptedReceiver;
using std::chrono::milliseconds;

std::unique_ptr<ScriptedReceiver> Receiver(const std::string& name,
                                           harness::ReceiverOptions options = {}) {
  options.name = name;
  auto receiver = ScriptedReceiver::Start(std::move(options));
  if (!receiver.ok()) FAIL(receiver.status().ToString());
  return std::move(*receiver);
}

std::string AsciiLowerForTest(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::vector<harness::ReceivedRequest> Await(const ScriptedReceiver& receiver, std::size_t count) {
  auto got = receiver.WaitForRequests(count);
  if (!got.ok()) FAIL(got.status().reason());
  return *got;
}

// A mock whose real-looking destination hosts are routed to local receivers.
struct DeliveryFixture {
  std::unique_ptr<ScriptedReceiver> main = Receiver("main");
  std::unique_ptr<ScriptedReceiver> crm = Receiver("crm");
  std::unique_ptr<ScriptedReceiver> analytics = Receiver("analytics");
  std::unique_ptr<ScriptedReceiver> backup = Receiver("backup");
  std::unique_ptr<TestMock> mock;

  explicit DeliveryFixture(app::MockOptions options = TestOptions()) {
    options.apply_delay = std::chrono::seconds(0);
    for (auto [host, receiver] :
         {std::pair{"main.example.com", main.get()}, std::pair{"crm.example.com", crm.get()},
          std::pair{"analytics.example.com", analytics.get()},
          std::pair{"backup.example.com", backup.get()}}) {
      auto route = core::ParseHostRoute(std::string(host) + "=" + receiver->BaseUrl());
      REQUIRE(route.ok());
      options.routes.push_back(*route);
    }
    mock = std::make_unique<TestMock>(options);
  }

  void ConfigureAll(bool extras = true) {
    auto res = mock->Post("/v1/configs/webhook",
                          R"({"url": "https://main.example.com/wa", "headers": {"X-Main": "m"}})");
    REQUIRE(res->status == 200);
    if (!extras) return;
    mock->Enable(Json::array(
        {Dest("crm", "https://crm.example.com/hooks/wa", {{"Authorization", "Bearer c"}}),
         Dest("analytics", "https://analytics.example.com/in"),
         Dest("backup", "https://backup.example.com/wa")}));
  }

  Json Inbound(const Json& body = Json{
                   {"message", {{"type", "text"}, {"text", {{"body", "hi"}}}}}}) {
    auto res = mock->Post("/mock/inbound", body.dump());
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 202);
    return BodyOf(res);
  }

  Json Deliveries(const std::string& query) {
    auto res = mock->client().Get(("/mock/deliveries?" + query).c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return BodyOf(res);
  }
};

TEST_CASE("Main first; after its 200 every extra gets a byte-identical clone, in order",
          "[http][delivery]") {
  DeliveryFixture f;
  f.ConfigureAll();
  const Json accepted = f.Inbound();
  const std::string event_id = accepted.at("event_id");
  CHECK(accepted.at("message_id").get<std::string>().rfind("wamid.", 0) == 0);

  const auto main = Await(*f.main, 1);
  const auto crm = Await(*f.crm, 1);
  const auto analytics = Await(*f.analytics, 1);
  const auto backup = Await(*f.backup, 1);
  const std::string& body = main[0].body;
  const Json envelope = Json::parse(body);
  CHECK(envelope.at("object") == "whatsapp_business_account");
  CHECK(envelope.at("entry")[0].at("changes")[0].at("value").at("metadata").at("phone_number_id") ==
        "100000000000001");
  CHECK(crm[0].body == body);
  CHECK(analytics[0].body == body);
  CHECK(backup[0].body == body);
  CHECK(main[0].path == "/wa");
  CHECK(crm[0].path == "/hooks/wa");
  CHECK(main[0].Header("X-Main") == "m");
  CHECK(crm[0].Header("Authorization") == "Bearer c");
  CHECK(crm[0].Header("X-Main").empty());
  CHECK(main[0].Header("Content-Type") == "application/json");
  CHECK(main[0].Header("x-360dialog-signature").empty());  // no secret configured
  CHECK(main[0].Header("X-Hub-Signature-256").empty());

  const Json journal = f.Deliveries("event_id=" + event_id + "&min_count=4&timeout_ms=5000");
  CHECK(journal.at("timed_out") == false);
  const Json& entries = journal.at("deliveries");
  REQUIRE(entries.size() == 4);
  const std::vector<std::string> order = {"main", "crm", "analytics", "backup"};
  for (std::size_t i = 0; i < 4; ++i) {
    INFO(entries[i].dump());
    CHECK(entries[i].at("destination") == order[i]);
    CHECK(entries[i].at("status") == 200);
    CHECK(entries[i].at("gate") == (i == 0 ? "open" : "after_main"));
    if (i > 0) {
      // Sequential: each extra starts after the previous one ended.
      CHECK(entries[i].at("started_at_us").get<long long>() >=
            entries[i - 1].at("started_at_us").get<long long>() +
                entries[i - 1].at("duration_us").get<long long>());
    }
  }
  CHECK(entries[0].at("url") == "https://main.example.com/wa");  // stored URL, not the route

  auto event = BodyOf(f.mock->client().Get(("/mock/events/" + event_id).c_str()));
  CHECK(event.at("state") == "delivered");
  CHECK(event.at("attempts").size() == 4);
  CHECK(event.at("extras").size() == 3);
}

TEST_CASE("Only exactly 200 opens the gate; a failed main delivery is retried",
          "[http][delivery][gate]") {
  DeliveryFixture f;
  f.ConfigureAll();
  const int status = GENERATE(201, 204, 302, 404, 500);
  f.main->Script({Answer::Status(status)});
  const std::string event_id = f.Inbound().at("event_id");
  const Json first = f.Deliveries("event_id=" + event_id + "&min_count=1&timeout_ms=5000");
  REQUIRE(first.at("deliveries").size() == 1);
  CHECK(first.at("deliveries")[0].at("status") == status);
  CHECK(first.at("deliveries")[0].at("gate") == "closed");
  auto event = BodyOf(f.mock->client().Get(("/mock/events/" + event_id).c_str()));
  CHECK(event.at("state") == "retrying");
  CHECK(f.crm->RequestCount() == 0);

  // The retry is due 1 s later on the mock's (manual) clock.
  f.mock->clock().Advance(std::chrono::seconds(1));
  f.mock->mock().WakeDeliveries();
  const Json all = f.Deliveries("event_id=" + event_id + "&min_count=5&timeout_ms=5000");
  REQUIRE(all.at("deliveries").size() == 5);
  CHECK(all.at("deliveries")[1].at("attempt") == 2);
  CHECK(all.at("deliveries")[1].at("gate") == "open");
  CHECK(Await(*f.crm, 1)[0].body == Await(*f.main, 2)[1].body);
}

TEST_CASE("Timeouts and resets close the gate; the mock survives hostile receivers",
          "[http][delivery][gate]") {
  auto options = TestOptions();
  options.delivery.timeout = milliseconds(200);
  DeliveryFixture f(options);
  f.ConfigureAll();
  f.main->Script({Answer::Delayed(milliseconds(600)), Answer::Reset(),
                  Answer{Answer::Kind::kRespond, 200, {}, std::string(4 << 20, 'x')}});
  const std::string id1 = f.Inbound().at("event_id");
  const std::string id2 = f.Inbound().at("event_id");
  const std::string id3 = f.Inbound().at("event_id");
  const Json journal = f.Deliveries("destination=main&min_count=3&timeout_ms=5000");
  REQUIRE(journal.at("deliveries").size() == 3);
  std::map<std::string, Json> by_event;
  for (const Json& e : journal.at("deliveries")) by_event[e.at("event_id")] = e;
  // Arrival order at the receiver decides which event got which answer; count the outcomes.
  std::multiset<std::string> outcomes;
  for (const auto& [id, e] : by_event) {
    outcomes.insert(e.at("error").is_null() ? std::to_string(e.at("status").get<int>())
                                            : e.at("error").get<std::string>());
  }
  CHECK(outcomes == std::multiset<std::string>{"200", "reset", "timeout"});
  CHECK(f.mock->client().Get("/mock/health")->status == 200);
}

TEST_CASE("Signatures: lowercase hex HMAC-SHA256 of the raw body", "[http][delivery][signature]") {
  auto options = TestOptions();
  options.signing_secret = "s3cr3t";
  DeliveryFixture f(options);
  f.ConfigureAll();
  f.Inbound();
  const auto main = Await(*f.main, 1);
  const auto crm = Await(*f.crm, 1);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const std::string secret = "s3cr3t";
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(main[0].body.data()), main[0].body.size(), digest,
       &length);
  std::string expected;
  for (unsigned int i = 0; i < length; ++i) {
    static constexpr char kHex[] = "0123456789abcdef";
    expected += kHex[digest[i] >> 4];
    expected += kHex[digest[i] & 0xf];
  }
  CHECK(main[0].Header("x-360dialog-signature") == expected);
  CHECK(crm[0].Header("x-360dialog-signature") == expected);
}

TEST_CASE("GET /mock/events/{id}: the delivered body, its signature and type, while kept",
          "[http][delivery][signature]") {
  auto options = TestOptions();
  options.signing_secret = "s3cr3t";
  options.keep_bodies = 1;
  DeliveryFixture f(options);
  f.ConfigureAll(false);
  const std::string first = f.Inbound().at("event_id");
  const auto main = Await(*f.main, 1);
  auto event = f.mock->control().GetEvent(first);
  REQUIRE(event.ok());
  CHECK(event->type == "text");
  CHECK(event->body == main[0].body);
  CHECK(event->signature == main[0].Header("x-360dialog-signature"));

  // The next event evicts it (--keep-bodies 1): the event is still known, its body is not.
  const std::string second =
      f.Inbound(Json{{"status", {{"id", "wamid.A"}, {"status", "read"}}}}).at("event_id");
  Await(*f.main, 2);
  event = f.mock->control().GetEvent(first);
  REQUIRE(event.ok());
  CHECK_FALSE(event->type);
  CHECK_FALSE(event->body);
  CHECK_FALSE(event->signature);
  CHECK(f.mock->control().GetEvent(second)->type == "status:read");
}

// The provider's page enables the feature with these headers; each is accepted as written and
// delivered unchanged. A configured Content-Type replaces the default: exactly one is sent.
TEST_CASE("The provider's header samples are accepted and delivered verbatim",
          "[http][delivery][headers]") {
  DeliveryFixture f;
  auto res =
      f.mock->Post("/v1/configs/webhook", R"({"url": "https://main.example.com/wa", "headers": )"
                                          R"({"content-type": "application/vnd.partner+json", )"
                                          R"("Authorization": "Bearer main-token"}})");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  auto enabled = f.mock->Post("/multi_webhook", R"({"enabled": true, "destinations": [
      {"name": "crm", "url": "https://crm.example.com/in",
       "headers": {"Content-Type": "application/json"}},
      {"name": "analytics", "url": "https://analytics.example.com/in",
       "headers": {"Authorization": "Bearer <token>"}},
      {"name": "backup", "url": "https://backup.example.com/in",
       "headers": {"Authorization": "D360-API-KEY <key>"}}]})");
  REQUIRE(enabled);
  INFO(enabled->body);
  REQUIRE(enabled->status == 200);
  CHECK(BodyOf(enabled) == Json{{"message", kStarted}});
  f.mock->AwaitApply();
  f.Inbound();

  const auto content_types = [](const harness::ReceivedRequest& r) {
    std::vector<std::string> values;
    for (const auto& [name, value] : r.headers) {
      if (AsciiLowerForTest(name) == "content-type") values.push_back(value);
    }
    return values;
  };
  const auto main = Await(*f.main, 1);
  CHECK(content_types(main[0]) == std::vector<std::string>{"application/vnd.partner+json"});
  CHECK(main[0].Header("Authorization") == "Bearer main-token");
  const auto crm = Await(*f.crm, 1);
  CHECK(content_types(crm[0]) == std::vector<std::string>{"application/json"});
  const auto analytics = Await(*f.analytics, 1);
  CHECK(content_types(analytics[0]) == std::vector<std::string>{"application/json"});
  CHECK(analytics[0].Header("Authorization") == "Bearer <token>");
  const auto backup = Await(*f.backup, 1);
  CHECK(backup[0].Header("Authorization") == "D360-API-KEY <key>");
  CHECK(backup[0].body == main[0].body);
}

// Nothing of the HTTP library the mock is built on reaches a receiver: deliveries carry a neutral
// User-Agent (--user-agent), and a destination's own User-Agent header wins.
TEST_CASE("Deliveries carry the mock's User-Agent, configurable, never the library's",
          "[http][delivery][headers]") {
  const auto no_library_trace = [](const harness::ReceivedRequest& r) {
    for (const auto& [name, value] : r.headers) {
      INFO(name << ": " << value);
      CHECK(AsciiLowerForTest(name + ": " + value).find("httplib") == std::string::npos);
    }
  };
  SECTION("the default names the mock and its version") {
    DeliveryFixture f;
    f.ConfigureAll();
    f.Inbound();
    const auto main = Await(*f.main, 1);
    CHECK(main[0].Header("User-Agent") == std::string("multihook/") + app::kMockVersion);
    no_library_trace(main[0]);
    const auto crm = Await(*f.crm, 1);
    CHECK(crm[0].Header("User-Agent") == std::string("multihook/") + app::kMockVersion);
    no_library_trace(crm[0]);
  }
  SECTION("--user-agent replaces it; a destination's own User-Agent wins") {
    app::MockOptions options = TestOptions();
    options.transport.user_agent = "partner-ci/7";
    DeliveryFixture f(options);
    f.ConfigureAll(false);
    f.mock->Enable(
        Json::array({Dest("crm", "https://crm.example.com/in", {{"user-agent", "crm-probe/1"}})}));
    f.Inbound();
    const auto main = Await(*f.main, 1);
    CHECK(main[0].Header("User-Agent") == "partner-ci/7");
    no_library_trace(main[0]);
    const auto crm = Await(*f.crm, 1);
    CHECK(crm[0].headers.count("User-Agent") == 1);
    CHECK(crm[0].Header("User-Agent") == "crm-probe/1");
  }
}

TEST_CASE("Disabled multi-webhook: main only; no main webhook: undeliverable", "[http][delivery]") {
  DeliveryFixture f;
  f.ConfigureAll();
  REQUIRE(f.mock->Post("/multi_webhook", R"({"enabled": false})")->status == 200);
  const std::string id = f.Inbound().at("event_id");
  CHECK(f.Deliveries("event_id=" + id + "&min_count=1&timeout_ms=5000").at("deliveries").size() ==
        1);
  auto event = BodyOf(f.mock->client().Get(("/mock/events/" + id).c_str()));
  CHECK(event.at("state") == "delivered");
  CHECK(f.crm->RequestCount() == 0);

  auto res =
      f.mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "x"}}})",
                   kOtherKey);  // the other channel has no main webhook
  REQUIRE(res->status == 202);
  const std::string orphan = BodyOf(res).at("event_id");
  const Json journal = f.Deliveries("event_id=" + orphan + "&min_count=1&timeout_ms=5000");
  REQUIRE(journal.at("deliveries").size() == 1);
  CHECK(journal.at("deliveries")[0].at("error") == "no_webhook");
  CHECK(BodyOf(f.mock->client().Get(("/mock/events/" + orphan).c_str())).at("state") ==
        "undeliverable");
}

TEST_CASE("At --max-pending, inbound notifications and sends get 429 with Retry-After",
          "[http][delivery][limits]") {
  auto options = TestOptions();
  options.delivery.max_pending = 2;
  DeliveryFixture f(options);
  f.ConfigureAll(false);
  f.main->Script({Answer::Status(500), Answer::Status(500)});  // both wait for a retry
  f.Inbound();
  f.Inbound();
  const auto stats = [&] { return BodyOf(f.mock->client().Get("/mock/stats")); };
  CHECK(stats().at("submitted") == 2);

  auto refused =
      f.mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "x"}}})");
  REQUIRE(refused);
  CHECK(refused->status == 429);
  CHECK(refused->get_header_value("Retry-After") == "1");
  CHECK(BodyOf(refused).at("error") ==
        "resource_exhausted: 2 notifications are still being delivered, the most the mock holds "
        "at once is 2 (--max-pending); retry when some are delivered");
  auto send = f.mock->Post(
      "/messages",
      R"({"messaging_product": "whatsapp", "to": "4915112345678", "type": "text", "text": {"body": "x"}})");
  REQUIRE(send);
  CHECK(send->status == 429);
  CHECK(stats().at("submitted") == 2);  // nothing was scheduled for the refused send

  // The retries (due 1 s after each failure, on the test's clock) get 200: room again. Both
  // failures must be journaled, and so their retries scheduled, before the clock moves.
  REQUIRE(f.Deliveries("destination=main&min_count=2&timeout_ms=5000").at("timed_out") == false);
  f.mock->clock().Advance(std::chrono::seconds(2));
  f.mock->mock().WakeDeliveries();
  CHECK(f.Deliveries("destination=main&min_count=4&timeout_ms=5000").at("timed_out") == false);
  f.Inbound();
}

TEST_CASE("HTTPS destinations with a test CA", "[http][delivery][tls]") {
  TestCertificate cert;
  harness::ReceiverOptions tls;
  tls.cert_file = cert.cert_file();
  tls.key_file = cert.key_file();
  auto secure = Receiver("secure", tls);
  auto options = TestOptions();
  options.apply_delay = std::chrono::seconds(0);
  options.transport.ca_file = cert.cert_file();
  auto route = core::ParseHostRoute("secure.example.com=" + secure->BaseUrl());
  REQUIRE(route.ok());
  options.routes.push_back(*route);
  TestMock mock(options);
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://secure.example.com/wa"})")->status ==
          200);
  REQUIRE(mock.Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "tls"}}})")
              ->status == 202);
  const auto got = Await(*secure, 1);
  CHECK(Json::parse(got[0].body)
            .at("entry")[0]
            .at("changes")[0]
            .at("value")
            .at("messages")[0]
            .at("text")
            .at("body") == "tls");
}

TEST_CASE("Routes can be added at run time and are listed", "[http][delivery][route]") {
  TestMock mock;
  auto receiver = Receiver("late");
  auto added = mock.client().Post("/mock/routes",
                                  Json{{"route", "late.example.com=" + receiver->BaseUrl()}}.dump(),
                                  "application/json");
  REQUIRE(added);
  CHECK(added->status == 201);
  CHECK(BodyOf(added).at("routes") == Json::array({"late.example.com=" + receiver->BaseUrl()}));
  auto bad = mock.client().Post("/mock/routes", R"({"route": "nope"})", "application/json");
  CHECK(bad->status == 400);
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://late.example.com/wa"})")->status ==
          200);
  REQUIRE(mock.Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "x"}}})")
              ->status == 202);
  CHECK(Await(*receiver, 1)[0].Header("Host") == "late.example.com");
}

TEST_CASE("The journal's waiting query gives up, bounded, and says so",
          "[http][delivery][journal]") {
  DeliveryFixture f;
  const Json none = f.Deliveries("event_id=evt_missing&min_count=1&timeout_ms=50");
  CHECK(none.at("timed_out") == true);
  CHECK(none.at("deliveries").empty());
  auto bad = f.mock->client().Get("/mock/deliveries?min_count=x");
  CHECK(bad->status == 400);
  auto unknown = f.mock->client().Get("/mock/events/evt_missing");
  CHECK(unknown->status == 404);
}

TEST_CASE("Stats report per-destination latency percentiles and the latency extras add",
          "[http][delivery][stats]") {
  DeliveryFixture f;
  f.ConfigureAll();
  for (int i = 0; i < 20; ++i) f.Inbound();
  f.Deliveries("min_count=80&timeout_ms=10000");
  const Json stats = BodyOf(f.mock->client().Get("/mock/stats"));
  CHECK(stats.at("submitted") == 20);
  CHECK(stats.at("delivered") == 20);
  std::map<std::string, Json> by_name;
  for (const Json& d : stats.at("destinations")) by_name[d.at("destination")] = d;
  REQUIRE(by_name.size() == 4);
  for (const auto& [name, d] : by_name) {
    INFO(name);
    CHECK(d.at("latency_us").at("count") == 20);
    CHECK(d.at("latency_us").at("p50").get<long long>() <=
          d.at("latency_us").at("p99").get<long long>());
    CHECK(d.at("latency_us").at("p99").get<long long>() <=
          d.at("latency_us").at("max").get<long long>());
    CHECK(d.contains("added_latency_us") == (name != "main"));
  }
  // The last sequential extra waited for the two before it.
  CHECK(by_name["backup"].at("added_latency_us").at("p50").get<long long>() >=
        by_name["crm"].at("added_latency_us").at("p50").get<long long>());
}

TEST_CASE("10,000 notifications through main + 3 extras: every attempt is accounted for",
          "[http][delivery][load]") {
  auto options = TestOptions();
  options.http_threads = 16;
  DeliveryFixture f(options);
  f.ConfigureAll();
  constexpr int kNotifications = 10'000;
  std::set<std::string> ids;
  for (int i = 0; i < kNotifications; ++i) {
    auto res =
        f.mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "load"}}})");
    REQUIRE(res);
    REQUIRE(res->status == 202);
    ids.insert(BodyOf(res).at("event_id").get<std::string>());
  }
  CHECK(ids.size() == kNotifications);
  auto journal =
      f.mock->mock().engine().journal().WaitFor({}, 4 * kNotifications, std::chrono::seconds(120));
  REQUIRE_FALSE(journal.timed_out);
  CHECK(journal.dropped == 0);
  std::map<std::string, int> per_destination;
  std::set<std::string> seen;
  for (const auto& r : journal.entries) {
    ++per_destination[r.destination];
    seen.insert(r.event_id);
    CHECK(r.error == delivery::ErrorClass::kNone);
  }
  CHECK(seen == ids);
  CHECK(per_destination == std::map<std::string, int>{{"main", kNotifications},
                                                      {"crm", kNotifications},
                                                      {"analytics", kNotifications},
                                                      {"backup", kNotifications}});
  CHECK(f.main->RequestCount() == kNotifications);
  CHECK(f.backup->RequestCount() == kNotifications);
}

}  // namespace
}  // namespace multihook::testing
