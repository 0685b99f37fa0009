// TestMock: a MockProvider on an ephemeral loopback port, driven by a manual clock, with a
// keep-alive client and small helpers for the provider API, and a typed harness::MockClient
// (`control()`) for the control API's decoded answers. Each test builds its own: nothing
// is shared between tests.
#pragma once

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/mock_client.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/wire_names.hpp"

namespace multihook::testing {

using Json = nlohmann::json;

inline constexpr char kKey[] = "test-key";
inline constexpr char kOtherKey[] = "other-key";

inline app::MockOptions TestOptions() {
  app::MockOptions options;
  options.port = 0;
  options.http_threads = 8;
  options.seed = 42;
  options.apply_delay = std::chrono::seconds(2);
  core::ChannelSpec a;
  a.api_key = kKey;
  a.phone_number_id = "100000000000001";
  core::ChannelSpec b;
  b.api_key = kOtherKey;
  b.phone_number_id = "100000000000002";
  options.channels = {a, b};
  return options;
}

inline httplib::Client MakeClient(const std::string& base_url) {
  httplib::Client client(base_url);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(5));
  return client;
}

class TestMock {
 public:
  // `log` receives the warning lines multihook-mock prints on stderr.
  explicit TestMock(app::MockOptions options = TestOptions(), http::LogSink log = {})
      : options_(std::move(options)) {
    auto started = app::MockProvider::Start(options_, {&clock_, std::move(log)});
    if (!started.ok()) FAIL("mock did not start: " << started.status().ToString());
    mock_ = std::move(*started);
    client_ = std::make_unique<httplib::Client>(MakeClient(mock_->BaseUrl()));
    harness::MockClientOptions control_options;
    control_options.read_timeout = std::chrono::seconds(5);
    control_ = std::make_unique<harness::MockClient>(mock_->BaseUrl(), control_options);
  }

  core::ManualClock& clock() { return clock_; }
  app::MockProvider& mock() { return *mock_; }
  httplib::Client& client() { return *client_; }
  // The control API, decoded: control().GetEvent(id)->state, control().WaitDeliveries(...).
  harness::MockClient& control() { return *control_; }
  std::string BaseUrl() const { return mock_->BaseUrl(); }

  // Lets every accepted change take effect by moving virtual time past the apply delay.
  void AwaitApply() { clock_.Advance(options_.apply_delay); }

  httplib::Result Get(const std::string& path, const std::string& key = kKey) {
    return client_->Get(path.c_str(), Auth(key));
  }
  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& key = kKey) {
    return client_->Post(path.c_str(), Auth(key), body, "application/json");
  }
  httplib::Result Put(const std::string& path, const std::string& body,
                      const std::string& key = kKey) {
    return client_->Put(path.c_str(), Auth(key), body, "application/json");
  }
  httplib::Result Patch(const std::string& path, const std::string& body,
                        const std::string& key = kKey) {
    return client_->Patch(path.c_str(), Auth(key), body, "application/json");
  }
  httplib::Result Delete(const std::string& path, const std::string& key = kKey) {
    return client_->Delete(path.c_str(), Auth(key));
  }

  // The applied multi-webhook config of `key`, as GET /multi_webhook answers it.
  Json MultiWebhook(const std::string& key = kKey) {
    auto res = Get("/multi_webhook", key);
    REQUIRE(res);
    REQUIRE(res->status == 200);
    return Json::parse(res->body);
  }

  // Enables the feature with `destinations` (a JSON array) and applies it.
  void Enable(const Json& destinations, const std::string& key = kKey) {
    auto res =
        Post("/multi_webhook", Json{{"enabled", true}, {"destinations", destinations}}.dump(), key);
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    AwaitApply();
  }

 private:
  static httplib::Headers Auth(const std::string& key) {
    if (key.empty()) return {};
    return {{std::string(core::kApiKeyHeader), key}};
  }

  app::MockOptions options_;
  core::ManualClock clock_;
  std::unique_ptr<app::MockProvider> mock_;
  std::unique_ptr<httplib::Client> client_;
  std::unique_ptr<harness::MockClient> control_;
};

inline Json Dest(const std::string& name, const std::string& url, Json headers = Json::object()) {
  return Json{{"name", name}, {"url", url}, {"headers", std::move(headers)}};
}

inline Json BodyOf(const httplib::Result& res) {
  REQUIRE(res);
  return Json::parse(res->body);
}

inline constexpr char kStarted[] =
    "Operation has been started, please wait several seconds until change is applied";

}  // namespace multihook::testing
