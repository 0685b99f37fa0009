#include "mock_server/http/http_server.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace multihook::http {

core::Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ServerOptions& options, const std::function<void(httplib::Server&)>& install) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  Server& s = server->server_;
  const std::size_t threads = options.threads;
  s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(options.keep_alive_max_requests);
  s.set_keep_alive_timeout(5);
  s.set_read_timeout(5, 0);
  s.set_write_timeout(5, 0);
  s.set_payload_max_length(options.max_body_bytes);
  // cpp-httplib's default also sets SO_REUSEPORT, with which a second server binds a port in
  // use without error and the kernel splits connections between the two. SO_REUSEADDR alone
  // still allows a quick restart (TIME_WAIT) but gives EADDRINUSE while a server listens.
  s.set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  install(s);

  errno = 0;
  int port = options.port;
  if (port == 0) {
    port = s.bind_to_any_port(options.host);
  } else if (!s.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    const int err = errno;
    if (err == EADDRINUSE) {
      return core::Status(core::StatusCode::kAlreadyExists, "--port",
                          "port " + std::to_string(options.port) + " is in use");
    }
    return core::Status(core::StatusCode::kInvalidArgument, "--bind/--port",
                        "cannot listen on " + options.host + ":" + std::to_string(options.port) +
                            (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
  if (!s.SetBacklog(options.listen_backlog)) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("cannot raise the listen backlog: ") + std::strerror(errno));
  }
  server->host_ = options.host;
  server->port_ = port;
  server->thread_ = std::thread([&s] { s.listen_after_bind(); });
  // The socket already listens (the kernel queues connections); wait, bounded, for the accept
  // loop so that Stop() cannot race ahead of it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!s.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  if (!s.is_running()) {
    server->Stop();
    return core::Status(core::StatusCode::kInternal, "", "HTTP server did not start in 5 s");
  }
  return server;
}

bool HttpServer::Server::SetBacklog(int backlog) {
  // Calling listen() again on a listening socket only updates its backlog.
  return ::listen(svr_sock_, backlog) == 0;
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Stop() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string HttpServer::BaseUrl() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

}  // namespace multihook::http
