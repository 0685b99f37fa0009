// HttpServer: one cpp-httplib server on its own listening thread, configured the way the
// Debian 0.11 build needs (TCP_NODELAY, a sized pool, long keep-alive), bound before it is
// returned so that its port is known and connections are accepted from the first instant.
//
// Thread-safe. Stop() is idempotent; the destructor stops and joins.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "mock_server/core/status.hpp"

namespace multihook::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: an ephemeral port
  // Each open keep-alive connection holds a pool thread; size above the expected peak.
  std::size_t threads = 32;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t keep_alive_max_requests = 10'000;
  // cpp-httplib 0.11 listens with a fixed backlog of 5: a burst of new connections overflows
  // it, and clients then stall for a SYN retransmit (1 s) or fail with a read error.
  int listen_backlog = 1024;
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

  void Stop();

 private:
  HttpServer() = default;

  // Reaches the listening socket, which httplib keeps protected, to raise its backlog.
  class Server : public httplib::Server {
   public:
    bool SetBacklog(int backlog);
  };

  Server server_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace multihook::http
