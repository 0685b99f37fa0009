#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/support/test_mock.hpp"
#include "tests/support/url_cases.hpp"

namespace multihook::testing {
namespace {

const Json kNeverConfigured = {{"enabled", false}, {"destinations", Json::array()}};

TEST_CASE("GET before any configuration", "[http][multi]") {
  TestMock mock;
  CHECK(mock.MultiWebhook() == kNeverConfigured);
}

TEST_CASE("Mutations answer 'operation started' and apply after the delay",
          "[http][multi][async]") {
  TestMock mock;
  auto res = mock.Post(
      "/multi_webhook",
      Json{
          {"enabled", true},
          {"destinations", {Dest("backup", "https://backup.example.com/hook", {{"X-Token", "t"}})}}}
          .dump());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(BodyOf(res) == Json{{"message", kStarted}});

  // Until the apply delay has passed, GET shows the old state.
  mock.clock().Advance(std::chrono::milliseconds(1999));
  CHECK(mock.MultiWebhook() == kNeverConfigured);
  mock.clock().Advance(std::chrono::milliseconds(1));
  CHECK(mock.MultiWebhook() ==
        Json{{"enabled", true},
             {"destinations",
              {Dest("backup", "https://backup.example.com/hook", {{"X-Token", "t"}})}}});
}

TEST_CASE("Changes apply in the order accepted; flush applies them at once",
          "[http][multi][async]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  REQUIRE(mock.Put("/multi_webhook",
                   Json{{"destinations", {Dest("b", "https://b.example.com/")}}}.dump())
              ->status == 200);
  mock.clock().Advance(std::chrono::seconds(1));
  REQUIRE(mock.Delete("/multi_webhook/a")->status == 200);  // validated against the projection
  REQUIRE(
      mock.Patch("/multi_webhook", R"({"name": "b", "url": "https://b2.example.com/"})")->status ==
      200);

  CHECK(mock.MultiWebhook()["destinations"] == Json::array({Dest("a", "https://a.example.com/")}));
  mock.clock().Advance(std::chrono::seconds(1));  // the PUT is due, the DELETE and PATCH not yet
  CHECK(mock.MultiWebhook()["destinations"] ==
        Json::array({Dest("a", "https://a.example.com/"), Dest("b", "https://b.example.com/")}));

  auto flushed = mock.client().Post("/mock/flush", "", "application/json");
  REQUIRE(flushed);
  CHECK(BodyOf(flushed) == Json{{"applied", 2}});
  CHECK(mock.MultiWebhook()["destinations"] == Json::array({Dest("b", "https://b2.example.com/")}));
}

TEST_CASE("The three-webhook limit holds across pending changes", "[http][multi][limit]") {
  TestMock mock;
  REQUIRE(mock.Post("/multi_webhook", Json{{"enabled", true},
                                           {"destinations",
                                            {Dest("a", "https://a.example.com/"),
                                             Dest("b", "https://b.example.com/")}}}
                                          .dump())
              ->status == 200);
  // Not applied yet, but counted: two quick PUTs cannot exceed the limit.
  CHECK(mock.Put("/multi_webhook",
                 Json{{"destinations", {Dest("c", "https://c.example.com/")}}}.dump())
            ->status == 200);
  auto over = mock.Put("/multi_webhook",
                       Json{{"destinations", {Dest("d", "https://d.example.com/")}}}.dump());
  REQUIRE(over);
  CHECK(over->status == 400);
  CHECK(BodyOf(over) ==
        Json{{"error",
              "limit_exceeded at /destinations: at most 3 webhooks per phone number; this request "
              "would make 4"}});
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"].size() == 3);
}

TEST_CASE("32 concurrent appends never exceed the limit", "[http][multi][limit][concurrency]") {
  auto options = TestOptions();
  options.http_threads = 40;  // every writer really runs at once
  TestMock mock(options);
  mock.Enable(Json::array());
  constexpr int kWriters = 32;
  std::atomic<int> accepted{0};
  std::atomic<int> limited{0};
  std::atomic<int> other{0};
  std::mutex errors_mu;
  std::vector<std::string> errors;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      httplib::Client client = MakeClient(mock.BaseUrl());
      const std::string body =
          Json{{"destinations", {Dest("w" + std::to_string(i), "https://w.example.com/")}}}.dump();
      auto res = client.Put("/multi_webhook", {{"D360-API-KEY", kKey}}, body, "application/json");
      if (res && res->status == 200) {
        ++accepted;
      } else if (res && res->status == 400) {
        ++limited;
      } else {
        ++other;
        std::lock_guard lock(errors_mu);
        errors.push_back("writer " + std::to_string(i) + ": " +
                         (res ? std::to_string(res->status) + " " + res->body
                              : httplib::to_string(res.error())));
      }
    });
  }
  for (auto& t : writers) t.join();
  std::string failures;
  for (const auto& error : errors) failures += error + "\n";
  INFO(failures);
  CHECK(accepted == 3);
  CHECK(limited == kWriters - 3);
  CHECK(other == 0);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"].size() == 3);
}

TEST_CASE("Names are case-sensitive; duplicates conflict under --duplicate-names reject",
          "[http][multi][names]") {
  auto options = TestOptions();
  options.rules.duplicate_names = core::DuplicateNames::kReject;
  TestMock mock(options);
  mock.Enable(Json::array(
      {Dest("webhook", "https://one.example.com/"), Dest("WEBhook", "https://two.example.com/")}));
  CHECK(mock.MultiWebhook()["destinations"].size() == 2);

  auto dup =
      mock.Put("/multi_webhook",
               Json{{"destinations", {Dest("webhook", "https://three.example.com/")}}}.dump());
  REQUIRE(dup);
  CHECK(dup->status == 409);
  CHECK(BodyOf(dup)["error"] ==
        "already_exists at /destinations/0/name: a destination named 'webhook' already exists "
        "(names are case-sensitive)");

  // A name whose deletion is pending is not free until the deletion is applied.
  REQUIRE(mock.Delete("/multi_webhook/WEBhook")->status == 200);
  const std::string re_add =
      Json{{"destinations", {Dest("WEBhook", "https://four.example.com/")}}}.dump();
  CHECK(mock.Put("/multi_webhook", re_add)->status == 409);
  mock.AwaitApply();
  CHECK(mock.Put("/multi_webhook", re_add)->status == 200);
  CHECK(mock.Delete("/multi_webhook/WEBHOOK")->status == 404);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"] ==
        Json::array({Dest("webhook", "https://one.example.com/"),
                     Dest("WEBhook", "https://four.example.com/")}));
}

// The provider's page: "the API will only add a new webhook if the name provided does not match
// any existing configuration". That is the default; the mock says what it skipped.
TEST_CASE("By default a duplicate name is skipped, accepted, and reported",
          "[http][multi][names]") {
  std::vector<std::string> logged;
  std::mutex log_mu;
  TestMock mock(TestOptions(), [&](std::string_view line) {
    std::lock_guard lock(log_mu);
    logged.emplace_back(line);
  });
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  auto res =
      mock.Put("/multi_webhook",
               Json{{"destinations",
                     {Dest("a", "https://x.example.com/"), Dest("b", "https://b.example.com/")}}}
                   .dump());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(BodyOf(res) == Json{{"message", kStarted}});
  CHECK(res->get_header_value("X-Multihook-Warning") ==
        "skipped destination 'a': the name exists already");
  {
    std::lock_guard lock(log_mu);
    CHECK(logged == std::vector<std::string>{
                        "PUT /multi_webhook: skipped destination 'a': the name exists already"});
  }
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"] ==
        Json::array({Dest("a", "https://a.example.com/"), Dest("b", "https://b.example.com/")}));

  // The journal of config changes shows both changes, the skip included.
  const Json log = BodyOf(mock.client().Get("/mock/changes"));
  INFO(log.dump());
  REQUIRE(log.at("changes").size() == 2);
  const Json& put = log.at("changes")[1];
  CHECK(put.at("sequence") == 2);
  CHECK(put.at("api_key") == kKey);
  CHECK(put.at("method") == "PUT");
  CHECK(put.at("path") == "/multi_webhook");
  CHECK(put.at("applied") == true);
  CHECK(put.at("skipped") == Json::array({"a"}));
  CHECK(put.at("warnings") == Json::array({"skipped destination 'a': the name exists already"}));
  CHECK(log.at("changes")[0].at("skipped") == Json::array());
  CHECK(log.at("dropped") == 0);
}

TEST_CASE("GET /mock/changes: every accepted config change in order, bounded, reset-cleared",
          "[http][multi][changes]") {
  auto options = TestOptions();
  options.apply_delay = std::chrono::seconds(2);
  TestMock mock(options);
  const auto changes = [&](const std::string& query = "") {
    auto res = mock.client().Get(("/mock/changes" + query).c_str());
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return BodyOf(res);
  };
  CHECK(changes() == Json{{"changes", Json::array()}, {"dropped", 0}});

  const long long t0 = BodyOf(mock.client().Get("/mock/clock")).at("now_us");
  REQUIRE(mock.Post("/multi_webhook", Json{{"enabled", true}}.dump())->status == 200);
  // Rejected requests are not changes.
  REQUIRE(mock.Put("/multi_webhook", "{")->status == 400);
  REQUIRE(mock.Post("/v1/configs/webhook", R"({"url": "https://main.example.com/"})", kOtherKey)
              ->status == 200);

  Json log = changes();
  INFO(log.dump());
  REQUIRE(log.at("changes").size() == 2);
  const Json& enable = log.at("changes")[0];
  CHECK(enable.at("sequence") == 1);
  CHECK(enable.at("method") == "POST");
  CHECK(enable.at("path") == "/multi_webhook");
  CHECK(enable.at("accepted_at_us") == t0);
  CHECK(enable.at("due_at_us") == t0 + 2'000'000);
  CHECK(enable.at("applied") == false);
  const Json& primary = log.at("changes")[1];
  CHECK(primary.at("api_key") == kOtherKey);
  CHECK(primary.at("path") == "/v1/configs/webhook");
  CHECK(primary.at("due_at_us") == primary.at("accepted_at_us"));  // applies at once
  CHECK(primary.at("applied") == true);

  // The filter, then time: the pending change is applied once due.
  CHECK(changes("?api_key=" + std::string(kKey)).at("changes").size() == 1);
  CHECK(changes("?api_key=nobody").at("changes").empty());
  mock.AwaitApply();
  CHECK(changes().at("changes")[0].at("applied") == true);

  // Bounded: the latest 1000 are kept, and the rest counted.
  for (int i = 0; i < 1005; ++i) {
    REQUIRE(mock.Post("/multi_webhook", Json{{"enabled", i % 2 == 0}}.dump())->status == 200);
  }
  log = changes();
  CHECK(log.at("changes").size() == 1000);
  CHECK(log.at("dropped") == 7);
  CHECK(log.at("changes")[0].at("sequence") == 8);
  CHECK(log.at("changes")[999].at("sequence") == 1007);

  REQUIRE(mock.client().Post("/mock/reset", "", "application/json")->status == 200);
  CHECK(changes() == Json{{"changes", Json::array()}, {"dropped", 0}});
}

TEST_CASE("The URL rule table holds over HTTP too", "[http][multi][url]") {
  const auto row = GENERATE(from_range(UrlCases()));
  INFO("URL: " << row.url);
  for (const auto policy : {core::UrlPolicy::kStrict, core::UrlPolicy::kLenient}) {
    auto options = TestOptions();
    options.rules.url_policy = policy;
    options.apply_delay = std::chrono::seconds(0);
    TestMock mock(options);
    const std::string& expected = policy == core::UrlPolicy::kStrict ? row.strict : row.lenient;
    auto res = mock.Post("/multi_webhook",
                         Json{{"enabled", true}, {"destinations", {Dest("d", row.url)}}}.dump());
    REQUIRE(res);
    if (expected.empty()) {
      CHECK(res->status == 200);
      CHECK(mock.MultiWebhook()["destinations"][0]["url"] == row.url);  // stored as given
    } else {
      CHECK(res->status == 400);
      CHECK(BodyOf(res)["error"] == "invalid_argument at /destinations/0/url: " + expected);
      CHECK(mock.MultiWebhook() == kNeverConfigured);
    }
  }
}

TEST_CASE("Lenient policy reports each waived rule in a header", "[http][multi][url]") {
  auto options = TestOptions();
  options.rules.url_policy = core::UrlPolicy::kLenient;
  TestMock mock(options);
  auto res = mock.Post(
      "/multi_webhook",
      Json{{"enabled", true}, {"destinations", {Dest("local", "http://127.0.0.1:8081/hook")}}}
          .dump());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value_count("X-Multihook-Warning") == 2);
}

TEST_CASE("PUT and PATCH need the feature enabled; DELETE and PATCH need the name",
          "[http][multi]") {
  TestMock mock;
  const std::string put = Json{{"destinations", {Dest("a", "https://a.example.com/")}}}.dump();
  auto res = mock.Put("/multi_webhook", put);
  CHECK(res->status == 409);
  CHECK(BodyOf(res)["error"] ==
        "failed_precondition: multi-webhook is not enabled; enable it with POST first");
  CHECK(mock.Patch("/multi_webhook", R"({"name": "a", "url": "https://b.example.com/"})")->status ==
        409);

  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  auto again = mock.Post(
      "/multi_webhook",
      Json{{"enabled", true}, {"destinations", {Dest("b", "https://b.example.com/")}}}.dump());
  CHECK(again->status == 409);
  CHECK(BodyOf(again)["error"] ==
        "failed_precondition at /destinations: multi-webhook is already enabled; use PUT to append "
        "destinations");
  auto missing = mock.Patch("/multi_webhook", R"({"name": "zz", "url": "https://b.example.com/"})");
  CHECK(missing->status == 404);
  CHECK(BodyOf(missing)["error"] ==
        "not_found at /name: no destination named 'zz' (names are case-sensitive)");
  auto gone = mock.Delete("/multi_webhook/zz");
  CHECK(gone->status == 404);
  CHECK(BodyOf(gone)["error"] == "not_found: no destination named 'zz' (names are case-sensitive)");
}

TEST_CASE("PATCH changes URL and headers of one destination", "[http][multi]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/", {{"X-Old", "1"}}),
                           Dest("b", "https://b.example.com/")}));
  REQUIRE(
      mock.Patch("/multi_webhook",
                 R"({"name": "a", "url": "https://a2.example.com/", "headers": {"X-New": "2"}})")
          ->status == 200);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["destinations"] ==
        Json::array({Dest("a", "https://a2.example.com/", {{"X-New", "2"}}),
                     Dest("b", "https://b.example.com/")}));
}

TEST_CASE("DELETE takes a URL-encoded name; deleting every webhook is allowed", "[http][multi]") {
  TestMock mock;
  mock.Enable(Json::array(
      {Dest("team a/b", "https://a.example.com/"), Dest("ünïcode", "https://b.example.com/")}));
  CHECK(mock.Delete("/multi_webhook/team%20a%2Fb")->status == 200);
  CHECK(mock.Delete("/multi_webhook/%C3%BCn%C3%AFcode")->status == 200);
  auto empty = mock.Delete("/multi_webhook/");
  CHECK(empty->status == 400);
  CHECK(BodyOf(empty)["error"] == "invalid_argument at /name: name is empty");
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() == Json{{"enabled", true}, {"destinations", Json::array()}});
}

TEST_CASE("Disable keeps destinations; enable brings them back", "[http][multi]") {
  TestMock mock;
  mock.Enable(Json::array({Dest("a", "https://a.example.com/")}));
  REQUIRE(mock.Post("/multi_webhook", R"({"enabled": false})")->status == 200);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook() ==
        Json{{"enabled", false}, {"destinations", {Dest("a", "https://a.example.com/")}}});
  REQUIRE(mock.Post("/multi_webhook", R"({"enabled": true})")->status == 200);
  mock.AwaitApply();
  CHECK(mock.MultiWebhook()["enabled"] == true);
  CHECK(mock.MultiWebhook()["destinations"].size() == 1);
}

}  // namespace
}  // namespace multihook::testing
