#include "mock_server/app/mock_provider.hpp"

#include <algorithm>
#include <random>
#include <tuple>

#include "mock_server/app/system_clock.hpp"
#include "mock_server/codec/signature.hpp"
#include "mock_server/http/control_routes.hpp"
#include "mock_server/http/provider_routes.hpp"

namespace multihook::app {
namespace {

core::SwitchableClock::Mode ModeOf(ClockMode clock) {
  return clock == ClockMode::kVirtual ? core::SwitchableClock::Mode::kManual
                                      : core::SwitchableClock::Mode::kFollowing;
}

store::StoreOptions StoreOptionsOf(const MockOptions& options, std::uint64_t seed) {
  store::StoreOptions out;
  out.rules = options.rules;
  out.apply_delay = options.apply_delay;
  out.seed = seed;
  return out;
}

delivery::DeliveryPolicy DeliveryPolicyOf(const MockOptions& options) {
  delivery::DeliveryPolicy out = options.delivery;
  out.signing_secret = options.signing_secret;
  return out;
}

// A startup channel that the state file has already: what the command line says of it must agree.
core::Status CheckSavedChannel(const core::ChannelSpec& spec, const core::ChannelIdentity& saved) {
  const std::tuple<const char*, const std::optional<std::string>&, const std::string&> fields[] = {
      {"phone_number_id", spec.phone_number_id, saved.phone_number_id},
      {"display_phone_number", spec.display_phone_number, saved.display_phone_number},
      {"waba_id", spec.waba_id, saved.waba_id}};
  for (const auto& [key, given, kept] : fields) {
    if (given && *given != kept) {
      return core::InvalidArgument(std::string("/") + key,
                                   "is '" + kept + "' in the state file, not '" + *given + "'");
    }
  }
  return core::Status::Ok();
}

// Adds the startup channels that the restored state lacks; with none given, the demo channel
// unless the state has channels of its own. Returns whether the demo channel is served.
core::Result<bool> RegisterChannels(store::ChannelStore& store,
                                    const std::vector<core::ChannelSpec>& specs) {
  const std::vector<core::ChannelIdentity> restored = store.Channels();
  const auto find = [&restored](const std::string& key) {
    return std::find_if(restored.begin(), restored.end(),
                        [&key](const core::ChannelIdentity& c) { return c.api_key == key; });
  };
  std::vector<core::ChannelSpec> channels = specs;
  if (channels.empty()) {
    if (!restored.empty()) return find(kDemoApiKey) != restored.end();
    core::ChannelSpec demo;
    demo.api_key = kDemoApiKey;
    channels.push_back(demo);
  }
  for (std::size_t i = 0; i < channels.size(); ++i) {
    const std::string where = "channel " + std::to_string(i + 1) + " ";
    const auto saved = find(channels[i].api_key.value_or(""));
    core::Status status =
        saved != restored.end()
            ? CheckSavedChannel(channels[i], *saved)
            : store.AddChannel(channels[i], store::ChannelOrigin::kStartup).status();
    if (!status.ok()) return status.WithLocationPrefix(where);
  }
  return specs.empty();
}

// "--state-file PATH" before the location of `status`, for startup errors.
core::Status AtStateFile(const core::Status& status, const std::string& path) {
  const std::string prefix = "--state-file " + path;
  return core::Status(status.code(),
                      status.location().empty() ? prefix : prefix + " " + status.location(),
                      status.reason());
}

}  // namespace

core::Status MockProvider::SetUpChannels(const MockOptions& options, FileEnv* files,
                                         const http::LogSink& log) {
  if (options.state_file) {
    if (files == nullptr) {
      own_files_ = std::make_unique<PosixFileEnv>();
      files = own_files_.get();
    }
    state_file_ = std::make_unique<StateFile>(*options.state_file, *files);
    core::Result<std::optional<core::StoreState>> saved = state_file_->Load();
    if (!saved.ok()) return AtStateFile(saved.status(), *options.state_file);
    // Virtual time does not run while the mock is down; real time does.
    const store::Downtime downtime =
        options.clock == ClockMode::kVirtual ? store::Downtime::kFrozen : store::Downtime::kElapsed;
    if (*saved) {
      core::Status restored = store_->Restore(**saved, downtime);
      if (!restored.ok()) return AtStateFile(restored, *options.state_file);
    }
  }
  MULTIHOOK_ASSIGN_OR_RETURN(demo_, RegisterChannels(*store_, options.channels));
  if (state_file_) {
    StateFile* file = state_file_.get();
    store_->SetStateListener([file, log](const core::StoreState& state, std::uint64_t version) {
      const core::Status saved = file->Save(state, version);
      if (!saved.ok())
        log("--state-file: " + saved.reason() + " (the change is in force, unsaved)");
    });
  }
  return core::Status::Ok();
}

std::vector<http::Route> MockProvider::Routes(const http::LogSink& log) {
  MockProvider* m = this;
  std::vector<http::Route> routes = http::ProviderRoutes(*store_, log);
  const auto append = [&routes](std::vector<http::Route> more) {
    routes.insert(routes.end(), more.begin(), more.end());
  };
  http::TimeControl time{[m] { return m->clock_->mode() == core::SwitchableClock::Mode::kManual; },
                         [m](core::Micros by) { return m->AdvanceVirtualTime(by); }};
  append(http::DeliveryRoutes(http::DeliveryContext{
      *store_, *engine_, *transport_, *clock_, std::move(time), *ids_,
      [m] {
        const auto o = m->options();
        return http::StatusDelays{o->sent_after, o->delivered_after, o->read_after};
      },
      *bodies_}));
  http::OptionsControl options_control{[m] { return EncodeRuntimeOptions(*m->options()); },
                                       [m](std::string_view body) { return m->PatchOptions(body); },
                                       [m] { return m->RestoreOptions(); }};
  append(http::ControlRoutes(
      {*store_, engine_.get(), transport_.get(), std::move(options_control), bodies_.get()}));

  return routes;
}

core::Result<std::unique_ptr<MockProvider>> MockProvider::Start(const MockOptions& options,
                                                                const Dependencies& deps) {
  std::unique_ptr<MockProvider> mock(new MockProvider());
  mock->real_clock_ = std::make_unique<SystemClock>();
  // Virtual time starts at the followed clock's instant, so payload timestamps look current.
  mock->clock_ = std::make_unique<core::SwitchableClock>(
      deps.clock != nullptr ? *deps.clock : *mock->real_clock_, ModeOf(options.clock));
  const core::Clock* clock = mock->clock_.get();
  const std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
  {
    core::MutexLock lock(mock->options_mu_);
    mock->options_ = std::make_shared<const MockOptions>(options);
  }
  mock->startup_options_ = options;
  mock->delivery_workers_ = options.delivery_workers;

  mock->store_ = std::make_unique<store::ChannelStore>(*clock, StoreOptionsOf(options, seed));

  const http::LogSink log = deps.log ? deps.log : [](std::string_view) {};
  MULTIHOOK_RETURN_IF_ERROR(mock->SetUpChannels(options, deps.files, log));

  // The transport times answers on the real clock even under virtual time: the network is real.
  mock->transport_ =
      std::make_unique<delivery::HttpTransport>(*mock->real_clock_, options.transport);
  for (const core::HostRoute& route : options.routes) mock->transport_->SetRoute(route);

  // Schedules follow the mock's clock; latency is measured on the real one even under virtual
  // time, where a receiver taking 20 ms still shows 20 ms.
  auto engine = delivery::DeliveryEngine::Create(
      delivery::DeliveryDeps{.clock = *clock,
                             .transport = *mock->transport_,
                             .config = delivery::ConfigFromStore(*mock->store_),
                             .sign = codec::SignatureHex,
                             .stopwatch = mock->real_clock_.get(),
                             .seed = seed},
      DeliveryPolicyOf(options));
  if (!engine.ok()) return engine.status();
  mock->engine_ = std::move(*engine);
  mock->bodies_ = std::make_unique<delivery::BodyStore>(options.keep_bodies, codec::SignatureHex);
  {
    core::MutexLock lock(mock->time_mu_);
    if (core::Status s = mock->SwitchClockLocked(options.clock); !s.ok()) return s;
  }
  mock->ids_ = std::make_unique<http::SharedIds>(seed ^ 0x6d756c7469686f6fULL);

  std::vector<http::Route> routes = mock->Routes(log);

  http::ServerOptions server_options;
  server_options.host = options.bind;
  server_options.port = options.port;
  server_options.threads = options.http_threads;
  server_options.max_body_bytes = http::kMaxNotificationBodyBytes;
  auto server = http::HttpServer::Start(server_options, [&routes](httplib::Server& s) {
    http::InstallCommonHandlers(s, routes);
    http::InstallRoutes(s, routes);
  });
  if (!server.ok()) return server.status();
  mock->server_ = std::move(*server);
  mock->routes_ = std::move(routes);
  return mock;
}

MockProvider::~MockProvider() { Stop(); }

std::shared_ptr<const MockOptions> MockProvider::options() const {
  core::MutexLock lock(options_mu_);
  return options_;
}

core::Result<std::string> MockProvider::PatchOptions(std::string_view json_text) {
  core::MutexLock commit(commit_mu_);
  MockOptions next = *options();
  if (core::Status s = ApplyRuntimeOptionsJson(json_text, next); !s.ok()) return s;
  if (core::Status s = Commit(next); !s.ok()) return s;
  return EncodeRuntimeOptions(next);
}

core::Status MockProvider::RestoreOptions() {
  core::MutexLock commit(commit_mu_);
  return Commit(startup_options_);
}

core::Status MockProvider::Commit(const MockOptions& next) {
  const std::uint64_t seed = engine_->seed();
  delivery::DeliveryPolicy delivery_options = DeliveryPolicyOf(next);
  if (core::Status s = delivery_options.Validate(); !s.ok()) return s;
  {
    // The one step that can fail for reasons outside the options (a thread that cannot start)
    // goes first, so that an error leaves everything as it was.
    core::MutexLock lock(time_mu_);
    if (core::Status s = SwitchClockLocked(next.clock); !s.ok()) return s;
  }
  if (core::Status s = engine_->SetOptions(std::move(delivery_options)); !s.ok()) return s;
  store_->SetOptions(StoreOptionsOf(next, seed));
  {
    core::MutexLock lock(options_mu_);
    options_ = std::make_shared<const MockOptions>(next);
  }
  WakeDeliveries();  // a shorter retry schedule may make something due now
  return core::Status::Ok();
}

core::Status MockProvider::SwitchClockLocked(ClockMode mode) {
  if (stopped_) return core::Status(core::StatusCode::kFailedPrecondition, "", "mock stopped");
  if (mode == ClockMode::kVirtual) {
    if (driver_) return core::Status::Ok();
    // Attempts in flight finish under the real clock first; then virtual time freezes.
    if (runner_) runner_->Stop();
    runner_.reset();
    clock_->SetMode(core::SwitchableClock::Mode::kManual);
    driver_ = std::make_shared<delivery::VirtualTimeDriver>(*engine_, *clock_);
    return core::Status::Ok();
  }
  if (runner_) return core::Status::Ok();
  if (driver_) driver_->Stop();
  driver_.reset();
  clock_->SetMode(core::SwitchableClock::Mode::kFollowing);
  delivery::RunnerOptions runner_options;
  runner_options.workers = delivery_workers_;
  auto runner = delivery::DeliveryRunner::Start(*engine_, runner_options);
  if (!runner.ok()) {
    // Back to virtual time rather than to no delivery at all.
    clock_->SetMode(core::SwitchableClock::Mode::kManual);
    driver_ = std::make_shared<delivery::VirtualTimeDriver>(*engine_, *clock_);
    return runner.status();
  }
  runner_ = std::move(*runner);
  return core::Status::Ok();
}

core::Result<std::size_t> MockProvider::AdvanceVirtualTime(core::Micros by) {
  std::shared_ptr<delivery::VirtualTimeDriver> driver;
  {
    core::MutexLock lock(time_mu_);
    driver = driver_;
  }
  if (!driver) return http::RealClockError();
  // Without the lock: a switch to real time meanwhile stops the driver, which ends this wait.
  return driver->Advance(by);
}

void MockProvider::WakeDeliveries() {
  core::MutexLock lock(time_mu_);
  if (runner_) runner_->Wake();
}

std::size_t MockProvider::DeliveriesInFlight() const {
  core::MutexLock lock(time_mu_);  // a clock switch replaces runner_
  return runner_ ? runner_->in_flight() : 0;
}

void MockProvider::Stop() {
  // First the long-polls: the server's stop waits for every open request, and a waiting
  // GET /mock/deliveries would otherwise hold it for its whole timeout.
  if (engine_) engine_->CloseJournal();
  if (server_) server_->Stop();
  core::MutexLock lock(time_mu_);
  stopped_ = true;
  if (runner_) runner_->Stop();
  if (driver_) driver_->Stop();
}

}  // namespace multihook::app
