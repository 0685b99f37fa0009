// The provider's URL, header and name rules (core/url_rules.hpp) on arbitrary bytes.
// Input: URL \0 destination name \0 header name \0 header value [\0 name \0 value ...].
// Properties: no crash; syntax errors are errors under every policy; whatever the strict policy
// accepts the documented one accepts, and whatever that accepts the lenient one accepts (each
// relaxation only turns errors into warnings); a parsed URL is accepted again when re-parsed from
// its canonical pieces; errors carry a reason.
#include <string>

#include "fuzz/fuzz_support.hpp"
#include "mock_server/core/url_rules.hpp"

namespace {

using multihook::core::UrlPolicy;
namespace core = multihook::core;

void CheckUrlRules(std::string_view url) {
  const auto parsed = core::ParseUrl(url);
  const auto strict = core::CheckUrl(url, UrlPolicy::kStrict);
  const auto documented = core::CheckUrl(url, UrlPolicy::kDocumented);
  const auto lenient = core::CheckUrl(url, UrlPolicy::kLenient);
  if (!parsed.ok()) {
    MULTIHOOK_FUZZ_CHECK(!lenient.ok(), "a syntax error is accepted by the lenient policy");
    MULTIHOOK_FUZZ_CHECK(!parsed.status().reason().empty(), "a URL error without a reason");
    return;
  }
  if (strict.ok()) {
    MULTIHOOK_FUZZ_CHECK(documented.ok(), "strict accepts what documented rejects: " +
                                              documented.status().ToString());
    MULTIHOOK_FUZZ_CHECK(strict->warnings.empty(), "the strict policy gave a warning");
  }
  if (documented.ok()) {
    MULTIHOOK_FUZZ_CHECK(lenient.ok(),
                         "documented accepts what lenient rejects: " + lenient.status().ToString());
  }
  if (lenient.ok()) {
    // The same pieces, written canonically, parse to the same pieces.
    const core::UrlParts& p = lenient->parts;
    const std::string host = p.host_is_ipv6 ? "[" + p.host + "]" : p.host;
    const std::string again = p.scheme + "://" + host +
                              (p.port ? ":" + std::to_string(*p.port) : std::string()) + p.target;
    const auto reparsed = core::ParseUrl(again);
    MULTIHOOK_FUZZ_CHECK(reparsed.ok(), "canonical form does not parse: " + again);
    MULTIHOOK_FUZZ_CHECK(reparsed->host == p.host && reparsed->port == p.port &&
                             reparsed->scheme == p.scheme && reparsed->target == p.target,
                         "canonical form parses differently: " + again);
  }
}

void CheckHeaderRules(const core::Headers& headers) {
  const auto strict = core::CheckHeaders(headers, UrlPolicy::kStrict);
  const auto lenient = core::CheckHeaders(headers, UrlPolicy::kLenient);
  const auto lenient_bounds = core::CheckHeaders(headers, UrlPolicy::kLenient, true);
  if (strict.ok()) {
    MULTIHOOK_FUZZ_CHECK(lenient.ok(), "strict accepts headers that lenient rejects");
  }
  if (lenient.ok()) {
    MULTIHOOK_FUZZ_CHECK(lenient_bounds.ok(), "lenient bounds reject what strict bounds accept");
  }
  if (!strict.ok()) {
    MULTIHOOK_FUZZ_CHECK(!strict.status().reason().empty(), "a header error without a reason");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = multihook::fuzz::SplitFields(multihook::fuzz::AsText(data, size), 16);
  CheckUrlRules(fields[0]);
  if (fields.size() > 1) {
    const core::Status name = core::CheckDestinationName(fields[1]);
    MULTIHOOK_FUZZ_CHECK(name.ok() || !name.reason().empty(), "a name error without a reason");
  }
  core::Headers headers;
  for (std::size_t i = 2; i + 1 < fields.size(); i += 2) {
    headers.emplace(std::string(fields[i]), std::string(fields[i + 1]));
  }
  CheckHeaderRules(headers);
  return 0;
}
