// WorkSignal: "something changed, look again" between the delivery engine (new or rescheduled
// work), the DeliveryRunner's workers (a worker became free) and callers that moved a manual clock
// (Wake). An epoch counter means a notification between reading the epoch and waiting is never
// lost.
//
// Thread-safe. Waits in real time (it paces a scheduler thread, not a schedule).
#pragma once

#include <chrono>
#include <cstdint>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"

namespace multihook::delivery {

class WorkSignal {
 public:
  std::uint64_t epoch() const {
    core::MutexLock lock(mu_);
    return epoch_;
  }

  // Wakes one waiter: enough for one new task (a woken runner worker that finds more work
  // wakes the next one itself), and it spares the other workers a pointless wake-up.
  void Notify() {
    {
      core::MutexLock lock(mu_);
      ++epoch_;
    }
    changed_.NotifyOne();
  }

  // Wakes every waiter (stopping, or a manual clock moved past several due instants).
  void NotifyAll() {
    {
      core::MutexLock lock(mu_);
      ++epoch_;
    }
    changed_.NotifyAll();
  }

  // Returns once epoch() differs from `seen`, or after `max_wait`.
  void WaitFor(std::uint64_t seen, core::Micros max_wait) const {
    const auto deadline = std::chrono::steady_clock::now() + max_wait;
    core::MutexLock lock(mu_);
    while (epoch_ == seen) {
      if (!changed_.WaitUntil(mu_, deadline)) return;
    }
  }

 private:
  mutable core::Mutex mu_;
  mutable core::CondVar changed_;
  std::uint64_t epoch_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace multihook::delivery
