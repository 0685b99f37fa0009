// Fan-out to the extra destinations after the main webhook's 200.
#include <catch2/catch.hpp>

#include "mock_server/delivery/delivery_engine.hpp"
#include "tests/delivery/engine_fixture.hpp"

namespace multihook::delivery {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Destinations;
using testing::EngineFixture;
using testing::Extra;
using testing::ExtraUrl;
using testing::kKey;
using testing::kMainUrl;

std::vector<std::string> ExtraStates(const EventStatus& event) {
  std::vector<std::string> out;
  for (const auto& e : event.extras)
    out.push_back(e.destination + ":" + std::string(ExtraStateName(e.state)));
  return out;
}

TEST_CASE("Sequential fan-out: configured order, each extra after the previous answered",
          "[delivery][fanout]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  // Configured order, deliberately not alphabetical.
  f.EnableExtras({Extra("zulu"), Extra("alpha"), Extra("mike")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(200, milliseconds(10))});
  f.transport.Script(ExtraUrl("zulu"), {ScriptedReply::Status(200, milliseconds(100))});
  f.transport.Script(ExtraUrl("alpha"), {ScriptedReply::Status(500, milliseconds(200))});
  f.transport.Script(ExtraUrl("mike"), {ScriptedReply::Status(200, milliseconds(300))});
  f.Submit("e1");
  CHECK(f.engine->RunDue() == 4);  // main + three extras, all in one step

  const auto records = f.Journal();
  CHECK(Destinations(records) == std::vector<std::string>{"main", "zulu", "alpha", "mike"});
  // Each extra starts when the previous one answered.
  CHECK(f.At(records[1].started) == 0.010);
  CHECK(f.At(records[2].started) == 0.110);
  CHECK(f.At(records[3].started) == 0.310);
  for (std::size_t i = 1; i < records.size(); ++i) {
    CHECK(records[i].scheduled == records[i - 1].started + records[i - 1].duration);
  }

  const EventStatus event = f.Event("e1");
  CHECK(event.state == EventState::kDelivered);  // a failed extra still counts as attempted
  CHECK(ExtraStates(event) ==
        std::vector<std::string>{"zulu:succeeded", "alpha:failed", "mike:succeeded"});
  // Latency each extra added after main's 200: its answer time minus main's answer time.
  REQUIRE(event.extras[2].added_latency.has_value());
  CHECK(*event.extras[0].added_latency == milliseconds(100));
  CHECK(*event.extras[1].added_latency == milliseconds(300));
  CHECK(*event.extras[2].added_latency == milliseconds(600));
  CHECK(event.extras[1].last_outcome == "500");
}

// Main + extras "a", "b", "c", all answering 200 after 1 ms; submits "e1" and takes its first
// attempt off the queue, ready for Execute().
DeliveryEngine::Task SubmitChainAndTake(EngineFixture& f) {
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b"), Extra("c")});
  f.transport.SetDefault(ScriptedReply::Status(200, milliseconds(1)));
  f.Submit("e1");
  auto task = f.engine->TakeDue();
  REQUIRE(task.has_value());
  return std::move(*task);
}

TEST_CASE("One Execute runs a notification's sequential chain without queueing it",
          "[delivery][fanout]") {
  EngineFixture f;
  std::vector<bool> queue_empty_at_send;
  f.transport.SetHook([&](const OutgoingRequest&) {
    queue_empty_at_send.push_back(!f.engine->NextDue().has_value());
  });
  DeliveryEngine::Task task = SubmitChainAndTake(f);
  // main, then each extra on the calling thread: none of them went through the queue, so no
  // other worker had to be woken for them.
  CHECK(f.engine->Execute(std::move(task)) == 4);
  CHECK(queue_empty_at_send == std::vector<bool>{true, true, true, true});
  CHECK(Destinations(f.Journal()) == std::vector<std::string>{"main", "a", "b", "c"});
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("A stopping caller runs one attempt; the rest of its chain waits in the queue",
          "[delivery][fanout]") {
  EngineFixture f;
  DeliveryEngine::Task task = SubmitChainAndTake(f);
  const std::atomic<bool> stop{true};
  CHECK(f.engine->Execute(std::move(task), &stop) == 1);  // main only
  CHECK(f.engine->Stats().scheduled_tasks == 1);          // "a", nothing lost
  CHECK(f.Event("e1").state == EventState::kFanningOut);
  CHECK(f.engine->RunDue() == 3);
  CHECK(Destinations(f.Journal()) == std::vector<std::string>{"main", "a", "b", "c"});
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("Parallel fan-out runs the first extra on this thread and queues the rest",
          "[delivery][fanout]") {
  EngineFixture f(DeliveryPolicy{.fanout = Fanout::kParallel});
  DeliveryEngine::Task task = SubmitChainAndTake(f);
  CHECK(f.engine->Execute(std::move(task)) == 2);  // main and "a"
  CHECK(f.engine->Stats().scheduled_tasks == 2);   // "b" and "c", for the other workers
  CHECK(f.engine->RunDue() == 2);
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("Parallel fan-out starts every extra at the instant main answered 200",
          "[delivery][fanout]") {
  EngineFixture f(DeliveryPolicy{.fanout = Fanout::kParallel});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b"), Extra("c")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(200, milliseconds(10))});
  f.transport.SetDefault(ScriptedReply::Status(200, milliseconds(100)));
  std::optional<core::SteadyTime> queued_while_a_in_flight;
  f.transport.SetHook([&](const OutgoingRequest& r) {
    if (r.url == ExtraUrl("a")) queued_while_a_in_flight = f.engine->NextDue();
  });
  f.Submit("e1");
  f.engine->RunDue();

  const auto records = f.Journal();
  REQUIRE(Destinations(records) == std::vector<std::string>{"main", "a", "b", "c"});
  const core::SteadyTime main_answered = records[0].started + records[0].duration;
  for (std::size_t i = 1; i < 4; ++i) CHECK(records[i].scheduled == main_answered);
  // While "a" was in flight, "b" and "c" were already due: nothing waits for "a".
  REQUIRE(queued_while_a_in_flight.has_value());
  CHECK(*queued_while_a_in_flight == main_answered);
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("Sequential fan-out queues nothing while an extra is in flight", "[delivery][fanout]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});
  bool checked = false;
  f.transport.SetHook([&](const OutgoingRequest& r) {
    if (r.url == ExtraUrl("a")) {
      CHECK_FALSE(f.engine->NextDue().has_value());
      CHECK(f.Event("e1").extras[1].state == ExtraState::kWaiting);
      checked = true;
    }
  });
  f.Submit("e1");
  f.engine->RunDue();
  CHECK(checked);
  CHECK(f.transport.Urls() == std::vector<std::string>{kMainUrl, ExtraUrl("a"), ExtraUrl("b")});
}

TEST_CASE("Multi-webhook disabled or emptied: only the main webhook receives",
          "[delivery][fanout]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});

  SECTION("disabled (destinations kept)") {
    REQUIRE(f.store().Enable(kKey, core::EnableRequest{false, std::nullopt}).ok());
  }
  SECTION("every destination deleted") {
    REQUIRE(f.store().Remove(kKey, "a").ok());
    REQUIRE(f.store().Remove(kKey, "b").ok());
  }
  f.Submit("e1");
  f.engine->RunDue();
  CHECK(f.transport.Urls() == std::vector<std::string>{kMainUrl});
  CHECK(f.Event("e1").state == EventState::kDelivered);
  CHECK(f.Event("e1").extras.empty());
}

TEST_CASE("A deleted destination gets nothing, the others still do", "[delivery][fanout]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b"), Extra("c")});

  SECTION("deleted before the notification") {
    REQUIRE(f.store().Remove(kKey, "b").ok());
    f.Submit("e1");
    f.engine->RunDue();
    CHECK(ExtraStates(f.Event("e1")) == std::vector<std::string>{"a:succeeded", "c:succeeded"});
  }
  SECTION("deleted while the fan-out is under way (before its turn)") {
    f.transport.SetHook([&](const OutgoingRequest& r) {
      if (r.url == ExtraUrl("a")) REQUIRE(f.store().Remove(kKey, "b").ok());
    });
    f.Submit("e1");
    f.engine->RunDue();
    const EventStatus event = f.Event("e1");
    CHECK(ExtraStates(event) ==
          std::vector<std::string>{"a:succeeded", "b:skipped", "c:succeeded"});
    CHECK(event.extras[1].attempts == 0);
    CHECK(event.extras[1].last_outcome == "destination deleted before this attempt");
    CHECK(event.state == EventState::kDelivered);
  }
  CHECK(f.transport.Urls() == std::vector<std::string>{kMainUrl, ExtraUrl("a"), ExtraUrl("c")});
  CHECK(f.Journal({.destination = "b"}).empty());
}

TEST_CASE("A failed extra is recorded and not retried by default", "[delivery][fanout]") {
  const auto reply = GENERATE(ScriptedReply::Status(500), ScriptedReply::Status(201),
                              ScriptedReply::Error(ErrorClass::kTimeout),
                              ScriptedReply::Error(ErrorClass::kConnect));
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});
  f.transport.Script(ExtraUrl("a"), {reply});
  f.Submit("e1");
  RunUntilIdle(*f.engine, f.clock);
  CHECK(f.transport.RequestsTo(ExtraUrl("a")).size() == 1);
  CHECK(f.transport.RequestsTo(ExtraUrl("b")).size() == 1);
  CHECK(ExtraStates(f.Event("e1")) == std::vector<std::string>{"a:failed", "b:succeeded"});
  CHECK(f.Event("e1").state == EventState::kDelivered);
  const auto a = f.Journal({.destination = "a"});
  REQUIRE(a.size() == 1);
  CHECK_FALSE(a[0].succeeded);
}

TEST_CASE(
    "retry_extras: a failed extra is retried on the same schedule without holding back the "
    "next one",
    "[delivery][fanout][retry]") {
  EngineFixture f(DeliveryPolicy{.retry_extras = RetryExtras::kYes});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});
  f.transport.Script(ExtraUrl("a"), {ScriptedReply::Status(503), ScriptedReply::Status(503),
                                     ScriptedReply::Status(200)});
  f.Submit("e1");
  f.engine->RunDue();
  CHECK(f.transport.Urls() == std::vector<std::string>{kMainUrl, ExtraUrl("a"), ExtraUrl("b")});
  CHECK(f.Event("e1").state == EventState::kFanningOut);
  CHECK(ExtraStates(f.Event("e1")) == std::vector<std::string>{"a:retrying", "b:succeeded"});

  RunUntilIdle(*f.engine, f.clock);
  const auto a = f.Journal({.destination = "a"});
  REQUIRE(a.size() == 3);
  CHECK(f.At(a[1].started) == 1.0);
  CHECK(f.At(a[2].started) == 3.0);
  CHECK(a[2].attempt == 3);
  CHECK(f.Journal({.destination = "main"}).size() == 1);  // main is never re-sent
  CHECK(f.Event("e1").state == EventState::kDelivered);

  SECTION("an extra that never succeeds expires at the horizon; the event still completes") {
    EngineFixture g(DeliveryPolicy{
        .retry = RetryPolicy{.first_delay = seconds(1), .cap = seconds(10), .horizon = seconds(60)},
        .retry_extras = RetryExtras::kYes});
    g.SetMain(kMainUrl);
    g.EnableExtras({Extra("a")});
    g.transport.Script(ExtraUrl("a"), {ScriptedReply::Error(ErrorClass::kReset)});
    g.Submit("e1");
    RunUntilIdle(*g.engine, g.clock);
    CHECK(ExtraStates(g.Event("e1")) == std::vector<std::string>{"a:expired"});
    CHECK(g.Event("e1").state == EventState::kDelivered);
    const auto attempts = g.Journal({.destination = "a"});
    // Starts at 0, 1, 3, 7, 15, 25, 35, 45, 55 s: the next (65 s) would pass the horizon.
    REQUIRE(attempts.size() == 9);
    CHECK(g.At(attempts.back().started) == 55.0);
  }
}

}  // namespace
}  // namespace multihook::delivery
