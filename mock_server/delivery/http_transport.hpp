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
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/mutex.hpp"
#include "mock_server/core/route_table.hpp"
#include "mock_server/core/status.hpp"
#include "mock_server/delivery/socket_watch.hpp"
#include "mock_server/delivery/transport.hpp"
#include "mock_server/delivery/transport_options.hpp"

namespace httplib {
class Client;
}

namespace multihook::delivery {

class HttpTransport final : public Transport {
 public:
  // `clock` measures how long an answer took: one that arrives after the request's timeout is a
  // timeout (the provider gives the main webhook 5 s in all). Give it the real clock.
  HttpTransport(const core::Clock& clock, HttpTransportOptions options);
  ~HttpTransport() override;

  // Also forgets every resolved URL, so the next Send to a rerouted host goes to its new endpoint.
  void SetRoute(core::HostRoute route);
  std::vector<core::HostRoute> Routes() const;

  TransportResult Send(const OutgoingRequest& request) override;

  // Closes every pooled keep-alive connection that no Send is using (POST /mock/reset): the
  // receivers of a finished test then see their connections end instead of waiting them out.
  void CloseIdleConnections();

 private:
  // A pooled keep-alive client and the watch on its socket (socket_watch.hpp).
  struct Connection {
    std::unique_ptr<httplib::Client> client;
    std::shared_ptr<SocketWatch> watch;
  };
  // A URL as one Send needs it: parsed, routed, and its Host header; the same for every attempt to
  // that URL under one route table, so it is resolved once, not per attempt.
  struct Resolved {
    std::string target;  // path + query
    core::Endpoint endpoint;
    std::string base_url;                    // endpoint.BaseUrl(): the key of idle_
    std::optional<std::string> host_header;  // routed: the configured host, as curl --connect-to
  };
  core::Result<std::shared_ptr<const Resolved>> Resolve(const std::string& url);
  Connection Acquire(const Resolved& to, core::Micros timeout);
  void Release(const Resolved& to, Connection connection);

  const core::Clock& clock_;
  const HttpTransportOptions options_;

  mutable core::Mutex mu_;
  core::RouteTable routes_ ABSL_GUARDED_BY(mu_);
  // Emptied when a route changes, and when it reaches kMaxResolved URLs.
  std::unordered_map<std::string, std::shared_ptr<const Resolved>> resolved_ ABSL_GUARDED_BY(mu_);
  static constexpr std::size_t kMaxResolved = 1024;
  struct Idle {
    Connection connection;
    core::SteadyTime since;  // when it was released
  };
  // Per endpoint, the most recently released last.
  std::map<std::string, std::vector<Idle>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace multihook::delivery
