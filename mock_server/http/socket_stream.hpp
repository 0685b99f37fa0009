// SocketStream: the cpp-httplib Stream a pool thread hands to the library for one request. It
// first returns the bytes the server's event loop already read (the request head, and the body
// when its length was announced), then reads the socket with a per-read timeout, and refuses to
// read past a deadline, so a client trickling its body cannot hold the thread for long.
//
// Not thread-safe: one thread uses it for one request.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace multihook::http {

class SocketStream : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  SocketStream(socket_t fd, std::string prefix, std::chrono::milliseconds io_timeout,
               Clock::time_point read_deadline);

  using httplib::Stream::write;
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

  // Bytes read ahead and not consumed (the start of a pipelined next request).
  std::string TakeUnread();
  // Whether the answer written asked to close the connection (e.g. a 413 whose body was not
  // read: its bytes must not be taken for the next request).
  bool AnswerCloses() const;

 private:
  bool WaitFor(short events) const;

  socket_t fd_;
  std::string prefix_;
  std::size_t prefix_pos_ = 0;
  std::chrono::milliseconds io_timeout_;
  Clock::time_point read_deadline_;
  std::string answer_head_;  // the answer's status line and headers, as written
};

}  // namespace multihook::http
