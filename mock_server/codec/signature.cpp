#include "mock_server/codec/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <climits>
#include <cstdlib>

namespace multihook::codec {
namespace {

constexpr std::size_t kDigestSize = 32;  // SHA-256
constexpr char kHexDigits[] = "0123456789abcdef";

using Digest = std::array<unsigned char, kDigestSize>;

Digest ComputeHmac(std::string_view secret, std::string_view body) {
  Digest digest{};
  unsigned int length = 0;
  // HMAC() takes the key length as int; secrets are configuration strings, far below INT_MAX.
  // OpenSSL accepts a null key pointer only with length 0, so pass a valid pointer for "".
  static constexpr unsigned char kEmpty = 0;
  const auto* key =
      secret.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(secret.data());
  const auto* data = body.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(body.data());
  const unsigned char* out = nullptr;
  if (secret.size() <= static_cast<std::size_t>(INT_MAX)) {
    out = HMAC(EVP_sha256(), key, static_cast<int>(secret.size()), data, body.size(), digest.data(),
               &length);
  }
  // HMAC-SHA256 fails only if OpenSSL cannot allocate or the digest is unavailable: both are
  // broken environments, not inputs, so fail loudly rather than sign with garbage.
  if (out == nullptr || length != kDigestSize) std::abort();
  return digest;
}

}  // namespace

std::string SignatureHex(std::string_view secret, std::string_view body) {
  const Digest digest = ComputeHmac(secret, body);
  std::string hex;
  hex.reserve(2 * kDigestSize);
  for (const unsigned char byte : digest) {
    hex += kHexDigits[byte >> 4];
    hex += kHexDigits[byte & 0x0f];
  }
  return hex;
}

bool SignatureMatches(std::string_view secret, std::string_view body, std::string_view hex) {
  // The length is public (always 64), so checking it first leaks nothing.
  if (hex.size() != 2 * kDigestSize) return false;
  const std::string expected = SignatureHex(secret, body);
  return CRYPTO_memcmp(expected.data(), hex.data(), expected.size()) == 0;
}

}  // namespace multihook::codec
