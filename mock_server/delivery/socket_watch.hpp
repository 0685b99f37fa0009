// SocketWatch: keeps a duplicate of a client connection's socket so that, after the HTTP library
// has given up on it, the transport can still ask the kernel how many bytes the peer sent. That
// tells a receiver that answered something other than HTTP (bytes came, no status line parsed)
// from one that reset or closed the connection without answering (no bytes).
//
// Thread-safe (the socket is replaced from the connecting thread, read from the sending one,
// which is the same thread in practice: one connection serves one Send at a time).
#pragma once

#include <atomic>
#include <cstdint>

namespace multihook::delivery {

class SocketWatch {
 public:
  SocketWatch() = default;
  ~SocketWatch();
  SocketWatch(const SocketWatch&) = delete;
  SocketWatch& operator=(const SocketWatch&) = delete;

  // Watches `socket` from now on (a new connection); stops watching the previous one.
  void Watch(int socket);
  // Bytes received on the watched connection since it opened; 0 when none is watched.
  std::uint64_t BytesReceived() const;
  // Changes whenever Watch() is given a new connection.
  std::uint64_t generation() const { return generation_.load(); }

 private:
  std::atomic<int> fd_{-1};  // our duplicate, or -1
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace multihook::delivery
