// HttpServer: a cpp-httplib server whose connections are driven by an event loop of our own, so
// that slow or idle clients cannot hold its threads. The loop accepts connections and reads each
// request's head (and a body of announced length) without blocking; only a complete request is
// handed to one of a fixed number of pool threads, which runs cpp-httplib's request processing
// (parsing, routing, our handlers, the answer) on it and gives a keep-alive connection back to
// the loop. cpp-httplib 0.11's own loop gives every connection a pool thread from its first byte
// to its close: 100 clients trickling a request line starved it (issue #12).
//
// Limits, each an option (docs/semantics.md): a request head over 32 KiB, a header line over
// 8 KiB or more than 100 header fields get 431; a head not complete 10 s after its first byte
// gets 408; bodies over the route's limit get 413 (route.hpp). Answers the loop writes itself
// have the provider's {"error"} shape. Bound before Start() returns, so the port is known and
// connections are accepted from the first instant.
//
// Thread-safe. Stop() is idempotent; the destructor stops and joins.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "mock_server/core/mutex.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/http/request_head.hpp"

namespace multihook::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // Pool threads: requests handled at once. Idle and slow connections hold none; a long-poll
  // (GET /mock/deliveries?min_count=...) holds one while it waits.
  std::size_t threads = 32;
  // The largest body cpp-httplib reads (413 above); routes may set lower limits (route.hpp).
  std::size_t max_body_bytes = 1 << 20;
  // A body of announced length up to this size is read by the event loop before a thread takes
  // the request, so a client trickling it holds no thread; a larger one is read by the thread
  // (within request_timeout), or refused from its Content-Length (413) without being read.
  std::size_t loop_body_bytes = std::size_t{64} * 1024;
  std::size_t keep_alive_max_requests = 10'000;
  // cpp-httplib 0.11 listens with a fixed backlog of 5: a burst of new connections overflows
  // it, and clients then stall for a SYN retransmit (1 s) or fail with a read error.
  int listen_backlog = 1024;
  HeadLimits head_limits;  // 431 above them
  // From a request's first byte to the end of its head and announced body; then 408 and close.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds keep_alive_timeout{5'000};  // idle between requests; then close
  std::chrono::milliseconds io_timeout{5'000};          // per read or write on a pool thread
  // Open connections; at the bound the loop stops accepting until one closes. cpp-httplib 0.11
  // answers 500 on a socket numbered 1024 or more (select()), so keep it well below.
  std::size_t max_connections = 512;
};

class HttpServer {
 public:
  // Calls `install` to register routes, binds, and starts serving.
  static core::Result<std::unique_ptr<HttpServer>> Start(
      const ServerOptions& options, const std::function<void(httplib::Server&)>& install);

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  // "http://127.0.0.1:8360" (IPv6 hosts in brackets).
  std::string BaseUrl() const;

  // Stops accepting, closes idle connections, finishes the requests already read, joins.
  void Stop();

 private:
  using Clock = std::chrono::steady_clock;

  // Reaches what httplib keeps protected: the listening socket and one request's processing.
  class Server : public httplib::Server {
   public:
    bool SetBacklog(int backlog);
    socket_t TakeListenSocket() { return svr_sock_.exchange(INVALID_SOCKET); }
    socket_t listen_socket() const { return svr_sock_; }
    bool Process(httplib::Stream& stream, bool close_connection, bool& connection_closed);
  };

  struct Connection {
    socket_t fd = INVALID_SOCKET;
    std::string received;        // read ahead by the loop, not yet processed
    Clock::time_point deadline;  // idle: keep-alive end; reading: request_timeout end
    bool idle = true;            // no byte of the next request yet
    std::size_t served = 0;
  };
  enum class Next { kWait, kDispatch, kClose };

  explicit HttpServer(const ServerOptions& options) : options_(options) {}
  core::Status Bind();
  void Loop();
  void Accept(std::vector<Connection>& connections);
  Next Read(Connection& connection);
  Next Examine(Connection& connection);
  void Expire(std::vector<Connection>& connections, Clock::time_point now);
  void Dispatch(Connection connection);
  void Work();
  void Serve(Connection connection);
  void Close(Connection& connection);
  void Wake();

  ServerOptions options_;
  Server server_;
  std::string host_;
  int port_ = 0;
  int wake_fds_[2] = {-1, -1};  // a pipe: written to interrupt the loop's poll()

  core::Mutex mu_;
  core::CondVar work_cv_;
  std::deque<Connection> ready_ ABSL_GUARDED_BY(mu_);      // complete requests for the pool
  std::vector<Connection> returned_ ABSL_GUARDED_BY(mu_);  // keep-alive connections for the loop
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<bool> stop_loop_{false};

  std::thread loop_;
  std::vector<std::thread> workers_;
};

}  // namespace multihook::http
