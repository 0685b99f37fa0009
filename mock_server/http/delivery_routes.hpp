// Delivery-side routes: notifications in (POST /mock/inbound, and the provider's POST /messages
// with its scripted status notifications), the delivery journal, event states, latency stats,
// the route table and virtual time. Thin adapters over DeliveryEngine and friends.
#pragma once

#include <functional>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/delivery/body_store.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/delivery/http_transport.hpp"
#include "mock_server/delivery/virtual_time_driver.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

// Notifications (3 MB payloads and more) may be larger than config bodies.
inline constexpr std::size_t kMaxNotificationBodyBytes = 8 << 20;

// Generated ids for notifications; thread-safe.
class SharedIds {
 public:
  explicit SharedIds(std::uint64_t seed) : ids_(seed) {}
  template <typename Fn>
  auto With(Fn&& fn) {
    core::MutexLock lock(mu_);
    return fn(ids_);
  }

 private:
  core::Mutex mu_;
  core::IdSource ids_ ABSL_GUARDED_BY(mu_);
};

struct StatusDelays {
  core::Micros sent{0};
  core::Micros delivered{0};
  core::Micros read{0};
};

// The mock's time as /mock/clock sees it. Its mode can change at runtime (PATCH /mock/options),
// so routes ask each time instead of keeping a driver.
struct TimeControl {
  std::function<bool()> is_virtual;
  // Moves virtual time forward, running what falls due; failed_precondition under real time.
  std::function<core::Result<std::size_t>(core::Micros by)> advance;
};

struct DeliveryContext {
  store::ChannelStore& store;
  delivery::DeliveryEngine& engine;
  delivery::HttpTransport& transport;
  const core::Clock& clock;
  TimeControl time;
  SharedIds& ids;
  // Read at every POST /messages: the delays can change at runtime.
  std::function<StatusDelays()> status_delays;
  // Where each accepted notification's body is kept for GET /mock/events/{id}.
  delivery::BodyStore& bodies;
};

// The answer of POST /mock/clock/advance under real time.
core::Status RealClockError();

std::vector<Route> DeliveryRoutes(const DeliveryContext& context);

}  // namespace multihook::http
