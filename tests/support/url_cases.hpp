// The URL rule table shared by the pure-core tests and the over-HTTP tests: each row is a URL,
// its verdict under the strict policy ("" = accepted, otherwise the expected reason) and under
// the lenient one.
#pragma once

#include <string>
#include <vector>

namespace multihook::testing {

struct UrlCase {
  std::string url;
  std::string strict;
  std::string lenient;
};

inline std::string UrlOfLength(std::size_t total) {
  const std::string prefix = "https://example.com/";
  return prefix + std::string(total - prefix.size(), 'a');
}

inline std::vector<UrlCase> UrlCases() {
  return {
      // The provider's own examples (contract §4).
      {"https://yourwebhook.example.com", "", ""},
      {"https://subdomain.yourwebhook.example.com", "", ""},
      {"https://your_webhook.example.com", "host contains '_'", ""},
      {"https://subdomain.your_webhook.example.com:3000", "host contains '_'", ""},
      // Ports, even the default one.
      {"https://yourwebhook.example.com:3000/hook", "URL has an explicit port (:3000)", ""},
      {"https://yourwebhook.example.com:443/hook", "URL has an explicit port (:443)", ""},
      {"https://example.com:/hook", "URL has an empty port after ':'",
       "URL has an empty port after ':'"},
      {"https://example.com:99999/", "URL has an invalid port", "URL has an invalid port"},
      // Schemes.
      {"http://yourwebhook.example.com/hook", "scheme must be https, got 'http'", ""},
      {"HTTPS://yourwebhook.example.com/hook", "", ""},
      {"ftp://example.com/hook", "scheme must be https, got 'ftp'",
       "scheme must be https, got 'ftp'"},
      {"example.com/hook", "URL has no scheme (expected https://host/...)",
       "URL has no scheme (expected https://host/...)"},
      {"https:example.com", "URL has no authority (expected https://host/...)",
       "URL has no authority (expected https://host/...)"},
      {"https://", "URL has no host", "URL has no host"},
      {"https:///hook", "URL has no host", "URL has no host"},
      // IPv6 and IPv4 literals.
      {"https://[2001:db8::1]/hook", "", ""},
      {"https://[::1]/hook", "", ""},
      {"https://[2001:db8::1]:8443/hook", "URL has an explicit port (:8443)", ""},
      {"https://[::1/hook", "URL has an unterminated IPv6 literal",
       "URL has an unterminated IPv6 literal"},
      {"https://[fe80::1%25eth0]/hook", "IPv6 zone identifiers are not allowed",
       "IPv6 zone identifiers are not allowed"},
      {"https://[not:an:address]/", "invalid IPv6 literal", "invalid IPv6 literal"},
      {"https://203.0.113.10/hook", "", ""},
      {"https://999.0.113.10/hook", "invalid IPv4 address", "invalid IPv4 address"},
      // Host shapes.
      {"https://example.com./hook", "host ends with '.'", "host ends with '.'"},
      {"https://example..com/hook", "host has an empty label", "host has an empty label"},
      {"https://.example.com/hook", "host has an empty label", "host has an empty label"},
      {"https://-bad.example.com/", "host label starts or ends with '-'",
       "host label starts or ends with '-'"},
      {"https://YourWebhook.EXAMPLE.com/Hook", "", ""},
      {"https://ex%61mple.com/hook", "host contains percent-encoding",
       "host contains percent-encoding"},
      {"https://exa!mple.com/hook", "host contains '!'", "host contains '!'"},
      {"https://" + std::string(64, 'a') + ".com/", "host label is longer than 63 characters",
       "host label is longer than 63 characters"},
      // User-info and fragments.
      {"https://user:secret@example.com/hook", "URL contains user-info ('@')",
       "URL contains user-info ('@')"},
      {"https://user@example.com/hook", "URL contains user-info ('@')",
       "URL contains user-info ('@')"},
      {"https://example.com/hook#part", "URL contains a fragment ('#')",
       "URL contains a fragment ('#')"},
      // Paths, queries and percent-encoding (underscores are fine outside the host).
      {"https://example.com/my_hook/v1?x=1&y=a_b", "", ""},
      {"https://example.com?x=1", "", ""},
      {"https://example.com/a%20b", "", ""},
      {"https://example.com/a%zzb", "URL has an invalid percent-encoding",
       "URL has an invalid percent-encoding"},
      {"https://example.com/a%2", "URL has an incomplete percent-encoding",
       "URL has an incomplete percent-encoding"},
      {"https://example.com/<script>", "URL contains '<' (percent-encode it)",
       "URL contains '<' (percent-encode it)"},
      {"https://exa mple.com/", "URL contains whitespace or a control character",
       "URL contains whitespace or a control character"},
      {"https://example.com/\x01", "URL contains whitespace or a control character",
       "URL contains whitespace or a control character"},
      {"https://ex\xc3\xa4mple.com/", "URL contains a non-ASCII character (percent-encode it)",
       "URL contains a non-ASCII character (percent-encode it)"},
      // Length.
      {"", "URL is empty", "URL is empty"},
      {UrlOfLength(2048), "", ""},
      {UrlOfLength(2049), "URL is longer than 2048 characters",
       "URL is longer than 2048 characters"},
  };
}

}  // namespace multihook::testing
