#include "mock_server/delivery/delivery_runner.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <system_error>

namespace multihook::delivery {

core::Result<std::unique_ptr<DeliveryRunner>> DeliveryRunner::Start(DeliveryEngine& engine,
                                                                    RunnerOptions options) {
  if (options.workers == 0) return core::InvalidArgument("/workers", "must be at least 1");
  if (options.max_idle_wait <= core::Micros(0)) {
    return core::InvalidArgument("/max_idle_wait", "must be positive");
  }
  std::unique_ptr<DeliveryRunner> runner(new DeliveryRunner(engine, options));
  std::optional<std::string> failure;  // why a thread could not start
  {
    core::MutexLock lock(runner->stop_mu_);
    try {
      runner->workers_.reserve(options.workers);
      for (std::size_t i = 0; i < options.workers; ++i) {
        runner->workers_.emplace_back([r = runner.get()] { r->WorkerLoop(); });
      }
    } catch (const std::system_error& e) {
      failure = e.what();
    }
  }
  if (failure) {
    runner->Stop();  // joins the threads that did start
    return core::Status(core::StatusCode::kInternal, "/workers",
                        "cannot start a delivery thread: " + *failure);
  }
  return runner;
}

DeliveryRunner::DeliveryRunner(DeliveryEngine& engine, RunnerOptions options)
    : engine_(engine), options_(options) {}

DeliveryRunner::~DeliveryRunner() { Stop(); }

void DeliveryRunner::Stop() {
  core::MutexLock stop_lock(stop_mu_);
  stopping_.store(true);
  engine_.work_signal().NotifyAll();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void DeliveryRunner::Wake() { engine_.work_signal().NotifyAll(); }

void DeliveryRunner::WorkerLoop() {
  WorkSignal& signal = engine_.work_signal();
  while (!stopping_.load()) {
    // Read the epoch before looking at the queue: a notification after this point ends the wait.
    const std::uint64_t epoch = signal.epoch();
    if (std::optional<DeliveryEngine::Task> task = engine_.TakeDue()) {
      // More due work than this worker: wake a peer for it before going busy.
      const auto next = engine_.NextDue();
      if (next && *next <= engine_.clock().Now()) signal.Notify();
      in_flight_.fetch_add(1);
      executed_.fetch_add(engine_.Execute(std::move(*task), &stopping_));
      in_flight_.fetch_sub(1);
      continue;
    }
    core::Micros wait = options_.max_idle_wait;
    if (const auto next = engine_.NextDue()) {
      const auto until = std::chrono::duration_cast<core::Micros>(*next - engine_.clock().Now());
      wait = std::clamp(until, core::Micros(0), options_.max_idle_wait);
    }
    if (wait > core::Micros(0)) signal.WaitFor(epoch, wait);
  }
}

}  // namespace multihook::delivery
