#include "mock_server/codec/signature.hpp"

#include <catch2/catch.hpp>
#include <cctype>
#include <cstddef>
#include <string>

namespace multihook::codec {
namespace {

std::string Repeat(char byte, std::size_t count) { return std::string(count, byte); }

std::string Bytes(int first, int last) {
  std::string out;
  for (int b = first; b <= last; ++b) out += static_cast<char>(b);
  return out;
}

TEST_CASE("SignatureHex matches the RFC 4231 HMAC-SHA256 test vectors",
          "[notification][signature]") {
  // Case 5 (output truncated to 128 bits) does not apply to a full-length signature.
  const auto [rfc_case, key, data, expected] =
      GENERATE(table<int, std::string, std::string, std::string>({
          {1, Repeat('\x0b', 20), "Hi There",
           "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
          {2, "Jefe", "what do ya want for nothing?",
           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
          {3, Repeat('\xaa', 20), Repeat('\xdd', 50),
           "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
          {4, Bytes(0x01, 0x19), Repeat('\xcd', 50),
           "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
          {6, Repeat('\xaa', 131), "Test Using Larger Than Block-Size Key - Hash Key First",
           "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
          {7, Repeat('\xaa', 131),
           "This is a test using a larger than block-size key and a larger than block-size data. "
           "The key needs to be hashed before being used by the HMAC algorithm.",
           "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
      }));
  INFO("RFC 4231 test case " << rfc_case);
  CHECK(SignatureHex(key, data) == expected);
  CHECK(SignatureMatches(key, data, expected));
}

TEST_CASE("Empty bodies and empty secrets are signed like any other input",
          "[notification][signature]") {
  // Reference values from Python's hmac module.
  CHECK(SignatureHex("secret", "") ==
        "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169");
  CHECK(SignatureHex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  CHECK(SignatureMatches("secret", "",
                         "f9e66e179b6747ae54108f82f8ade8b3c25d76fd30afde6c395822c530196169"));
}

TEST_CASE("A 3 MB body (the contract's largest payload) is signed in one piece",
          "[notification][signature]") {
  std::string body(std::size_t{3} * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>((i * 31 + 7) % 256);
  // hmac.new(b"multihook-secret", bytes((i*31+7)%256 for i in range(3*1024*1024)), sha256)
  const std::string expected = "fa538f652b955907b267f087f595bb5395b395abf1b88fd3e033c0a7824f6f1d";
  CHECK(SignatureHex("multihook-secret", body) == expected);
  CHECK(SignatureMatches("multihook-secret", body, expected));
  body.back() = static_cast<char>(body.back() ^ 1);
  CHECK_FALSE(SignatureMatches("multihook-secret", body, expected));
}

TEST_CASE("Signatures are 64 lowercase hex digits", "[notification][signature]") {
  const std::string hex = SignatureHex("k", R"({"object":"whatsapp_business_account"})");
  REQUIRE(hex.size() == 64);
  CHECK(hex.find_first_not_of("0123456789abcdef") == std::string::npos);
}

TEST_CASE("SignatureMatches rejects anything but the exact signature",
          "[notification][signature]") {
  const std::string secret = "Jefe";
  const std::string body = "what do ya want for nothing?";
  const std::string good = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
  REQUIRE(SignatureMatches(secret, body, good));

  std::string flipped_last = good;
  flipped_last.back() = '2';
  std::string flipped_first = good;
  flipped_first.front() = '4';
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));

  const auto [what, hex] = GENERATE_COPY(table<std::string, std::string>({
      {"last digit changed", flipped_last},
      {"first digit changed", flipped_first},
      {"uppercase hex", upper},
      {"truncated", good.substr(0, 63)},
      {"one digit too many", good + "0"},
      {"empty", ""},
      {"the 'sha256=' prefix of X-Hub-Signature-256", "sha256=" + good},
  }));
  INFO(what);
  CHECK_FALSE(SignatureMatches(secret, body, hex));
  CHECK_FALSE(SignatureMatches("jefe", body, good));        // wrong secret
  CHECK_FALSE(SignatureMatches(secret, body + " ", good));  // body changed
}

}  // namespace
}  // namespace multihook::codec
