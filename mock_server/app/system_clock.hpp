// SystemClock: the real steady and wall clocks. This is the only place multihook reads them.
#pragma once

#include "mock_server/core/clock.hpp"

namespace multihook::app {

class SystemClock final : public core::Clock {
 public:
  core::SteadyTime Now() const override;
  core::WallTime WallNow() const override;
};

}  // namespace multihook::app
