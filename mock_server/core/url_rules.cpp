#include "mock_server/core/url_rules.hpp"

#include <arpa/inet.h>  // inet_pton: a pure parser, no sockets involved

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

namespace multihook::core {
namespace {

constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;
constexpr std::size_t kMaxHeaderCount = 32;
constexpr std::size_t kMaxHeaderValueLength = 4096;
constexpr std::size_t kMaxNameLength = 128;

// Content-Type is not here: the provider's own sample sets it on a destination, and a
// configured one replaces the default application/json of deliveries.
constexpr std::array<std::string_view, 5> kReservedHeaders = {
    "host", "content-length", "transfer-encoding", "connection", "x-360dialog-signature"};

Status UrlError(std::string reason) { return InvalidArgument("", std::move(reason)); }

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string Quote(char c) { return std::string("'") + c + "'"; }

// RFC 3986 pchar / query characters other than percent-encodings.
bool IsTargetChar(char c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  static constexpr std::string_view kAllowed = "-._~!$&'()*+,;=:@/?";
  return kAllowed.find(c) != std::string_view::npos;
}

Status CheckTarget(std::string_view target) {
  for (std::size_t i = 0; i < target.size(); ++i) {
    const char c = target[i];
    if (c == '%') {
      if (i + 2 >= target.size()) {
        return UrlError("URL has an incomplete percent-encoding");
      }
      if (!IsHex(target[i + 1]) || !IsHex(target[i + 2])) {
        return UrlError("URL has an invalid percent-encoding");
      }
      i += 2;
      continue;
    }
    if (!IsTargetChar(c)) return UrlError("URL contains " + Quote(c) + " (percent-encode it)");
  }
  return Status::Ok();
}

bool AllDigitsAndDots(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

Status CheckRegName(std::string_view host) {
  if (host.empty()) return UrlError("URL has no host");
  if (host.size() > kMaxHostLength) return UrlError("host is longer than 253 characters");
  for (char c : host) {
    if (c == '%') return UrlError("host contains percent-encoding");
    if (!(IsAlpha(c) || IsDigit(c) || c == '-' || c == '.' || c == '_')) {
      return UrlError("host contains " + Quote(c));
    }
  }
  if (host.back() == '.') return UrlError("host ends with '.'");
  if (AllDigitsAndDots(host)) {
    in_addr addr{};
    const std::string copy(host);
    if (inet_pton(AF_INET, copy.c_str(), &addr) != 1) return UrlError("invalid IPv4 address");
    return Status::Ok();
  }
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty()) return UrlError("host has an empty label");
    if (label.size() > kMaxLabelLength) return UrlError("host label is longer than 63 characters");
    if (label.front() == '-' || label.back() == '-') {
      return UrlError("host label starts or ends with '-'");
    }
    start = dot + 1;
  }
  return Status::Ok();
}

Result<std::optional<int>> ParsePort(std::string_view text) {
  if (text.empty()) return UrlError("URL has an empty port after ':'");
  if (text.size() > 5 || !std::all_of(text.begin(), text.end(), IsDigit)) {
    return UrlError("URL has an invalid port");
  }
  int port = 0;
  std::from_chars(text.data(), text.data() + text.size(), port);
  if (port > 65535) return UrlError("URL has an invalid port");
  return std::optional<int>(port);
}

bool IsTokenChar(char c) {
  if (IsAlpha(c) || IsDigit(c)) return true;
  static constexpr std::string_view kAllowed = "!#$%&'*+-.^_`|~";
  return kAllowed.find(c) != std::string_view::npos;
}

std::string RealApiWarning(std::string_view reason) {
  return "the real API would reject this: " + std::string(reason);
}

}  // namespace

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string PointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

// What a URL may contain at all, before it is split.
Status CheckUrlCharacters(std::string_view url) {
  if (url.empty()) return UrlError("URL is empty");
  if (url.size() > kMaxUrlLength) return UrlError("URL is longer than 2048 characters");
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return UrlError("URL contains whitespace or a control character");
    if (u >= 0x80) return UrlError("URL contains a non-ASCII character (percent-encode it)");
  }
  if (url.find('#') != std::string_view::npos) return UrlError("URL contains a fragment ('#')");
  return Status::Ok();
}

// The scheme before "://" (as written).
Result<std::string_view> ReadScheme(std::string_view url) {
  const std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsAlpha(url[0])) {
    return UrlError("URL has no scheme (expected https://host/...)");
  }
  const std::string_view scheme = url.substr(0, colon);
  for (char c : scheme) {
    if (!(IsAlpha(c) || IsDigit(c) || c == '+' || c == '-' || c == '.')) {
      return UrlError("URL has no scheme (expected https://host/...)");
    }
  }
  if (url.substr(colon + 1, 2) != "//") {
    return UrlError("URL has no authority (expected " + AsciiLower(scheme) + "://host/...)");
  }
  return scheme;
}

// The port of an authority, when it has one ("" after a bare ':').
using PortText = std::optional<std::string_view>;

// "[v6]" or "[v6]:port": fills the host of `parts`.
Result<PortText> ReadIpv6Authority(std::string_view authority, UrlParts& parts) {
  const std::size_t close = authority.find(']');
  if (close == std::string_view::npos) return UrlError("URL has an unterminated IPv6 literal");
  const std::string_view literal = authority.substr(1, close - 1);
  if (literal.find('%') != std::string_view::npos) {
    return UrlError("IPv6 zone identifiers are not allowed");
  }
  in6_addr addr{};
  const std::string copy(literal);
  if (inet_pton(AF_INET6, copy.c_str(), &addr) != 1) return UrlError("invalid IPv6 literal");
  PortText port;
  const std::string_view after = authority.substr(close + 1);
  if (!after.empty()) {
    if (after.front() != ':') return UrlError("URL has characters after the IPv6 literal");
    port = after.substr(1);
  }
  parts.host = std::string(literal);
  parts.host_is_ip_literal = true;
  parts.host_is_ipv6 = true;
  return port;
}

// "host" or "host:port": fills the host of `parts`.
Result<PortText> ReadNameAuthority(std::string_view authority, UrlParts& parts) {
  const std::size_t port_colon = authority.find(':');
  std::string_view host = authority;
  PortText port;
  if (port_colon != std::string_view::npos) {
    host = authority.substr(0, port_colon);
    port = authority.substr(port_colon + 1);
    if (port->find(':') != std::string_view::npos) return UrlError("host contains ':'");
  }
  if (Status s = CheckRegName(host); !s.ok()) return s;
  parts.host = std::string(host);
  parts.host_is_ip_literal = AllDigitsAndDots(host);
  return port;
}

}  // namespace

Result<UrlParts> ParseUrl(std::string_view url) {
  if (Status s = CheckUrlCharacters(url); !s.ok()) return s;
  MULTIHOOK_ASSIGN_OR_RETURN(const auto scheme, ReadScheme(url));

  UrlParts parts;
  parts.scheme = AsciiLower(scheme);
  const std::string_view rest = url.substr(scheme.size() + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view target = rest.substr(authority_end);
  if (authority.empty()) return UrlError("URL has no host");
  if (authority.find('@') != std::string_view::npos) {
    return UrlError("URL contains user-info ('@')");
  }
  MULTIHOOK_ASSIGN_OR_RETURN(const auto port_text, authority.front() == '['
                                                       ? ReadIpv6Authority(authority, parts)
                                                       : ReadNameAuthority(authority, parts));
  if (port_text) {
    MULTIHOOK_ASSIGN_OR_RETURN(parts.port, ParsePort(*port_text));
  }
  if (Status s = CheckTarget(target); !s.ok()) return s;
  parts.target = target.empty() ? "/" : std::string(target);
  if (parts.target.front() == '?') parts.target.insert(0, "/");
  return parts;
}

Result<CheckedUrl> CheckUrl(std::string_view url, UrlPolicy policy) {
  MULTIHOOK_ASSIGN_OR_RETURN(UrlParts parsed, ParseUrl(url));
  CheckedUrl out{std::move(parsed), {}};
  // Each provider rule: an error under the strict policy, a warning under the lenient one.
  // `documented`: the rule is on the provider's page, so kDocumented keeps it an error.
  const auto rule = [&](bool broken, std::string reason, bool documented = true) -> Status {
    if (!broken) return Status::Ok();
    if (policy == UrlPolicy::kStrict || (documented && policy == UrlPolicy::kDocumented)) {
      return UrlError(std::move(reason));
    }
    out.warnings.push_back(RealApiWarning(reason));
    return Status::Ok();
  };
  const std::string& scheme = out.parts.scheme;
  if (scheme != "https" && scheme != "http") {
    return UrlError("scheme must be https, got '" + scheme + "'");
  }
  if (Status s = rule(out.parts.host.find('_') != std::string::npos, "host contains '_'");
      !s.ok()) {
    return s;
  }
  if (Status s =
          rule(out.parts.port.has_value(),
               "URL has an explicit port (:" + std::to_string(out.parts.port.value_or(0)) + ")");
      !s.ok()) {
    return s;
  }
  if (Status s = rule(scheme == "http", "scheme must be https, got 'http'", false); !s.ok()) {
    return s;
  }
  return out;
}

Result<Checked> CheckHeaders(const Headers& headers, UrlPolicy policy, bool lenient_bounds) {
  Checked out;
  // A bound of our own: an error, or a warning under lenient bounds.
  const auto bound = [&](const std::string& location, std::string reason) -> Status {
    if (!lenient_bounds) return InvalidArgument(location, std::move(reason));
    out.warnings.push_back(
        "the real API may reject this: " +
        (location.empty() ? std::string() : "header " + location.substr(1) + ": ") + reason);
    return Status::Ok();
  };
  if (headers.size() > kMaxHeaderCount) {
    if (Status s = bound("", "more than 32 custom headers"); !s.ok()) return s;
  }
  std::vector<std::string> seen;
  for (const auto& [name, value] : headers) {
    const std::string location = "/" + PointerToken(name);
    if (name.empty()) return InvalidArgument(location, "header name is empty");
    for (char c : name) {
      if (!IsTokenChar(c)) {
        return InvalidArgument(
            location, "header name contains " + Quote(c) + " (names must be RFC 7230 tokens)");
      }
    }
    if (name.find('_') != std::string::npos) {
      if (policy != UrlPolicy::kLenient) {
        return InvalidArgument(location, "header name contains '_'");
      }
      out.warnings.push_back(RealApiWarning("header name '" + name + "' contains '_'"));
    }
    const std::string lower = AsciiLower(name);
    if (std::find(kReservedHeaders.begin(), kReservedHeaders.end(), lower) !=
        kReservedHeaders.end()) {
      return InvalidArgument(location, "header '" + name + "' is set by the provider itself");
    }
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      if (Status s = bound(location, "duplicate header name (names are case-insensitive)");
          !s.ok()) {
        return s;
      }
    }
    seen.push_back(lower);
    if (value.size() > kMaxHeaderValueLength) {
      if (Status s = bound(location, "header value is longer than 4096 bytes"); !s.ok()) return s;
    }
    for (char c : value) {
      if (c == '\r' || c == '\n' || c == '\0') {
        return InvalidArgument(location, "header value contains CR, LF or NUL");
      }
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) {
        return InvalidArgument(location, "header value contains a control character");
      }
    }
  }
  return out;
}

Status CheckDestinationName(std::string_view name) {
  if (name.empty()) return InvalidArgument("", "name is empty");
  if (name.size() > kMaxNameLength) return InvalidArgument("", "name is longer than 128 bytes");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return InvalidArgument("", "name contains a control character");
  }
  return Status::Ok();
}

}  // namespace multihook::core
