// GarbageServer: a raw TCP listener on an ephemeral loopback port that answers every connection
// with bytes that are not HTTP, then closes it. For checking that clients survive hostile peers.
// RAII: the destructor stops and joins.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

namespace multihook::testing {

class GarbageServer {
 public:
  GarbageServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(fd_, 64) != 0) {
      throw std::runtime_error("GarbageServer cannot listen");
    }
    socklen_t length = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~GarbageServer() {
    stopping_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int accepted() const { return accepted_.load(); }

 private:
  void Serve() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;  // bounded: re-checks stopping_ every 50 ms
      const int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      ++accepted_;
      static constexpr char kGarbage[] = "\x16\x03\x01 NOT HTTP AT ALL\r\n\r\n\xff\xfe";
      (void)!::send(client, kGarbage, sizeof(kGarbage) - 1, MSG_NOSIGNAL);
      ::close(client);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace multihook::testing
