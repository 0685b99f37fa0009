// IdSource: deterministic identifiers from a seed (SplitMix64), so that a test or scenario that
// fixes the seed sees the same API keys, phone number ids and message ids every run. The
// composition root seeds it from the OS unless the user gives --seed.
//
// Not thread-safe: owners guard it.
#pragma once

#include <cstdint>
#include <string>

namespace multihook::core {

class IdSource {
 public:
  explicit IdSource(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next();
  std::string Hex(std::size_t length);     // lowercase hex digits
  std::string Digits(std::size_t length);  // decimal digits, the first one not '0'

 private:
  std::uint64_t state_;
};

}  // namespace multihook::core
