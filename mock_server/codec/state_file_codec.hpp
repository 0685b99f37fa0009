// The one codec of the --state-file format: a channel store's whole state (core::StoreState) as
// one JSON object with a format name and a version, so that a file of another program or of a
// later version is refused by name instead of half read.
//
//   {"format": "multihook-mock state", "version": 1, "saved_at_us": N,
//    "channels": [{"api_key", "phone_number_id", "display_phone_number", "waba_id",
//                  "origin": "startup"|"runtime",
//                  "main_webhook": {"url": string|null, "headers": {...}},
//                  "multi_webhook": {"enabled", "destinations": [{"name", "url", "headers"}]},
//                  "pending": [{"due_at_us": N, "multi_webhook": {...}}]}]}
//
// Times are Unix microseconds on the mock's clock. Decoding is strict (unknown keys, wrong types,
// missing fields: invalid_argument at the JSON pointer) and checks the shape only: the store
// checks what the values mean when it restores them.
//
// Free functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "mock_server/core/status.hpp"
#include "mock_server/core/store_state.hpp"

namespace multihook::codec {

inline constexpr std::string_view kStateFileFormat = "multihook-mock state";
inline constexpr int kStateFileVersion = 1;

// Compact JSON and a final newline.
std::string EncodeStateFile(const core::StoreState& state);
core::Result<core::StoreState> DecodeStateFile(std::string_view text);

}  // namespace multihook::codec
