#include "mock_server/app/mock_provider.hpp"

#include <random>

#include "mock_server/app/system_clock.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/http/control_routes.hpp"
#include "mock_server/http/provider_routes.hpp"

namespace multihook::app {

core::Result<std::unique_ptr<MockProvider>> MockProvider::Start(const MockOptions& options,
                                                                Dependencies deps) {
  std::unique_ptr<MockProvider> mock(new MockProvider());
  mock->real_clock_ = std::make_unique<SystemClock>();
  const core::Clock* clock = deps.clock != nullptr ? deps.clock : mock->real_clock_.get();
  if (options.clock == ClockMode::kVirtual) {
    // Virtual time starts at the real wall time, so payload timestamps look current.
    mock->virtual_clock_ = std::make_unique<core::ManualClock>(mock->real_clock_->WallNow());
    clock = mock->virtual_clock_.get();
  }
  const std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();

  store::StoreOptions store_options;
  store_options.rules = options.rules;
  store_options.apply_delay = options.apply_delay;
  store_options.seed = seed;
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
    if (!added.ok()) {
      return added.status().WithLocationPrefix("channel " + std::to_string(i + 1) + " ");
    }
  }

  // The transport times answers on the real clock even under virtual time: the network is real.
  mock->transport_ = std::make_unique<delivery::HttpTransport>(*mock->real_clock_, options.transport);
  for (const core::HostRoute& route : options.routes) mock->transport_->SetRoute(route);

  delivery::DeliveryOptions delivery_options = options.delivery;
  delivery_options.seed = seed;
  if (options.signing_secret) {
    delivery_options.sign = [secret = *options.signing_secret](std::string_view body) {
      return codec::SignatureHex(secret, body);
    };
  }
  auto engine = delivery::DeliveryEngine::Create(*clock, *mock->transport_,
                                                 delivery::ConfigFromStore(*mock->store_),
                                                 std::move(delivery_options));
  if (!engine.ok()) return engine.status();
  mock->engine_ = std::move(*engine);
  if (mock->virtual_clock_) {
    mock->driver_ =
        std::make_unique<delivery::VirtualTimeDriver>(*mock->engine_, *mock->virtual_clock_);
  } else {
    delivery::RunnerOptions runner_options;
    runner_options.workers = options.delivery_workers;
    auto runner = delivery::DeliveryRunner::Start(*mock->engine_, runner_options);
    if (!runner.ok()) return runner.status();
    mock->runner_ = std::move(*runner);
  }
  mock->ids_ = std::make_unique<http::SharedIds>(seed ^ 0x6d756c7469686f6fULL);

  http::LogSink log = deps.log ? deps.log : [](std::string_view) {};
  std::vector<http::Route> routes = http::ProviderRoutes(*mock->store_, log);
  const auto append = [&routes](std::vector<http::Route> more) {
    routes.insert(routes.end(), more.begin(), more.end());
  };
  append(http::DeliveryRoutes(http::DeliveryContext{
      *mock->store_, *mock->engine_, *mock->transport_, *clock, mock->driver_.get(), *mock->ids_,
      http::StatusDelays{options.sent_after, options.delivered_after, options.read_after}}));
  append(http::ControlRoutes({*mock->store_, mock->engine_.get()}));

  http::ServerOptions server_options;
  server_options.host = options.bind;
  server_options.port = options.port;
  server_options.threads = options.http_threads;
  server_options.max_body_bytes = http::kMaxNotificationBodyBytes;
  auto server = http::HttpServer::Start(server_options, [&routes](httplib::Server& s) {
    http::InstallCommonHandlers(s, [](const std::string& path) {
      return path == "/mock/inbound" ? http::kMaxNotificationBodyBytes : http::kMaxConfigBodyBytes;
    });
    http::InstallRoutes(s, routes);
  });
  if (!server.ok()) return server.status();
  mock->server_ = std::move(*server);
  mock->routes_ = std::move(routes);
  return mock;
}

MockProvider::~MockProvider() { Stop(); }

void MockProvider::WakeDeliveries() {
  if (runner_) runner_->Wake();
}

std::size_t MockProvider::DeliveriesInFlight() const {
  return runner_ ? runner_->in_flight() : 0;
}

void MockProvider::Stop() {
  // First the long-polls: the server's stop waits for every open request, and a waiting
  // GET /mock/deliveries would otherwise hold it for its whole timeout.
  if (engine_) engine_->CloseJournal();
  if (server_) server_->Stop();
  if (runner_) runner_->Stop();
  if (driver_) driver_->Stop();
}

}  // namespace multihook::app
