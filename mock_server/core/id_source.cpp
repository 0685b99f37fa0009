#include "mock_server/core/id_source.hpp"

namespace multihook::core {

std::uint64_t IdSource::Next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string IdSource::Hex(std::size_t length) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length);
  while (out.size() < length) out += kHex[Next() % 16];
  return out;
}

std::string IdSource::Digits(std::size_t length) {
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    const auto digit = static_cast<char>('0' + Next() % 10);
    if (out.empty() && digit == '0') continue;
    out += digit;
  }
  return out;
}

}  // namespace multihook::core
