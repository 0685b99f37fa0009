#include "mock_server/delivery/delivery_engine.hpp"

#include <catch2/catch.hpp>

#include "tests/delivery/engine_fixture.hpp"

namespace multihook::delivery {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Destinations;
using testing::EngineFixture;
using testing::Extra;
using testing::ExtraUrl;
using testing::kKey;
using testing::kMainUrl;

TEST_CASE("Only an answer of exactly 200 opens the gate to the extras", "[delivery][gate]") {
  const auto [reply, gate, outcome] = GENERATE(table<ScriptedReply, std::string, std::string>({
      {ScriptedReply::Status(200), "open", "200"},
      {ScriptedReply::Status(201), "closed", "201"},
      {ScriptedReply::Status(202), "closed", "202"},
      {ScriptedReply::Status(204), "closed", "204"},
      {ScriptedReply::Status(301), "closed", "301"},
      {ScriptedReply::Status(302), "closed", "302"},
      {ScriptedReply::Status(400), "closed", "400"},
      {ScriptedReply::Status(404), "closed", "404"},
      {ScriptedReply::Status(429), "closed", "429"},
      {ScriptedReply::Status(500), "closed", "500"},
      {ScriptedReply::Status(503), "closed", "503"},
      {ScriptedReply::Error(ErrorClass::kTimeout), "closed", "timeout"},
      {ScriptedReply::Error(ErrorClass::kConnect), "closed", "connect"},
      {ScriptedReply::Error(ErrorClass::kReset), "closed", "reset"},
      {ScriptedReply::Error(ErrorClass::kTls), "closed", "tls"},
      // A 200 that arrives after the 5 s timeout is a timeout.
      {ScriptedReply::Status(200, milliseconds(5001)), "closed", "timeout"},
      {ScriptedReply::Status(200, milliseconds(5000)), "open", "200"},
  }));
  INFO("main answers " << reply.status << " / " << ErrorClassName(reply.error) << " after "
                       << reply.latency.count() << " us");
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  f.transport.Script(kMainUrl, {reply});

  f.Submit("e1");
  f.engine->RunDue();

  const auto main = f.Journal({.destination = "main"});
  REQUIRE(main.size() == 1);
  CHECK(GateName(main[0].gate) == gate);
  CHECK(OutcomeName(main[0]) == outcome);
  CHECK(main[0].attempt == 1);
  const bool open = gate == "open";
  CHECK(main[0].succeeded == open);
  CHECK(f.transport.RequestsTo(ExtraUrl("backup")).size() == (open ? 1u : 0u));
  CHECK(f.Event("e1").state == (open ? EventState::kDelivered : EventState::kRetrying));
}

TEST_CASE("success=2xx accepts any 2xx and nothing else", "[delivery][gate]") {
  const auto [status, opens] = GENERATE(table<int, bool>({{200, true},
                                                          {201, true},
                                                          {204, true},
                                                          {299, true},
                                                          {199, false},
                                                          {300, false},
                                                          {404, false},
                                                          {500, false}}));
  INFO("main answers " << status);
  EngineFixture f(DeliveryPolicy{.success = SuccessRule::kAny2xx});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(status)});
  f.Submit("e1");
  f.engine->RunDue();
  CHECK(f.transport.RequestsTo(ExtraUrl("backup")).size() == (opens ? 1u : 0u));
  CHECK(f.Event("e1").state == (opens ? EventState::kDelivered : EventState::kRetrying));
}

TEST_CASE(
    "A failing main webhook is retried after 1 s, 2 s, 4 s ... capped at 1 h, and expires "
    "after 7 days without any extra seeing the notification",
    "[delivery][retry]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500)});
  f.Submit("e1");

  // Step by hand for the first retries: nothing happens before the due instant.
  CHECK(f.engine->RunDue() == 1);
  CHECK(f.Event("e1").state == EventState::kRetrying);
  REQUIRE(f.engine->NextDue().has_value());
  CHECK(f.At(*f.engine->NextDue()) == 1.0);
  f.clock.Advance(milliseconds(999));
  CHECK(f.engine->RunDue() == 0);
  f.clock.Advance(milliseconds(1));
  CHECK(f.engine->RunDue() == 1);
  CHECK(f.Event("e1").main_attempts == 2);

  CHECK(RunUntilIdle(*f.engine, f.clock) > 0);

  const auto attempts = f.Journal();
  std::vector<double> gaps;
  for (std::size_t i = 1; i < attempts.size(); ++i) {
    gaps.push_back(f.At(attempts[i].started) - f.At(attempts[i - 1].started));
  }
  REQUIRE(gaps.size() > 14);
  CHECK(std::vector<double>(gaps.begin(), gaps.begin() + 14) ==
        std::vector<double>{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600});
  CHECK(gaps.back() == 3600);
  // 12 growing waits (4095 s), then hourly until the 7-day horizon: 4095 + 166 h <= 7 d.
  CHECK(attempts.size() == 179);
  CHECK(f.At(attempts.back().started) == 4095.0 + 166 * 3600);
  CHECK(attempts.back().attempt == 179);
  for (const auto& a : attempts) CHECK(a.destination == "main");

  const EventStatus event = f.Event("e1");
  CHECK(event.state == EventState::kExpired);
  CHECK(event.main_attempts == 179);
  CHECK(event.extras.empty());
  CHECK(event.detail ==
        "no 200 from the main webhook within the retry horizon (179 attempts); "
        "extras not sent");
  CHECK(f.transport.RequestsTo(ExtraUrl("backup")).empty());
  CHECK_FALSE(f.engine->NextDue().has_value());
  CHECK(f.engine->Stats().expired == 1);
}

TEST_CASE("Extras get the notification only after the attempt that finally got 200",
          "[delivery][retry]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  f.transport.Script(kMainUrl,
                     {ScriptedReply::Status(503), ScriptedReply::Error(ErrorClass::kReset),
                      ScriptedReply::Status(200)});
  f.Submit("e1");

  f.engine->RunDue();
  CHECK(f.transport.Count() == 1);
  CHECK(f.Event("e1").next_attempt_at.has_value());
  AdvanceAndRun(*f.engine, f.clock, seconds(2));
  CHECK(f.transport.Count() == 2);  // t=1 s: reset; still no extra
  CHECK(f.transport.RequestsTo(ExtraUrl("backup")).empty());
  CHECK(f.Event("e1").state == EventState::kRetrying);
  AdvanceAndRun(*f.engine, f.clock, seconds(1));  // t=3 s: 200, then the extra

  CHECK(f.transport.Urls() ==
        std::vector<std::string>{kMainUrl, kMainUrl, kMainUrl, ExtraUrl("backup")});
  const auto extra = f.Journal({.destination = "backup"});
  REQUIRE(extra.size() == 1);
  CHECK(f.At(extra[0].started) == 3.0);
  CHECK(GateName(extra[0].gate) == "after_main");
  const EventStatus event = f.Event("e1");
  CHECK(event.state == EventState::kDelivered);
  CHECK(event.main_attempts == 3);
  REQUIRE(event.main_succeeded_at.has_value());
  CHECK(f.At(*event.main_succeeded_at) == 3.0);
  CHECK_FALSE(event.next_attempt_at.has_value());
}

TEST_CASE("Requests carry the body unchanged, JSON content type, custom headers and the signature",
          "[delivery][request]") {
  EngineFixture f(DeliveryPolicy{.signing_secret = "k"}, core::Micros(0),
                  [](std::string_view secret, std::string_view body) {
                    return "sig(" + std::string(secret) + "," + std::string(body) + ")";
                  });
  f.SetMain(kMainUrl, {{"Authorization", "Bearer main"}});
  f.EnableExtras({Extra("backup", {{"X-Tenant", "t1"}}), Extra("audit")});
  // Arbitrary bytes: UTF-8, escapes, a NUL, trailing whitespace.
  const std::string body = std::string(R"({"text":"h\u00e9llo ✓","n":1})") + '\0' + " \n";
  f.Submit("e1", body);
  f.engine->RunDue();

  const auto requests = f.transport.Requests();
  REQUIRE(requests.size() == 3);
  for (const auto& r : requests) {
    CHECK(r.request.body == body);
    CHECK(r.request.headers.at("Content-Type") == "application/json");
    CHECK(r.request.headers.at("x-360dialog-signature") == "sig(k," + body + ")");
    CHECK(r.request.timeout == seconds(5));
  }
  CHECK(requests[0].request.headers.at("Authorization") == "Bearer main");
  CHECK(requests[0].request.headers.count("X-Tenant") == 0);
  CHECK(requests[1].request.headers.at("X-Tenant") == "t1");
  CHECK(requests[1].request.headers.count("Authorization") == 0);
  CHECK(requests[2].request.headers.size() == 2);

  SECTION("no signing function: no signature header") {
    EngineFixture plain;
    plain.SetMain(kMainUrl);
    plain.Submit("e1");
    plain.engine->RunDue();
    REQUIRE(plain.transport.Count() == 1);
    CHECK(plain.transport.Requests()[0].request.headers ==
          core::Headers{{"Content-Type", "application/json"}});
  }
}

TEST_CASE("No main webhook: the event is undeliverable and the journal says so",
          "[delivery][undeliverable]") {
  EngineFixture f;
  f.Submit("e1");
  CHECK(f.engine->RunDue() == 1);
  CHECK(f.transport.Count() == 0);
  const EventStatus event = f.Event("e1");
  CHECK(event.state == EventState::kUndeliverable);
  CHECK(event.detail == "no main webhook configured");
  const auto records = f.Journal();
  REQUIRE(records.size() == 1);
  CHECK(records[0].destination == "main");
  CHECK(records[0].url.empty());
  CHECK(OutcomeName(records[0]) == "no_webhook");
  CHECK(GateName(records[0].gate) == "closed");
  CHECK_FALSE(f.engine->NextDue().has_value());
  CHECK(f.engine->Stats().undeliverable == 1);
}

TEST_CASE("Submit refuses what it cannot deliver and never loses what it accepted",
          "[delivery][submit]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  CHECK(f.engine->Submit({"", kKey, "{}"}).ToString() ==
        "invalid_argument at /event_id: must not be empty");
  CHECK(f.engine->Submit({"e1", "unknown-key", "{}"}).code() == core::StatusCode::kUnauthenticated);
  CHECK(f.engine->Submit({"e1", kKey, "{}", seconds(-1)}).code() ==
        core::StatusCode::kInvalidArgument);
  f.Submit("e1");
  CHECK(f.engine->Submit({"e1", kKey, "{}"}).ToString() ==
        "already_exists at /event_id: event 'e1' was already submitted");
  CHECK(f.engine->GetEvent("nope").status().code() == core::StatusCode::kNotFound);

  SECTION("a delayed notification waits for its instant") {
    REQUIRE(f.engine->Submit({"delayed", kKey, "{}", seconds(30)}).ok());
    f.engine->RunDue();
    CHECK(f.Event("delayed").state == EventState::kPending);
    CHECK(f.Event("delayed").main_attempts == 0);
    AdvanceAndRun(*f.engine, f.clock, seconds(30));
    CHECK(f.Event("delayed").state == EventState::kDelivered);
  }
  const EngineStats stats = f.engine->Stats();
  CHECK(stats.submitted >= 1);
  CHECK(stats.submitted == stats.delivered + stats.in_progress);
}

TEST_CASE("At max_pending unfinished notifications Submit refuses more, and changes nothing",
          "[delivery][submit]") {
  EngineFixture f(DeliveryPolicy{.max_pending = 2});
  f.SetMain(kMainUrl);
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500), ScriptedReply::Status(500),
                                ScriptedReply::Status(200)});
  f.Submit("e1");
  f.Submit("e2");
  f.engine->RunDue();  // both failed once and wait for their retry: still not final
  REQUIRE(f.Event("e1").state == EventState::kRetrying);

  const core::Status full = f.engine->Submit({"e3", kKey, "{}"});
  CHECK(full.code() == core::StatusCode::kResourceExhausted);
  CHECK(full.reason() ==
        "2 notifications are still being delivered, the most the mock holds at once is 2 "
        "(--max-pending); retry when some are delivered");
  CHECK(f.engine->GetEvent("e3").status().code() == core::StatusCode::kNotFound);
  CHECK(f.engine->Stats().submitted == 2);

  RunUntilIdle(*f.engine, f.clock);  // the retries get 200: both final, room again
  CHECK(f.Event("e2").state == EventState::kDelivered);
  CHECK(f.engine->Submit({"e3", kKey, "{}"}).ok());
}

TEST_CASE("SubmitAll accepts the whole batch or none of it", "[delivery][submit]") {
  EngineFixture f(DeliveryPolicy{.max_pending = 3});
  f.SetMain(kMainUrl);
  f.Submit("e1");
  const auto batch = [](std::vector<std::string> ids) {
    std::vector<Notification> out;
    for (auto& id : ids) out.push_back({std::move(id), kKey, "{}"});
    return out;
  };
  CHECK(f.engine->SubmitAll(batch({"a", "b", "c"})).code() ==
        core::StatusCode::kResourceExhausted);  // 1 + 3 > 3
  CHECK(f.engine->SubmitAll(batch({"a", "a"})).ToString() ==
        "already_exists at /event_id: event 'a' was already submitted");
  CHECK(f.engine->SubmitAll(batch({"a", "e1"})).code() == core::StatusCode::kAlreadyExists);
  CHECK(f.engine->Stats().submitted == 1);
  CHECK(f.engine->GetEvent("a").status().code() == core::StatusCode::kNotFound);

  REQUIRE(f.engine->SubmitAll(batch({"a", "b"})).ok());
  CHECK(f.engine->RunDue() == 3);
  CHECK(f.Event("b").state == EventState::kDelivered);
}

TEST_CASE("Each attempt uses the configuration applied when it starts", "[delivery][config]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500)});
  f.Submit("e1");
  f.engine->RunDue();
  REQUIRE(f.Event("e1").state == EventState::kRetrying);

  // Between attempt 1 and 2: a new main URL and one more extra.
  const std::string new_main = "https://newmain.example.com/hook";
  f.SetMain(new_main);
  REQUIRE(f.store().Append(kKey, core::AppendRequest{{Extra("b")}}).ok());
  AdvanceAndRun(*f.engine, f.clock, seconds(1));

  CHECK(f.transport.Urls() ==
        std::vector<std::string>{kMainUrl, new_main, ExtraUrl("a"), ExtraUrl("b")});
  const auto main = f.Journal({.destination = "main"});
  REQUIRE(main.size() == 2);
  CHECK(main[1].url == new_main);
  CHECK(main[1].attempt == 2);
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("A change still waiting for apply_delay is not seen; once applied it is",
          "[delivery][config]") {
  EngineFixture f({}, seconds(2));  // the provider's asynchronous application
  f.SetMain(kMainUrl);              // the main webhook applies at once
  // t=0: e1 500, e2 500; t=1: e1 200, e2 500; t=3: e2 200.
  f.transport.Script(
      kMainUrl, {ScriptedReply::Status(500), ScriptedReply::Status(500), ScriptedReply::Status(200),
                 ScriptedReply::Status(500), ScriptedReply::Status(200)});
  f.EnableExtras({Extra("a")});  // applies at t=2 s
  f.Submit("e1");
  f.Submit("e2");
  f.engine->RunDue();
  AdvanceAndRun(*f.engine, f.clock, seconds(1));  // t=1: e1 gets 200 -- extras not applied yet
  CHECK(f.Event("e1").state == EventState::kDelivered);
  CHECK(f.Event("e1").extras.empty());
  CHECK(f.Event("e2").state == EventState::kRetrying);
  AdvanceAndRun(*f.engine, f.clock, seconds(2));  // t=3: e2 retries after the change applied
  CHECK(f.Event("e2").state == EventState::kDelivered);
  REQUIRE(f.Event("e2").extras.size() == 1);
  CHECK(f.Event("e2").extras[0].state == ExtraState::kSucceeded);
  CHECK(f.transport.RequestsTo(ExtraUrl("a")).size() == 1);
}

TEST_CASE("No head-of-line blocking: a notification being retried never holds back later ones",
          "[delivery][hol]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  // The first request fails, everything after it succeeds.
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500), ScriptedReply::Status(200)});
  f.Submit("A");
  f.Submit("B");
  f.engine->RunDue();
  CHECK(f.Event("A").state == EventState::kRetrying);
  CHECK(f.Event("B").state == EventState::kDelivered);
  CHECK(f.Journal({.event_id = "B", .destination = "backup"}).size() == 1);

  // A third notification at t=0.5 s also overtakes A's retry at t=1 s.
  f.clock.Advance(milliseconds(500));
  f.Submit("C");
  f.engine->RunDue();
  CHECK(f.Event("C").state == EventState::kDelivered);
  AdvanceAndRun(*f.engine, f.clock, milliseconds(500));
  CHECK(f.Event("A").state == EventState::kDelivered);
  CHECK(f.Event("A").main_attempts == 2);
}

TEST_CASE("Event states: pending, then retrying, then fanning out, then delivered",
          "[delivery][state]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500), ScriptedReply::Status(200)});
  std::vector<std::string> seen;  // the event's state while each request is in flight
  f.transport.SetHook([&](const OutgoingRequest& request) {
    // Called while the engine waits for the transport: the engine lock must not be held.
    seen.push_back(request.url + " " + std::string(EventStateName(f.Event("e1").state)));
  });
  f.Submit("e1");
  CHECK(f.Event("e1").state == EventState::kPending);
  RunUntilIdle(*f.engine, f.clock);
  CHECK(seen == std::vector<std::string>{
                    std::string(kMainUrl) + " pending",
                    std::string(kMainUrl) + " retrying",
                    ExtraUrl("a") + " fanning_out",
                    ExtraUrl("b") + " fanning_out",
                });
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("The journal keeps journal_capacity attempts and counts the dropped ones",
          "[delivery][journal]") {
  EngineFixture f(DeliveryPolicy{.journal_capacity = 5});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  for (int i = 0; i < 4; ++i) f.Submit("e" + std::to_string(i));
  f.engine->RunDue();
  const JournalPage page = f.engine->journal().Query({});
  CHECK(page.entries.size() == 5);
  CHECK(page.dropped == 3);
  CHECK(page.last_seq == 8);
  CHECK(page.entries.front().seq == 4);
  CHECK(f.engine->Stats().journal_dropped == 3);
  CHECK(f.engine->Stats().delivered == 4);  // dropping records never drops deliveries
}

TEST_CASE("Finished events beyond event_capacity are forgotten, oldest first",
          "[delivery][state]") {
  EngineFixture f(DeliveryPolicy{.event_capacity = 2});
  f.SetMain(kMainUrl);
  for (int i = 0; i < 3; ++i) f.Submit("e" + std::to_string(i));
  f.engine->RunDue();
  CHECK(f.engine->GetEvent("e0").status().code() == core::StatusCode::kNotFound);
  CHECK(f.Event("e1").state == EventState::kDelivered);
  CHECK(f.Event("e2").state == EventState::kDelivered);
  CHECK(f.engine->Stats().delivered == 3);
}

TEST_CASE("A finished event keeps its full status; its id stays taken until evicted",
          "[delivery][state]") {
  EngineFixture f(DeliveryPolicy{.event_capacity = 2});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("crm"), Extra("backup")});
  f.Submit("e0");
  f.engine->RunDue();
  const EventStatus event = f.Event("e0");
  CHECK(event.event_id == "e0");
  CHECK(event.api_key == kKey);
  CHECK(event.state == EventState::kDelivered);
  CHECK(event.detail.empty());
  CHECK(event.main_attempts == 1);
  CHECK(event.main_last_outcome == "200");
  CHECK(event.main_succeeded_at.has_value());
  CHECK_FALSE(event.next_attempt_at.has_value());
  REQUIRE(event.extras.size() == 2);
  CHECK(event.extras[0].destination == "crm");
  CHECK(event.extras[0].url == ExtraUrl("crm"));
  CHECK(event.extras[1].destination == "backup");
  CHECK(event.extras[1].url == ExtraUrl("backup"));
  for (const auto& extra : event.extras) {
    CHECK(extra.attempts == 1);
    CHECK(extra.state == ExtraState::kSucceeded);
    CHECK(extra.last_outcome == "200");
    CHECK(extra.added_latency.has_value());
  }
  CHECK(f.engine->Submit(Notification{"e0", kKey, "{}"}).code() ==
        core::StatusCode::kAlreadyExists);

  f.Submit("e1");
  f.Submit("e2");
  f.engine->RunDue();
  CHECK(f.engine->GetEvent("e0").status().code() == core::StatusCode::kNotFound);
  f.Submit("e0");  // evicted: the id may be used again
  f.engine->RunDue();
  CHECK(f.Event("e0").extras.size() == 2);
  CHECK(f.engine->GetEvent("e1").status().code() == core::StatusCode::kNotFound);

  f.engine->Reset();
  CHECK(f.engine->GetEvent("e2").status().code() == core::StatusCode::kNotFound);
  f.Submit("e2");
  f.engine->RunDue();
  CHECK(f.Event("e2").extras[0].url == ExtraUrl("crm"));
}

TEST_CASE("Stats: per-destination outcomes and latency percentiles from histograms",
          "[delivery][stats]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("backup")});
  std::vector<ScriptedReply> main_script;
  for (int i = 1; i <= 100; ++i) main_script.push_back(ScriptedReply::Status(200, milliseconds(i)));
  f.transport.Script(kMainUrl, main_script);
  f.transport.Script(ExtraUrl("backup"),
                     {ScriptedReply::Status(200, milliseconds(40)),
                      ScriptedReply::Error(ErrorClass::kTimeout, "", seconds(5)),
                      ScriptedReply::Status(200, milliseconds(40))});
  for (int i = 0; i < 100; ++i) {
    f.Submit("e" + std::to_string(i));
    f.engine->RunDue();
  }
  const EngineStats stats = f.engine->Stats();
  REQUIRE(stats.destinations.size() == 2);
  const DestinationStats& backup = stats.destinations[0];  // sorted: "backup" < "main"
  const DestinationStats& main = stats.destinations[1];
  CHECK(main.destination == "main");
  CHECK(main.attempts == 100);
  CHECK(main.succeeded == 100);
  CHECK(main.outcomes == std::map<std::string, std::uint64_t>{{"200", 100}});
  const LatencySummary m = Summarize(main.latency);
  CHECK(m.count == 100);
  CHECK(m.p50 >= milliseconds(50));
  CHECK(m.p50 <= milliseconds(51));
  CHECK(m.p99 >= milliseconds(99));
  CHECK(m.p99 <= milliseconds(101));
  CHECK(m.max == milliseconds(100));

  CHECK(backup.destination == "backup");
  CHECK(backup.attempts == 100);
  CHECK(backup.succeeded == 99);
  CHECK(backup.outcomes == std::map<std::string, std::uint64_t>{{"200", 99}, {"timeout", 1}});
  CHECK(backup.latency.Count() == 99);  // transport errors are counted, not timed
  CHECK(backup.latency.Max() == milliseconds(40));
  CHECK(backup.added_latency.Count() == 100);
  CHECK(backup.added_latency.Max() == seconds(5));
  CHECK(stats.delivered == 100);
  CHECK(stats.in_progress == 0);
}

TEST_CASE("Reset forgets events, queued retries, journal and stats", "[delivery][reset]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500)});
  f.Submit("e1");
  f.engine->RunDue();
  REQUIRE(f.engine->NextDue().has_value());
  f.engine->Reset();
  CHECK_FALSE(f.engine->NextDue().has_value());
  CHECK(f.engine->journal().size() == 0);
  CHECK(f.engine->GetEvent("e1").status().code() == core::StatusCode::kNotFound);
  CHECK(f.engine->Stats().submitted == 0);
  CHECK(f.engine->Stats().destinations.empty());
  AdvanceAndRun(*f.engine, f.clock, hours(1));
  CHECK(f.transport.Count() == 1);  // the forgotten retry never ran
  f.Submit("e1");                   // the id is free again
}

TEST_CASE("Engine options are validated by the factory", "[delivery][options]") {
  core::ManualClock clock;
  RecordingTransport transport;
  const ConfigSource config = [](std::string_view) -> core::Result<store::ChannelSnapshot> {
    return store::ChannelSnapshot{};
  };
  using Row = std::tuple<DeliveryPolicy, std::string>;
  const auto [options, message] = GENERATE(table<DeliveryPolicy, std::string>({
      Row{DeliveryPolicy{.timeout = core::Micros(0)},
          "invalid_argument at /timeout: must be positive"},
      Row{DeliveryPolicy{.journal_capacity = 0},
          "invalid_argument at /journal_capacity: must be at least 1"},
      Row{DeliveryPolicy{.event_capacity = 0},
          "invalid_argument at /event_capacity: must be at least 1"},
      Row{DeliveryPolicy{.max_pending = 0}, "invalid_argument at /max_pending: must be at least 1"},
      Row{DeliveryPolicy{.retry = RetryPolicy{.factor = 0.0}},
          "invalid_argument at /retry/factor: must be a finite number >= 1"},
  }));
  const auto engine =
      DeliveryEngine::Create({.clock = clock, .transport = transport, .config = config}, options);
  REQUIRE_FALSE(engine.ok());
  CHECK(engine.status().ToString() == message);
  CHECK(DeliveryEngine::Create({.clock = clock, .transport = transport, .config = nullptr}, {})
            .status()
            .ToString() == "invalid_argument at /config_source: must be set");
  CHECK(
      DeliveryEngine::Create({.clock = clock, .transport = transport, .config = config}, {}).ok());
}

}  // namespace
}  // namespace multihook::delivery

namespace multihook::delivery {
namespace {

TEST_CASE("State names parse back to their states, and nothing else parses") {
  for (EventState state :
       {EventState::kPending, EventState::kRetrying, EventState::kFanningOut,
        EventState::kDelivered, EventState::kExpired, EventState::kUndeliverable}) {
    CHECK(ParseEventState(EventStateName(state)) == state);
  }
  for (ExtraState state : {ExtraState::kWaiting, ExtraState::kRetrying, ExtraState::kSucceeded,
                           ExtraState::kFailed, ExtraState::kExpired, ExtraState::kSkipped}) {
    CHECK(ParseExtraState(ExtraStateName(state)) == state);
  }
  CHECK_FALSE(ParseEventState("Delivered").has_value());
  CHECK_FALSE(ParseEventState("").has_value());
  CHECK_FALSE(ParseExtraState("delivered").has_value());
}

}  // namespace
}  // namespace multihook::delivery
