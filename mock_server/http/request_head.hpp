// Reading where an HTTP/1.1 request head ends, and whether it stays within the server's limits,
// from the bytes received so far. Pure: the server's event loop calls it after every read, so a
// client that sends its head slowly costs a buffer, never a thread.
//
// Free functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace multihook::http {

struct HeadLimits {
  std::size_t max_head_bytes = std::size_t{32} * 1024;  // request line + headers + the blank line
  std::size_t max_line_bytes =
      std::size_t{8} * 1024;      // the request line or a header line, CRLF included
  std::size_t max_headers = 100;  // header fields
};

struct HeadScan {
  enum class State {
    kIncomplete,        // more bytes needed
    kComplete,          // head_bytes hold the head; content_length what follows, if announced
    kTooLarge,          // a header over a limit: 431, reason says which
    kUriTooLong,        // the request line over max_line_bytes: 414
    kMalformedFraming,  // Content-Length and Transfer-Encoding both, or a bad Content-Length
  };
  State state = State::kIncomplete;
  std::size_t head_bytes = 0;
  std::optional<std::size_t> content_length;  // when announced and not chunked
  bool expect_continue = false;               // the client waits for "100 Continue"
  std::string reason;
};

// Scans `received` (which starts at a request's first byte; leading blank lines, which RFC 9112
// §2.2 lets a server ignore, count as head bytes). As in cpp-httplib 0.11, only an empty line
// ending in CRLF ends the head.
HeadScan ScanRequestHead(std::string_view received, const HeadLimits& limits);

}  // namespace multihook::http
