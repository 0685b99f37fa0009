#include "mock_server/http/http_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "mock_server/codec/webhook_codec.hpp"
#include "mock_server/http/socket_stream.hpp"

namespace multihook::http {
namespace {

constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

// An answer the loop writes itself, before cpp-httplib has seen the request; then the
// connection closes. Best effort: a small answer fits the socket's send buffer.
void SendAndClose(socket_t fd, int status, std::string_view reason_phrase,
                  const std::string& reason) {
  const std::string body = codec::EncodeError(core::InvalidArgument("", reason));
  const std::string answer =
      "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase) +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\nConnection: close\r\n\r\n" + body;
  [[maybe_unused]] const ssize_t sent =
      ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  ::shutdown(fd, SHUT_WR);
}

// Closing a socket while the client is still sending makes the kernel answer with a reset, which
// can destroy the answer just written (a 413 for a body the client is still uploading). So stop
// writing, read and drop what the client still sends until it closes (it has the whole answer
// by then), and only then close: bounded to kLingerTime and kLingerBytes.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr std::size_t kLingerBytes = 32 << 20;

void LingeringClose(socket_t fd) {
  ::shutdown(fd, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + kLingerTime;
  char buffer[kReadChunk];
  std::size_t drained = 0;
  while (drained < kLingerBytes) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) continue;
    if (n <= 0) break;
    drained += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

void SetNonBlocking(socket_t fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

}  // namespace

core::Result<std::unique_ptr<HttpServer>> HttpServer::Start(
    const ServerOptions& options, const std::function<void(httplib::Server&)>& install) {
  std::unique_ptr<HttpServer> server(new HttpServer(options));
  Server& s = server->server_;
  s.set_tcp_nodelay(true);
  s.set_payload_max_length(options.max_body_bytes);
  // cpp-httplib's default also sets SO_REUSEPORT, with which a second server binds a port in
  // use without error and the kernel splits connections between the two. SO_REUSEADDR alone
  // still allows a quick restart (TIME_WAIT) but gives EADDRINUSE while a server listens.
  s.set_socket_options([](socket_t sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  install(s);
  MULTIHOOK_RETURN_IF_ERROR(server->Bind());
  if (::pipe2(server->wake_fds_, O_CLOEXEC | O_NONBLOCK) != 0) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  SetNonBlocking(s.listen_socket());
  for (std::size_t i = 0; i < std::max<std::size_t>(options.threads, 1); ++i) {
    server->workers_.emplace_back([raw = server.get()] { raw->Work(); });
  }
  server->loop_ = std::thread([raw = server.get()] { raw->Loop(); });
  return server;
}

core::Status HttpServer::Bind() {
  errno = 0;
  int port = options_.port;
  if (port == 0) {
    port = server_.bind_to_any_port(options_.host);
  } else if (!server_.bind_to_port(options_.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    const int err = errno;
    if (err == EADDRINUSE) {
      return core::Status(core::StatusCode::kAlreadyExists, "--port",
                          "port " + std::to_string(options_.port) + " is in use");
    }
    return core::Status(core::StatusCode::kInvalidArgument, "--bind/--port",
                        "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                            (err != 0 ? std::string(": ") + std::strerror(err) : std::string()));
  }
  if (!server_.SetBacklog(options_.listen_backlog)) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("cannot raise the listen backlog: ") + std::strerror(errno));
  }
  host_ = options_.host;
  port_ = port;
  return core::Status::Ok();
}

bool HttpServer::Server::SetBacklog(int backlog) {
  // Calling listen() again on a listening socket only updates its backlog.
  return ::listen(svr_sock_, backlog) == 0;
}

bool HttpServer::Server::Process(httplib::Stream& stream, bool close_connection,
                                 bool& connection_closed) {
  return process_request(stream, close_connection, connection_closed, nullptr);
}

// The event loop: accepts, reads request heads, expires deadlines, takes connections back.
void HttpServer::Loop() {
  std::vector<Connection> connections;
  std::vector<pollfd> fds;
  while (!stop_loop_.load()) {
    {
      core::MutexLock lock(mu_);
      for (Connection& c : returned_) connections.push_back(std::move(c));
      returned_.clear();
    }
    // A returned connection may already hold its next (pipelined) request.
    for (auto it = connections.begin(); it != connections.end();) {
      const Next next = it->received.empty() ? Next::kWait : Examine(*it);
      if (next == Next::kWait) {
        ++it;
        continue;
      }
      if (next == Next::kDispatch) Dispatch(std::move(*it));
      if (next == Next::kClose) Close(*it);
      it = connections.erase(it);
    }
    const bool accepting = connections.size() < options_.max_connections;
    fds.assign({{wake_fds_[0], POLLIN, 0}, {accepting ? server_.listen_socket() : -1, POLLIN, 0}});
    Clock::time_point soonest = Clock::now() + std::chrono::seconds(1);
    for (const Connection& c : connections) {
      fds.push_back({c.fd, POLLIN, 0});
      soonest = std::min(soonest, c.deadline);
    }
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest - Clock::now());
    if (::poll(fds.data(), fds.size(), static_cast<int>(std::max<long long>(wait.count(), 0)) + 1) <
        0) {
      continue;  // EINTR
    }
    if (fds[0].revents != 0) {
      char drain[64];
      while (::read(wake_fds_[0], drain, sizeof(drain)) > 0) {
      }
    }
    // Readable connections first: their indices match fds[2..] only before Accept appends.
    std::vector<Connection> kept;
    for (std::size_t i = 0; i < connections.size(); ++i) {
      const Next next = fds[i + 2].revents != 0 ? Read(connections[i]) : Next::kWait;
      if (next == Next::kWait) kept.push_back(std::move(connections[i]));
      if (next == Next::kDispatch) Dispatch(std::move(connections[i]));
      if (next == Next::kClose) Close(connections[i]);
    }
    connections = std::move(kept);
    if (fds[1].revents != 0) Accept(connections);
    Expire(connections, Clock::now());
  }
  for (Connection& c : connections) Close(c);
  const socket_t listening = server_.TakeListenSocket();
  if (listening != INVALID_SOCKET) ::close(listening);
}

void HttpServer::Accept(std::vector<Connection>& connections) {
  while (connections.size() < options_.max_connections) {
    const socket_t fd =
        ::accept4(server_.listen_socket(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: none left (or a transient error; poll tells again)
    const int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    Connection c;
    c.fd = fd;
    c.deadline = Clock::now() + options_.request_timeout;
    connections.push_back(std::move(c));
  }
}

HttpServer::Next HttpServer::Read(Connection& c) {
  char buffer[kReadChunk];
  const ssize_t n = ::recv(c.fd, buffer, sizeof(buffer), 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return Next::kWait;
  if (n <= 0) return Next::kClose;  // the client closed, or the connection broke
  if (c.idle) {
    c.idle = false;
    c.deadline = Clock::now() + options_.request_timeout;
  }
  c.received.append(buffer, static_cast<std::size_t>(n));
  return Examine(c);
}

// Whether the bytes received make a request a pool thread can take without waiting on the client.
HttpServer::Next HttpServer::Examine(Connection& c) {
  c.idle = false;
  const HeadScan scan = ScanRequestHead(c.received, options_.head_limits);
  switch (scan.state) {
    case HeadScan::State::kIncomplete:
      return Next::kWait;
    case HeadScan::State::kTooLarge:
      SendAndClose(c.fd, 431, "Request Header Fields Too Large", scan.reason);
      return Next::kClose;
    case HeadScan::State::kUriTooLong:
      SendAndClose(c.fd, 414, "URI Too Long", scan.reason);
      return Next::kClose;
    case HeadScan::State::kMalformedFraming:
      return Next::kDispatch;  // cpp-httplib answers 400
    case HeadScan::State::kComplete:
      break;
  }
  // No body, a chunked one, or a client waiting for "100 Continue": the thread reads the body.
  if (!scan.content_length || scan.expect_continue) return Next::kDispatch;
  if (*scan.content_length > options_.loop_body_bytes) return Next::kDispatch;
  return c.received.size() >= scan.head_bytes + *scan.content_length ? Next::kDispatch
                                                                     : Next::kWait;
}

void HttpServer::Expire(std::vector<Connection>& connections, Clock::time_point now) {
  for (auto it = connections.begin(); it != connections.end();) {
    if (it->deadline > now) {
      ++it;
      continue;
    }
    if (!it->idle) {
      SendAndClose(it->fd, 408, "Request Timeout",
                   "the request was not received within " +
                       std::to_string(options_.request_timeout.count()) + " ms");
    }
    Close(*it);
    it = connections.erase(it);
  }
}

void HttpServer::Dispatch(Connection connection) {
  {
    core::MutexLock lock(mu_);
    ready_.push_back(std::move(connection));
  }
  work_cv_.NotifyOne();
}

void HttpServer::Work() {
  while (true) {
    Connection c;
    {
      core::MutexLock lock(mu_);
      while (!stopping_ && ready_.empty()) work_cv_.Wait(mu_);
      if (ready_.empty()) return;  // stopping, and every request read is answered
      c = std::move(ready_.front());
      ready_.pop_front();
    }
    Serve(std::move(c));
  }
}

// One request on a pool thread; a keep-alive connection then goes back to the loop.
void HttpServer::Serve(Connection c) {
  SocketStream stream(c.fd, std::move(c.received), options_.io_timeout,
                      Clock::now() + options_.request_timeout);
  bool stopping = false;
  {
    core::MutexLock lock(mu_);
    stopping = stopping_;
  }
  const bool close = stopping || ++c.served >= options_.keep_alive_max_requests;
  bool closed = false;
  const bool answered = server_.Process(stream, close, closed);
  if (!answered || close || closed || stream.AnswerCloses()) {
    LingeringClose(c.fd);  // on this pool thread: the loop never waits on a client
    c.fd = INVALID_SOCKET;
    return;
  }
  c.received = stream.TakeUnread();
  c.idle = c.received.empty();
  c.deadline = Clock::now() + options_.keep_alive_timeout;
  {
    core::MutexLock lock(mu_);
    if (stopping_) return Close(c);
    returned_.push_back(std::move(c));
  }
  Wake();
}

void HttpServer::Close(Connection& c) {
  if (c.fd == INVALID_SOCKET) return;
  ::shutdown(c.fd, SHUT_RDWR);
  ::close(c.fd);
  c.fd = INVALID_SOCKET;
}

void HttpServer::Wake() {
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fds_[1], &byte, 1);
}

HttpServer::~HttpServer() {
  Stop();
  for (int& fd : wake_fds_) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
}

void HttpServer::Stop() {
  {
    core::MutexLock lock(mu_);
    stopping_ = true;
  }
  stop_loop_.store(true);
  if (wake_fds_[1] >= 0) Wake();
  if (loop_.joinable()) loop_.join();
  work_cv_.NotifyAll();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  core::MutexLock lock(mu_);
  for (Connection& c : returned_) Close(c);
  returned_.clear();
}

std::string HttpServer::BaseUrl() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

}  // namespace multihook::http
