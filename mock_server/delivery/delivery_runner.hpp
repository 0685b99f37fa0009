// DeliveryRunner: runs a DeliveryEngine's attempts in serve mode on a bounded pool of worker
// threads. Each worker takes the next due task straight from the engine and executes it, so an
// attempt costs no hand-off between threads; DeliveryEngine::Execute then carries on, on the same
// worker, with the attempts that follow at once (main's 200 -> the first extra -> the next
// sequential extra), so a notification's fan-out wakes no other thread. At most `workers` attempts
// are in flight; the rest stay visible in the engine's queue. Different notifications run
// concurrently, while one notification's main attempt and its sequential extras run in order.
//
// Idle workers sleep until the next due instant (measured on the engine's clock and waited in
// real time), new work, or Wake(). With a ManualClock, call Wake() after advancing the clock;
// waits are also capped at `max_idle_wait`, so nothing stalls for long either way.
//
// RAII: Stop() is idempotent and the destructor calls it. Stop() lets running attempts finish
// (each bounded by the engine's timeout); tasks still queued in the engine, and the rest of a
// running attempt's chain, stay in the engine's queue.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <thread>
#include <vector>

#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/delivery_engine.hpp"

namespace multihook::delivery {

struct RunnerOptions {
  std::size_t workers = kDefaultDeliveryWorkers;
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
  // Makes the workers look at the queue again now (e.g. after ManualClock::Advance).
  void Wake();

  // Attempts executed so far.
  std::size_t executed() const { return executed_.load(); }
  // Workers executing an attempt (or its chain) right now: what Stop() waits for.
  std::size_t in_flight() const { return in_flight_.load(); }

 private:
  DeliveryRunner(DeliveryEngine& engine, RunnerOptions options);
  void WorkerLoop();

  DeliveryEngine& engine_;
  const RunnerOptions options_;
  std::atomic<std::size_t> executed_{0};
  std::atomic<std::size_t> in_flight_{0};
  std::atomic<bool> stopping_{false};

  core::Mutex stop_mu_;  // serializes Stop()
  std::vector<std::thread> workers_ ABSL_GUARDED_BY(stop_mu_);
};

}  // namespace multihook::delivery
