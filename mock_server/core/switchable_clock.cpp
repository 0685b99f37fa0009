#include "mock_server/core/switchable_clock.hpp"

namespace multihook::core {

SwitchableClock::SwitchableClock(const Clock& base, Mode mode)
    : base_(base),
      mode_(mode),
      steady_(base.Now()),
      wall_(base.WallNow()),
      base_steady_(steady_),
      base_wall_(wall_) {}

SteadyTime SwitchableClock::Now() const {
  MutexLock lock(mu_);
  if (mode_ == Mode::kManual) return steady_;
  return steady_ + (base_.Now() - base_steady_);
}

WallTime SwitchableClock::WallNow() const {
  MutexLock lock(mu_);
  if (mode_ == Mode::kManual) return wall_;
  return wall_ + (base_.WallNow() - base_wall_);
}

void SwitchableClock::Advance(Micros by) {
  MutexLock lock(mu_);
  if (mode_ != Mode::kManual || by <= Micros(0)) return;
  steady_ += by;
  wall_ += std::chrono::duration_cast<WallTime::duration>(by);
}

void SwitchableClock::SetMode(Mode mode) {
  MutexLock lock(mu_);
  if (mode == mode_) return;
  const SteadyTime base_steady = base_.Now();
  const WallTime base_wall = base_.WallNow();
  if (mode_ == Mode::kFollowing) {
    // Freeze where the followed time has got to.
    steady_ += base_steady - base_steady_;
    wall_ += base_wall - base_wall_;
  }
  base_steady_ = base_steady;
  base_wall_ = base_wall;
  mode_ = mode;
}

SwitchableClock::Mode SwitchableClock::mode() const {
  MutexLock lock(mu_);
  return mode_;
}

}  // namespace multihook::core
