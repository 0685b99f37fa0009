// The control API under /mock: channels, flush, reset, health and the OpenAPI document. Never
// part of the provider's surface; tests and tools drive the mock through it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/delivery/body_store.hpp"
#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/delivery/http_transport.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

// The mock's runtime options as the control API sees them (GET/PATCH /mock/options). The
// options themselves belong to the composition root; these adapters keep http free of it.
struct OptionsControl {
  std::function<std::string()> get;  // the JSON object of GET /mock/options
  // Applies a PATCH body all or nothing; answers the same JSON as get().
  std::function<core::Result<std::string>(std::string_view body)> patch;
  // Back to the options the mock was started with (POST /mock/reset).
  std::function<core::Status()> restore;
};

struct ControlContext {
  store::ChannelStore& store;
  delivery::DeliveryEngine* engine = nullptr;  // reset with the store when present
  // Its idle keep-alive connections are closed on reset, when present.
  delivery::HttpTransport* transport = nullptr;
  OptionsControl options = {};  // no /mock/options routes when empty
  // Kept bodies: cleared on reset and shown by the delivery view, when present.
  delivery::BodyStore* bodies = nullptr;
};

std::vector<Route> ControlRoutes(const ControlContext& context);

// docs/openapi.json, embedded at build time.
std::string_view OpenApiDocument();

}  // namespace multihook::http
