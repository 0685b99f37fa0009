#include "harness/verify/verifier.hpp"

#include <algorithm>
#include <atomic>
#include <latch>
#include <system_error>
#include <thread>
#include <vector>

#include "harness/verify/signature_faults.hpp"
#include "harness/verify/verify_catalogue.hpp"
#include "mock_server/codec/signature.hpp"

namespace multihook::harness {
namespace {

using delivery::ErrorClass;

// A timeout is an answer that came too late, so it counts as a (slow) latency; refused or reset
// connections have no latency to speak of and are counted by class instead.
bool HasLatency(ErrorClass error) {
  return error == ErrorClass::kNone || error == ErrorClass::kTimeout;
}

// The due time of `slot` at `rate` per second, from the start: exact integer arithmetic
// (slot <= 10000/s x 600 s, so slot x 1e9 fits in 64 bits).
std::chrono::nanoseconds DueOffset(std::uint64_t slot, int rate) {
  return std::chrono::nanoseconds(
      static_cast<std::int64_t>(slot * 1'000'000'000ULL / static_cast<std::uint64_t>(rate)));
}

// Everything one load thread owns; merged after the threads are joined.
struct LoadThreadState {
  delivery::Histogram histogram;
  std::uint64_t over_1s = 0;
  std::uint64_t completed = 0;
  std::uint64_t answered_200 = 0;
  std::map<int, std::uint64_t> other_statuses;
  std::map<std::string, std::uint64_t> errors;
  core::Micros max_start_lag{0};
  core::SteadyTime last_completion{};

  // One request sent at `sent` for the slot due at `due`, answered (or failed) at `done`.
  void Note(const delivery::TransportResult& result, core::SteadyTime due, core::SteadyTime sent,
            core::SteadyTime done) {
    max_start_lag = std::max(max_start_lag, std::chrono::duration_cast<core::Micros>(sent - due));
    last_completion = std::max(last_completion, done);
    ++completed;
    const auto taken = std::chrono::duration_cast<core::Micros>(done - due);
    if (HasLatency(result.error)) {
      histogram.Record(taken);
      if (taken > kSlowAnswer) ++over_1s;
    }
    if (result.error != ErrorClass::kNone) {
      ++errors[std::string(delivery::ErrorClassName(result.error))];
    } else if (result.status == 200) {
      ++answered_200;
    } else {
      ++other_statuses[result.status];
    }
  }

  // Adds this thread's counts to the run's; returns its last completion.
  core::SteadyTime AddTo(LoadResult& result, LatencyStats& latency) const {
    latency.histogram.Merge(histogram);
    latency.over_1s += over_1s;
    result.completed += completed;
    result.answered_200 += answered_200;
    for (const auto& [status, n] : other_statuses) result.other_statuses[status] += n;
    for (const auto& [name, n] : errors) result.errors[name] += n;
    result.max_start_lag = std::max(result.max_start_lag, max_start_lag);
    return last_completion;
  }
};

}  // namespace

delivery::OutgoingRequest Verifier::Request(std::string body) const {
  delivery::OutgoingRequest request;
  request.url = plan_.url;
  request.headers["Content-Type"] = "application/json";
  if (plan_.secret) {
    request.headers[std::string(delivery::kSignatureHeader)] =
        codec::SignatureHex(*plan_.secret, body);
  }
  request.body = std::move(body);
  request.timeout = plan_.timeout;
  return request;
}

RequestOutcome Verifier::Send(const delivery::OutgoingRequest& request) {
  RequestOutcome outcome;
  outcome.bytes = request.body.size();
  const core::SteadyTime start = clock_.Now();
  delivery::TransportResult result = transport_.Send(request);
  outcome.latency = std::chrono::duration_cast<core::Micros>(clock_.Now() - start);
  outcome.status = result.status;
  outcome.error = result.error;
  outcome.detail = std::move(result.detail);
  return outcome;
}

core::Status Verifier::RunCatalogue(const core::ChannelIdentity& channel, core::IdSource& ids,
                                    VerifyReport& report, LatencyStats& latency) {
  MULTIHOOK_ASSIGN_OR_RETURN(auto catalogue,
                             BuildCatalogue(channel, clock_.WallNow(), ids, plan_.cases));
  for (VerifyCase& verify_case : catalogue) {
    CaseResult result{verify_case.name, verify_case.description, {}};
    for (std::string& body : verify_case.bodies) {
      RequestOutcome outcome = Send(Request(std::move(body)));
      if (HasLatency(outcome.error)) {
        latency.histogram.Record(outcome.latency);
        if (outcome.latency > kSlowAnswer) ++latency.over_1s;
      }
      result.requests.push_back(std::move(outcome));
    }
    report.cases.push_back(std::move(result));
  }
  return core::Status::Ok();
}

// Not counted in the latencies: a refusal may take a receiver any time it likes.
core::Status Verifier::RunSignatureChecks(const core::ChannelIdentity& channel, core::IdSource& ids,
                                          VerifyReport& report) {
  if (!plan_.signature_checks) {
    report.signature_checks_off = "--no-signature-checks";
    return core::Status::Ok();
  }
  if (!plan_.secret) {
    report.signature_checks_off = "no --secret: nothing is signed";
    return core::Status::Ok();
  }
  MULTIHOOK_ASSIGN_OR_RETURN(auto faults,
                             BuildSignatureFaults(channel, clock_.WallNow(), ids, *plan_.secret));
  for (SignatureFault& fault : faults) {
    delivery::OutgoingRequest request = Request(std::move(fault.body));
    const std::string header(delivery::kSignatureHeader);
    if (fault.signature) {
      request.headers[header] = std::move(*fault.signature);
    } else {
      request.headers.erase(header);
    }
    report.signature_checks.push_back(
        SignatureCheckResult{std::move(fault.name), std::move(fault.description), Send(request)});
  }
  return core::Status::Ok();
}

VerifyReport Verifier::Run() {
  VerifyReport report;
  report.url = plan_.url;
  report.signed_requests = plan_.secret.has_value();
  const core::SteadyTime started = clock_.Now();

  core::IdSource ids(plan_.seed);
  const core::ChannelIdentity channel = VerifyChannel(ids);
  LatencyStats catalogue_latency;
  catalogue_latency.source = "catalogue";
  core::Status ran = RunCatalogue(channel, ids, report, catalogue_latency);
  if (ran.ok()) ran = RunSignatureChecks(channel, ids, report);
  if (!ran.ok()) {
    report.setup_error = ran.ToString();
    return report;
  }

  if (plan_.load) {
    LatencyStats load_latency;
    load_latency.source = "load";
    auto load = RunLoad(*plan_.load, channel, load_latency);
    report.load = std::move(load);
    report.latency = std::move(load_latency);
  } else {
    report.latency = std::move(catalogue_latency);
  }
  report.standards = JudgeStandards(report.latency, report.load);
  report.elapsed = std::chrono::duration_cast<core::Micros>(clock_.Now() - started);
  return report;
}

LoadResult Verifier::RunLoad(const LoadPlan& load, const core::ChannelIdentity& channel,
                             LatencyStats& latency) {
  const std::uint64_t total = load.RequestCount();
  const std::size_t thread_count =
      static_cast<std::size_t>(std::min<std::uint64_t>(load.EffectiveConnections(), total));
  std::vector<LoadThreadState> states(thread_count);
  std::atomic<std::uint64_t> next_slot{0};
  core::SteadyTime start{};  // written before `go` opens, read after
  std::latch go(1);
  std::size_t started_threads = 0;

  const auto work = [&](std::size_t index) {
    go.wait();
    LoadThreadState& state = states[index];
    LoadBodySource bodies(channel, plan_.seed + 1 + index);
    for (;;) {
      const std::uint64_t slot = next_slot.fetch_add(1, std::memory_order_relaxed);
      if (slot >= total) break;
      const core::SteadyTime due = start + DueOffset(slot, load.rate);
      auto body = bodies.Body(slot, clock_.WallNow());
      if (!body.ok()) {  // a bug in our own request; counted, never sent
        ++state.errors["internal"];
        ++state.completed;
        continue;
      }
      delivery::OutgoingRequest request = Request(std::move(*body));
      // Pacing to the schedule, not waiting for a condition: the due time is the plan.
      const auto remaining = due - clock_.Now();
      if (remaining > decltype(remaining)::zero()) std::this_thread::sleep_for(remaining);
      const core::SteadyTime sent = clock_.Now();
      const delivery::TransportResult result = transport_.Send(request);
      state.Note(result, due, sent, clock_.Now());
    }
  };

  {
    std::vector<std::jthread> threads;  // joined when the scope ends, also on an early exit
    threads.reserve(thread_count);
    try {
      for (std::size_t i = 0; i < thread_count; ++i) {
        threads.emplace_back(work, i);
        ++started_threads;
      }
    } catch (const std::system_error&) {
      // Run with the threads we have: the result shows the connections actually used.
    }
    start = clock_.Now();
    go.count_down();
  }

  LoadResult result;
  result.rate = load.rate;
  result.duration = load.duration;
  result.connections = started_threads;
  result.scheduled = total;
  core::SteadyTime last = start;
  for (const LoadThreadState& state : states) last = std::max(last, state.AddTo(result, latency));
  result.elapsed = std::chrono::duration_cast<core::Micros>(last - start);
  return result;
}

}  // namespace multihook::harness
