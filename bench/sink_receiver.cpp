// A webhook receiver for load and memory runs: answers 200 at once, counts, keeps nothing.
// Prints "sink listening on http://127.0.0.1:PORT" and serves until SIGINT/SIGTERM.
#include <signal.h>

#include <iostream>

#include "harness/scripted_receiver.hpp"

int main() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);
  multihook::harness::ReceiverOptions options;
  options.name = "sink";
  options.record_requests = false;
  options.threads = 64;
  auto receiver = multihook::harness::ScriptedReceiver::Start(options);
  if (!receiver.ok()) {
    std::cerr << "sink: " << receiver.status().ToString() << "\n";
    return 1;
  }
  std::cout << "sink listening on " << (*receiver)->BaseUrl() << std::endl;
  int received = 0;
  sigwait(&stop, &received);
  std::cerr << "sink: " << (*receiver)->RequestCount() << " requests\n";
  return 0;
}
