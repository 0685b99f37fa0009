#include "mock_server/core/route_table.hpp"

#include <algorithm>

#include "mock_server/core/url_rules.hpp"

namespace multihook::core {
std::string Endpoint::BaseUrl() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string HostRoute::ToString() const { return host + "=" + target.BaseUrl(); }

Result<HostRoute> ParseHostRoute(std::string_view spec) {
  const std::size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return InvalidArgument("",
                           "expected HOST=http[s]://ADDR:PORT, got '" + std::string(spec) + "'");
  }
  const std::string host = AsciiLower(spec.substr(0, eq));
  // The host side must be something a webhook URL can name.
  auto named = ParseUrl("https://" + host + "/");
  if (!named.ok() || named->port) {
    return InvalidArgument("", "route host '" + host + "' is not a host name");
  }
  auto target = ParseUrl(spec.substr(eq + 1));
  if (!target.ok()) {
    return InvalidArgument("", "route target: " + target.status().reason());
  }
  if (target->scheme != "http" && target->scheme != "https") {
    return InvalidArgument("", "route target must be http:// or https://");
  }
  if (target->target != "/") {
    return InvalidArgument("",
                           "route target must not have a path (the webhook URL's path is kept)");
  }
  const int port = target->port.value_or(target->scheme == "https" ? 443 : 80);
  return HostRoute{host, Endpoint{target->scheme, target->host, port}};
}

void RouteTable::Set(HostRoute route) {
  const auto it = std::find_if(routes_.begin(), routes_.end(),
                               [&](const HostRoute& r) { return r.host == route.host; });
  if (it != routes_.end()) {
    *it = std::move(route);
  } else {
    routes_.push_back(std::move(route));
  }
}

std::optional<Endpoint> RouteTable::Find(std::string_view host) const {
  const std::string key = AsciiLower(host);
  for (const HostRoute& route : routes_) {
    if (route.host == key) return route.target;
  }
  return std::nullopt;
}

}  // namespace multihook::core
