// VirtualTimeDriver: runs a DeliveryEngine under a stepped (virtual) clock in serve mode. One
// thread of its own executes everything, in a deterministic order: work due at the current virtual
// instant as soon as it is queued (a first attempt, the extras after a 200), and, on Advance(by),
// every retry and scheduled notification due on the way, each at its own virtual instant.
// Deliveries therefore never run on an HTTP handler's thread; the handler only waits for the
// result.
//
// RAII: Stop() is idempotent; the destructor stops and joins. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/delivery_engine.hpp"

namespace multihook::delivery {

class VirtualTimeDriver {
 public:
  // `engine` must use `clock`; both must outlive the driver.
  VirtualTimeDriver(DeliveryEngine& engine, core::SteppedClock& clock);
  ~VirtualTimeDriver();

  VirtualTimeDriver(const VirtualTimeDriver&) = delete;
  VirtualTimeDriver& operator=(const VirtualTimeDriver&) = delete;

  // Moves virtual time forward by `by`, running everything due on the way; returns how many
  // attempts ran. Fails (internal) when the work takes longer than `wait` in real time.
  core::Result<std::size_t> Advance(core::Micros by,
                                    std::chrono::milliseconds wait = std::chrono::seconds(60));

  void Stop();

 private:
  void Loop();

  DeliveryEngine& engine_;
  core::SteppedClock& clock_;

  core::Mutex mu_;
  core::CondVar done_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::uint64_t requested_ ABSL_GUARDED_BY(mu_) = 0;  // advances asked for
  std::uint64_t completed_ ABSL_GUARDED_BY(mu_) = 0;  // advances done
  core::Micros pending_by_ ABSL_GUARDED_BY(mu_) = core::Micros{
      0};  // total of the advances not yet done
  std::size_t ran_in_last_advance_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace multihook::delivery
