// Only kernel headers here: <linux/tcp.h> (which has tcpi_bytes_received) cannot share a
// translation unit with <netinet/tcp.h>, which the HTTP library includes.
#include "mock_server/delivery/socket_watch.hpp"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace multihook::delivery {

SocketWatch::~SocketWatch() {
  if (const int fd = fd_.exchange(-1); fd >= 0) ::close(fd);
}

void SocketWatch::Watch(int socket) {
  const int duplicate = ::dup(socket);
  if (const int previous = fd_.exchange(duplicate); previous >= 0) ::close(previous);
  ++generation_;
}

std::uint64_t SocketWatch::BytesReceived() const {
  const int fd = fd_.load();
  if (fd < 0) return 0;
  tcp_info info{};
  socklen_t length = sizeof(info);
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return 0;
  return info.tcpi_bytes_received;
}

}  // namespace multihook::delivery
