// DeliveryRunner: runs a DeliveryEngine's attempts in serve mode. It owns one scheduler thread and
// a bounded pool of worker threads. The scheduler hands a due task to a worker only when one is
// free (so at most `workers` attempts are in flight and the rest stay visible in the engine's
// queue); different notifications run concurrently, while one notification's main attempt and its
// sequential extras still run in order (the engine schedules each only after the previous ended).
//
// The scheduler sleeps until the next due instant (measured on the engine's clock and waited in
// real time), new work, a free worker or Wake(). With a ManualClock, call Wake() after advancing
// the clock; waits are also capped at `max_idle_wait`, so nothing stalls for long either way.
//
// RAII: Stop() is idempotent and the destructor calls it. Stop() lets running attempts finish
// (each bounded by the engine's timeout) and runs the tasks already handed to workers; tasks still
// queued in the engine stay there.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/delivery/delivery_engine.hpp"

namespace multihook::delivery {

struct RunnerOptions {
  std::size_t workers = 4;
  core::Micros max_idle_wait = std::chrono::milliseconds(250);
};

class DeliveryRunner {
 public:
  // Starts the threads. invalid_argument for workers == 0 or a non-positive max_idle_wait;
  // internal when a thread cannot be started. `engine` must outlive the runner.
  static core::Result<std::unique_ptr<DeliveryRunner>> Start(DeliveryEngine& engine,
                                                             RunnerOptions options);
  ~DeliveryRunner();

  DeliveryRunner(const DeliveryRunner&) = delete;
  DeliveryRunner& operator=(const DeliveryRunner&) = delete;

  // Stops and joins every thread. Idempotent; safe to call from several threads.
  void Stop();
  // Makes the scheduler look at the queue again now (e.g. after ManualClock::Advance).
  void Wake();

  // Attempts executed so far.
  std::size_t executed() const { return executed_.load(); }

 private:
  DeliveryRunner(DeliveryEngine& engine, RunnerOptions options);
  void SchedulerLoop();
  void WorkerLoop();

  DeliveryEngine& engine_;
  const RunnerOptions options_;
  std::atomic<std::size_t> executed_{0};

  std::mutex mu_;  // lock order: mu_ before the engine's lock
  std::condition_variable work_ready_;
  bool stopping_ = false;                   // guarded by mu_
  std::size_t idle_workers_ = 0;            // guarded by mu_
  std::deque<DeliveryEngine::Task> ready_;  // guarded by mu_; size <= workers

  std::mutex stop_mu_;  // serializes Stop()
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace multihook::delivery
