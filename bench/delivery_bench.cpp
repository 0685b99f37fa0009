// The latency each extra destination adds, and the mock's delivery throughput, against the round
// trip of a bare cpp-httplib client to the same kind of receiver, measured in one run.
//
//   BM_BareClientRoundTrip/service_ms:S   keep-alive POST of a notification-sized body
//   BM_InboundAccept                      the mock's 202 to POST /mock/inbound
//   BM_FanOut/extras:N/service_ms:S/parallel:P
//                                         POST /mock/inbound until main + N extras answered;
//                                         counters: end-to-end percentiles, per-destination
//                                         p50/p99 and the latency the last extra added
//   BM_Throughput/extras:N                notifications/s (and deliveries/s) with 16 senders
//
// bench/run.sh derives the added latency per extra and its ratio to the bare round trip.
#include <atomic>
#include <thread>

#include "bench/bench_support.hpp"

namespace multihook::bench {
namespace {

using std::chrono::milliseconds;

void BM_BareClientRoundTrip(benchmark::State& state) {
  auto receiver = StartReceiver("bare", milliseconds(state.range(0)));
  if (!receiver) return state.SkipWithError("receiver did not start");
  httplib::Client client = Client(receiver->BaseUrl());
  const std::string body(700, 'x');  // about the size of a text notification
  TimedLoop(state, [&] {
    auto res = client.Post("/hook", body, "application/json");
    return res && res->status == 200;
  });
}
BENCHMARK(BM_BareClientRoundTrip)->ArgName("service_ms")->Arg(0)->Arg(1)->Arg(10)->UseRealTime();

void BM_InboundAccept(benchmark::State& state) {
  DeliverySetup setup(0, delivery::Fanout::kSequential, milliseconds(0));
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  TimedLoop(state, [&] { return setup.Post(); });
}
BENCHMARK(BM_InboundAccept)->UseRealTime();

void BM_FanOut(benchmark::State& state) {
  const int extras = static_cast<int>(state.range(0));
  const auto fanout = state.range(2) == 0 ? delivery::Fanout::kSequential : delivery::Fanout::kParallel;
  DeliverySetup setup(extras, fanout, milliseconds(state.range(1)));
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  TimedLoop(state, [&] { return setup.DeliverOne(); });
  // Per-destination figures from the engine's own histograms.
  for (const auto& d : setup.mock->engine().Stats().destinations) {
    const std::string prefix = d.destination + "_";
    state.counters[prefix + "p50_us"] = static_cast<double>(d.latency.Percentile(0.5).count());
    state.counters[prefix + "p99_us"] = static_cast<double>(d.latency.Percentile(0.99).count());
    if (d.destination == "extra" + std::to_string(extras)) {
      state.counters["added_by_extras_p50_us"] =
          static_cast<double>(d.added_latency.Percentile(0.5).count());
    }
  }
}
BENCHMARK(BM_FanOut)
    ->ArgsProduct({{0, 1, 2, 3}, {0, 1, 10}, {0, 1}})
    ->ArgNames({"extras", "service_ms", "parallel"})
    ->UseRealTime();

void BM_Throughput(benchmark::State& state) {
  const int extras = static_cast<int>(state.range(0));
  DeliverySetup setup(extras, delivery::Fanout::kSequential, milliseconds(0), 16);
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  constexpr int kSenders = 16;
  constexpr int kPerSender = 250;
  std::size_t delivered = 0;
  for (auto _ : state) {
    std::atomic<int> failures{0};
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.emplace_back([&] {
        httplib::Client client = Client(setup.mock->BaseUrl());
        for (int i = 0; i < kPerSender; ++i) {
          auto res = client.Post("/mock/inbound", {{"D360-API-KEY", kKey}}, kInbound,
                                 "application/json");
          if (!res || res->status != 202) ++failures;
        }
      });
    }
    for (auto& t : senders) t.join();
    delivered += kSenders * kPerSender;
    for (auto& receiver : setup.receivers) {
      if (!receiver->WaitForCount(delivered, std::chrono::seconds(60)).ok()) {
        return state.SkipWithError("deliveries did not all arrive");
      }
    }
    if (failures > 0) return state.SkipWithError("inbound POSTs failed");
  }
  state.counters["notifications_per_s"] =
      benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  state.counters["deliveries_per_s"] = benchmark::Counter(
      static_cast<double>(delivered * (extras + 1)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Throughput)->ArgName("extras")->Arg(0)->Arg(3)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multihook::bench

BENCHMARK_MAIN();
