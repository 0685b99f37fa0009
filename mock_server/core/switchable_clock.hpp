// SwitchableClock: the mock's one clock of schedules, which can switch at runtime between
// following another clock (real time) and moving only when advanced (virtual time), without a
// jump: virtual time freezes at the instant of the switch, and real time then resumes from
// wherever virtual time was left. Steady time therefore never goes backwards, and the engine,
// the store and the routes keep reading the same object whatever the mode.
//
// Thread-safe.
#pragma once

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"

namespace multihook::core {

class SwitchableClock final : public SteppedClock {
 public:
  enum class Mode { kFollowing, kManual };

  // `base` must outlive this clock.
  SwitchableClock(const Clock& base, Mode mode);

  SteadyTime Now() const override;
  WallTime WallNow() const override;
  // Moves manual time forward; ignored while following the base clock.
  void Advance(Micros by) override;

  void SetMode(Mode mode);
  Mode mode() const;

 private:
  const Clock& base_;
  mutable Mutex mu_;
  Mode mode_ ABSL_GUARDED_BY(mu_);
  SteadyTime steady_ ABSL_GUARDED_BY(mu_);  // this clock's reading at the last switch (or advance)
  WallTime wall_ ABSL_GUARDED_BY(mu_);      // likewise
  SteadyTime base_steady_ ABSL_GUARDED_BY(mu_);  // the base clock's reading at the last switch
  WallTime base_wall_ ABSL_GUARDED_BY(mu_);      // likewise
};

}  // namespace multihook::core
