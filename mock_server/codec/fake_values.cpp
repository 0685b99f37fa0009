#include "mock_server/codec/fake_values.hpp"

#include <array>
#include <chrono>
#include <cstdint>

#include "mock_server/codec/signature.hpp"

namespace multihook::codec {
namespace {

constexpr std::size_t kWamidChars = 48;
constexpr std::size_t kGeneratedPhoneDigits = 12;
constexpr std::size_t kGeneratedMediaIdDigits = 16;
constexpr std::size_t kSha256Bytes = 32;
constexpr std::size_t kConversationIdChars = 32;

std::string Alphanumerics(core::IdSource& ids, std::size_t length) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  out.reserve(length);
  while (out.size() < length) out += kAlphabet[ids.Next() % (sizeof(kAlphabet) - 1)];
  return out;
}

// Standard base64 with padding, as the Cloud API writes media hashes.
std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) group |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += i + 1 < bytes.size() ? kAlphabet[(group >> 6) & 0x3f] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[group & 0x3f] : '=';
  }
  return out;
}

}  // namespace

std::string GenerateWamid(core::IdSource& ids) {
  return "wamid." + Alphanumerics(ids, kWamidChars);
}

std::string GeneratePhoneNumber(core::IdSource& ids) { return ids.Digits(kGeneratedPhoneDigits); }

std::string GenerateMediaId(core::IdSource& ids) { return ids.Digits(kGeneratedMediaIdDigits); }

std::string GenerateSha256(core::IdSource& ids) {
  std::string bytes;
  while (bytes.size() < kSha256Bytes) {
    const std::uint64_t word = ids.Next();
    for (int shift = 0; shift < 64; shift += 8) {
      bytes += static_cast<char>((word >> shift) & 0xff);
    }
  }
  return Base64(bytes);
}

std::string GenerateProfileName(core::IdSource& ids) {
  static constexpr std::array<const char*, 12> kNames = {
      "Maria Silva",  "John Smith", "Aisha Khan",  "Wei Zhang",   "Carlos Gomez", "Priya Patel",
      "Ahmed Hassan", "Emma Weber", "Kofi Mensah", "Yuki Tanaka", "Olga Ivanova", "Lucas Martin"};
  return kNames[ids.Next() % kNames.size()];
}

std::string ConversationId(const core::ChannelIdentity& channel, std::string_view recipient_id) {
  return SignatureHex(channel.phone_number_id, recipient_id).substr(0, kConversationIdChars);
}

std::string MediaUrl(std::string_view media_id) {
  return "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=" + std::string(media_id);
}

std::string UnixSeconds(core::WallTime at) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

}  // namespace multihook::codec
