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

}  // namespace multihook::core
