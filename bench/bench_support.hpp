// Shared pieces of the benchmark binaries: per-iteration timing into a histogram (percentiles,
// not means), and a mock wired to scripted receivers through routes.
#pragma once

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness/mock_client.hpp"
#include "harness/scripted_receiver.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/app/process_tuning.hpp"
#include "mock_server/delivery/histogram.hpp"

namespace multihook::bench {

using Clock = std::chrono::steady_clock;
inline constexpr char kKey[] = "bench-key";                // main webhook + the extras
inline constexpr char kMainOnlyKey[] = "bench-main-only";  // the same main webhook, no extras
inline constexpr char kOneExtraKey[] =
    "bench-one-extra";  // the same main webhook + the first extra
inline const std::string kInbound =
    R"({"message": {"type": "text", "text": {"body": "benchmark"}}})";

inline void SetPercentiles(benchmark::State& state, const std::string& prefix,
                           const delivery::Histogram& h) {
  for (auto [name, q] :
       {std::pair{"p50_us", 0.50}, std::pair{"p90_us", 0.90}, std::pair{"p99_us", 0.99}}) {
    state.counters[prefix + name] = static_cast<double>(h.Percentile(q).count());
  }
  state.counters[prefix + "max_us"] = static_cast<double>(h.Max().count());
}

// User + system CPU time of this process so far.
inline double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
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
// answering after `service` (channel kKey); two more channels share the main webhook, one without
// extras (kMainOnlyKey) and one with the first extra only (kOneExtraKey).
struct DeliverySetup {
  std::vector<std::unique_ptr<harness::ScriptedReceiver>> receivers;  // [0] is main
  std::unique_ptr<app::MockProvider> mock;
  std::unique_ptr<harness::MockClient> client;  // the control and provider calls
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
    core::ChannelSpec main_only;
    main_only.api_key = kMainOnlyKey;
    core::ChannelSpec one_extra;
    one_extra.api_key = kOneExtraKey;
    options.channels = {channel, main_only, one_extra};
    for (int i = 0; i <= extras; ++i) {
      auto receiver = StartReceiver("r" + std::to_string(i), service);
      if (!receiver) {
        error = "receiver did not start";
        return;
      }
      options.routes.push_back(
          *core::ParseHostRoute("r" + std::to_string(i) + ".example.com=" + receiver->BaseUrl()));
      receivers.push_back(std::move(receiver));
    }
    auto started = app::MockProvider::Start(options);
    if (!started.ok()) {
      error = started.status().ToString();
      return;
    }
    mock = std::move(*started);
    client = std::make_unique<harness::MockClient>(mock->BaseUrl());
    for (const char* key : {kKey, kMainOnlyKey, kOneExtraKey}) {
      if (core::Status s = client->SetPrimaryWebhook(key, "https://r0.example.com/hook"); !s.ok()) {
        error = "cannot set the main webhook: " + s.ToString();
      }
    }
    if (extras == 0) return;
    EnableExtras(kKey, extras);
    EnableExtras(kOneExtraKey, 1);
  }

  // Destinations expected per notification of `key`.
  std::size_t DestinationsOf(const char* key) const {
    if (key == kMainOnlyKey) return 1;
    if (key == kOneExtraKey) return std::min<std::size_t>(2, receivers.size());
    return receivers.size();
  }

  bool Post(const char* key = kKey) { return client->Inbound(key, kInbound).ok(); }

  // Sends one notification and waits until the mock has journaled the answer of every
  // destination of the channel: "notification in" to "last destination answered".
  bool DeliverOne(const char* key = kKey) {
    if (!Post(key)) return false;
    const std::size_t expected = DestinationsOf(key);
    delivery::JournalFilter filter;
    filter.after_seq = last_seq_;
    const delivery::JournalPage page =
        mock->engine().journal().WaitFor(filter, expected, std::chrono::seconds(5));
    if (page.timed_out || page.entries.size() != expected) return false;
    last_seq_ = page.entries.back().seq;
    return true;
  }

 private:
  void EnableExtras(const char* key, int count) {
    std::string destinations;
    for (int i = 1; i <= count; ++i) {
      destinations += std::string(i > 1 ? "," : "") + R"({"name": "extra)" + std::to_string(i) +
                      R"(", "url": "https://r)" + std::to_string(i) + R"(.example.com/hook"})";
    }
    const std::string body = R"({"enabled": true, "destinations": [)" + destinations + "]}";
    if (core::Status s = client->SetMultiWebhook(key, body); !s.ok()) {
      error = "cannot enable multi-webhook: " + s.ToString();
    }
  }

  std::uint64_t last_seq_ = 0;
};

}  // namespace multihook::bench

// Google Benchmark's main, in a process set up like multihook-mock's (app::PrepareProcess),
// since the mock under test runs inside the benchmark binary.
#define MULTIHOOK_BENCHMARK_MAIN()                                      \
  int main(int argc, char** argv) {                                     \
    multihook::app::PrepareProcess();                                   \
    ::benchmark::Initialize(&argc, argv);                               \
    if (::benchmark::ReportUnrecognizedArguments(argc, argv)) return 1; \
    ::benchmark::RunSpecifiedBenchmarks();                              \
    ::benchmark::Shutdown();                                            \
    return 0;                                                           \
  }
