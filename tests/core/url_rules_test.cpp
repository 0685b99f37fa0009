#include "mock_server/core/url_rules.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/url_cases.hpp"

namespace multihook::core {
namespace {

std::string Verdict(const Result<CheckedUrl>& result) {
  return result.ok() ? "" : result.status().reason();
}

TEST_CASE("URL rules: the provider's examples and the edges of RFC 3986", "[core][url]") {
  const auto row = GENERATE(from_range(testing::UrlCases()));
  INFO("URL: " << row.url);
  CHECK(Verdict(CheckUrl(row.url, UrlPolicy::kStrict)) == row.strict);
  CHECK(Verdict(CheckUrl(row.url, UrlPolicy::kLenient)) == row.lenient);
}

TEST_CASE("URL rules: lenient policy warns for each provider rule it waives", "[core][url]") {
  auto checked = CheckUrl("http://my_host.local:8081/hook", UrlPolicy::kLenient);
  REQUIRE(checked.ok());
  CHECK(
      checked->warnings ==
      std::vector<std::string>{"the real API would reject this: host contains '_'",
                               "the real API would reject this: URL has an explicit port (:8081)",
                               "the real API would reject this: scheme must be https, got 'http'"});
  auto clean = CheckUrl("https://hook.example.com/", UrlPolicy::kLenient);
  REQUIRE(clean.ok());
  CHECK(clean->warnings.empty());
}

TEST_CASE("URL parsing splits host, port and target", "[core][url]") {
  auto parts = ParseUrl("https://[2001:db8::1]:8443?q=1");
  REQUIRE(parts.ok());
  CHECK(parts->host == "2001:db8::1");
  CHECK(parts->host_is_ipv6);
  CHECK(parts->port == 8443);
  CHECK(parts->target == "/?q=1");

  auto plain = ParseUrl("HTTPS://Hook.Example.com/a/b?c");
  REQUIRE(plain.ok());
  CHECK(plain->scheme == "https");
  CHECK(plain->host == "Hook.Example.com");  // stored as written
  CHECK_FALSE(plain->port.has_value());
  CHECK(plain->target == "/a/b?c");
}

struct HeaderCase {
  Headers headers;
  std::string strict;  // "" = accepted, otherwise "location: reason"
};

std::string HeaderVerdict(const Result<Checked>& result) {
  return result.ok() ? "" : result.status().location() + ": " + result.status().reason();
}

Headers Many(std::size_t n) {
  Headers h;
  for (std::size_t i = 0; i < n; ++i) h.emplace("X-H" + std::to_string(i), "v");
  return h;
}

TEST_CASE("Header rules: RFC 7230 names without '_', safe values", "[core][headers]") {
  const auto row = GENERATE(values<HeaderCase>({
      {{{"X-Api-Key", "secret"}, {"Authorization", "Bearer abc"}}, ""},
      {{}, ""},
      {{{"X_Api_Key", "v"}}, "/X_Api_Key: header name contains '_'"},
      {{{"Bad Name", "v"}}, "/Bad Name: header name contains ' ' (names must be RFC 7230 tokens)"},
      {{{"X/Y", "v"}}, "/X~1Y: header name contains '/' (names must be RFC 7230 tokens)"},
      {{{"", "v"}}, "/: header name is empty"},
      {{{"X-A", "line\r\nInjected: yes"}}, "/X-A: header value contains CR, LF or NUL"},
      {{{"X-A", "lf\nonly"}}, "/X-A: header value contains CR, LF or NUL"},
      {{{"X-A", std::string("nul\0byte", 8)}}, "/X-A: header value contains CR, LF or NUL"},
      {{{"X-A", "bell\x07"}}, "/X-A: header value contains a control character"},
      {{{"X-A", "tab\tis fine"}}, ""},
      // The provider's own samples (its page enables the feature with these headers).
      {{{"Content-Type", "application/json"}}, ""},
      {{{"Authorization", "Bearer <token>"}}, ""},
      {{{"Authorization", "D360-API-KEY <key>"}}, ""},
      {{{"content-type", "application/vnd.partner+json"}}, ""},
      {{{"Host", "evil.example.com"}}, "/Host: header 'Host' is set by the provider itself"},
      {{{"Transfer-Encoding", "chunked"}},
       "/Transfer-Encoding: header 'Transfer-Encoding' is set by the provider itself"},
      {{{"connection", "close"}}, "/connection: header 'connection' is set by the provider itself"},
      {{{"Content-Length", "5"}},
       "/Content-Length: header 'Content-Length' is set by the "
       "provider itself"},
      {{{"X-360Dialog-Signature", "forged"}},
       "/X-360Dialog-Signature: header 'X-360Dialog-Signature' is set by the provider itself"},
      {{{"X-A", "1"}, {"x-a", "2"}}, "/x-a: duplicate header name (names are case-insensitive)"},
      {{{"X-A", std::string(4097, 'v')}}, "/X-A: header value is longer than 4096 bytes"},
      {Many(32), ""},
      {Many(33), ": more than 32 custom headers"},
  }));
  CHECK(HeaderVerdict(CheckHeaders(row.headers, UrlPolicy::kStrict)) == row.strict);
}

TEST_CASE("Header rules: lenient policy allows '_' in names with a warning", "[core][headers]") {
  auto checked = CheckHeaders({{"X_Token", "v"}}, UrlPolicy::kLenient);
  REQUIRE(checked.ok());
  CHECK(checked->warnings ==
        std::vector<std::string>{
            "the real API would reject this: header name 'X_Token' contains '_'"});
  // Values are a security rule, not a provider rule: never waived.
  CHECK_FALSE(CheckHeaders({{"X-A", "a\r\nb"}}, UrlPolicy::kLenient).ok());
}

TEST_CASE("Destination names: 1 to 128 bytes, no control characters", "[core][names]") {
  CHECK(CheckDestinationName("webhook").ok());
  CHECK(CheckDestinationName("WEBhook").ok());
  CHECK(CheckDestinationName("with space/and slash").ok());
  CHECK(CheckDestinationName(std::string(128, 'n')).ok());
  CHECK(CheckDestinationName("").reason() == "name is empty");
  CHECK(CheckDestinationName(std::string(129, 'n')).reason() == "name is longer than 128 bytes");
  CHECK(CheckDestinationName("tab\there").reason() == "name contains a control character");
}

TEST_CASE("JSON pointer tokens are escaped", "[core]") {
  CHECK(PointerToken("a/b~c") == "a~1b~0c");
  CHECK(PointerToken("plain") == "plain");
}

}  // namespace
}  // namespace multihook::core
