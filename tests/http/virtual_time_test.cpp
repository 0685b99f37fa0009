// --clock virtual: time moves only through POST /mock/clock/advance; retries across days take
// milliseconds, and every attempt starts at its exact virtual instant.
#include <catch2/catch.hpp>

#include "harness/scripted_receiver.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

using harness::Answer;

struct VirtualFixture {
  std::unique_ptr<harness::ScriptedReceiver> main;
  std::unique_ptr<harness::ScriptedReceiver> extra;
  std::unique_ptr<TestMock> mock;

  VirtualFixture() {
    harness::ReceiverOptions main_options;
    main_options.name = "main";
    auto m = harness::ScriptedReceiver::Start(main_options);
    REQUIRE(m.ok());
    main = std::move(*m);
    harness::ReceiverOptions extra_options;
    extra_options.name = "extra";
    auto e = harness::ScriptedReceiver::Start(extra_options);
    REQUIRE(e.ok());
    extra = std::move(*e);
    auto options = TestOptions();
    options.clock = app::ClockMode::kVirtual;
    options.apply_delay = std::chrono::seconds(0);
    options.routes = {*core::ParseHostRoute("main.example.com=" + main->BaseUrl()),
                      *core::ParseHostRoute("extra.example.com=" + extra->BaseUrl())};
    mock = std::make_unique<TestMock>(options);
    REQUIRE(
        mock->Post("/v1/configs/webhook", R"({"url": "https://main.example.com/wa"})")->status ==
        200);
    REQUIRE(mock->Post("/multi_webhook",
                       Json{{"enabled", true},
                            {"destinations", {Dest("extra", "https://extra.example.com/wa")}}}
                           .dump())
                ->status == 200);
  }

  Json Advance(long long ms) {
    auto res =
        mock->client().Post("/mock/clock/advance", Json{{"ms", ms}}.dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return BodyOf(res);
  }

  Json Journal(const std::string& query) {
    auto res = mock->client().Get(("/mock/deliveries?" + query).c_str());
    REQUIRE(res);
    return BodyOf(res);
  }

  std::string Inbound() {
    auto res =
        mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "v"}}})");
    REQUIRE(res->status == 202);
    return BodyOf(res).at("event_id");
  }
};

TEST_CASE("Retries follow the backoff schedule exactly in virtual time", "[http][virtual][retry]") {
  VirtualFixture f;
  f.main->Script({Answer::Status(500), Answer::Status(503), Answer::Reset()});
  const std::string id = f.Inbound();
  // The first attempt is due at the current virtual instant: it runs without any advance.
  CHECK(f.Journal("event_id=" + id + "&min_count=1&timeout_ms=5000").at("deliveries").size() == 1);
  f.Advance(999);
  CHECK(f.Journal("event_id=" + id).at("deliveries").size() == 1);
  f.Advance(1);      // +1 s: attempt 2
  f.Advance(2'000);  // +2 s: attempt 3
  f.Advance(4'000);  // +4 s: attempt 4 answers 200, then the extra
  const Json all = f.Journal("event_id=" + id + "&min_count=5&timeout_ms=5000");
  const Json& d = all.at("deliveries");
  REQUIRE(d.size() == 5);
  const auto start = [&](int i) { return d[i].at("started_at_us").get<long long>(); };
  CHECK(start(1) - start(0) == 1'000'000);
  CHECK(start(2) - start(1) == 2'000'000);
  CHECK(start(3) - start(2) == 4'000'000);
  CHECK(d[3].at("status") == 200);
  CHECK(d[4].at("destination") == "extra");
  CHECK(f.extra->RequestCount() == 1);
}

TEST_CASE("A 7-day horizon expires in milliseconds; extras never get the notification",
          "[http][virtual][retry]") {
  VirtualFixture f;
  f.main->Script({}, Answer::Status(500));
  const std::string id = f.Inbound();
  const Json advanced = f.Advance(8LL * 24 * 3600 * 1000);
  CHECK(advanced.at("attempts_run").get<int>() > 100);
  auto event = BodyOf(f.mock->client().Get(("/mock/events/" + id).c_str()));
  CHECK(event.at("state") == "expired");
  CHECK(f.extra->RequestCount() == 0);
  const Json d = f.Journal("event_id=" + id).at("deliveries");
  const long long span = d.back().at("started_at_us").get<long long>() -
                         d.front().at("started_at_us").get<long long>();
  CHECK(span <= 7LL * 24 * 3600 * 1'000'000);
  CHECK(span > 6LL * 24 * 3600 * 1'000'000);
}

TEST_CASE("POST /messages schedules sent, delivered and read statuses",
          "[http][virtual][messages]") {
  VirtualFixture f;
  auto sent =
      f.mock->Post("/messages", R"({"messaging_product": "whatsapp", "to": "+49 151 2345678",
                                            "type": "text", "text": {"body": "hello"}})");
  REQUIRE(sent);
  INFO(sent->body);
  REQUIRE(sent->status == 200);
  const Json answer = BodyOf(sent);
  const std::string wamid = answer.at("messages")[0].at("id");
  CHECK(answer.at("contacts")[0].at("wa_id") == "491512345678");
  // "sent" is due at once; "delivered" after 1 s and "read" after 2 s of virtual time.
  CHECK(f.main->WaitForRequests(1).ok());
  CHECK(f.main->RequestCount() == 1);
  f.Advance(2'000);
  auto got = f.main->WaitForRequests(3);
  REQUIRE(got.ok());
  std::vector<std::string> statuses;
  for (const auto& r : *got) {
    const Json status =
        Json::parse(r.body).at("entry")[0].at("changes")[0].at("value").at("statuses")[0];
    CHECK(status.at("id") == wamid);
    statuses.push_back(status.at("status"));
  }
  CHECK(statuses == std::vector<std::string>{"sent", "delivered", "read"});
}

TEST_CASE("The clock endpoints", "[http][virtual]") {
  VirtualFixture f;
  const Json before = BodyOf(f.mock->client().Get("/mock/clock"));
  CHECK(before.at("mode") == "virtual");
  const Json after = f.Advance(1'500);
  CHECK(after.at("now_us").get<long long>() - before.at("now_us").get<long long>() == 1'500'000);
  auto bad = f.mock->client().Post("/mock/clock/advance", R"({"ms": -1})", "application/json");
  CHECK(bad->status == 400);

  TestMock real;  // real clock: advancing is refused
  auto refused = real.client().Post("/mock/clock/advance", R"({"ms": 1})", "application/json");
  CHECK(refused->status == 409);
  CHECK(BodyOf(real.client().Get("/mock/clock")).at("mode") == "real");
}

}  // namespace
}  // namespace multihook::testing
