// The control API under /mock: channels, flush, reset, health and the OpenAPI document. Never
// part of the provider's surface; tests and tools drive the mock through it.
#pragma once

#include <string_view>
#include <vector>

#include "mock_server/delivery/delivery_engine.hpp"
#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

struct ControlContext {
  store::ChannelStore& store;
  delivery::DeliveryEngine* engine = nullptr;  // reset with the store when present
};

std::vector<Route> ControlRoutes(const ControlContext& context);

// docs/openapi.json, embedded at build time.
std::string_view OpenApiDocument();

}  // namespace multihook::http
