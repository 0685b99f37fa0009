// The one place that maps Status codes to HTTP statuses and picks the provider's error body:
// {"error": "..."} on /multi_webhook and the control API, the legacy {"meta": {...}} envelope for
// validation errors on /v1/configs/webhook (contract §1–3).
#pragma once

#include <httplib.h>

#include <string>

#include "mock_server/core/status.hpp"

namespace multihook::http {

enum class ErrorShape { kError, kMeta };

inline constexpr char kJsonType[] = "application/json";

int HttpStatusFor(core::StatusCode code);

void SetJson(httplib::Response& res, int status, const std::string& body);
void SetError(httplib::Response& res, const core::Status& status,
              ErrorShape shape = ErrorShape::kError);

}  // namespace multihook::http
