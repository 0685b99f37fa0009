// MockProvider: the composition root. Owns the clocks, the channel store, the delivery engine
// with its transport and runner (or, under virtual time, its driver), and the HTTP server, and
// wires the provider, delivery and control routes onto it. It also owns the options in force: an
// immutable snapshot that PatchOptions() replaces whole (the store, the engine and the routes each
// take their part), and switches between the runner and the driver when the clock mode changes.
// Many can live in one process (tests, the scenario runner): nothing here is global and the port
// may be ephemeral.
//
// Thread-safe after Start(). Stop() is idempotent; the destructor stops.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "mock_server/app/file_env.hpp"
#include "mock_server/app/mock_options.hpp"
#include "mock_server/app/state_file.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/switchable_clock.hpp"
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
  // The clock that real time follows (nullptr: the system clock). Tests pass a ManualClock to
  // step config application and retries. Virtual time starts from it and moves only on advance.
  const core::Clock* clock = nullptr;
  http::LogSink log;  // empty: warnings are dropped
  // The file system of --state-file (nullptr: the real one). Must outlive the mock.
  FileEnv* files = nullptr;
};

class MockProvider {
 public:
  // Registers the configured channels (or the demo channel), binds and starts serving.
  static core::Result<std::unique_ptr<MockProvider>> Start(const MockOptions& options,
                                                           const Dependencies& deps = {});

  MockProvider(const MockProvider&) = delete;
  MockProvider& operator=(const MockProvider&) = delete;
  ~MockProvider();

  std::string BaseUrl() const { return server_->BaseUrl(); }
  int port() const { return server_->port(); }
  store::ChannelStore& store() { return *store_; }
  delivery::DeliveryEngine& engine() { return *engine_; }
  // Makes the delivery runner look at its queue now (after a test moved a manual clock).
  void WakeDeliveries();
  // The options in force now (an immutable snapshot).
  std::shared_ptr<const MockOptions> options() const;
  // PATCH /mock/options: applies a JSON object of --config keys all or nothing and returns the
  // options in force after it, encoded as GET /mock/options answers.
  core::Result<std::string> PatchOptions(std::string_view json_text);
  // Back to the options the mock was started with (POST /mock/reset does this).
  core::Status RestoreOptions();
  // Under virtual time: moves the clock and runs what falls due; failed_precondition otherwise.
  core::Result<std::size_t> AdvanceVirtualTime(core::Micros by);

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

  // Restores the --state-file (if any), registers the startup channels (or the demo channel) and
  // from then on saves every accepted change. Errors name the file or the channel.
  core::Status SetUpChannels(const MockOptions& options, FileEnv* files, const http::LogSink& log);
  // The provider, delivery and control routes, wired to this mock's store, engine and clock.
  std::vector<http::Route> Routes(const http::LogSink& log);
  // Makes `options` the ones in force (validated first; nothing changes on error).
  core::Status Commit(const MockOptions& next) ABSL_EXCLUSIVE_LOCKS_REQUIRED(commit_mu_);
  // Stops the runner and starts the driver, or the other way round.
  core::Status SwitchClockLocked(ClockMode mode) ABSL_EXCLUSIVE_LOCKS_REQUIRED(time_mu_);

  std::unique_ptr<core::Clock> real_clock_;
  std::unique_ptr<core::SwitchableClock> clock_;  // the clock of schedules, real or virtual
  std::unique_ptr<FileEnv> own_files_;            // the real file system, unless a test gave one
  std::unique_ptr<StateFile> state_file_;         // --state-file; outlives the store that calls it
  std::unique_ptr<store::ChannelStore> store_;
  std::unique_ptr<delivery::HttpTransport> transport_;
  std::unique_ptr<delivery::DeliveryEngine> engine_;
  std::unique_ptr<delivery::BodyStore> bodies_;  // --keep-bodies
  std::size_t delivery_workers_ = delivery::kDefaultDeliveryWorkers;
  std::unique_ptr<http::SharedIds> ids_;

  mutable core::Mutex options_mu_;  // a leaf lock for the pointer below
  std::shared_ptr<const MockOptions> options_ ABSL_GUARDED_BY(options_mu_);
  MockOptions startup_options_;
  core::Mutex commit_mu_;  // one PATCH or restore at a time

  mutable core::Mutex time_mu_;
  bool stopped_ ABSL_GUARDED_BY(time_mu_) = false;
  std::unique_ptr<delivery::DeliveryRunner> runner_ ABSL_GUARDED_BY(time_mu_);     // real time
  std::shared_ptr<delivery::VirtualTimeDriver> driver_ ABSL_GUARDED_BY(time_mu_);  // virtual
  std::vector<http::Route> routes_;
  std::unique_ptr<http::HttpServer> server_;  // last: stops first
  bool demo_ = false;
};

}  // namespace multihook::app
