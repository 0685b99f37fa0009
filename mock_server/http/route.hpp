// Routes as data: method, regex, and the OpenAPI path they implement, so that a test can hold the
// registered surface and docs/openapi.json to each other. Handlers are thin adapters: decode,
// call the store, map the result (error_mapping.hpp).
#pragma once

#include <httplib.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

// Where handlers report what a user should see in the server log (lenient-policy warnings).
using LogSink = std::function<void(std::string_view line)>;

// The request's D360-API-KEY once it is known to belong to a channel of `store`; unauthenticated
// (401) when the header is missing or the key unknown. Routes call this before reading a body.
core::Result<std::string> AuthenticatedKey(const httplib::Request& req,
                                           const store::ChannelStore& store);

// Request bodies of the provider API and the control API are capped at 1 MiB (413 above).
inline constexpr std::size_t kMaxConfigBodyBytes = 1 << 20;

struct Route {
  std::string method;        // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;       // cpp-httplib regex (0.11 has no path parameters)
  std::string openapi_path;  // e.g. "/multi_webhook/{name}"
  httplib::Server::Handler handler;
  // The largest body the route accepts: a larger one gets 413 before the handler runs (from its
  // Content-Length before it is read, or once a chunked upload is read).
  std::size_t max_body_bytes = kMaxConfigBodyBytes;
};

// Registers every route, each behind its body limit.
void InstallRoutes(httplib::Server& server, const std::vector<Route>& routes);

// 404 for unknown paths, 413 for bodies over the matching route's max_body_bytes (refused from
// Content-Length before they are read; kMaxConfigBodyBytes for a path no route matches) and 500
// for escaped exceptions, all in the {"error"} shape.
void InstallCommonHandlers(httplib::Server& server, const std::vector<Route>& routes);

}  // namespace multihook::http
