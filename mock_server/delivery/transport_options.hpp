// HttpTransportOptions: the plain values of the real transport (http_transport.hpp), in a header
// of their own so that option parsers need neither the transport nor cpp-httplib.
//
// Pure value type; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "mock_server/core/clock.hpp"

namespace multihook::delivery {

struct HttpTransportOptions {
  std::optional<std::string> ca_file;  // trust these CAs for https destinations
  bool insecure = false;               // skip certificate verification (local testing only)
  core::Micros connect_timeout = std::chrono::seconds(5);
  std::size_t max_response_body = std::size_t{64} * 1024;  // read and discarded; more is not read
  std::size_t max_idle_per_endpoint = 64;
  // A pooled connection idle this long is closed rather than reused: a receiver may close an
  // idle keep-alive connection at any moment (the scripted receiver after 1 s), and a request
  // written into a connection it is closing fails with a reset that was never the receiver's
  // answer. Well below the keep-alive timeouts of common servers (1 s to 75 s).
  core::Micros max_idle_time = std::chrono::milliseconds(500);
  // Sent unless the request sets its own (any case); never empty, or the HTTP library's own
  // "cpp-httplib/<version>" would leak to receivers. The mock sets "multihook/<version>".
  std::string user_agent = "multihook";
};

}  // namespace multihook::delivery
