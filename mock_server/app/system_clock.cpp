#include "mock_server/app/system_clock.hpp"

namespace multihook::app {

core::SteadyTime SystemClock::Now() const { return std::chrono::steady_clock::now(); }
core::WallTime SystemClock::WallNow() const { return std::chrono::system_clock::now(); }

}  // namespace multihook::app
