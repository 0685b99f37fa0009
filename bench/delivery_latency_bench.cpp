// What one delivery costs on loopback, and what each extra destination adds, against the
// round trip of a bare cpp-httplib client to the same kind of receiver, measured in one run.
//
//   BM_BareClientRoundTrip         keep-alive POST of a notification-sized body, answered 200
//   BM_InboundToMain               POST /mock/inbound until the main receiver has the request
//   BM_FanOut/extras:N/mode:M      POST /mock/inbound until the last of main + N extras has it
//
// The added latency per extra is (FanOut(N) - FanOut(0)) / N; docs/benchmarks.md reports it as
// a ratio to BM_BareClientRoundTrip.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "harness/scripted_receiver.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/delivery/histogram.hpp"

namespace {

using multihook::harness::ScriptedReceiver;
using Clock = std::chrono::steady_clock;

// Runs `one` per iteration, timing each into a histogram so that percentiles, not just the mean,
// are reported (counters p50_us, p90_us, p99_us, max_us).
template <typename Fn>
void TimedLoop(benchmark::State& state, Fn&& one) {
  multihook::delivery::Histogram histogram;
  for (auto _ : state) {
    const auto start = Clock::now();
    if (!one()) return state.SkipWithError("an iteration failed");
    histogram.Record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
  }
  state.SetItemsProcessed(state.iterations());
  for (auto [name, q] : {std::pair{"p50_us", 0.50}, std::pair{"p90_us", 0.90},
                         std::pair{"p99_us", 0.99}}) {
    state.counters[name] = static_cast<double>(histogram.Percentile(q).count());
  }
  state.counters["max_us"] = static_cast<double>(histogram.Max().count());
}

constexpr char kKey[] = "bench-key";
const std::string kInbound = R"({"message": {"type": "text", "text": {"body": "benchmark"}}})";

std::unique_ptr<ScriptedReceiver> StartReceiver(const std::string& name) {
  multihook::harness::ReceiverOptions options;
  options.name = name;
  auto receiver = ScriptedReceiver::Start(options);
  return receiver.ok() ? std::move(*receiver) : nullptr;
}

httplib::Client Client(const std::string& base) {
  httplib::Client client(base);
  client.set_tcp_nodelay(true);
  client.set_keep_alive(true);
  return client;
}

// A mock with a main webhook and `extras` extra destinations, each routed to its own receiver.
struct Setup {
  std::vector<std::unique_ptr<ScriptedReceiver>> receivers;  // [0] is main
  std::unique_ptr<multihook::app::MockProvider> mock;
  std::unique_ptr<httplib::Client> client;
  std::string error;

  Setup(int extras, multihook::delivery::Fanout fanout) {
    multihook::app::MockOptions options;
    options.port = 0;
    options.apply_delay = std::chrono::seconds(0);
    options.delivery.fanout = fanout;
    multihook::core::ChannelSpec channel;
    channel.api_key = kKey;
    options.channels = {channel};
    for (int i = 0; i <= extras; ++i) {
      auto receiver = StartReceiver("r" + std::to_string(i));
      if (!receiver) {
        error = "receiver did not start";
        return;
      }
      options.routes.push_back(*multihook::core::ParseHostRoute(
          "r" + std::to_string(i) + ".example.com=" + receiver->BaseUrl()));
      receivers.push_back(std::move(receiver));
    }
    auto started = multihook::app::MockProvider::Start(options);
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

  // Sends one notification and waits until the last receiver has it.
  bool DeliverOne(std::size_t n) {
    auto res = client->Post("/mock/inbound", {{"D360-API-KEY", kKey}}, kInbound, "application/json");
    if (!res || res->status != 202) return false;
    for (auto& receiver : receivers) {
      if (!receiver->WaitForCount(n).ok()) return false;
    }
    return true;
  }
};

void BM_BareClientRoundTrip(benchmark::State& state) {
  auto receiver = StartReceiver("bare");
  if (!receiver) return state.SkipWithError("receiver did not start");
  httplib::Client client = Client(receiver->BaseUrl());
  const std::string body(700, 'x');  // about the size of a text notification
  TimedLoop(state, [&] {
    auto res = client.Post("/hook", body, "application/json");
    return res && res->status == 200;
  });
}
BENCHMARK(BM_BareClientRoundTrip)->UseRealTime()->MinTime(1.0);

// The mock's own answer to POST /mock/inbound (202), without waiting for the delivery.
void BM_InboundAccept(benchmark::State& state) {
  Setup setup(0, multihook::delivery::Fanout::kSequential);
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  TimedLoop(state, [&] {
    auto res = setup.client->Post("/mock/inbound", {{"D360-API-KEY", kKey}}, kInbound,
                                  "application/json");
    return res && res->status == 202;
  });
}
BENCHMARK(BM_InboundAccept)->UseRealTime()->MinTime(1.0);

void BM_InboundToMain(benchmark::State& state) {
  Setup setup(0, multihook::delivery::Fanout::kSequential);
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  std::size_t n = 0;
  TimedLoop(state, [&] { return setup.DeliverOne(++n); });
}
BENCHMARK(BM_InboundToMain)->UseRealTime()->MinTime(1.0);

void BM_FanOut(benchmark::State& state) {
  const auto fanout = state.range(1) == 0 ? multihook::delivery::Fanout::kSequential
                                          : multihook::delivery::Fanout::kParallel;
  Setup setup(static_cast<int>(state.range(0)), fanout);
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  std::size_t n = 0;
  TimedLoop(state, [&] { return setup.DeliverOne(++n); });
}
BENCHMARK(BM_FanOut)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1}})
    ->ArgNames({"extras", "mode"})
    ->UseRealTime()
    ->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
