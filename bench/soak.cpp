// soak: a bounded run that proves nothing acknowledged is lost (issue #12, item 3).
//
// An in-process mock under virtual time, bound to 127.0.0.1 on an ephemeral port, with one phone
// number whose main webhook and three extras are scripted receivers answering from seeded fault
// profiles (200, 500, 429, resets, malformed answers, timeouts, slow answers). Three threads race
// for the length of the run: a sender (a steady inbound rate plus bursts past --max-pending, whose
// 429s are counted, not errors), a config churner (PUT/PATCH/DELETE of the extras) and a clock
// (virtual-time advances, so retries run). After a drain, soak_check.cpp compares the journal,
// /mock/stats, every event's state and the receivers' own records, prints the figures and exits
// 1 on any mismatch (2 when the run could not be set up).
#include <CLI/CLI.hpp>
#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include "bench/soak_support.hpp"

namespace multihook::soak {
namespace {

core::Result<std::unique_ptr<app::MockProvider>> StartMock(const SoakOptions& o, const Rig& rig) {
  app::MockOptions options;
  options.port = 0;
  options.apply_delay = core::Micros(0);
  core::ChannelSpec channel;
  channel.api_key = std::string(kApiKey);
  options.channels.push_back(channel);
  options.clock = app::ClockMode::kVirtual;
  options.seed = o.seed;
  options.delivery.timeout = std::chrono::milliseconds(o.timeout_ms);
  options.delivery.max_pending = o.max_pending;
  options.delivery.retry.horizon = std::chrono::seconds(o.retry_horizon_s);
  for (const auto& receiver : rig.receivers) {
    MULTIHOOK_ASSIGN_OR_RETURN(
        auto route, core::ParseHostRoute(HostOf(receiver->name()) + "=" + receiver->BaseUrl()));
    options.routes.push_back(std::move(route));
  }
  return app::MockProvider::Start(options);
}

// Steady inbound at --rate, plus a burst of --burst posts every --burst-every seconds.
void SendLoop(const SoakOptions& o, const std::string& base, Rig& rig, Tally& tally,
              const std::atomic<bool>& stop) {
  httplib::Client client = Client(base);
  const auto start = std::chrono::steady_clock::now();
  const auto period = std::chrono::microseconds(1'000'000 / std::max(1, o.rate));
  auto next_burst = start + std::chrono::seconds(o.burst_every_s);
  std::uint64_t n = 0;
  for (auto next = start; !stop.load(); next += period) {
    std::this_thread::sleep_until(next);  // pacing an open-loop sender, not waiting for a result
    Send(client, n++, rig, tally);
    if (std::chrono::steady_clock::now() >= next_burst) {
      for (int i = 0; i < o.burst && !stop.load(); ++i) Send(client, n++, rig, tally);
      next_burst += std::chrono::seconds(o.burst_every_s);
    }
  }
}

// Every --churn-ms: one extra is deleted, re-added (PUT) or has its headers replaced (PATCH).
void ChurnLoop(const SoakOptions& o, const std::string& base, Tally& tally,
               const std::atomic<bool>& stop) {
  httplib::Client client = Client(base);
  std::array<bool, kExtras> present = {true, true, true};
  std::uint64_t state = o.seed;
  for (std::uint64_t i = 0; !stop.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(o.churn_ms));  // pacing, see above
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::size_t k = (state >> 33) % kExtras;
    Churn(client, k, present[k], (state >> 40) % 2 == 0, tally);
  }
}

// Every --advance-every-ms of real time, virtual time moves --advance-ms.
void ClockLoop(const SoakOptions& o, const std::string& base, Tally& tally,
               const std::atomic<bool>& stop) {
  httplib::Client client = Client(base);
  while (!stop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(o.advance_every_ms));  // pacing
    Advance(client, o.advance_ms, tally);
  }
}

int Run(const SoakOptions& o) {
  auto rig = StartReceivers(o);
  if (!rig.ok()) return Fail("receivers: " + rig.status().ToString());
  auto mock = StartMock(o, *rig);
  if (!mock.ok()) return Fail("mock: " + mock.status().ToString());
  const std::string base = (*mock)->BaseUrl();
  if (core::Status s = Configure(base, *rig); !s.ok()) return Fail("configure: " + s.ToString());
  std::cout << "soak: " << o.duration_s << " s at " << o.rate << "/s, bursts of " << o.burst
            << " every " << o.burst_every_s << " s past --max-pending " << o.max_pending
            << ", mock " << base << "\n";
  Tally tally;
  std::atomic<bool> stop{false};
  const auto started = std::chrono::steady_clock::now();
  {
    std::jthread sender([&] { SendLoop(o, base, *rig, tally, stop); });
    std::jthread churner([&] { ChurnLoop(o, base, tally, stop); });
    std::jthread clock([&] { ClockLoop(o, base, tally, stop); });
    std::this_thread::sleep_for(std::chrono::seconds(o.duration_s));  // the run's length
    stop = true;
  }
  if (core::Status s = Drain(base, o, tally); !s.ok()) tally.Error("drain: " + s.ToString());
  Report report = Check(o, base, *rig, tally);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  report.figures.emplace_back("wall seconds (load + drain)", std::to_string(took.count()));
  Print(report, std::cout);
  return report.failures.empty() && tally.errors.empty() ? 0 : 1;
}

}  // namespace
}  // namespace multihook::soak

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  multihook::soak::SoakOptions o;
  CLI::App cli{"soak: faulty receivers, racing config changes, nothing lost"};
  cli.add_option("--duration", o.duration_s, "seconds of load")->capture_default_str();
  cli.add_option("--rate", o.rate, "steady notifications per second")->capture_default_str();
  cli.add_option("--burst", o.burst, "notifications per burst")->capture_default_str();
  cli.add_option("--burst-every", o.burst_every_s, "seconds between bursts")->capture_default_str();
  cli.add_option("--max-pending", o.max_pending, "the mock's --max-pending")->capture_default_str();
  cli.add_option("--timeout-ms", o.timeout_ms, "the mock's --timeout")->capture_default_str();
  cli.add_option("--retry-horizon", o.retry_horizon_s, "virtual seconds")->capture_default_str();
  cli.add_option("--churn-ms", o.churn_ms, "ms between config changes")->capture_default_str();
  cli.add_option("--advance-ms", o.advance_ms, "virtual ms per advance")->capture_default_str();
  cli.add_option("--advance-every-ms", o.advance_every_ms, "real ms between advances")
      ->capture_default_str();
  cli.add_option("--seed", o.seed, "seeds the fault profiles and the churn")->capture_default_str();
  cli.add_option("--inject", o.inject, "test-only: break a rule to see the soak fail")
      ->check(CLI::IsMember({"none", "drop-journal-record", "early-extra"}))
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  return multihook::soak::Run(o);
}
