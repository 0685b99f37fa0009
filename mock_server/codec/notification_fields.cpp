#include "mock_server/codec/notification_fields.hpp"

#include <cstdint>
#include <utility>

namespace multihook::codec {
namespace {

constexpr std::size_t kMaxWaIdDigits = 15;  // E.164
constexpr std::size_t kMaxTimestampDigits = 19;

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A JSON number copied with its kind (integer stays integer).
OrderedJson CopyNumber(const Json& number) {
  if (number.is_number_unsigned()) return OrderedJson(number.get<std::uint64_t>());
  if (number.is_number_integer()) return OrderedJson(number.get<std::int64_t>());
  return OrderedJson(number.get<double>());
}

core::Result<OrderedJson> RequiredCoordinate(const ObjectReader& reader, std::string_view key,
                                             int limit) {
  const Json* value = reader.Find(key);
  if (value == nullptr) return core::InvalidArgument(reader.PointerTo(key), "is required");
  if (!value->is_number()) return TypeError(reader.PointerTo(key), "a number", *value);
  const double degrees = value->get<double>();
  if (degrees < -limit || degrees > limit) {
    return core::InvalidArgument(
        reader.PointerTo(key),
        "must be between -" + std::to_string(limit) + " and " + std::to_string(limit));
  }
  return CopyNumber(*value);
}

}  // namespace

std::string Dump(const OrderedJson& json) {
  // Inputs were validated as UTF-8 by the parser; ToText is total for the rest.
  return ToText(json);
}

core::Result<std::string> NonEmptyString(const ObjectReader& reader, std::string_view key) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::string value, reader.RequiredString(key));
  if (value.empty()) return core::InvalidArgument(reader.PointerTo(key), "must not be empty");
  return value;
}

core::Status WaIdError(const std::string& pointer) {
  return core::InvalidArgument(pointer,
                               "expected 1 to 15 digits (a phone number in E.164 without '+')");
}

core::Result<std::optional<std::string>> OptionalWaId(const ObjectReader& reader,
                                                      std::string_view key) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> value, reader.OptionalString(key));
  if (value && (!IsDigits(*value) || value->size() > kMaxWaIdDigits)) {
    return WaIdError(reader.PointerTo(key));
  }
  return value;
}

core::Result<std::string> RequiredWaId(const ObjectReader& reader, std::string_view key) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalWaId(reader, key));
  if (!value) return core::InvalidArgument(reader.PointerTo(key), "is required");
  return std::move(*value);
}

core::Result<std::optional<std::string>> OptionalTimestamp(const ObjectReader& reader,
                                                           std::string_view key) {
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> value, reader.OptionalString(key));
  if (value && (!IsDigits(*value) || value->size() > kMaxTimestampDigits)) {
    return core::InvalidArgument(reader.PointerTo(key),
                                 "expected a string of Unix seconds (digits only)");
  }
  return value;
}

core::Result<OrderedJson> ReadLocation(const Json& value, const std::string& pointer) {
  MULTIHOOK_ASSIGN_OR_RETURN(
      const ObjectReader reader,
      ObjectReader::Open(value, pointer, {"latitude", "longitude", "name", "address"}));
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson latitude, RequiredCoordinate(reader, "latitude", 90));
  MULTIHOOK_ASSIGN_OR_RETURN(OrderedJson longitude, RequiredCoordinate(reader, "longitude", 180));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> name, reader.OptionalString("name"));
  MULTIHOOK_ASSIGN_OR_RETURN(std::optional<std::string> address, reader.OptionalString("address"));
  OrderedJson out = {{"latitude", std::move(latitude)}, {"longitude", std::move(longitude)}};
  if (name) out["name"] = std::move(*name);
  if (address) out["address"] = std::move(*address);
  return out;
}

core::Status RejectFields(const ObjectReader& reader,
                          std::initializer_list<std::string_view> fields, std::string_view why) {
  for (const std::string_view field : fields) {
    if (reader.Has(field)) return core::InvalidArgument(reader.PointerTo(field), std::string(why));
  }
  return core::Status::Ok();
}

core::Status CheckNonEmptyArrayOfObjects(const Json& value, const std::string& pointer) {
  if (!value.is_array()) return TypeError(pointer, "an array", value);
  if (value.empty()) return core::InvalidArgument(pointer, "must not be empty");
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_object()) {
      return TypeError(pointer + "/" + std::to_string(i), "an object", value[i]);
    }
  }
  return core::Status::Ok();
}

core::Result<OrderedJson> OrderedAt(std::string_view body, const std::string& pointer) {
  try {
    OrderedJson whole = OrderedJson::parse(body.begin(), body.end());
    return std::move(whole.at(OrderedJson::json_pointer(pointer)));
  } catch (const OrderedJson::exception& error) {
    return core::Status(core::StatusCode::kInternal, pointer,
                        std::string("re-reading an accepted body failed: ") + error.what());
  }
}

}  // namespace multihook::codec
