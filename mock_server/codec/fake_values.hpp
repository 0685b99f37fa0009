// The values the mock makes up for what a notification request leaves out: sender numbers,
// wamids, media ids and hashes, profile names, event ids, conversation ids. Everything random
// comes from the given IdSource, in the order the caller asks, so a seeded source gives the same
// values every run; nothing reads a clock.
//
// Free functions; as thread-safe as the IdSource passed in (which is not).
#pragma once

#include <string>
#include <string_view>

#include "mock_server/core/clock.hpp"
#include "mock_server/core/id_source.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::codec {

// "wamid." + 48 alphanumerics. The Cloud API's wamids are opaque base64; alphanumerics keep the
// generated ones URL-safe.
std::string GenerateWamid(core::IdSource& ids);

// A sender or recipient wa_id: 12 digits, the first one not '0'.
std::string GeneratePhoneNumber(core::IdSource& ids);

// A media object's id: 16 digits.
std::string GenerateMediaId(core::IdSource& ids);

// A media hash as the Cloud API writes it: 32 random bytes in standard base64 with padding.
std::string GenerateSha256(core::IdSource& ids);

// A plausible profile name from a fixed list.
std::string GenerateProfileName(core::IdSource& ids);

// Derived, not drawn: every status of one conversation (channel + recipient) shows the same id,
// as in the Cloud API, without needing an IdSource.
std::string ConversationId(const core::ChannelIdentity& channel, std::string_view recipient_id);

// Where the Cloud API serves a media object's bytes (fetched with the access token).
std::string MediaUrl(std::string_view media_id);

// A notification's `timestamp`: Unix seconds as a decimal string.
std::string UnixSeconds(core::WallTime at);

}  // namespace multihook::codec
