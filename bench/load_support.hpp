// The parts of load_bench (bench/load_bench.cpp): sink receivers in processes of their own (so
// that their CPU time can be told apart from the client's and the mock's), CPU and steal meters,
// and a mock whose channel delivers to those sinks (main + extras, sequential).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mock_server/app/mock_provider.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::bench {

inline constexpr char kLoadKey[] = "load-key";

// Receivers in a child process: `sink_receiver` (answers 200 at once to everything, counts, keeps
// nothing; one URL), or nginx with one worker answering `return 200` on several ports (no
// count). Stop() (or the destructor) ends the process.
class ReceiverProcess {
 public:
  // `program`: the sink_receiver binary. Waits (bounded) for its "listening on URL" line.
  static core::Result<std::unique_ptr<ReceiverProcess>> StartSink(const std::string& program);
  // `program`: nginx; `ports` listening sockets on 127.0.0.1, its files in a temporary folder.
  static core::Result<std::unique_ptr<ReceiverProcess>> StartNginx(const std::string& program,
                                                                   int ports);
  ~ReceiverProcess();
  ReceiverProcess(const ReceiverProcess&) = delete;
  ReceiverProcess& operator=(const ReceiverProcess&) = delete;

  const std::vector<std::string>& urls() const { return urls_; }
  // User + system CPU time of the process and its children (nginx's worker) so far; 10 ms steps.
  double CpuSeconds() const;
  // Ends the process; the number of requests it answered (the sink says), else -1.
  long Stop();

 private:
  ReceiverProcess(pid_t pid, int err_fd) : pid_(pid), err_fd_(err_fd) {}
  pid_t pid_;
  int err_fd_;  // the sink's stderr, where it prints its count when it ends; -1 for nginx
  std::vector<std::string> urls_;
  std::string folder_;  // nginx's temporary folder, removed by Stop()
};

// The share of all CPU time the hypervisor stole between Mark() and Share() (as cpu_steal.sh).
class StealMeter {
 public:
  StealMeter() { Mark(); }
  void Mark();
  double Share() const;

 private:
  std::uint64_t steal_ = 0, total_ = 0;
};

// User + system CPU time of this process so far.
double SelfCpuSeconds();

// A mock (default delivery workers, sequential fan-out, no signing) whose channel kLoadKey has its
// main webhook on sinks[0] and one extra on each further sink, through host routes; bound to an
// ephemeral port on 127.0.0.1.
core::Result<std::unique_ptr<app::MockProvider>> StartLoadMock(
    const std::vector<std::string>& sink_urls);

// The highest journal seq so far (every attempt the mock has journaled, completed).
std::uint64_t JournalSeq(app::MockProvider& mock);

}  // namespace multihook::bench
