// GET/PATCH /mock/options: options change at runtime, all or nothing, and the clock switches
// between real and virtual time with deliveries before, between and after the switches.
// POST /mock/reset restores the startup options. The "real" clock here follows the test's
// ManualClock (TestMock), so real-time retries are stepped too, without sleeping.
#include <catch2/catch.hpp>

#include "harness/scripted_receiver.hpp"
#include "mock_server/codec/signature.hpp"
#include "tests/support/test_mock.hpp"

namespace multihook::testing {
namespace {

using harness::Answer;
using harness::ScriptedReceiver;

struct OptionsFixture {
  std::unique_ptr<ScriptedReceiver> main;
  std::unique_ptr<TestMock> mock;

  explicit OptionsFixture(app::MockOptions options = TestOptions()) {
    harness::ReceiverOptions receiver;
    receiver.name = "main";
    auto started = ScriptedReceiver::Start(receiver);
    REQUIRE(started.ok());
    main = std::move(*started);
    options.apply_delay = std::chrono::seconds(0);
    options.routes = {*core::ParseHostRoute("main.example.com=" + main->BaseUrl())};
    mock = std::make_unique<TestMock>(options);
    REQUIRE(
        mock->Post("/v1/configs/webhook", R"({"url": "https://main.example.com/wa"})")->status ==
        200);
  }

  Json Options() {
    auto res = mock->client().Get("/mock/options");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return BodyOf(res);
  }

  httplib::Result Patch(const std::string& body) {
    return mock->client().Patch("/mock/options", body, "application/json");
  }

  Json PatchOk(const Json& body) {
    auto res = Patch(body.dump());
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    return BodyOf(res);
  }

  std::string ClockMode() {
    auto res = mock->client().Get("/mock/clock");
    REQUIRE(res);
    return BodyOf(res).at("mode");
  }

  httplib::Result Advance(long long ms) {
    return mock->client().Post("/mock/clock/advance", Json{{"ms", ms}}.dump(), "application/json");
  }

  std::string Inbound() {
    auto res =
        mock->Post("/mock/inbound", R"({"message": {"type": "text", "text": {"body": "o"}}})");
    REQUIRE(res);
    REQUIRE(res->status == 202);
    return BodyOf(res).at("event_id");
  }

  // Until the engine has recorded `count` attempts of event `id` (the receiver sees a request
  // before the engine records its answer).
  void AwaitJournal(const std::string& id, int count) {
    auto res = mock->client().Get(("/mock/deliveries?event_id=" + id +
                                   "&min_count=" + std::to_string(count) + "&timeout_ms=5000")
                                      .c_str());
    REQUIRE(res);
    REQUIRE(BodyOf(res).at("timed_out") == false);
  }

  void AwaitMain(std::size_t count) {
    if (core::Status s = main->WaitForCount(count); !s.ok()) FAIL(s.reason());
  }

  Json Event(const std::string& id) {
    auto res = mock->client().Get(("/mock/events/" + id).c_str());
    REQUIRE(res);
    return BodyOf(res);
  }
};

TEST_CASE("GET /mock/options: every runtime option, encoded as in a config file",
          "[http][options]") {
  OptionsFixture f;
  const Json o = f.Options();
  CHECK(o.at("profile") == "strict");
  CHECK(o.at("clock") == "real");
  CHECK(o.at("timeout") == "5s");
  CHECK(o.at("apply_delay") == "0");
  CHECK(o.at("retry_factor") == 2.0);
  CHECK(o.at("retry_horizon") == "7d");
  CHECK(o.at("limit_counts_primary") == false);
  CHECK(o.at("status_delays") == "0,1s,2s");
  CHECK(o.at("max_pending") == 10000);
  CHECK(o.at("signing_secret").is_null());
  CHECK(o.at("unknown_fields") == "reject");
  for (const char* fixed : {"port", "bind", "http_threads", "delivery_workers", "journal_capacity",
                            "event_capacity", "channels", "routes", "seed", "ca_file"}) {
    INFO(fixed);
    CHECK_FALSE(o.contains(fixed));
  }
  for (const std::string& key : app::ConfigKeys()) {
    INFO(key);
    CHECK(o.contains(key) == app::IsRuntimeOption(key));
  }
}

TEST_CASE("PATCH /mock/options applies, answers and is what GET shows next", "[http][options]") {
  OptionsFixture f;
  const Json before = f.Options();
  const Json answer = f.PatchOk({{"timeout", "1500ms"},
                                 {"fanout", "parallel"},
                                 {"retry_factor", 1.5},
                                 {"retry_extras", true},
                                 {"max_pending", 5},
                                 {"status_delays", "0,0,0"},
                                 {"signing_secret", "s3"}});
  CHECK(answer.at("timeout") == "1500ms");
  CHECK(answer.at("fanout") == "parallel");
  CHECK(answer.at("retry_factor") == 1.5);
  CHECK(answer.at("retry_extras") == true);
  CHECK(answer.at("max_pending") == 5);
  CHECK(answer.at("signing_secret") == "********");
  CHECK(f.Options() == answer);
  CHECK(f.mock->mock().engine().options()->timeout == std::chrono::milliseconds(1500));
  CHECK(f.mock->mock().engine().options()->max_pending == 5);

  // A GET answer sent back restores what it showed (how a runner undoes its changes).
  CHECK(f.PatchOk(before) == before);
  CHECK(f.mock->mock().engine().options()->timeout == std::chrono::seconds(5));
  CHECK_FALSE(f.mock->mock().engine().options()->signing_secret.has_value());
}

TEST_CASE("PATCH /mock/options: a bad key or value is a 400 and changes nothing",
          "[http][options]") {
  OptionsFixture f;
  const Json before = f.Options();
  const auto [body, error] = GENERATE(table<std::string, std::string>({
      {R"({"timeout": "1s", "port": 9000})",
       "invalid_argument at /port: cannot be changed at runtime; restart the mock with --port"},
      {R"({"timeout": "1s", "delivery_workers": 2})",
       "invalid_argument at /delivery_workers: cannot be changed at runtime; restart the mock "
       "with --delivery-workers"},
      {R"({"timeout": "1s", "channels": []})",
       "invalid_argument at /channels: cannot be changed at runtime; restart the mock with "
       "--channels"},
      {R"({"timeout": "1s", "nope": 1})", "invalid_argument at /nope: unknown option"},
      {R"({"timeout": "1s", "retry-first": "1s"})",
       "invalid_argument at /retry-first: unknown option"},
      {R"({"timeout": "1s", "clock": "fast"})",
       "invalid_argument at /clock: expected real or virtual, got 'fast'"},
      {R"({"clock": "virtual", "timeout": "0"})", "invalid_argument at /timeout: must be positive"},
      {R"({"clock": "virtual", "profile": "loose"})",
       "invalid_argument at /profile: expected strict or lenient, got 'loose'"},
      {R"({"retry_extras": "yes"})",
       "invalid_argument at /retry_extras: expected a boolean, got string"},
      {R"([])", "invalid_argument: expected an object, got array"},
      {R"({"timeout": )",
       "invalid_argument: request body is not valid JSON (syntax error at byte 13)"},
  }));
  auto res = f.Patch(body);
  REQUIRE(res);
  CHECK(res->status == 400);
  CHECK(BodyOf(res).at("error") == error);
  CHECK(f.Options() == before);
  CHECK(f.ClockMode() == "real");
}

TEST_CASE("PATCH /mock/options: profile first, then the body's other keys override it",
          "[http][options][profile]") {
  OptionsFixture f;
  const Json o = f.PatchOk({{"unknown_names", "reject"}, {"profile", "lenient"}});
  CHECK(o.at("profile") == "lenient");
  CHECK(o.at("unknown_names") == "reject");  // explicit, whatever the key order
  CHECK(o.at("disabled_changes") == "allow");
  CHECK(o.at("url_policy") == "documented");
  CHECK(o.at("duplicate_names") == f.Options().at("duplicate_names"));

  // The new rules are in force for the next request.
  auto put = f.mock->Put("/multi_webhook",
                         Json{{"destinations", {Dest("a", "https://a.example.com/x")}}}.dump());
  REQUIRE(put);
  CHECK(put->status == 200);
  auto patch =
      f.mock->Patch("/multi_webhook", R"({"name": "ghost", "url": "https://g.example.com/"})");
  REQUIRE(patch);
  CHECK(patch->status == 404);
}

TEST_CASE("signing_secret at runtime: set, masked, kept by the mask, removed by null",
          "[http][options][signature]") {
  OptionsFixture f;
  CHECK(f.PatchOk({{"signing_secret", "first"}}).at("signing_secret") == "********");
  CHECK(f.PatchOk({{"signing_secret", "********"}, {"timeout", "4s"}}).at("signing_secret") ==
        "********");
  f.Inbound();
  f.AwaitMain(1);
  const auto signed_request = f.main->Requests().at(0);
  CHECK(signed_request.Header("x-360dialog-signature") ==
        codec::SignatureHex("first", signed_request.body));

  CHECK(f.PatchOk({{"signing_secret", nullptr}}).at("signing_secret").is_null());
  f.Inbound();
  f.AwaitMain(2);
  CHECK(f.main->Requests().at(1).Header("x-360dialog-signature").empty());
}

TEST_CASE("The clock switches real -> virtual -> real with deliveries in between",
          "[http][options][clock]") {
  OptionsFixture f;
  f.AwaitJournal(f.Inbound(), 1);  // real time: the runner delivers
  // Real time moves on (only once the attempt is recorded: a jump during an attempt would
  // make its answer late).
  f.mock->clock().Advance(std::chrono::seconds(30));
  const long long before_switch = BodyOf(f.mock->client().Get("/mock/clock")).at("now_us");
  CHECK(f.PatchOk({{"clock", "virtual"}}).at("clock") == "virtual");
  CHECK(f.ClockMode() == "virtual");
  // Virtual time starts where real time was: no jump back.
  CHECK(BodyOf(f.mock->client().Get("/mock/clock")).at("now_us") == before_switch);
  auto frozen = f.mock->client().Get("/mock/clock");
  f.mock->clock().Advance(std::chrono::hours(1));  // the followed clock moves; virtual does not
  CHECK(BodyOf(f.mock->client().Get("/mock/clock")).at("now_us") == BodyOf(frozen).at("now_us"));

  // Under virtual time a first attempt runs at once; its retry waits for an advance.
  f.main->Script({Answer::Status(500)});
  const std::string id = f.Inbound();
  f.AwaitMain(2);
  auto advanced = f.Advance(1000);
  REQUIRE(advanced);
  INFO(advanced->body);
  REQUIRE(advanced->status == 200);
  CHECK(BodyOf(advanced).at("attempts_run") == 1);
  CHECK(BodyOf(advanced).at("now_us").get<long long>() -
            BodyOf(frozen).at("now_us").get<long long>() ==
        1'000'000);
  CHECK(f.main->RequestCount() == 3);
  CHECK(f.Event(id).at("state") == "delivered");

  CHECK(f.PatchOk({{"clock", "real"}}).at("clock") == "real");
  CHECK(f.ClockMode() == "real");
  auto refused = f.Advance(1000);
  REQUIRE(refused);
  CHECK(refused->status == 409);
  CHECK(BodyOf(refused).at("error") ==
        "failed_precondition: the clock is real; start the mock with --clock virtual");
  // Real time resumes from where virtual time was left: no jump back, no jump forward.
  const long long resumed = BodyOf(f.mock->client().Get("/mock/clock")).at("now_us");
  CHECK(resumed == BodyOf(advanced).at("now_us").get<long long>());
  f.Inbound();
  f.AwaitMain(4);  // the runner is back
}

TEST_CASE("A retry scheduled under one clock runs under the other after a switch",
          "[http][options][clock][retry]") {
  OptionsFixture f;
  SECTION("scheduled under real time, run by an advance of virtual time") {
    f.mock->clock().Advance(std::chrono::seconds(30));  // real time has moved on since the start
    f.main->Script({Answer::Status(500)});
    const std::string id = f.Inbound();
    f.AwaitMain(1);
    f.PatchOk({{"clock", "virtual"}});
    auto advanced = f.Advance(999);
    REQUIRE(advanced);
    CHECK(BodyOf(advanced).at("attempts_run") == 0);  // not due yet: 1 s after the attempt
    advanced = f.Advance(1);
    REQUIRE(advanced);
    CHECK(BodyOf(advanced).at("attempts_run") == 1);
    CHECK(f.main->RequestCount() == 2);
    CHECK(f.Event(id).at("state") == "delivered");
  }
  SECTION("scheduled under virtual time, run by real time after switching back") {
    f.PatchOk({{"clock", "virtual"}});
    f.main->Script({Answer::Status(500)});
    const std::string id = f.Inbound();
    f.AwaitMain(1);
    f.PatchOk({{"clock", "real"}});
    f.mock->clock().Advance(std::chrono::seconds(1));
    f.mock->mock().WakeDeliveries();
    f.AwaitMain(2);
    // The event turns delivered once the runner records the attempt.
    auto journal = f.mock->client().Get(
        ("/mock/deliveries?event_id=" + id + "&min_count=2&timeout_ms=5000").c_str());
    REQUIRE(journal);
    CHECK(BodyOf(journal).at("timed_out") == false);
    CHECK(f.Event(id).at("state") == "delivered");
  }
}

TEST_CASE("POST /mock/reset restores the options the mock was started with",
          "[http][options][control]") {
  OptionsFixture f;
  const Json startup = f.Options();
  f.PatchOk(
      {{"clock", "virtual"}, {"profile", "lenient"}, {"timeout", "1s"}, {"signing_secret", "x"}});
  REQUIRE(f.Options() != startup);
  auto reset = f.mock->client().Post("/mock/reset", "", "application/json");
  REQUIRE(reset);
  REQUIRE(reset->status == 200);
  CHECK(f.Options() == startup);
  CHECK(f.ClockMode() == "real");
  CHECK(f.mock->mock().engine().options()->timeout == std::chrono::seconds(5));
}

}  // namespace
}  // namespace multihook::testing
