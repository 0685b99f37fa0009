// The provider's URL and header rules for webhook destinations (contract §4), as pure functions.
//
// Strict policy (default): https only, no explicit port, no '_' in the host, RFC 3986 syntax
// without user-info or fragment, at most 2048 characters, host a DNS name or an IP literal.
// Lenient policy: http, ports and underscores are accepted, each reported as a warning naming the
// rule the real API would apply. Documented policy: only what the provider's page states is an
// error ('_' in the host or a header name, explicit ports); http is a warning. Syntax errors are
// errors under every policy.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_server/core/status.hpp"
#include "mock_server/core/webhook_config.hpp"

namespace multihook::core {

enum class UrlPolicy { kStrict, kDocumented, kLenient };

inline constexpr std::size_t kMaxUrlLength = 2048;

struct UrlParts {
  std::string scheme;  // lower-cased
  std::string host;    // as written; IPv6 literals without brackets
  std::optional<int> port;
  std::string target;  // path + query, "/" when empty
  bool host_is_ip_literal = false;
  bool host_is_ipv6 = false;
};

// What a rule check found acceptable, plus what the real API would have rejected (lenient only).
struct Checked {
  std::vector<std::string> warnings;
};

struct CheckedUrl {
  UrlParts parts;
  std::vector<std::string> warnings;
};

// Syntax only (both policies): scheme, authority, path, query; no user-info, no fragment.
// Error locations are empty; callers prefix the JSON pointer of the field.
Result<UrlParts> ParseUrl(std::string_view url);

// Syntax plus the provider's rules under `policy`.
Result<CheckedUrl> CheckUrl(std::string_view url, UrlPolicy policy);

// Header names must be RFC 7230 tokens without '_' (lenient: '_' is a warning) and may not be a
// header the mock itself sets (Host, Content-Length, Transfer-Encoding, Connection,
// x-360dialog-signature; Content-Type may be set and replaces the default); values may not
// contain CR, LF or NUL. Names are unique ignoring case.
// Error locations are "/<name>" (JSON-pointer escaped). `lenient_bounds` turns the bounds that are
// our own reading (unique ignoring case, at most 32 headers, values of at most 4096 bytes) into
// warnings; names that are not tokens, reserved names and CR/LF/NUL stay errors.
Result<Checked> CheckHeaders(const Headers& headers, UrlPolicy policy, bool lenient_bounds = false);

// Destination names: 1 to 128 bytes, no control characters. Case-sensitive.
Status CheckDestinationName(std::string_view name);

// ASCII lower-casing (schemes, host names and header names compare case-insensitively).
std::string AsciiLower(std::string_view text);

// RFC 6901 escaping of one reference token ("~" -> "~0", "/" -> "~1").
std::string PointerToken(std::string_view token);

}  // namespace multihook::core
