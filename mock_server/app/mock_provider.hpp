// MockProvider: the composition root. Owns the clocks, the channel store, the delivery engine
// with its transport and runner (or, under virtual time, its driver), and the HTTP server, and
// wires the provider, delivery and control routes onto it. Many can live in one process (tests,
// the scenario runner): nothing here is global and the port may be ephemeral.
//
// Thread-safe after Start(). Stop() is idempotent; the destructor stops.
#pragma once

#include <memory>
#include <string>

#include "mock_server/app/mock_options.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/delivery/delivery_runner.hpp"
#include "mock_server/delivery/http_transport.hpp"
#include "mock_server/delivery/virtual_time_driver.hpp"
#include "mock_server/http/delivery_routes.hpp"
#include "mock_server/http/http_server.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::app {

struct Dependencies {
  // Under ClockMode::kReal: the clock of schedules (nullptr: the real clock). Tests pass a
  // ManualClock to step config application and retries. Ignored under ClockMode::kVirtual,
  // where the mock owns its virtual clock.
  const core::Clock* clock = nullptr;
  http::LogSink log;  // empty: warnings are dropped
};

class MockProvider {
 public:
  // Registers the configured channels (or the demo channel), binds and starts serving.
  static core::Result<std::unique_ptr<MockProvider>> Start(const MockOptions& options,
                                                           Dependencies deps = {});

  MockProvider(const MockProvider&) = delete;
  MockProvider& operator=(const MockProvider&) = delete;
  ~MockProvider();

  std::string BaseUrl() const { return server_->BaseUrl(); }
  int port() const { return server_->port(); }
  store::ChannelStore& store() { return *store_; }
  delivery::DeliveryEngine& engine() { return *engine_; }
  // Makes the delivery runner look at its queue now (after a test moved a manual clock).
  void WakeDeliveries();
  // Every registered route (for the OpenAPI consistency test).
  const std::vector<http::Route>& routes() const { return routes_; }
  // True when no channel was configured and the demo channel 'demo-key' was added.
  bool demo() const { return demo_; }

  // Delivery attempts being sent right now (real clock); Stop() waits for them.
  std::size_t DeliveriesInFlight() const;

  // Ends waiting long-polls, stops accepting connections and finishes open requests, then waits
  // for the deliveries in flight. Idempotent.
  void Stop();

 private:
  MockProvider() = default;

  std::unique_ptr<core::Clock> real_clock_;
  std::unique_ptr<core::ManualClock> virtual_clock_;
  std::unique_ptr<store::ChannelStore> store_;
  std::unique_ptr<delivery::HttpTransport> transport_;
  std::unique_ptr<delivery::DeliveryEngine> engine_;
  std::unique_ptr<delivery::DeliveryRunner> runner_;        // real clock
  std::unique_ptr<delivery::VirtualTimeDriver> driver_;     // virtual clock
  std::unique_ptr<http::SharedIds> ids_;
  std::vector<http::Route> routes_;
  std::unique_ptr<http::HttpServer> server_;  // last: stops first
  bool demo_ = false;
};

}  // namespace multihook::app
