// RouteTable: sends deliveries for a real-looking host to a local address, in the spirit of
// curl's --connect-to. The stored webhook URL stays exactly what the partner configured; only
// the connection goes elsewhere. Spec: "HOST=http[s]://ADDR[:PORT]", e.g.
// "crm.example.com=http://127.0.0.1:8081". Host matching ignores case.
//
// Pure value type; not thread-safe (the transport guards it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/status.hpp"

namespace multihook::core {

// Where a connection goes: scheme, host (IPv6 without brackets) and port.
struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;

  // "https://[::1]:8443"
  std::string BaseUrl() const;
  bool operator==(const Endpoint&) const = default;
};

struct HostRoute {
  std::string host;  // lower-cased
  Endpoint target;

  // "host=scheme://addr:port", the form it is given in.
  std::string ToString() const;
  bool operator==(const HostRoute&) const = default;
};

Result<HostRoute> ParseHostRoute(std::string_view spec);

class RouteTable {
 public:
  // Adds a route, replacing any route for the same host.
  void Set(HostRoute route);
  std::optional<Endpoint> Find(std::string_view host) const;
  const std::vector<HostRoute>& routes() const { return routes_; }

 private:
  std::vector<HostRoute> routes_;
};

}  // namespace multihook::core
