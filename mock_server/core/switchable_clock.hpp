// SwitchableClock: the mock's one clock of schedules, which can switch at runtime between
// following another clock (real time) and moving only when advanced (virtual time), without a
// jump: virtual time freezes at the instant of the switch, and real time then resumes from
// wherever virtual time was left. Steady time therefore never goes backwards, and the engine,
// the store and the routes keep reading the same object whatever the mode.
//
// Thread-safe.
#pragma once

#include <mutex>

#include "mock_server/core/clock.hpp"

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
  mutable std::mutex mu_;
  Mode mode_;               // guarded by mu_
  SteadyTime steady_;       // this clock's reading at the last switch (or advance); guarded
  WallTime wall_;           // likewise; guarded by mu_
  SteadyTime base_steady_;  // the base clock's reading at the last switch; guarded by mu_
  WallTime base_wall_;      // likewise; guarded by mu_
};

}  // namespace multihook::core
