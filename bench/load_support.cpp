#include "bench/load_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/mock_client.hpp"

extern char** environ;

namespace multihook::bench {
namespace {

// Reads from `fd` until a newline, EOF or `timeout_ms` passes.
std::string ReadLine(int fd, int timeout_ms) {
  std::string line;
  char c = 0;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0 || read(fd, &c, 1) != 1 || c == '\n') return line;
    line += c;
  }
}

core::Status SpawnError(const std::string& program, const std::string& why) {
  return core::Status(core::StatusCode::kInternal, "", "cannot start " + program + ": " + why);
}

// Starts `argv` with its stdout and stderr on pipes (`out`, `err`: the reading ends).
core::Result<pid_t> Spawn(const std::vector<std::string>& argv, int& out, int& err) {
  std::array<int, 2> o{}, e{};
  if (pipe(o.data()) != 0 || pipe(e.data()) != 0) return SpawnError(argv[0], "pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, o[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, e[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, o[0]);
  posix_spawn_file_actions_addclose(&actions, e[0]);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(o[1]);
  close(e[1]);
  out = o[0];
  err = e[0];
  if (spawned != 0) {
    close(out);
    close(err);
    return SpawnError(argv[0], "posix_spawn failed");
  }
  return pid;
}

// Free ports on 127.0.0.1, as the kernel hands them out (another process may take one before
// nginx binds it; nginx then fails to start and says so).
std::vector<int> FreePorts(int count) {
  std::vector<int> ports, fds;
  for (int i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    ports.push_back(ntohs(addr.sin_port));
    fds.push_back(fd);
  }
  for (const int fd : fds) close(fd);
  return ports;
}

bool Accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string NginxConfig(const std::string& folder, const std::vector<int>& ports) {
  std::string listen;
  for (const int port : ports) listen += "    listen 127.0.0.1:" + std::to_string(port) + ";\n";
  return "worker_processes 1;\ndaemon off;\npid " + folder + "/nginx.pid;\nerror_log " + folder +
         "/error.log;\nevents { worker_connections 1024; }\nhttp {\n  access_log off;\n"
         "  keepalive_requests 1000000;\n  client_body_temp_path " +
         folder +
         ";\n"
         "  server {\n" +
         listen + "    location / { return 200; }\n  }\n}\n";
}

// User + system CPU seconds of `pid` from /proc (0 once it is gone).
double CpuOf(const std::string& pid) {
  std::ifstream file("/proc/" + pid + "/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  // Fields after "(comm)": state is field 3, utime 14 and stime 15.
  std::istringstream rest(text.substr(paren + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace

core::Result<std::unique_ptr<ReceiverProcess>> ReceiverProcess::StartSink(
    const std::string& program) {
  int out = -1, err = -1;
  MULTIHOOK_ASSIGN_OR_RETURN(const pid_t pid, Spawn({program}, out, err));
  std::unique_ptr<ReceiverProcess> sink(new ReceiverProcess(pid, err));  // stopped if it failed
  const std::string line = ReadLine(out, 5'000);
  close(out);
  const std::string prefix = "sink listening on ";
  if (line.rfind(prefix, 0) != 0) return SpawnError(program, "it said '" + line + "'");
  sink->urls_.push_back(line.substr(prefix.size()));
  return sink;
}

core::Result<std::unique_ptr<ReceiverProcess>> ReceiverProcess::StartNginx(
    const std::string& program, int ports) {
  std::string folder = "/tmp/load_bench_nginx.XXXXXX";
  if (mkdtemp(folder.data()) == nullptr) return SpawnError(program, "mkdtemp failed");
  const std::vector<int> numbers = FreePorts(ports);
  std::ofstream(folder + "/nginx.conf") << NginxConfig(folder, numbers);
  int out = -1, err = -1;
  MULTIHOOK_ASSIGN_OR_RETURN(
      const pid_t pid,
      Spawn({program, "-p", folder, "-e", folder + "/error.log", "-c", folder + "/nginx.conf"}, out,
            err));
  close(out);
  close(err);
  std::unique_ptr<ReceiverProcess> nginx(new ReceiverProcess(pid, -1));
  nginx->folder_ = folder;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!Accepts(numbers.back())) {
    if (std::chrono::steady_clock::now() > deadline) {
      return SpawnError(program, "not listening after 5 s (see " + folder + "/error.log)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // bounded start-up poll
  }
  for (const int port : numbers) nginx->urls_.push_back("http://127.0.0.1:" + std::to_string(port));
  return nginx;
}

ReceiverProcess::~ReceiverProcess() { Stop(); }

double ReceiverProcess::CpuSeconds() const {
  const std::string self = std::to_string(pid_);
  double total = CpuOf(self);
  std::ifstream children("/proc/" + self + "/task/" + self + "/children");
  for (std::string child; children >> child;) total += CpuOf(child);
  return total;
}

long ReceiverProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = 0;
  if (!folder_.empty()) std::filesystem::remove_all(folder_);
  if (err_fd_ < 0) return -1;
  const std::string said = ReadLine(err_fd_, 1'000);  // "sink: N requests"
  close(err_fd_);
  long count = -1;
  if (std::sscanf(said.c_str(), "sink: %ld requests", &count) != 1) return -1;
  return count;
}

void StealMeter::Mark() {
  std::ifstream stat("/proc/stat");
  std::string cpu;
  stat >> cpu;  // "cpu": user nice system idle iowait irq softirq steal ...
  std::uint64_t value = 0;
  total_ = 0;
  for (int i = 1; i <= 8 && stat >> value; ++i) {
    total_ += value;
    if (i == 8) steal_ = value;
  }
}

double StealMeter::Share() const {
  StealMeter now;
  const auto total = now.total_ - total_;
  return total == 0 ? 0.0 : static_cast<double>(now.steal_ - steal_) / static_cast<double>(total);
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

core::Result<std::unique_ptr<app::MockProvider>> StartLoadMock(
    const std::vector<std::string>& sink_urls) {
  app::MockOptions options;
  options.port = 0;
  options.apply_delay = core::Micros(0);
  options.delivery.fanout = delivery::Fanout::kSequential;
  core::ChannelSpec channel;
  channel.api_key = kLoadKey;
  options.channels = {channel};
  std::string destinations;
  for (std::size_t i = 0; i < sink_urls.size(); ++i) {
    const std::string host = "r" + std::to_string(i) + ".example.com";
    MULTIHOOK_ASSIGN_OR_RETURN(auto route, core::ParseHostRoute(host + "=" + sink_urls[i]));
    options.routes.push_back(std::move(route));
    if (i == 0) continue;
    destinations += std::string(i > 1 ? "," : "") + R"({"name": "extra)" + std::to_string(i) +
                    R"(", "url": "https://)" + host + R"(/hook"})";
  }
  MULTIHOOK_ASSIGN_OR_RETURN(auto mock, app::MockProvider::Start(options));
  harness::MockClient client(mock->BaseUrl());
  MULTIHOOK_RETURN_IF_ERROR(client.SetPrimaryWebhook(kLoadKey, "https://r0.example.com/hook"));
  if (!destinations.empty()) {
    MULTIHOOK_RETURN_IF_ERROR(client.SetMultiWebhook(
        kLoadKey, R"({"enabled": true, "destinations": [)" + destinations + "]}"));
  }
  return mock;
}

std::uint64_t JournalSeq(app::MockProvider& mock) { return mock.engine().journal().last_seq(); }

}  // namespace multihook::bench
