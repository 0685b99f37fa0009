// Reading rules shared by the notification request formats (`POST /mock/inbound`, `POST
// /messages`) on top of json_reader.hpp: wa_ids, Unix-second timestamps, coordinates, fields
// that belong to one variant only, and the "one of these types" choice whose allowed keys and
// error messages are derived from a table of types. Internal to the codec; no function throws
// except the ordered re-read, which catches its own.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::codec {

// What the mock sends keeps the Cloud API's field order.
using OrderedJson = nlohmann::ordered_json;

// Compact JSON of a value built from accepted input (ToText: total).
std::string Dump(const OrderedJson& json);

core::Result<std::string> NonEmptyString(const ObjectReader& reader, std::string_view key);

// wa_ids: 1 to 15 digits (E.164 without '+').
core::Status WaIdError(const std::string& pointer);
core::Result<std::optional<std::string>> OptionalWaId(const ObjectReader& reader,
                                                      std::string_view key);
core::Result<std::string> RequiredWaId(const ObjectReader& reader, std::string_view key);

// A string of Unix seconds (digits only).
core::Result<std::optional<std::string>> OptionalTimestamp(const ObjectReader& reader,
                                                           std::string_view key);

// {latitude, longitude, name?, address?}, numbers copied with their kind.
core::Result<OrderedJson> ReadLocation(const Json& value, const std::string& pointer);

// Rejects any of `fields` present in the object. ObjectReader::Open checks against the union of
// all variants' fields (media kinds, reply kinds); this narrows it to the variant at hand.
core::Status RejectFields(const ObjectReader& reader,
                          std::initializer_list<std::string_view> fields, std::string_view why);

core::Status CheckNonEmptyArrayOfObjects(const Json& value, const std::string& pointer);

// The value at `pointer` of `body` parsed with key order kept, for parts passed through as given.
// ParseBody has already accepted `body`, so failures here are internal.
core::Result<OrderedJson> OrderedAt(std::string_view body, const std::string& pointer);

// ---------------------------------------------------------------------------------------------
// Choosing one type of a table whose rows have a `name`: the type's object is the member named
// by the type, and no other type's member may be present.

inline std::string_view NameOf(std::string_view name) { return name; }
template <typename Row>
std::string_view NameOf(const Row& row) {
  return row.name;
}

// "a, b, c" from a range of names, or of rows with a `name`.
template <typename Range>
std::string JoinNames(const Range& rows) {
  std::string out;
  for (const auto& row : rows) out += (out.empty() ? "" : ", ") + std::string(NameOf(row));
  return out;
}

// The fixed fields followed by every row's name: the allowed keys of an object that carries one
// member per type.
template <std::size_t F, typename Row, std::size_t N>
constexpr std::array<std::string_view, F + N> FieldsAndNames(
    const std::array<std::string_view, F>& fixed, const std::array<Row, N>& rows) {
  std::array<std::string_view, F + N> keys{};
  for (std::size_t i = 0; i < F; ++i) keys[i] = fixed[i];
  for (std::size_t i = 0; i < N; ++i) keys[F + i] = rows[i].name;
  return keys;
}

// The row named by the string at `key`, or "expected one of <names>".
template <typename Row, std::size_t N>
core::Result<const Row*> ChooseRow(const ObjectReader& reader, std::string_view key,
                                   const std::array<Row, N>& rows) {
  MULTIHOOK_ASSIGN_OR_RETURN(const std::string name, reader.RequiredString(key));
  for (const Row& row : rows) {
    if (row.name == name) return &row;
  }
  return core::InvalidArgument(reader.PointerTo(key), "expected one of " + JoinNames(rows));
}

// Fails on a member named after another row than `chosen`.
template <typename Row, std::size_t N>
core::Status RejectOtherRows(const ObjectReader& reader, const Row& chosen,
                             const std::array<Row, N>& rows) {
  for (const Row& other : rows) {
    if (other.name != chosen.name && reader.Has(other.name)) {
      return core::InvalidArgument(reader.PointerTo(other.name),
                                   "does not match type '" + std::string(chosen.name) + "'");
    }
  }
  return core::Status::Ok();
}

}  // namespace multihook::codec
