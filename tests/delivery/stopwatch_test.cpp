// Latency is measured on the stopwatch clock, schedules follow the engine's clock: under virtual
// time an attempt that took 20 ms of real time is journaled as 20 ms, at the virtual instant.
#include <catch2/catch.hpp>
#include <chrono>

#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/delivery/recording_transport.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::delivery {
namespace {

using std::chrono::milliseconds;

TEST_CASE("Attempt durations come from the stopwatch, schedules from the engine clock",
          "[delivery][latency]") {
  core::ManualClock schedule;   // virtual time: nobody advances it during the attempt
  core::ManualClock stopwatch;  // stands in for the real clock
  store::ChannelStore store(schedule,
                            store::StoreOptions{.rules = {}, .apply_delay = {}, .seed = 1});
  core::ChannelSpec spec;
  spec.api_key = "k";
  REQUIRE(store.AddChannel(spec, store::ChannelOrigin::kRuntime).ok());
  REQUIRE(store.SetPrimary("k", core::PrimaryWebhook{"https://main.example.com/h", {}}).ok());

  RecordingTransport transport;  // does not move `schedule`
  transport.SetHook([&](const OutgoingRequest&) { stopwatch.Advance(milliseconds(20)); });
  auto engine = DeliveryEngine::Create(DeliveryDeps{.clock = schedule,
                                                    .transport = transport,
                                                    .config = ConfigFromStore(store),
                                                    .stopwatch = &stopwatch},
                                       DeliveryPolicy{.timeout = milliseconds(15)});
  REQUIRE(engine.ok());
  REQUIRE((*engine)->Submit(Notification{"e1", "k", "{}"}).ok());
  (*engine)->RunDue();

  const auto records = (*engine)->journal().Query({}).entries;
  REQUIRE(records.size() == 1);
  CHECK(records[0].duration == milliseconds(20));
  CHECK(records[0].started == schedule.Now());
  // The timeout is judged on the measured time too: 20 ms is over the 15 ms allowed.
  CHECK(records[0].error == ErrorClass::kTimeout);
  const auto stats = (*engine)->Stats();
  REQUIRE(stats.destinations.size() == 1);
  CHECK(stats.destinations[0].outcomes.at("timeout") == 1);
}

TEST_CASE("Without a stopwatch the engine clock measures", "[delivery][latency]") {
  core::ManualClock clock;
  store::ChannelStore store(clock, store::StoreOptions{.rules = {}, .apply_delay = {}, .seed = 1});
  core::ChannelSpec spec;
  spec.api_key = "k";
  REQUIRE(store.AddChannel(spec, store::ChannelOrigin::kRuntime).ok());
  REQUIRE(store.SetPrimary("k", core::PrimaryWebhook{"https://main.example.com/h", {}}).ok());
  RecordingTransport transport(&clock);
  transport.SetDefault(ScriptedReply::Status(200, milliseconds(7)));
  auto engine = DeliveryEngine::Create(
      DeliveryDeps{.clock = clock, .transport = transport, .config = ConfigFromStore(store)}, {});
  REQUIRE(engine.ok());
  REQUIRE((*engine)->Submit(Notification{"e1", "k", "{}"}).ok());
  (*engine)->RunDue();
  const auto records = (*engine)->journal().Query({}).entries;
  REQUIRE(records.size() == 1);
  CHECK(records[0].duration == milliseconds(7));
  CHECK(records[0].status == 200);
}

}  // namespace
}  // namespace multihook::delivery
