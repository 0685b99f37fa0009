// Shared pieces of the benchmark binaries: per-iteration timing into a histogram (percentiles,
// not means), and a mock wired to scripted receivers through routes.
#pragma once

#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/scripted_receiver.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/delivery/histogram.hpp"

namespace multihook::bench {

using Clock = std::chrono::steady_clock;
inline constexpr char kKey[] = "bench-key";
inline const std::string kInbound =
    R"({"message": {"type": "text", "text": {"body": "benchmark"}}})";

inline void SetPercentiles(benchmark::State& state, const std::string& prefix,
                           const delivery::Histogram& h) {
  for (auto [name, q] : {std::pair{"p50_us", 0.50}, std::pair{"p90_us", 0.90},
                         std::pair{"p99_us", 0.99}}) {
    state.counters[prefix + name] = static_cast<double>(h.Percentile(q).count());
  }
  state.counters[prefix + "max_us"] = static_cast<double>(h.Max().count());
}

// Runs `one` per iteration, timing each into a histogram (counters p50_us .. max_us).
template <typename Fn>
void TimedLoop(benchmark::State& state, Fn&& one) {
  delivery::Histogram histogram;
  for (auto _ : state) {
    const auto start = Clock::now();
    if (!one()) return state.SkipWithError("an iteration failed");
    histogram.Record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
  }
  state.SetItemsProcessed(state.iterations());
  SetPercentiles(state, "", histogram);
}

inline std::unique_ptr<harness::ScriptedReceiver> StartReceiver(std::string name,
                                                                std::chrono::milliseconds service,
                                                                bool record = false) {
  harness::ReceiverOptions options;
  options.name = std::move(name);
  options.record_requests = record;
  options.threads = 32;
  auto receiver = harness::ScriptedReceiver::Start(options);
  if (!receiver.ok()) return nullptr;
  (*receiver)->Script({}, harness::Answer::Delayed(service));
  return std::move(*receiver);
}

inline httplib::Client Client(const std::string& base) {
  httplib::Client client(base);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  return client;
}

// A mock with a main webhook and `extras` extra destinations, each routed to its own receiver
// answering after `service`.
struct DeliverySetup {
  std::vector<std::unique_ptr<harness::ScriptedReceiver>> receivers;  // [0] is main
  std::unique_ptr<app::MockProvider> mock;
  std::unique_ptr<httplib::Client> client;
  std::string error;

  DeliverySetup(int extras, delivery::Fanout fanout, std::chrono::milliseconds service,
                std::size_t workers = 8) {
    app::MockOptions options;
    options.port = 0;
    options.apply_delay = std::chrono::seconds(0);
    options.delivery.fanout = fanout;
    options.delivery_workers = workers;
    core::ChannelSpec channel;
    channel.api_key = kKey;
    options.channels = {channel};
    for (int i = 0; i <= extras; ++i) {
      auto receiver = StartReceiver("r" + std::to_string(i), service);
      if (!receiver) {
        error = "receiver did not start";
        return;
      }
      options.routes.push_back(*core::ParseHostRoute("r" + std::to_string(i) +
                                                     ".example.com=" + receiver->BaseUrl()));
      receivers.push_back(std::move(receiver));
    }
    auto started = app::MockProvider::Start(options);
    if (!started.ok()) {
      error = started.status().ToString();
      return;
    }
    mock = std::move(*started);
    client = std::make_unique<httplib::Client>(Client(mock->BaseUrl()));
    const httplib::Headers auth = {{"D360-API-KEY", kKey}};
    auto primary = client->Post("/v1/configs/webhook", auth,
                                R"({"url": "https://r0.example.com/hook"})", "application/json");
    if (!primary || primary->status != 200) error = "cannot set the main webhook";
    if (extras == 0) return;
    std::string destinations;
    for (int i = 1; i <= extras; ++i) {
      destinations += std::string(i > 1 ? "," : "") + R"({"name": "extra)" + std::to_string(i) +
                      R"(", "url": "https://r)" + std::to_string(i) + R"(.example.com/hook"})";
    }
    auto enabled = client->Post("/multi_webhook", auth,
                                R"({"enabled": true, "destinations": [)" + destinations + "]}",
                                "application/json");
    if (!enabled || enabled->status != 200) error = "cannot enable multi-webhook";
  }

  bool Post() {
    auto res = client->Post("/mock/inbound", {{"D360-API-KEY", kKey}}, kInbound,
                            "application/json");
    return res && res->status == 202;
  }

  // Sends one notification and waits until the mock has journaled the answer of every
  // destination (main + extras): "notification in" to "last destination answered".
  bool DeliverOne() {
    if (!Post()) return false;
    delivery::JournalFilter filter;
    filter.after_seq = last_seq_;
    const delivery::JournalPage page = mock->engine().journal().WaitFor(
        filter, receivers.size(), std::chrono::seconds(5));
    if (page.timed_out || page.entries.size() != receivers.size()) return false;
    last_seq_ = page.entries.back().seq;
    return true;
  }

 private:
  std::uint64_t last_seq_ = 0;
};

}  // namespace multihook::bench
