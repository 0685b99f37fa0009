// MockProvider: the composition root. Owns the clock (unless one is injected), the channel store
// and the HTTP server, and wires the provider and control routes onto it. Many can live in one
// process (tests, the scenario runner): nothing here is global and the port may be ephemeral.
//
// Thread-safe after Start(). Stop() is idempotent; the destructor stops.
#pragma once

#include <memory>
#include <string>

#include "mock_server/app/mock_options.hpp"
#include "mock_server/core/clock.hpp"
#include "mock_server/http/http_server.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::app {

struct Dependencies {
  const core::Clock* clock = nullptr;  // nullptr: the real clock
  http::LogSink log;                   // empty: warnings are dropped
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
  // True when no channel was configured and the demo channel 'demo-key' was added.
  bool demo() const { return demo_; }

  void Stop();

 private:
  MockProvider() = default;

  std::unique_ptr<core::Clock> owned_clock_;
  std::unique_ptr<store::ChannelStore> store_;
  std::unique_ptr<http::HttpServer> server_;  // last: stops first
  bool demo_ = false;
};

}  // namespace multihook::app
