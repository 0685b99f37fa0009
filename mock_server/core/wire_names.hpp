// Names the provider's wire fixes and that more than one side spells: the authentication and
// signature headers, and the format of an event id. One owner, so the mock, the harness and the
// tests cannot drift apart.
//
// Constants and a free function; thread-safe (the IdSource passed in is the caller's to guard).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mock_server/core/id_source.hpp"

namespace multihook::core {

// The API key of a channel on every provider request (contract §1).
inline constexpr std::string_view kApiKeyHeader = "D360-API-KEY";
// The HMAC signature of the raw notification body (contract §6).
inline constexpr std::string_view kSignatureHeader = "x-360dialog-signature";

// An event id is "evt_" followed by 16 lowercase hex digits; the journal's key.
inline constexpr std::string_view kEventIdPrefix = "evt_";
inline constexpr std::size_t kEventIdHexDigits = 16;

inline std::string NewEventId(IdSource& ids) {
  return std::string(kEventIdPrefix) + ids.Hex(kEventIdHexDigits);
}

}  // namespace multihook::core
