#include "mock_server/delivery/virtual_time_driver.hpp"

namespace multihook::delivery {

VirtualTimeDriver::VirtualTimeDriver(DeliveryEngine& engine, core::SteppedClock& clock)
    : engine_(engine), clock_(clock), thread_([this] { Loop(); }) {}

VirtualTimeDriver::~VirtualTimeDriver() { Stop(); }

void VirtualTimeDriver::Stop() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  engine_.work_signal().Notify();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

core::Result<std::size_t> VirtualTimeDriver::Advance(core::Micros by,
                                                     std::chrono::milliseconds wait) {
  std::uint64_t ticket = 0;
  {
    core::MutexLock lock(mu_);
    if (stopping_) return core::Status(core::StatusCode::kFailedPrecondition, "", "stopped");
    ticket = ++requested_;
    pending_by_ += by;
  }
  engine_.work_signal().Notify();
  const auto deadline = std::chrono::steady_clock::now() + wait;
  core::MutexLock lock(mu_);
  while (completed_ < ticket && !stopping_) {
    if (!done_.WaitUntil(mu_, deadline) && completed_ < ticket && !stopping_) {
      return core::Status(
          core::StatusCode::kInternal, "",
          "virtual time advance did not finish within " + std::to_string(wait.count()) + " ms");
    }
  }
  return ran_in_last_advance_;
}

void VirtualTimeDriver::Loop() {
  for (;;) {
    const std::uint64_t seen = engine_.work_signal().epoch();
    std::uint64_t ticket = 0;
    core::Micros by{0};
    {
      core::MutexLock lock(mu_);
      if (stopping_) break;
      ticket = requested_;
      by = pending_by_;
      pending_by_ = core::Micros{0};
    }
    // What is due now always runs, advance or not.
    std::size_t ran = engine_.RunDue();
    if (ticket > 0 && by.count() > 0) ran += AdvanceAndRun(engine_, clock_, by);
    bool had_request = false;
    {
      core::MutexLock lock(mu_);
      if (completed_ < ticket) {
        completed_ = ticket;
        ran_in_last_advance_ = ran;
        had_request = true;
      }
    }
    if (had_request) done_.NotifyAll();
    if (ran > 0 || had_request) continue;  // look again before sleeping
    engine_.work_signal().WaitFor(seen, std::chrono::seconds(1));
  }
  core::MutexLock lock(mu_);
  done_.NotifyAll();
}

}  // namespace multihook::delivery
