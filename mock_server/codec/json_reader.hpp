// Strict reading of JSON request bodies: every error names the JSON pointer of the offending
// value and what was expected, e.g. "invalid_argument at /destinations/0/url: expected a string,
// got number". Unknown fields, duplicate keys, wrong types and nesting deeper than 64 levels are
// rejected; nlohmann exceptions never escape.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

using Json = nlohmann::json;

// The one way JSON becomes text in the mock: compact, and total. Text that may hold client bytes
// (a percent-decoded path, a query value) is not always UTF-8, and a plain dump() throws on it;
// here each invalid byte becomes U+FFFD instead, so an answer that echoes input is always sent.
template <typename AnyJson>
std::string ToText(const AnyJson& json) {
  return json.dump(-1, ' ', false, AnyJson::error_handler_t::replace);
}

// Parses a whole request body. Malformed JSON, duplicate keys and deep nesting are errors.
core::Result<Json> ParseBody(std::string_view body);

// "string", "number", "object", ... for error messages.
std::string_view TypeName(const Json& value);

// Relaxations of the strict reading, for the provider API's bodies under the lenient rule
// options (core::UnknownFields, core::NullValues). The control API and config files never relax.
struct ReadOptions {
  bool ignore_unknown_fields = false;  // a field outside `allowed` is skipped, not an error
  bool null_as_absent = false;         // a member whose value is null reads as absent
};

// A view of one JSON object at a known pointer.
class ObjectReader {
 public:
  // Fails unless `value` is an object, or has a field outside `allowed` (unless ignored).
  static core::Result<ObjectReader> Open(const Json& value, std::string pointer,
                                         std::initializer_list<std::string_view> allowed,
                                         ReadOptions options = {});
  // The same with the allowed fields from a table (e.g. derived from a list of message types).
  static core::Result<ObjectReader> Open(const Json& value, std::string pointer,
                                         std::span<const std::string_view> allowed,
                                         ReadOptions options = {});

  bool Has(std::string_view key) const;
  std::string PointerTo(std::string_view key) const;

  core::Result<std::string> RequiredString(std::string_view key) const;
  core::Result<std::optional<std::string>> OptionalString(std::string_view key) const;
  core::Result<bool> RequiredBool(std::string_view key) const;
  core::Result<std::optional<bool>> OptionalBool(std::string_view key) const;
  core::Result<std::optional<core::Headers>> OptionalHeaders(std::string_view key) const;
  const ReadOptions& options() const { return options_; }
  // The raw member (for arrays and nested objects); nullptr when absent (or null, when null
  // reads as absent).
  const Json* Find(std::string_view key) const;

 private:
  ObjectReader(const Json& object, std::string pointer, ReadOptions options)
      : object_(&object), pointer_(std::move(pointer)), options_(options) {}

  const Json* object_;
  std::string pointer_;
  ReadOptions options_;
};

core::Status TypeError(const std::string& pointer, std::string_view expected, const Json& got);

}  // namespace multihook::codec
