// multihook-mock: serve the mock provider until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string_view>
#include <thread>
#include <vector>

#include "mock_server/app/bind_warning.hpp"
#include "mock_server/app/mock_options.hpp"
#include "mock_server/app/mock_provider.hpp"
#include "mock_server/app/process_tuning.hpp"
#include "mock_server/core/mutex.hpp"

namespace {

using multihook::app::CliAction;

// A second SIGINT/SIGTERM during the stop: 130, as a shell reports a process ended by Ctrl-C.
constexpr int kForcedExitCode = 130;

void PrintDemoHints(const std::string& base) {
  const std::string key = std::string("-H 'D360-API-KEY: ") + multihook::app::kDemoApiKey + "'";
  std::cout << "\nDemo channel ready (API key '" << multihook::app::kDemoApiKey
            << "'). Try, from another terminal:\n"
            << "  curl -s " << key << " " << base << "/multi_webhook\n"
            << "  curl -s " << key << " -H 'Content-Type: application/json' -X POST " << base
            << "/multi_webhook \\\n"
            << "       -d '{\"enabled\": true, \"destinations\": [{\"name\": \"backup\", "
               "\"url\": \"https://backup.example.com/hook\"}]}'\n"
            << "  sleep 2; curl -s " << key << " " << base << "/multi_webhook\n"
            << "  curl -s " << base << "/mock/openapi.json   # every route, documented\n"
            << "Stop with Ctrl-C.\n"
            << std::flush;
}

// Waits for SIGINT/SIGTERM, then stops `mock` (waiting for deliveries in flight); a second signal
// quits at once with kForcedExitCode.
int StopOnSignal(multihook::app::MockProvider& mock, const sigset_t& stop_signals) {
  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "multihook-mock: stopping: " << mock.DeliveriesInFlight()
            << " deliveries in flight, Ctrl-C again to quit now" << std::endl;
  // Stop on another thread, so that this one can still take a second signal.
  std::atomic<bool> stopped{false};
  std::thread stopper([&mock, &stopped] {
    mock.Stop();
    stopped.store(true);
  });
  const timespec poll_interval{0, 50'000'000};  // re-checks `stopped` every 50 ms
  while (!stopped.load()) {
    if (sigtimedwait(&stop_signals, nullptr, &poll_interval) > 0) {
      // The user asked twice: leave now, without waiting for deliveries or open requests.
      std::cerr << "multihook-mock: quitting now" << std::endl;
      std::_Exit(kForcedExitCode);
    }
  }
  stopper.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  auto command = multihook::app::ParseCommandLine(args);
  if (!command.ok()) {
    std::cerr << "multihook-mock: " << command.status().ToString() << " (see --help)\n";
    return 2;
  }
  if (command->action == CliAction::kHelp) {
    std::cout << multihook::app::UsageText();
    return 0;
  }
  if (command->action == CliAction::kPrintVersion) {
    std::cout << "multihook-mock " << multihook::app::kMockVersion << "\n";
    return 0;
  }

  if (auto warning = multihook::app::BindWarning(command->options.bind)) {
    std::cerr << "multihook-mock: warning: " << *warning << std::endl;  // before it can be reached
  }
  multihook::app::PrepareProcess();  // SIGPIPE ignored, allocator tuned; before any thread starts
  // SIGINT/SIGTERM are blocked in every thread and taken by sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  multihook::core::Mutex log_mu;
  multihook::app::Dependencies deps;
  deps.log = [&log_mu](std::string_view line) {
    multihook::core::MutexLock lock(log_mu);
    std::cerr << "multihook-mock: warning: " << line << "\n";
  };
  auto mock = multihook::app::MockProvider::Start(command->options, deps);
  if (!mock.ok()) {
    // A taken port is a plain fact ("port 8360 is in use"), said without a code.
    const auto& status = mock.status();
    const bool port_taken = status.code() == multihook::core::StatusCode::kAlreadyExists &&
                            status.location() == "--port";
    std::cerr << "multihook-mock: " << (port_taken ? status.reason() : status.ToString()) << "\n";
    return 1;
  }
  std::cout << "multihook-mock listening on " << (*mock)->BaseUrl() << std::endl;
  if ((*mock)->demo()) PrintDemoHints((*mock)->BaseUrl());

  return StopOnSignal(**mock, stop_signals);
}
