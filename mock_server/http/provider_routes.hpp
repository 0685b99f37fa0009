// The provider's webhook-configuration API at the provider's own paths (contract §1–5):
// /v1/configs/webhook and /multi_webhook, authenticated by D360-API-KEY.
#pragma once

#include <vector>

#include "mock_server/http/route.hpp"
#include "mock_server/store/channel_store.hpp"

namespace multihook::http {

// The provider's sentence for an accepted asynchronous change (contract §3).
inline constexpr char kOperationStarted[] =
    "Operation has been started, please wait several seconds until change is applied";

// Lenient-policy warnings and skipped duplicates go to `log` and to X-Multihook-Warning headers
// (never into the body, which stays the provider's exact shape).
std::vector<Route> ProviderRoutes(store::ChannelStore& store, const LogSink& log);

}  // namespace multihook::http
