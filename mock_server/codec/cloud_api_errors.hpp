// The Cloud API's error objects as notifications carry them ({code, title, message, error_data:
// {details}}) and the catalogue of well-known codes whose texts fill what a request leaves out.
// Internal to the codec; no function throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "mock_server/codec/json_reader.hpp"
#include "mock_server/codec/notification_fields.hpp"
#include "mock_server/core/status.hpp"

namespace multihook::codec {

inline constexpr std::int64_t kMessageUndeliverable = 131026;
inline constexpr std::int64_t kMessageTypeUnknown = 131051;

// The error object of `code`, with the catalogue's title and details ("Unknown error" and
// "Error code N." for a code outside it); the message repeats the title.
OrderedJson DefaultError(std::int64_t code);

// An error given in a request: {code (required non-negative integer), title?, message?,
// error_data? {details?}}; missing texts come from the catalogue.
core::Result<OrderedJson> ReadError(const Json& value, const std::string& pointer);

// A non-empty array of such errors.
core::Result<OrderedJson> ReadErrorList(const Json& value, const std::string& pointer);

}  // namespace multihook::codec
