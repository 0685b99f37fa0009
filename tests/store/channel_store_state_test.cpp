// The store's state hook and restore (--state-file), without a disk: what the listener gets after
// each accepted change, in which order, and how a restored state's due times meet the clock.
#include <algorithm>
#include <catch2/catch.hpp>
#include <mutex>
#include <thread>
#include <vector>

#include "mock_server/store/channel_store.hpp"

namespace multihook::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const core::WallTime kWallStart{seconds(1'750'000'000)};

StoreOptions Options(core::Micros apply_delay) {
  StoreOptions options;
  options.apply_delay = apply_delay;
  options.seed = 1;
  return options;
}

core::ChannelSpec Spec(const std::string& key, const std::string& phone) {
  core::ChannelSpec spec;
  spec.api_key = key;
  spec.phone_number_id = phone;
  return spec;
}

core::EnableRequest EnableWith(const std::string& name) {
  return core::EnableRequest{
      true, std::vector<core::Destination>{{name, "https://" + name + ".example.com/hook", {}}}};
}

// Records every (version, state) the store hands over.
struct Recorder {
  std::mutex mu;
  std::vector<std::pair<std::uint64_t, core::StoreState>> calls;

  StateListener Listener() {
    return [this](const core::StoreState& state, std::uint64_t version) {
      std::lock_guard lock(mu);
      calls.emplace_back(version, state);
    };
  }
};

TEST_CASE("Each accepted change hands the listener the whole state; rejections and reads do not",
          "[store][state]") {
  core::ManualClock clock(kWallStart);
  ChannelStore store(clock, Options(seconds(2)));
  Recorder recorder;
  store.SetStateListener(recorder.Listener());

  REQUIRE(store.AddChannel(Spec("k", "1"), ChannelOrigin::kStartup).ok());
  REQUIRE(recorder.calls.size() == 1);
  CHECK(recorder.calls[0].first == 1);
  REQUIRE(recorder.calls[0].second.channels.size() == 1);
  CHECK(recorder.calls[0].second.channels[0].origin == core::ChannelOrigin::kStartup);

  clock.Advance(seconds(1));
  REQUIRE(store.Enable("k", EnableWith("a")).ok());
  REQUIRE(recorder.calls.size() == 2);
  const core::StoreState& enabled = recorder.calls[1].second;
  CHECK(recorder.calls[1].first == 2);
  CHECK(enabled.saved_at == kWallStart + seconds(1));
  CHECK(enabled.channels[0].applied == core::MultiWebhookConfig{});
  REQUIRE(enabled.channels[0].pending.size() == 1);
  CHECK(enabled.channels[0].pending[0].due_at == kWallStart + seconds(3));
  CHECK(enabled.channels[0].pending[0].config.destinations == *EnableWith("a").destinations);

  // Rejected (bad URL, unknown key, duplicate channel) and reads: no call.
  core::AppendRequest bad{{{"b", "https://b_b.example.com/", {}}}};
  CHECK_FALSE(store.Append("k", bad).ok());
  CHECK_FALSE(store.Append("nobody", core::AppendRequest{}).ok());
  CHECK_FALSE(store.AddChannel(Spec("k", "9"), ChannelOrigin::kRuntime).ok());
  CHECK(store.GetMultiWebhook("k").ok());
  CHECK(store.Changes().changes.size() == 1);
  CHECK(store.Flush() == 1);
  CHECK(recorder.calls.size() == 3);  // the flush applied something
  CHECK(store.Flush() == 0);          // nothing to apply: nothing changed
  CHECK(recorder.calls.size() == 3);

  REQUIRE(store.SetPrimary("k", core::PrimaryWebhook{"https://main.example.com/", {}}).ok());
  REQUIRE(recorder.calls.size() == 4);
  CHECK(recorder.calls[3].second.channels[0].primary.url == "https://main.example.com/");

  store.Reset();
  REQUIRE(recorder.calls.size() == 5);
  CHECK(recorder.calls[4].first == 5);
  CHECK(recorder.calls[4].second.channels[0].primary == core::PrimaryWebhook{});
}

TEST_CASE("The state of a higher version holds every change of a lower one, across threads",
          "[store][state]") {
  core::ManualClock clock(kWallStart);
  ChannelStore store(clock, Options(seconds(0)));
  constexpr int kThreads = 4;
  constexpr int kChanges = 50;
  for (int t = 0; t < kThreads; ++t) {
    REQUIRE(store
                .AddChannel(Spec("k" + std::to_string(t), std::to_string(t + 1)),
                            ChannelOrigin::kRuntime)
                .ok());
  }
  Recorder recorder;
  store.SetStateListener(recorder.Listener());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, t] {
      for (int n = 1; n <= kChanges; ++n) {
        const std::string url = "https://m.example.com/" + std::to_string(n);
        (void)store.SetPrimary("k" + std::to_string(t), core::PrimaryWebhook{url, {}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  REQUIRE(recorder.calls.size() == kThreads * kChanges);
  std::sort(recorder.calls.begin(), recorder.calls.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  // Versions are 1..N without a gap, and each channel's URL number never goes back.
  std::vector<int> last(kThreads, 0);
  for (std::size_t i = 0; i < recorder.calls.size(); ++i) {
    REQUIRE(recorder.calls[i].first == i + 1);
    for (int t = 0; t < kThreads; ++t) {
      const std::optional<std::string>& url = recorder.calls[i].second.channels[t].primary.url;
      const int n = url ? std::stoi(url->substr(url->rfind('/') + 1)) : 0;
      REQUIRE(n >= last[t]);
      last[t] = n;
    }
  }
  CHECK(recorder.calls.back().second.channels == store.State().channels);
}

core::StoreState SavedState() {
  core::ChannelState channel;
  channel.identity = {"k", "1", "+1 555 0100001", "2"};
  channel.origin = core::ChannelOrigin::kStartup;
  channel.primary = {"https://main.example.com/", {}};
  channel.applied = {true, {}};
  channel.pending = {
      {kWallStart + seconds(2), core::MultiWebhookConfig{true, *EnableWith("a").destinations}}};
  return core::StoreState{kWallStart, {channel}};
}

TEST_CASE("A restored pending change is due at its saved instant under real time",
          "[store][state]") {
  // The mock was down for 1 s: 1 s of the 2 s delay is left.
  core::ManualClock clock(kWallStart + seconds(1));
  ChannelStore store(clock, Options(seconds(2)));
  REQUIRE(store.Restore(SavedState(), Downtime::kElapsed).ok());
  CHECK(store.GetPrimary("k")->url == "https://main.example.com/");
  clock.Advance(milliseconds(999));
  CHECK(store.GetMultiWebhook("k")->destinations.empty());
  clock.Advance(milliseconds(1));
  CHECK(store.GetMultiWebhook("k")->destinations == *EnableWith("a").destinations);

  // Down for longer than the delay: applied on the first read.
  core::ManualClock later(kWallStart + seconds(60));
  ChannelStore late(later, Options(seconds(2)));
  REQUIRE(late.Restore(SavedState(), Downtime::kElapsed).ok());
  CHECK(late.GetMultiWebhook("k")->destinations == *EnableWith("a").destinations);
}

TEST_CASE("A restored pending change keeps its delay left under virtual time", "[store][state]") {
  // However long the mock was down, virtual time did not move: the whole 2 s is left.
  core::ManualClock clock(kWallStart + seconds(3600));
  ChannelStore store(clock, Options(seconds(2)));
  REQUIRE(store.Restore(SavedState(), Downtime::kFrozen).ok());
  clock.Advance(milliseconds(1999));
  CHECK(store.GetMultiWebhook("k")->destinations.empty());
  clock.Advance(milliseconds(1));
  CHECK(store.GetMultiWebhook("k")->destinations == *EnableWith("a").destinations);
}

TEST_CASE("A store restored from another's state has the same state", "[store][state]") {
  core::ManualClock clock(kWallStart);
  ChannelStore original(clock, Options(seconds(2)));
  // Generated first: the first key and phone number id that seed 1 gives.
  REQUIRE(original.AddChannel(core::ChannelSpec{}, ChannelOrigin::kRuntime).ok());
  REQUIRE(original.AddChannel(Spec("k", "1"), ChannelOrigin::kStartup).ok());
  REQUIRE(original.Enable("k", EnableWith("a")).ok());
  REQUIRE(original.SetPrimary("k", core::PrimaryWebhook{"https://m.example.com/", {}}).ok());
  const core::StoreState saved = original.State();

  ChannelStore restored(clock, Options(seconds(2)));
  REQUIRE(restored.Restore(saved, Downtime::kElapsed).ok());
  CHECK(restored.State() == saved);
  // The runtime channel keeps its origin: a reset forgets it.
  restored.Reset();
  CHECK(restored.Channels().size() == 1);

  // The same seed generates the restored channel's key and id again: a new channel gets others.
  ChannelStore again(clock, Options(seconds(2)));
  REQUIRE(again.Restore(saved, Downtime::kElapsed).ok());
  auto added = again.AddChannel(core::ChannelSpec{}, ChannelOrigin::kRuntime);
  REQUIRE(added.ok());
  CHECK(again.Channels().size() == 3);
  for (const core::ChannelState& channel : saved.channels) {
    CHECK(added->api_key != channel.identity.api_key);
    CHECK(added->phone_number_id != channel.identity.phone_number_id);
  }
}

TEST_CASE("A state with duplicate or malformed channels is refused and changes nothing",
          "[store][state]") {
  core::ManualClock clock(kWallStart);
  ChannelStore store(clock, Options(seconds(2)));
  REQUIRE(store.AddChannel(Spec("kept", "9"), ChannelOrigin::kStartup).ok());
  core::StoreState state = SavedState();
  state.channels.push_back(state.channels[0]);
  const auto [edit, expected] = GENERATE(table<int, std::string>({
      {0, "invalid_argument at /channels/1/api_key: a channel before this one has the same value"},
      {1,
       "invalid_argument at /channels/1/phone_number_id: a channel before this one has the "
       "same value"},
      {2, "invalid_argument at /channels/1/phone_number_id: must be 1 to 20 digits"},
  }));
  core::ChannelIdentity& second = state.channels[1].identity;
  if (edit == 1) second.api_key = "other";
  if (edit == 2) second.phone_number_id = "x";
  const core::Status status = store.Restore(state, Downtime::kElapsed);
  CHECK(status.ToString() == expected);
  REQUIRE(store.Channels().size() == 1);
  CHECK(store.Channels()[0].api_key == "kept");
}

}  // namespace
}  // namespace multihook::store
