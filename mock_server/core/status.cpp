#include "mock_server/core/status.hpp"

namespace multihook::core {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kLimitExceeded:
      return "limit_exceeded";
    case StatusCode::kPayloadTooLarge:
      return "payload_too_large";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  if (!location_.empty()) {
    out += " at ";
    out += location_;
  }
  out += ": ";
  out += reason_;
  return out;
}

Status Status::WithLocationPrefix(std::string_view prefix) const {
  if (ok()) return *this;
  return Status(code_, std::string(prefix) + location_, reason_);
}

}  // namespace multihook::core
