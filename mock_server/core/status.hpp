// Status and Result<T>: the one error type of multihook.
//
// A Status carries a stable code, the place the problem was found (a JSON pointer such as
// "/destinations/1/url", or a CLI option name) and a human reason. ToString() renders
// "invalid_argument at /destinations/1/url: host contains '_'"; tests and users match on it, so
// keep reasons stable. Value types; thread-compatible.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace multihook::core {

enum class StatusCode {
  kOk,
  kInvalidArgument,     // malformed or rule-breaking input
  kUnauthenticated,     // missing or unknown API key
  kNotFound,            // no such destination / channel / route
  kAlreadyExists,       // duplicate name or key
  kFailedPrecondition,  // the request does not fit the current state (e.g. PUT while disabled)
  kLimitExceeded,       // the three-webhook limit
  kPayloadTooLarge,     // body over the size bound
  kResourceExhausted,   // the mock is full for now (too many notifications in flight); retry later
  kInternal,            // a bug or an unexpected library failure
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string location, std::string reason)
      : code_(code), location_(std::move(location)), reason_(std::move(reason)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& location() const { return location_; }
  const std::string& reason() const { return reason_; }

  // "code at location: reason", or "code: reason" without a location; "ok" when ok.
  std::string ToString() const;

  // A copy whose location is `prefix` followed by this location (for nested validation).
  Status WithLocationPrefix(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string location_;
  std::string reason_;
};

inline Status InvalidArgument(std::string location, std::string reason) {
  return Status(StatusCode::kInvalidArgument, std::move(location), std::move(reason));
}

// Either a value or a non-ok Status (in the spirit of absl::StatusOr).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result needs a value or an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

namespace internal {
inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const Result<T>& result) {
  return result.status();
}
}  // namespace internal

}  // namespace multihook::core

// Unwrap-or-return, in the spirit of abseil's RETURN_IF_ERROR / ASSIGN_OR_RETURN. Both work in
// any function returning Status or Result<U>.
//
//   MULTIHOOK_RETURN_IF_ERROR(store.Check(request));            // a Status or a Result<T>
//   MULTIHOOK_ASSIGN_OR_RETURN(auto config, store.Snapshot(key));  // declares (or assigns) lhs
#define MULTIHOOK_RETURN_IF_ERROR(expr)                                          \
  do {                                                                           \
    if (const auto& multihook_status_or_ = (expr); !multihook_status_or_.ok()) { \
      return ::multihook::core::internal::StatusOf(multihook_status_or_);        \
    }                                                                            \
  } while (false)

#define MULTIHOOK_ASSIGN_OR_RETURN(lhs, expr) \
  MULTIHOOK_ASSIGN_OR_RETURN_IMPL_(MULTIHOOK_STATUS_CONCAT_(multihook_result_, __LINE__), lhs, expr)

#define MULTIHOOK_STATUS_CONCAT_INNER_(a, b) a##b
#define MULTIHOOK_STATUS_CONCAT_(a, b) MULTIHOOK_STATUS_CONCAT_INNER_(a, b)
#define MULTIHOOK_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                     \
  if (!result.ok()) return result.status();                 \
  lhs = std::move(result).value()
