#include "mock_server/http/error_mapping.hpp"

#include "mock_server/codec/webhook_codec.hpp"

namespace multihook::http {

int HttpStatusFor(core::StatusCode code) {
  switch (code) {
    case core::StatusCode::kOk:
      return 200;
    case core::StatusCode::kInvalidArgument:
    case core::StatusCode::kLimitExceeded:  // contract §3: over the limit is a 400
      return 400;
    case core::StatusCode::kUnauthenticated:
      return 401;
    case core::StatusCode::kNotFound:
      return 404;
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kFailedPrecondition:
      return 409;
    case core::StatusCode::kPayloadTooLarge:
      return 413;
    case core::StatusCode::kResourceExhausted:
      return 429;
    case core::StatusCode::kInternal:
      return 500;
  }
  return 500;
}

void SetJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, kJsonType);
}

void SetError(httplib::Response& res, const core::Status& status, ErrorShape shape) {
  const int http_status = HttpStatusFor(status.code());
  // Authentication failures keep the {"error"} shape on every path (contract §1).
  const bool meta =
      shape == ErrorShape::kMeta && status.code() != core::StatusCode::kUnauthenticated;
  SetJson(res, http_status,
          meta ? codec::EncodeMetaError(status, http_status) : codec::EncodeError(status));
  // 429 is temporary: say when to come back (RFC 9110 §10.2.3), as rate-limited APIs do.
  if (http_status == 429) res.set_header("Retry-After", "1");
}

}  // namespace multihook::http
