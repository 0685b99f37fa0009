// load_bench: multihook's delivery throughput against a bare cpp-httplib client in the same run,
// and its latency under open-loop load (issue #11, items 3 and 4). docs/benchmarks.md, "Load".
//
// Four sink receivers (bench/sink_receiver.cpp) run as child processes, so that their CPU time is
// measured apart. Each round times, one after the other (the order alternating between rounds):
//   bare       N client threads, one keep-alive cpp-httplib client per thread and receiver,
//              POSTing the mock's notification body round-robin to the 4 receivers: requests/s;
//   multihook  N keep-alive connections POSTing /mock/inbound as fast as they are answered (a
//              closed loop; a connection holds back while more than --window notifications are
//              undelivered, so the backlog stays bounded), main + 3 extras, sequential:
//              deliveries completed (journaled answers) per second.
// Then, at fractions of the median multihook rate, an open loop: notifications sent on a fixed
// schedule whatever the mock does, latency measured from each one's scheduled instant (no
// coordinated omission): inbound -> main's answer, and the time each extra adds after the one
// before it. --notifications N instead just delivers N notifications and exits: a fixed amount of
// work for `valgrind --tool=callgrind` (instructions per notification).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <thread>
#include <unordered_map>

#include "bench/load_support.hpp"
#include "harness/mock_client.hpp"
#include "mock_server/app/process_tuning.hpp"
#include "mock_server/codec/inbound_request.hpp"
#include "mock_server/delivery/histogram.hpp"

namespace multihook::bench {
namespace {

using Steady = std::chrono::steady_clock;
using delivery::Histogram;
using Seconds = std::chrono::duration<double>;
const std::string kInboundBody = R"({"message": {"type": "text", "text": {"body": "benchmark"}}})";

struct LoadOptions {
  int rounds = 5;
  double seconds = 2.0;  // measured window of each phase
  double warmup = 0.25;  // before each window
  int connections = 8;
  int window = 256;  // notifications not yet delivered, at most, in the closed loop
  std::vector<double> loads{0.5, 0.9};
  double latency_seconds = 2.0;
  int open_connections = 16;
  long notifications = 0;         // > 0: the fixed-work mode
  std::string receiver = "auto";  // "sink", "nginx", or nginx when installed
  std::string program;            // of the receivers; default: sink_receiver beside this program
};

struct Rig {
  std::vector<std::unique_ptr<ReceiverProcess>> receivers;
  std::vector<std::string> urls;  // main's receiver, then one per extra
  std::unique_ptr<app::MockProvider> mock;
  std::string body;  // what the mock delivers for kInboundBody; the bare client posts it too
  std::size_t destinations() const { return urls.size(); }
  double ReceiversCpu() const {
    double total = 0;
    for (const auto& r : receivers) total += r->CpuSeconds();
    return total;
  }
};

struct Phase {
  double rate = 0;           // requests or deliveries per second
  double self_cpu = 0;       // this process (client, or load generator + mock), CPU seconds
  double receivers_cpu = 0;  // the receivers
  double wall = 0;
  double steal = 0;
  double ReceiverShare() const { return receivers_cpu / std::max(1e-9, receivers_cpu + self_cpu); }
};

// Runs `work(stop)` on `threads` threads; after a warm-up, measures `count()` over the window.
Phase Measure(const Rig& rig, const LoadOptions& o, int threads,
              const std::function<void(const std::atomic<bool>&, int)>& work,
              const std::function<std::uint64_t()>& count) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back([&, t] { work(stop, t); });
  std::this_thread::sleep_for(Seconds(o.warmup));  // pacing the measurement, not a wait
  StealMeter steal;
  const double self0 = SelfCpuSeconds(), receivers0 = rig.ReceiversCpu();
  const std::uint64_t c0 = count();
  const auto t0 = Steady::now();
  std::this_thread::sleep_for(Seconds(o.seconds));
  const std::uint64_t c1 = count();
  Phase p;
  p.wall = Seconds(Steady::now() - t0).count();
  p.self_cpu = SelfCpuSeconds() - self0;
  p.receivers_cpu = rig.ReceiversCpu() - receivers0;
  p.steal = steal.Share();
  p.rate = static_cast<double>(c1 - c0) / p.wall;
  stop = true;
  for (auto& w : workers) w.join();
  return p;
}

struct Totals {
  std::atomic<std::uint64_t> bare_requests{0};
  std::atomic<std::uint64_t> errors{0};
};

Phase RunBare(const Rig& rig, const LoadOptions& o, Totals& totals) {
  const auto work = [&](const std::atomic<bool>& stop, int thread) {
    std::vector<std::unique_ptr<httplib::Client>> clients;
    for (const auto& url : rig.urls) {
      clients.push_back(std::make_unique<httplib::Client>(url));
      clients.back()->set_keep_alive(true);
      clients.back()->set_tcp_nodelay(true);
    }
    for (std::size_t i = static_cast<std::size_t>(thread); !stop.load(); ++i) {
      auto res = clients[i % clients.size()]->Post("/hook", rig.body, "application/json");
      if (!res || res->status != 200) ++totals.errors;
      ++totals.bare_requests;
    }
  };
  return Measure(rig, o, o.connections, work, [&] { return totals.bare_requests.load(); });
}

// The closed loop's sender: posts until `stop` (or `limit` notifications in all), holding back
// while more than o.window notifications are undelivered. `posted` counts across senders.
struct ClosedLoop {
  std::uint64_t base_seq = 0;  // the journal before the first post
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  std::atomic<std::uint64_t> posted{0};
  std::atomic<std::uint64_t> accepted{0};
};

void SendClosedLoop(Rig& rig, const LoadOptions& o, ClosedLoop& loop, const std::atomic<bool>& stop,
                    Totals& totals) {
  harness::MockClient client(rig.mock->BaseUrl());
  const std::uint64_t d = rig.destinations();
  const auto& journal = rig.mock->engine().journal();
  while (!stop.load()) {
    const std::uint64_t done = JournalSeq(*rig.mock) - loop.base_seq;
    if (loop.accepted.load() * d > done + static_cast<std::uint64_t>(o.window) * d) {
      delivery::JournalFilter after;
      after.after_seq = loop.base_seq + done;
      (void)journal.WaitFor(after, d, std::chrono::milliseconds(100));
      continue;
    }
    if (loop.posted.fetch_add(1) >= loop.limit) return;
    if (client.Inbound(kLoadKey, kInboundBody).ok()) {
      ++loop.accepted;
    } else {
      ++totals.errors;
    }
  }
}

// Waits (bounded) until `count` attempts after `base_seq` are journaled.
bool Drain(Rig& rig, std::uint64_t base_seq, std::uint64_t count) {
  delivery::JournalFilter after;
  after.after_seq = base_seq;
  return !rig.mock->engine().journal().WaitFor(after, count, std::chrono::seconds(60)).timed_out;
}

Phase RunInbound(Rig& rig, const LoadOptions& o, Totals& totals) {
  ClosedLoop loop;
  loop.base_seq = JournalSeq(*rig.mock);
  const auto work = [&](const std::atomic<bool>& stop, int) {
    SendClosedLoop(rig, o, loop, stop, totals);
  };
  Phase p = Measure(rig, o, o.connections, work, [&] { return JournalSeq(*rig.mock); });
  if (!Drain(rig, loop.base_seq, loop.accepted.load() * rig.destinations())) ++totals.errors;
  return p;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()      ? 0
         : v.size() % 2 ? v[v.size() / 2]
                        : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void PrintPhase(const char* name, const char* unit, const Phase& p) {
  std::printf(
      "  %-9s %8.0f %s  CPU: this process %5.2f s, receivers %5.2f s (%2.0f %%)  steal %2.0f %%\n",
      name, p.rate, unit, p.self_cpu, p.receivers_cpu, 100 * p.ReceiverShare(), 100 * p.steal);
}

// The rounds; returns the median multihook deliveries/s.
double RunThroughput(Rig& rig, const LoadOptions& o, Totals& totals) {
  std::vector<double> bare, mock, ratio, bare_share, mock_share, steal;
  for (int r = 1; r <= o.rounds; ++r) {
    std::printf("round %d of %d\n", r, o.rounds);
    Phase b, m;
    if (r % 2 == 1) {
      b = RunBare(rig, o, totals);
      m = RunInbound(rig, o, totals);
    } else {
      m = RunInbound(rig, o, totals);
      b = RunBare(rig, o, totals);
    }
    PrintPhase("bare", "requests/s  ", b);
    PrintPhase("multihook", "deliveries/s", m);
    bare.push_back(b.rate);
    mock.push_back(m.rate);
    ratio.push_back(m.rate / b.rate);
    bare_share.push_back(b.ReceiverShare());
    mock_share.push_back(m.ReceiverShare());
    steal.push_back(std::max(b.steal, m.steal));
  }
  std::printf(
      "medians of %d rounds (%d connections, body %zu B, main + %zu extras, sequential, "
      "receivers: %s):\n"
      "  bare client          %8.0f requests/s    receivers' share of CPU %2.0f %%\n"
      "  multihook            %8.0f deliveries/s  receivers' share of CPU %2.0f %%\n"
      "  ratio                %8.2f   (per round: median of the ratios)\n"
      "  steal                %8.0f %%  (highest of the rounds: %.0f %%)\n",
      o.rounds, o.connections, rig.body.size(), rig.destinations() - 1, o.receiver.c_str(),
      Median(bare), 100 * Median(bare_share), Median(mock), 100 * Median(mock_share), Median(ratio),
      100 * Median(steal), 100 * *std::max_element(steal.begin(), steal.end()));
  return Median(mock);
}

// --- open loop -----------------------------------------------------------------------------------

struct Sent {
  std::string event_id;
  Steady::time_point scheduled;
};

// Posts notifications at `rate` per second for `seconds`, each at its scheduled instant (a sender
// that falls behind posts at once, and its latency still counts from the schedule).
std::vector<Sent> SendOpenLoop(Rig& rig, const LoadOptions& o, double rate, Totals& totals) {
  const auto start = Steady::now() + std::chrono::milliseconds(20);
  const auto end = start + std::chrono::duration_cast<Steady::duration>(Seconds(o.latency_seconds));
  const auto period = std::chrono::duration_cast<Steady::duration>(Seconds(1.0 / rate));
  std::atomic<std::uint64_t> next{0};
  std::vector<std::vector<Sent>> sent(static_cast<std::size_t>(o.open_connections));
  std::vector<std::thread> senders;
  for (auto& mine : sent) {
    senders.emplace_back([&] {
      harness::MockClient client(rig.mock->BaseUrl());
      while (true) {
        const auto at = start + period * static_cast<long>(next.fetch_add(1));
        if (at >= end) return;
        std::this_thread::sleep_until(at);  // the schedule, not a wait for a result
        auto answer = client.Inbound(kLoadKey, kInboundBody);
        if (answer.ok()) {
          mine.push_back({answer->event_id, at});
        } else {
          ++totals.errors;
        }
      }
    });
  }
  for (auto& t : senders) t.join();
  std::vector<Sent> all;
  for (auto& mine : sent) all.insert(all.end(), mine.begin(), mine.end());
  return all;
}

struct LatencyPoint {
  double rate = 0;
  std::size_t notifications = 0;
  Histogram to_main;    // scheduled send -> main's answer journaled
  Histogram per_extra;  // each extra's answer - the previous destination's answer
  double steal = 0;
};

// 0 for main, k for "extraK".
std::size_t DestinationIndex(const std::string& name) {
  return name == delivery::kMainDestination ? 0 : std::stoul(name.substr(5));
}

LatencyPoint RunOpenLoop(Rig& rig, const LoadOptions& o, double rate, Totals& totals) {
  LatencyPoint point;
  point.rate = rate;
  StealMeter steal;
  const std::uint64_t base = JournalSeq(*rig.mock);
  const std::vector<Sent> sent = SendOpenLoop(rig, o, rate, totals);
  point.notifications = sent.size();
  if (!Drain(rig, base, sent.size() * rig.destinations())) ++totals.errors;
  point.steal = steal.Share();
  delivery::JournalFilter after;
  after.after_seq = base;
  const auto page = rig.mock->engine().journal().Query(after);
  std::unordered_map<std::string, std::vector<Steady::time_point>> answered;
  for (const auto& r : page.entries) {
    auto& ends = answered[r.event_id];
    ends.resize(rig.destinations());
    ends[DestinationIndex(r.destination)] = r.started + r.duration;
  }
  const auto us = [](Steady::duration d) { return std::chrono::duration_cast<core::Micros>(d); };
  for (const Sent& s : sent) {
    const auto& ends = answered[s.event_id];
    if (ends.size() != rig.destinations()) continue;
    point.to_main.Record(us(ends[0] - s.scheduled));
    for (std::size_t k = 1; k < ends.size(); ++k) point.per_extra.Record(us(ends[k] - ends[k - 1]));
  }
  return point;
}

void RunLatency(Rig& rig, const LoadOptions& o, double max_deliveries, Totals& totals) {
  const double max_rate = max_deliveries / static_cast<double>(rig.destinations());
  std::printf(
      "open loop, %d connections, %.1f s per load; latency from each notification's scheduled "
      "send (max: %.0f notifications/s = the median deliveries/s above / %zu):\n"
      "  load  notifications/s  sent   inbound->main p50 / p99 (us)  each extra adds p50 / p99 "
      "(us)  steal\n",
      o.open_connections, o.latency_seconds, max_rate, rig.destinations());
  for (const double load : o.loads) {
    const LatencyPoint p = RunOpenLoop(rig, o, load * max_rate, totals);
    std::printf("  %3.0f %%  %15.0f  %5zu   %12lld / %-12lld   %12lld / %-12lld   %3.0f %%\n",
                100 * load, p.rate, p.notifications,
                static_cast<long long>(p.to_main.Percentile(0.5).count()),
                static_cast<long long>(p.to_main.Percentile(0.99).count()),
                static_cast<long long>(p.per_extra.Percentile(0.5).count()),
                static_cast<long long>(p.per_extra.Percentile(0.99).count()), 100 * p.steal);
  }
}

// --- fixed work (callgrind) ----------------------------------------------------------------------

void RunFixed(Rig& rig, const LoadOptions& o, Totals& totals) {
  ClosedLoop loop;
  loop.base_seq = JournalSeq(*rig.mock);
  loop.limit = static_cast<std::uint64_t>(o.notifications);
  // No holding back: the senders' own work stays the same from run to run.
  LoadOptions unbounded = o;
  unbounded.window = static_cast<int>(o.notifications);
  const std::atomic<bool> never{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < o.connections; ++t) {
    senders.emplace_back([&] { SendClosedLoop(rig, unbounded, loop, never, totals); });
  }
  for (auto& t : senders) t.join();
  if (!Drain(rig, loop.base_seq, loop.accepted.load() * rig.destinations())) ++totals.errors;
  std::printf("delivered %llu notifications to %zu destinations each\n",
              static_cast<unsigned long long>(loop.accepted.load()), rig.destinations());
}

// --- setup and the final reconciliation ----------------------------------------------------------

core::Result<Rig> StartRig(const LoadOptions& o) {
  Rig rig;
  constexpr int kReceivers = 4;  // main + 3 extras
  if (o.receiver == "nginx") {
    MULTIHOOK_ASSIGN_OR_RETURN(auto nginx, ReceiverProcess::StartNginx(o.program, kReceivers));
    rig.urls = nginx->urls();
    rig.receivers.push_back(std::move(nginx));
  }
  for (int i = 0; o.receiver == "sink" && i < kReceivers; ++i) {
    MULTIHOOK_ASSIGN_OR_RETURN(auto sink, ReceiverProcess::StartSink(o.program));
    rig.urls.push_back(sink->urls().at(0));
    rig.receivers.push_back(std::move(sink));
  }
  MULTIHOOK_ASSIGN_OR_RETURN(rig.mock, StartLoadMock(rig.urls));
  core::IdSource ids(1);
  const auto channels = rig.mock->store().Channels();
  MULTIHOOK_ASSIGN_OR_RETURN(
      auto built, codec::BuildInboundNotification(kInboundBody, channels.at(0),
                                                  std::chrono::system_clock::now(), ids));
  rig.body = std::move(built.body);
  return rig;
}

// Every request a receiver answered is a bare request or a journaled attempt (sinks count; nginx
// does not), and every attempt got its 200: a run that lost or failed deliveries fails.
bool Reconcile(Rig& rig, const Totals& totals) {
  std::uint64_t attempts = 0, failed = 0;
  for (const auto& d : rig.mock->engine().Stats().destinations) {
    attempts += d.attempts;
    failed += d.attempts - d.succeeded;
  }
  rig.mock.reset();  // closes the mock's connections before the receivers stop
  long received = 0;
  bool counted = true;
  for (auto& receiver : rig.receivers) {
    const long count = receiver->Stop();
    counted = counted && count >= 0;
    received += std::max(0L, count);
  }
  const std::uint64_t expected = totals.bare_requests.load() + attempts;
  if (totals.errors.load() == 0 && failed == 0 &&
      (!counted || static_cast<std::uint64_t>(received) == expected)) {
    return true;
  }
  std::fprintf(stderr,
               "load_bench: FAILED: %llu request errors, %llu failed attempts, receivers answered "
               "%ld requests, expected %llu (bare %llu + attempts %llu)\n",
               static_cast<unsigned long long>(totals.errors.load()),
               static_cast<unsigned long long>(failed), received,
               static_cast<unsigned long long>(expected),
               static_cast<unsigned long long>(totals.bare_requests.load()),
               static_cast<unsigned long long>(attempts));
  return false;
}

}  // namespace
}  // namespace multihook::bench

int main(int argc, char** argv) {
  using namespace multihook::bench;
  multihook::app::PrepareProcess();
  LoadOptions o;
  bool quick = false;
  CLI::App cli{"Delivery throughput against a bare cpp-httplib client, and latency under load"};
  cli.add_option("--rounds", o.rounds, "paired rounds (bare, then multihook)")
      ->check(CLI::PositiveNumber);
  cli.add_option("--seconds", o.seconds, "measured window of each phase")
      ->check(CLI::PositiveNumber);
  cli.add_option("--connections", o.connections, "client threads / inbound connections")
      ->check(CLI::PositiveNumber);
  cli.add_option("--window", o.window, "most notifications undelivered in the closed loop")
      ->check(CLI::PositiveNumber);
  cli.add_option("--loads", o.loads, "open-loop rates, as fractions of the measured maximum")
      ->delimiter(',');
  cli.add_option("--latency-seconds", o.latency_seconds, "length of each open-loop run")
      ->check(CLI::PositiveNumber);
  cli.add_option("--notifications", o.notifications,
                 "deliver this many notifications and exit (for callgrind)");
  cli.add_option("--receivers", o.receiver,
                 "sink: 4 sink_receiver processes; nginx: one nginx worker on 4 ports; auto: nginx "
                 "if /usr/sbin/nginx is installed (it costs less CPU than the client), else sink")
      ->check(CLI::IsMember({"auto", "sink", "nginx"}));
  cli.add_option(
      "--program", o.program,
      "the receivers' program (default: sink_receiver beside this one, /usr/sbin/nginx)");
  cli.add_flag("--quick", quick, "1 round of 1 s, 1 s per load (a smoke run)");
  CLI11_PARSE(cli, argc, argv);
  if (quick) {
    o.rounds = 1;
    o.seconds = 1.0;
    o.latency_seconds = 1.0;
  }
  if (o.receiver == "auto") {
    o.receiver = std::filesystem::exists("/usr/sbin/nginx") ? "nginx" : "sink";
  }
  if (o.program.empty() && o.receiver == "nginx") o.program = "/usr/sbin/nginx";
  if (o.program.empty()) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    o.program = self.substr(0, self.rfind('/') + 1) + "sink_receiver";
  }
  auto rig = StartRig(o);
  if (!rig.ok()) {
    std::fprintf(stderr, "load_bench: %s\n", rig.status().ToString().c_str());
    return 2;
  }
  Totals totals;
  if (o.notifications > 0) {
    RunFixed(*rig, o, totals);
  } else {
    const double max_deliveries = RunThroughput(*rig, o, totals);
    RunLatency(*rig, o, max_deliveries, totals);
  }
  return Reconcile(*rig, totals) ? 0 : 1;
}
