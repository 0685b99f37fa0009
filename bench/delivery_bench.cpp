// The latency each extra destination adds, and the mock's delivery throughput, against the round
// trip of a bare cpp-httplib client to the same kind of receiver, measured in one run.
//
//   BM_BareClientRoundTrip/service_ms:S   keep-alive POST of a notification-sized body
//   BM_InboundAccept                      the mock's 202 to POST /mock/inbound
//   BM_FanOut/extras:N/service_ms:S/parallel:P
//                                         POST /mock/inbound until main + N extras answered;
//                                         counters: end-to-end percentiles, per-destination
//                                         p50/p99 and the latency the last extra added
//   BM_ExtraCost/extras:N/service_ms:S/parallel:P
//                                         the headline ratio, paired: every iteration times a
//                                         notification to main only, to main + 1 extra, to main
//                                         + N extras, and a bare client round trip, in the same
//                                         time window
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
  const auto fanout =
      state.range(2) == 0 ? delivery::Fanout::kSequential : delivery::Fanout::kParallel;
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

// Runs of separate benchmarks drift apart by ±30 % on a small VM, which swamps a difference of
// tens of microseconds. Here the timings alternate within each iteration, so whatever the machine
// does affects them alike: a notification to main only, one to main + the first extra, one to
// main + N extras (same mock, same receivers), and a bare client posting to the last extra's
// receiver.
//   per_extra_us     = (p50 with N extras - p50 main only) / N      the sequential figure
//   further_extra_us = (p50 with N extras - p50 with one) / (N - 1)  what each extra beyond the
//                      first adds: in parallel mode the first extra costs the fan-out's own round
//                      trip (the gate forbids starting before main's 200), the others overlap it
//   ratio, further_ratio: the same divided by the bare p50
void BM_ExtraCost(benchmark::State& state) {
  const int extras = static_cast<int>(state.range(0));
  const auto fanout =
      state.range(2) == 0 ? delivery::Fanout::kSequential : delivery::Fanout::kParallel;
  DeliverySetup setup(extras, fanout, milliseconds(state.range(1)));
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  httplib::Client bare = Client(setup.receivers.back()->BaseUrl());
  const std::string body(700, 'x');
  delivery::Histogram main_only, one_extra, with_extras, bare_rtt;
  const auto timed = [](delivery::Histogram& h, auto&& one) {
    const auto start = Clock::now();
    const bool ok = one();
    h.Record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start));
    return ok;
  };
  for (auto _ : state) {
    if (!timed(main_only, [&] { return setup.DeliverOne(kMainOnlyKey); }) ||
        !timed(one_extra, [&] { return setup.DeliverOne(kOneExtraKey); }) ||
        !timed(with_extras, [&] { return setup.DeliverOne(kKey); }) || !timed(bare_rtt, [&] {
          auto res = bare.Post("/hook", body, "application/json");
          return res && res->status == 200;
        })) {
      return state.SkipWithError("an iteration failed");
    }
  }
  const auto p50 = [](const delivery::Histogram& h) {
    return static_cast<double>(h.Percentile(0.5).count());
  };
  const double per_extra = (p50(with_extras) - p50(main_only)) / extras;
  const double further = (p50(with_extras) - p50(one_extra)) / (extras - 1);
  state.counters["main_only_p50_us"] = p50(main_only);
  state.counters["one_extra_p50_us"] = p50(one_extra);
  state.counters["with_extras_p50_us"] = p50(with_extras);
  state.counters["bare_p50_us"] = p50(bare_rtt);
  state.counters["per_extra_us"] = per_extra;
  state.counters["ratio"] = per_extra / p50(bare_rtt);
  state.counters["further_extra_us"] = further;
  state.counters["further_ratio"] = further / p50(bare_rtt);
}
BENCHMARK(BM_ExtraCost)
    ->ArgsProduct({{3}, {0, 1, 10}, {0, 1}})
    ->ArgNames({"extras", "service_ms", "parallel"})
    ->UseRealTime();

void BM_Throughput(benchmark::State& state) {
  const int extras = static_cast<int>(state.range(0));
  DeliverySetup setup(extras, delivery::Fanout::kSequential, milliseconds(0));
  if (!setup.error.empty()) return state.SkipWithError(setup.error.c_str());
  constexpr int kSenders = 16;
  constexpr int kPerSender = 250;
  std::size_t delivered = 0;
  const double cpu_start = ProcessCpuSeconds();
  for (auto _ : state) {
    std::atomic<int> failures{0};
    std::vector<std::thread> senders;
    for (int s = 0; s < kSenders; ++s) {
      senders.emplace_back([&] {
        httplib::Client client = Client(setup.mock->BaseUrl());
        for (int i = 0; i < kPerSender; ++i) {
          auto res =
              client.Post("/mock/inbound", {{"D360-API-KEY", kKey}}, kInbound, "application/json");
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
  // CPU time of the whole process (mock, receivers and senders) per notification: steadier than
  // the rate on a shared machine, and what a change to the delivery path should lower.
  state.counters["cpu_us_per_notification"] =
      (ProcessCpuSeconds() - cpu_start) * 1e6 / static_cast<double>(delivered);
  state.counters["notifications_per_s"] =
      benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  state.counters["deliveries_per_s"] = benchmark::Counter(
      static_cast<double>(delivered * (extras + 1)), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Throughput)
    ->ArgName("extras")
    ->Arg(0)
    ->Arg(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace multihook::bench

MULTIHOOK_BENCHMARK_MAIN()
