#include "mock_server/core/channel_config.hpp"

#include <catch2/catch.hpp>

namespace multihook::core {
namespace {

using std::chrono::seconds;

MultiWebhookConfig WithNames(std::initializer_list<const char*> names) {
  MultiWebhookConfig config{true, {}};
  for (const char* name : names)
    config.destinations.push_back({name, "https://h.example.com/", {}});
  return config;
}

TEST_CASE("Pending changes apply at their due time, in the order accepted", "[core][async]") {
  ManualClock clock;
  ChannelConfig config;
  const SteadyTime t0 = clock.Now();
  config.Enqueue(WithNames({"a"}), t0 + seconds(2));
  config.Enqueue(WithNames({"a", "b"}), t0 + seconds(3));

  CHECK(config.applied() == MultiWebhookConfig{});
  CHECK(config.projected() == WithNames({"a", "b"}));
  CHECK(config.pending_count() == 2);
  CHECK(config.next_due() == t0 + seconds(2));

  CHECK(config.ApplyDue(t0 + seconds(1)) == 0);
  CHECK(config.applied() == MultiWebhookConfig{});
  CHECK(config.ApplyDue(t0 + seconds(2)) == 1);
  CHECK(config.applied() == WithNames({"a"}));
  CHECK(config.ApplyDue(t0 + seconds(10)) == 1);
  CHECK(config.applied() == WithNames({"a", "b"}));
  CHECK(config.pending_count() == 0);
  CHECK_FALSE(config.next_due().has_value());
}

TEST_CASE("A later change never overtakes an earlier one", "[core][async]") {
  ChannelConfig config;
  const SteadyTime t0{};
  config.Enqueue(WithNames({"first"}), t0 + seconds(5));
  config.Enqueue(WithNames({"second"}), t0 + seconds(1));  // e.g. the delay was shortened
  CHECK(config.ApplyDue(t0 + seconds(1)) == 0);
  CHECK(config.ApplyDue(t0 + seconds(5)) == 2);
  CHECK(config.applied() == WithNames({"second"}));
}

TEST_CASE("ApplyAll flushes every pending change", "[core][async]") {
  ChannelConfig config;
  config.Enqueue(WithNames({"a"}), SteadyTime{} + seconds(100));
  config.Enqueue(WithNames({"b"}), SteadyTime{} + seconds(200));
  CHECK(config.ApplyAll() == 2);
  CHECK(config.applied() == WithNames({"b"}));
  CHECK(config.ApplyAll() == 0);
}

TEST_CASE("ManualClock moves only when told", "[core][clock]") {
  ManualClock clock;
  const SteadyTime start = clock.Now();
  const WallTime wall = clock.WallNow();
  clock.Advance(std::chrono::milliseconds(1500));
  CHECK(clock.Now() - start == std::chrono::milliseconds(1500));
  CHECK(clock.WallNow() - wall == std::chrono::milliseconds(1500));
}

}  // namespace
}  // namespace multihook::core
