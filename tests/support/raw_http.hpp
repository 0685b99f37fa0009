// RawExchange: one HTTP exchange over a plain loopback socket, bytes exactly as given. For what a
// client library never sends (a POST without Content-Length, as `curl -X POST URL` does), so
// the test sees the server's behaviour and not the library's. Bounded: a read that waits longer
// than `timeout` fails with a message saying so.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "mock_server/core/status.hpp"

namespace multihook::testing {

struct RawAnswer {
  int status = 0;
  std::string text;  // status line, headers and body as received
  std::string Body() const {
    const auto end = text.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : text.substr(end + 4);
  }
};

// Sends `request` (which should say `Connection: close`) to 127.0.0.1:`port` and reads until
// the server closes the connection. With `hang_up`, the client shuts down its sending side after
// the request, as a client does that gives up on a request but still reads the answer.
inline core::Result<RawAnswer> RawExchange(int port, const std::string& request,
                                           std::chrono::milliseconds timeout,
                                           bool hang_up = false) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return core::Status(core::StatusCode::kInternal, "", "socket() failed");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return core::Status(core::StatusCode::kInternal, "",
                        std::string("connect failed: ") + std::strerror(errno));
  }
  for (std::size_t sent = 0; sent < request.size();) {
    const ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return core::Status(core::StatusCode::kInternal, "", "send failed");
    sent += static_cast<std::size_t>(n);
  }
  if (hang_up) ::shutdown(fd, SHUT_WR);
  RawAnswer answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return core::Status(core::StatusCode::kInternal, "",
                          "no complete answer within " + std::to_string(timeout.count()) +
                              " ms (got " + std::to_string(answer.text.size()) + " bytes: '" +
                              answer.text + "')");
    }
    answer.text.append(buffer, static_cast<std::size_t>(n));
  }
  if (answer.text.rfind("HTTP/1.1 ", 0) != 0 || answer.text.size() < 12) {
    return core::Status(core::StatusCode::kInternal, "",
                        "not an HTTP answer: '" + answer.text + "'");
  }
  answer.status = std::stoi(answer.text.substr(9, 3));
  return answer;
}

}  // namespace multihook::testing
