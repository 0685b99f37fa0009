// HttpTransport: the real Transport, on cpp-httplib. One POST per Send with a Content-Length body
// (never chunked); keep-alive connections pooled per endpoint so that sequential deliveries to
// one receiver reuse a socket; TCP_NODELAY on; explicit connect/read/write timeouts; redirects
// not followed (a 3xx is just a status); response bodies read up to a bound and discarded.
// Routes (core::RouteTable) send a real-looking host to a local address while the request keeps
// the configured path and Host header.
//
// Thread-safe: each Send takes a connection of its own from the pool.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/route_table.hpp"
#include "mock_server/delivery/transport.hpp"

namespace httplib {
class Client;
}

namespace multihook::delivery {

struct HttpTransportOptions {
  std::optional<std::string> ca_file;  // trust these CAs for https destinations
  bool insecure = false;               // skip certificate verification (local testing only)
  core::Micros connect_timeout = std::chrono::seconds(5);
  std::size_t max_response_body = 64 * 1024;  // read and discarded; more is not read
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

class HttpTransport final : public Transport {
 public:
  // `clock` measures how long an answer took: one that arrives after the request's timeout is a
  // timeout (the provider gives the main webhook 5 s in all). Give it the real clock.
  HttpTransport(const core::Clock& clock, HttpTransportOptions options);
  ~HttpTransport() override;

  void SetRoute(core::HostRoute route);
  std::vector<core::HostRoute> Routes() const;

  TransportResult Send(const OutgoingRequest& request) override;

  // Closes every pooled keep-alive connection that no Send is using (POST /mock/reset): the
  // receivers of a finished test then see their connections end instead of waiting them out.
  void CloseIdleConnections();

 private:
  std::unique_ptr<httplib::Client> Acquire(const core::Endpoint& endpoint, core::Micros timeout);
  void Release(const core::Endpoint& endpoint, std::unique_ptr<httplib::Client> client);

  const core::Clock& clock_;
  const HttpTransportOptions options_;

  mutable std::mutex mu_;
  core::RouteTable routes_;  // guarded by mu_
  struct Idle {
    std::unique_ptr<httplib::Client> client;
    core::SteadyTime since;  // when it was released
  };
  // Per endpoint, the most recently released last.
  std::map<std::string, std::vector<Idle>> idle_;  // guarded by mu_
};

}  // namespace multihook::delivery
