#include "mock_server/delivery/delivery_runner.hpp"

#include <algorithm>
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
  try {
    runner->workers_.reserve(options.workers);
    for (std::size_t i = 0; i < options.workers; ++i) {
      runner->workers_.emplace_back([r = runner.get()] { r->WorkerLoop(); });
    }
    runner->scheduler_ = std::thread([r = runner.get()] { r->SchedulerLoop(); });
  } catch (const std::system_error& e) {
    runner->Stop();
    return core::Status(core::StatusCode::kInternal, "/workers",
                        std::string("cannot start a delivery thread: ") + e.what());
  }
  return runner;
}

DeliveryRunner::DeliveryRunner(DeliveryEngine& engine, RunnerOptions options)
    : engine_(engine), options_(options), idle_workers_(options.workers) {}

DeliveryRunner::~DeliveryRunner() { Stop(); }

void DeliveryRunner::Stop() {
  std::lock_guard stop_lock(stop_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  engine_.work_signal().Notify();
  if (scheduler_.joinable()) scheduler_.join();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void DeliveryRunner::Wake() { engine_.work_signal().Notify(); }

void DeliveryRunner::SchedulerLoop() {
  WorkSignal& signal = engine_.work_signal();
  while (true) {
    // Read the epoch before looking at the queue: a notification after this point ends the wait.
    const std::uint64_t epoch = signal.epoch();
    bool has_idle = false;
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      while (idle_workers_ > 0) {
        auto task = engine_.TakeDue();
        if (!task) break;
        ready_.push_back(std::move(*task));
        --idle_workers_;
        work_ready_.notify_one();
      }
      has_idle = idle_workers_ > 0;
    }
    core::Micros wait = options_.max_idle_wait;
    if (has_idle) {
      if (const auto next = engine_.NextDue()) {
        const auto until = std::chrono::duration_cast<core::Micros>(*next - engine_.clock().Now());
        wait = std::clamp(until, core::Micros(0), options_.max_idle_wait);
      }
    }
    if (wait > core::Micros(0)) signal.WaitFor(epoch, wait);
  }
}

void DeliveryRunner::WorkerLoop() {
  while (true) {
    std::optional<DeliveryEngine::Task> task;
    {
      std::unique_lock lock(mu_);
      work_ready_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
      // Tasks already taken from the engine are run even when stopping: they must not be lost.
      if (ready_.empty()) return;
      task.emplace(std::move(ready_.front()));
      ready_.pop_front();
    }
    engine_.Execute(std::move(*task));
    executed_.fetch_add(1);
    {
      std::lock_guard lock(mu_);
      ++idle_workers_;
    }
    engine_.work_signal().Notify();
  }
}

}  // namespace multihook::delivery
