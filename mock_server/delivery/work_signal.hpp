// WorkSignal: "something changed, look again" between the delivery engine (new or rescheduled
// work), the DeliveryRunner's workers (a worker became free) and callers that moved a manual clock
// (Wake). An epoch counter means a notification between reading the epoch and waiting is never
// lost.
//
// Thread-safe. Waits in real time (it paces a scheduler thread, not a schedule).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "mock_server/core/clock.hpp"

namespace multihook::delivery {

class WorkSignal {
 public:
  std::uint64_t epoch() const {
    std::lock_guard lock(mu_);
    return epoch_;
  }

  // Wakes one waiter: enough for one new task (a woken runner worker that finds more work
  // wakes the next one itself), and it spares the other workers a pointless wake-up.
  void Notify() {
    {
      std::lock_guard lock(mu_);
      ++epoch_;
    }
    changed_.notify_one();
  }

  // Wakes every waiter (stopping, or a manual clock moved past several due instants).
  void NotifyAll() {
    {
      std::lock_guard lock(mu_);
      ++epoch_;
    }
    changed_.notify_all();
  }

  // Returns once epoch() differs from `seen`, or after `max_wait`.
  void WaitFor(std::uint64_t seen, core::Micros max_wait) const {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, max_wait, [&] { return epoch_ != seen; });
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  std::uint64_t epoch_ = 0;  // guarded by mu_
};

}  // namespace multihook::delivery
