// HMAC-SHA256 signatures of delivered notification bodies: the `x-360dialog-signature` header is
// the lowercase hex HMAC-SHA256 of the raw body keyed with the destination's secret (contract §6).
// Receivers and tests check a header with SignatureMatches, which compares in constant time.
//
// Free functions over their arguments only (OpenSSL's one-shot HMAC keeps no shared state), so
// they are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace multihook::codec {

// 64 lowercase hex digits. An empty secret or body is allowed (HMAC defines both).
std::string SignatureHex(std::string_view secret, std::string_view body);

// True when `hex` is the signature of `body` under `secret`. Only lowercase hex matches, as the
// header is defined lowercase; the digest comparison is constant-time (CRYPTO_memcmp).
bool SignatureMatches(std::string_view secret, std::string_view body, std::string_view hex);

}  // namespace multihook::codec
