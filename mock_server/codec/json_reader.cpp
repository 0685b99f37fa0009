#include "mock_server/codec/json_reader.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "mock_server/core/url_rules.hpp"

namespace multihook::codec {
namespace {

constexpr int kMaxDepth = 64;

// Thrown from the parser callback only; caught in ParseBody.
struct RejectedJson {
  std::string reason;
};

}  // namespace

std::string_view TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    case Json::value_t::binary:
      return "binary";
    case Json::value_t::discarded:
      return "discarded";
  }
  return "unknown";
}

core::Status TypeError(const std::string& pointer, std::string_view expected, const Json& got) {
  return core::InvalidArgument(
      pointer, "expected " + std::string(expected) + ", got " + std::string(TypeName(got)));
}

core::Result<Json> ParseBody(std::string_view body) {
  // One set of seen keys per open object (arrays push an empty one to keep the stack aligned).
  std::vector<std::set<std::string>> keys;
  const Json::parser_callback_t check = [&keys](int depth, Json::parse_event_t event,
                                                Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (depth >= kMaxDepth) throw RejectedJson{"JSON nesting is deeper than 64 levels"};
        keys.emplace_back();
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second) {
          throw RejectedJson{"duplicate key '" + parsed.get<std::string>() + "' in an object"};
        }
        break;
      case Json::parse_event_t::value:
        break;
    }
    return true;
  };
  try {
    return Json::parse(body.begin(), body.end(), check);
  } catch (const RejectedJson& rejected) {
    return core::InvalidArgument("", "request body rejected: " + rejected.reason);
  } catch (const Json::parse_error& error) {
    return core::InvalidArgument("", "request body is not valid JSON (syntax error at byte " +
                                         std::to_string(error.byte) + ")");
  } catch (const Json::exception& error) {
    return core::InvalidArgument("",
                                 std::string("request body is not valid JSON: ") + error.what());
  }
}

core::Result<ObjectReader> ObjectReader::Open(const Json& value, std::string pointer,
                                              std::initializer_list<std::string_view> allowed,
                                              ReadOptions options) {
  return Open(value, std::move(pointer), std::span(allowed.begin(), allowed.size()), options);
}

core::Result<ObjectReader> ObjectReader::Open(const Json& value, std::string pointer,
                                              std::span<const std::string_view> allowed,
                                              ReadOptions options) {
  if (!value.is_object()) return TypeError(pointer, "an object", value);
  for (const auto& item : value.items()) {
    if (options.ignore_unknown_fields) break;
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      return core::InvalidArgument(pointer + "/" + core::PointerToken(item.key()), "unknown field");
    }
  }
  return ObjectReader(value, std::move(pointer), options);
}

bool ObjectReader::Has(std::string_view key) const { return Find(key) != nullptr; }

std::string ObjectReader::PointerTo(std::string_view key) const {
  return pointer_ + "/" + core::PointerToken(key);
}

const Json* ObjectReader::Find(std::string_view key) const {
  const auto it = object_->find(key);
  if (it == object_->end() || (options_.null_as_absent && it->is_null())) return nullptr;
  return &*it;
}

core::Result<std::optional<std::string>> ObjectReader::OptionalString(std::string_view key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return TypeError(PointerTo(key), "a string", *value);
  return std::optional<std::string>(value->get<std::string>());
}

core::Result<std::string> ObjectReader::RequiredString(std::string_view key) const {
  auto value = OptionalString(key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return core::InvalidArgument(PointerTo(key), "is required");
  return std::move(**value);
}

core::Result<std::optional<bool>> ObjectReader::OptionalBool(std::string_view key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::optional<bool>();
  if (!value->is_boolean()) return TypeError(PointerTo(key), "a boolean", *value);
  return std::optional<bool>(value->get<bool>());
}

core::Result<bool> ObjectReader::RequiredBool(std::string_view key) const {
  auto value = OptionalBool(key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return core::InvalidArgument(PointerTo(key), "is required");
  return **value;
}

core::Result<std::optional<core::Headers>> ObjectReader::OptionalHeaders(
    std::string_view key) const {
  const Json* value = Find(key);
  if (value == nullptr) return std::optional<core::Headers>();
  if (!value->is_object()) return TypeError(PointerTo(key), "an object", *value);
  core::Headers headers;
  for (const auto& item : value->items()) {
    if (!item.value().is_string()) {
      return TypeError(PointerTo(key) + "/" + core::PointerToken(item.key()), "a string",
                       item.value());
    }
    headers.emplace(item.key(), item.value().get<std::string>());
  }
  return std::optional<core::Headers>(std::move(headers));
}

}  // namespace multihook::codec
