#include "mock_server/http/socket_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace multihook::http {
namespace {

void AddressOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof(text));
    port = ntohs(v4->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof(text));
    port = ntohs(v6->sin6_port);
  }
  ip = text;
}

}  // namespace

SocketStream::SocketStream(socket_t fd, std::string prefix, std::chrono::milliseconds io_timeout,
                           Clock::time_point read_deadline)
    : fd_(fd), prefix_(std::move(prefix)), io_timeout_(io_timeout), read_deadline_(read_deadline) {}

bool SocketStream::WaitFor(short events) const {
  pollfd p{fd_, events, 0};
  int timeout_ms = static_cast<int>(io_timeout_.count());
  if (events == POLLIN) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(read_deadline_ - Clock::now());
    timeout_ms = static_cast<int>(std::clamp<long long>(left.count(), 0, timeout_ms));
  }
  int n = 0;
  do {
    n = ::poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

bool SocketStream::is_readable() const { return prefix_pos_ < prefix_.size() || WaitFor(POLLIN); }

bool SocketStream::is_writable() const { return WaitFor(POLLOUT); }

ssize_t SocketStream::read(char* ptr, size_t size) {
  if (prefix_pos_ < prefix_.size()) {
    const std::size_t n = std::min(size, prefix_.size() - prefix_pos_);
    std::memcpy(ptr, prefix_.data() + prefix_pos_, n);
    prefix_pos_ += n;
    return static_cast<ssize_t>(n);
  }
  if (!WaitFor(POLLIN)) return -1;
  ssize_t n = 0;
  do {
    n = ::recv(fd_, ptr, size, 0);
  } while (n < 0 && errno == EINTR);
  return n;
}

ssize_t SocketStream::write(const char* ptr, size_t size) {
  constexpr std::size_t kMaxHead = std::size_t{16} * 1024;
  if (answer_head_.find("\r\n\r\n") == std::string::npos && answer_head_.size() < kMaxHead) {
    answer_head_.append(ptr, std::min(size, kMaxHead - answer_head_.size()));
  }
  if (!WaitFor(POLLOUT)) return -1;
  ssize_t n = 0;
  do {
    n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  return n;
}

void SocketStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, ip, port);
}

void SocketStream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) AddressOf(addr, ip, port);
}

bool SocketStream::AnswerCloses() const {
  const std::size_t end = answer_head_.find("\r\n\r\n");
  return answer_head_.substr(0, end).find("\r\nConnection: close\r\n") != std::string::npos;
}

std::string SocketStream::TakeUnread() {
  std::string rest = prefix_.substr(prefix_pos_);
  prefix_.clear();
  prefix_pos_ = 0;
  return rest;
}

}  // namespace multihook::http
