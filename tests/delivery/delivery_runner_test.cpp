// DeliveryRunner: the engine's tasks on real threads. Bounded waits only (the journal's WaitFor
// and condition variables with timeouts); no sleeps, no sockets.
#include "mock_server/delivery/delivery_runner.hpp"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <set>

#include "tests/delivery/engine_fixture.hpp"

namespace multihook::delivery {
namespace {

using std::chrono::seconds;
using testing::EngineFixture;
using testing::Extra;
using testing::ExtraUrl;
using testing::kKey;
using testing::kMainUrl;

std::unique_ptr<DeliveryRunner> StartRunner(DeliveryEngine& engine, std::size_t workers) {
  auto runner = DeliveryRunner::Start(engine, RunnerOptions{.workers = workers});
  INFO(runner.status().ToString());
  REQUIRE(runner.ok());
  return std::move(runner).value();
}

// A latch that a test thread opens; waiting on it is bounded.
class Gate {
 public:
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }
  bool WaitOpen(std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST_CASE("The runner delivers 1,000 notifications and the journal accounts for every attempt",
          "[delivery][runner]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b")});
  auto runner = StartRunner(*f.engine, 4);

  constexpr int kCount = 1000;
  for (int i = 0; i < kCount; ++i)
    f.Submit("e" + std::to_string(i), "{\"n\":" + std::to_string(i) + "}");

  const JournalPage page = f.engine->journal().WaitFor({}, 3 * kCount, seconds(30));
  INFO("got " << page.entries.size() << " of " << 3 * kCount << " attempts");
  REQUIRE_FALSE(page.timed_out);
  CHECK(page.entries.size() == 3 * kCount);
  CHECK(page.dropped == 0);

  // Per event: main first, then a, then b; each exactly once.
  std::map<std::string, std::vector<std::string>> order;
  for (const auto& r : page.entries) order[r.event_id].push_back(r.destination);
  CHECK(order.size() == kCount);
  for (const auto& [id, destinations] : order) {
    INFO(id);
    CHECK(destinations == std::vector<std::string>{"main", "a", "b"});
  }
  // A record is appended together with the state change it causes: no lag behind the journal.
  const EngineStats stats = f.engine->Stats();
  CHECK(stats.delivered == kCount);
  CHECK(stats.in_progress == 0);
  CHECK(f.transport.Count() == 3 * kCount);
  runner->Stop();
  CHECK(runner->executed() == 3 * kCount);
  runner->Stop();  // idempotent
}

TEST_CASE("Runner: a notification stuck in flight never holds back the others",
          "[delivery][runner][hol]") {
  EngineFixture f;
  f.AddChannel("slow-key");
  f.SetMain(kMainUrl);
  const std::string slow_url = "https://slow.example.com/hook";
  f.SetMain(slow_url, {}, "slow-key");
  Gate release;
  bool released_in_time = false;
  f.transport.SetHook([&](const OutgoingRequest& r) {
    if (r.url == slow_url) released_in_time = release.WaitOpen(seconds(30));
  });
  auto runner = StartRunner(*f.engine, 2);

  f.Submit("slow", "{}", "slow-key");  // due first, so a worker takes it first and is held
  for (int i = 0; i < 20; ++i) f.Submit("fast" + std::to_string(i));
  const JournalPage fast =
      f.engine->journal().WaitFor({.api_key = std::string(kKey)}, 20, seconds(30));
  CHECK_FALSE(fast.timed_out);
  CHECK(fast.entries.size() == 20);
  // All twenty went through one worker while the other was held by the slow receiver.
  CHECK(f.engine->journal().Query({.event_id = "slow"}).entries.empty());
  CHECK(f.Event("slow").state == EventState::kPending);

  release.Open();
  const JournalPage slow = f.engine->journal().WaitFor({.event_id = "slow"}, 1, seconds(30));
  CHECK_FALSE(slow.timed_out);
  runner->Stop();
  CHECK(released_in_time);
  CHECK(f.Event("slow").state == EventState::kDelivered);
}

TEST_CASE("Runner: parallel fan-out sends the extras concurrently", "[delivery][runner][fanout]") {
  EngineFixture f(DeliveryPolicy{.fanout = Fanout::kParallel});
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a"), Extra("b"), Extra("c")});
  // Each extra waits until all three are in flight: only concurrent sends can get through.
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  bool all_met = true;
  f.transport.SetHook([&](const OutgoingRequest& r) {
    if (r.url == kMainUrl) return;
    std::unique_lock lock(mu);
    ++in_flight;
    cv.notify_all();
    if (!cv.wait_for(lock, seconds(30), [&] { return in_flight >= 3; })) all_met = false;
  });
  auto runner = StartRunner(*f.engine, 3);
  f.Submit("e1");
  const JournalPage page = f.engine->journal().WaitFor({.event_id = "e1"}, 4, seconds(60));
  runner->Stop();
  CHECK_FALSE(page.timed_out);
  CHECK(all_met);
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

TEST_CASE("Runner under a manual clock: Wake() after Advance() runs the due retry",
          "[delivery][runner][retry]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  f.EnableExtras({Extra("a")});
  f.transport.Script(kMainUrl, {ScriptedReply::Status(500), ScriptedReply::Status(200)});
  auto runner = StartRunner(*f.engine, 2);
  f.Submit("e1");

  const JournalPage first = f.engine->journal().WaitFor({.event_id = "e1"}, 1, seconds(30));
  REQUIRE_FALSE(first.timed_out);
  CHECK(OutcomeName(first.entries[0]) == "500");
  CHECK(f.Event("e1").state == EventState::kRetrying);

  f.clock.Advance(seconds(1));
  runner->Wake();
  const JournalPage all = f.engine->journal().WaitFor({.event_id = "e1"}, 3, seconds(30));
  REQUIRE_FALSE(all.timed_out);
  CHECK(testing::Destinations(all.entries) == std::vector<std::string>{"main", "main", "a"});
  CHECK(f.At(all.entries[1].started) == 1.0);
}

TEST_CASE("Runner options are validated; Stop leaves queued work in the engine",
          "[delivery][runner]") {
  EngineFixture f;
  f.SetMain(kMainUrl);
  CHECK(DeliveryRunner::Start(*f.engine, RunnerOptions{.workers = 0}).status().ToString() ==
        "invalid_argument at /workers: must be at least 1");
  {
    auto runner = StartRunner(*f.engine, 1);
    runner->Stop();
  }  // destructor after Stop: no double join
  f.Submit("e1");
  CHECK(f.engine->NextDue().has_value());  // nobody ran it
  CHECK(f.engine->RunDue() == 1);
  CHECK(f.Event("e1").state == EventState::kDelivered);
}

}  // namespace
}  // namespace multihook::delivery
