#include "mock_server/app/mock_provider.hpp"

#include <random>

#include "mock_server/app/system_clock.hpp"
#include "mock_server/http/control_routes.hpp"
#include "mock_server/http/provider_routes.hpp"

namespace multihook::app {

core::Result<std::unique_ptr<MockProvider>> MockProvider::Start(const MockOptions& options,
                                                                Dependencies deps) {
  std::unique_ptr<MockProvider> mock(new MockProvider());
  const core::Clock* clock = deps.clock;
  if (clock == nullptr) {
    mock->owned_clock_ = std::make_unique<SystemClock>();
    clock = mock->owned_clock_.get();
  }
  store::StoreOptions store_options;
  store_options.rules = options.rules;
  store_options.apply_delay = options.apply_delay;
  store_options.seed = options.seed ? *options.seed : std::random_device{}();
  mock->store_ = std::make_unique<store::ChannelStore>(*clock, store_options);

  std::vector<core::ChannelSpec> channels = options.channels;
  if (channels.empty()) {
    mock->demo_ = true;
    core::ChannelSpec demo;
    demo.api_key = kDemoApiKey;
    channels.push_back(demo);
  }
  for (std::size_t i = 0; i < channels.size(); ++i) {
    auto added = mock->store_->AddChannel(channels[i], store::ChannelOrigin::kStartup);
    if (!added.ok()) return added.status().WithLocationPrefix("channel " + std::to_string(i + 1) + " ");
  }

  http::LogSink log = deps.log ? deps.log : [](std::string_view) {};
  std::vector<http::Route> routes = http::ProviderRoutes(*mock->store_, log);
  std::vector<http::Route> control = http::ControlRoutes({*mock->store_});
  routes.insert(routes.end(), control.begin(), control.end());

  http::ServerOptions server_options;
  server_options.host = options.bind;
  server_options.port = options.port;
  server_options.threads = options.http_threads;
  auto server = http::HttpServer::Start(server_options, [&routes](httplib::Server& s) {
    http::InstallCommonHandlers(s);
    http::InstallRoutes(s, routes);
  });
  if (!server.ok()) return server.status();
  mock->server_ = std::move(*server);
  return mock;
}

MockProvider::~MockProvider() { Stop(); }

void MockProvider::Stop() {
  if (server_) server_->Stop();
}

}  // namespace multihook::app
