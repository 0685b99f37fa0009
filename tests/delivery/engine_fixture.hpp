// Shared setup of the engine tests: a ManualClock, a real ChannelStore (apply_delay 0 unless
// asked) as the config source, and a RecordingTransport that advances the clock by scripted
// latencies.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/delivery/recording_transport.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::delivery::testing {

inline constexpr const char* kKey = "key-one";
inline constexpr const char* kMainUrl = "https://main.example.com/hook";

inline std::string ExtraUrl(const std::string& name) {
  return "https://" + name + ".example.com/in";
}

inline core::Destination Extra(const std::string& name, core::Headers headers = {}) {
  return core::Destination{name, ExtraUrl(name), std::move(headers)};
}

class EngineFixture {
 public:
  explicit EngineFixture(DeliveryPolicy options = {}, core::Micros apply_delay = core::Micros(0),
                         Signer sign = nullptr)
      : store_(clock, store::StoreOptions{.rules = {}, .apply_delay = apply_delay, .seed = 1}),
        transport(&clock, RecordingTransport::Unscripted::kReplyDefaultAndFlag) {
    AddChannel(kKey);
    auto created = DeliveryEngine::Create(DeliveryDeps{.clock = clock,
                                                       .transport = transport,
                                                       .config = ConfigFromStore(store_),
                                                       .sign = std::move(sign)},
                                          std::move(options));
    REQUIRE(created.ok());
    engine = std::move(created).value();
  }

  store::ChannelStore& store() { return store_; }

  void AddChannel(const std::string& key) {
    core::ChannelSpec spec;
    spec.api_key = key;
    REQUIRE(store_.AddChannel(spec, store::ChannelOrigin::kRuntime).ok());
  }
  void SetMain(const std::string& url, core::Headers headers = {}, const std::string& key = kKey) {
    REQUIRE(store_.SetPrimary(key, core::PrimaryWebhook{url, std::move(headers)}).ok());
  }
  void EnableExtras(std::vector<core::Destination> extras, const std::string& key = kKey) {
    const auto accepted = store_.Enable(key, core::EnableRequest{true, std::move(extras)});
    REQUIRE(accepted.ok());
  }
  void Submit(const std::string& event_id, const std::string& body = R"({"n":1})",
              const std::string& key = kKey) {
    const core::Status status = engine->Submit(Notification{event_id, key, body});
    INFO(status.ToString());
    REQUIRE(status.ok());
  }

  EventStatus Event(const std::string& event_id) {
    auto status = engine->GetEvent(event_id);
    INFO(status.status().ToString());
    REQUIRE(status.ok());
    return *status;
  }
  std::vector<AttemptRecord> Journal(JournalFilter filter = {}) {
    return engine->journal().Query(filter).entries;
  }
  // Seconds of virtual time since the start, for readable schedule checks.
  double At(core::SteadyTime t) const {
    return static_cast<double>(std::chrono::duration_cast<core::Micros>(t - start_).count()) / 1e6;
  }

  core::ManualClock clock;

 private:
  const core::SteadyTime start_ = clock.Now();
  store::ChannelStore store_;

 public:
  RecordingTransport transport;
  std::unique_ptr<DeliveryEngine> engine;
};

inline std::vector<std::string> Destinations(const std::vector<AttemptRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.destination);
  return out;
}

}  // namespace multihook::delivery::testing
