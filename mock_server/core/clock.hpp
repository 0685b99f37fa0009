// Clock: the only way code reaches time. Steady time drives schedules and timeouts; wall time
// stamps payloads. SystemClock (app/system_clock.cpp) is the one place that reads the real
// clocks; ManualClock is moved by tests and by the mock's virtual-time mode.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace multihook::core {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;
using Micros = std::chrono::microseconds;

// Thread-safe implementations required: HTTP threads and the scheduler read it concurrently.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual SteadyTime Now() const = 0;
  virtual WallTime WallNow() const = 0;
};

// A clock that time can be moved forward on (virtual time). Thread-safe.
class SteppedClock : public Clock {
 public:
  virtual void Advance(Micros by) = 0;
};

// Starts at the given instants and moves only when Advance() is called. Thread-safe.
class ManualClock final : public SteppedClock {
 public:
  explicit ManualClock(WallTime wall_start = WallTime(std::chrono::seconds(1'750'000'000)))
      : wall_start_(wall_start) {}

  SteadyTime Now() const override { return SteadyTime(Micros(elapsed_us_.load())); }
  WallTime WallNow() const override {
    return wall_start_ + std::chrono::duration_cast<WallTime::duration>(Micros(elapsed_us_.load()));
  }
  void Advance(Micros by) override { elapsed_us_.fetch_add(by.count()); }
  Micros Elapsed() const { return Micros(elapsed_us_.load()); }

 private:
  const WallTime wall_start_;
  std::atomic<std::int64_t> elapsed_us_{0};
};

}  // namespace multihook::core
