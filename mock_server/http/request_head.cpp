#include "mock_server/http/request_head.hpp"

#include <algorithm>
#include <charconv>

#include "mock_server/core/url_rules.hpp"

namespace multihook::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

HeadScan TooLarge(std::string reason) {
  HeadScan scan;
  scan.state = HeadScan::State::kTooLarge;
  scan.reason = std::move(reason);
  return scan;
}

// What the header fields say about the body: its length, or none when chunked.
HeadScan Framing(std::string_view fields, std::size_t head_bytes) {
  HeadScan scan;
  scan.state = HeadScan::State::kComplete;
  scan.head_bytes = head_bytes;
  bool chunked = false;
  while (!fields.empty()) {
    const std::size_t eol = fields.find('\n');
    const std::string_view line = fields.substr(0, eol);
    fields.remove_prefix(eol == std::string_view::npos ? fields.size() : eol + 1);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string name = core::AsciiLower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name == "transfer-encoding") chunked = true;
    if (name == "expect") scan.expect_continue = true;
    if (name != "content-length") continue;
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec != std::errc() || end != value.data() + value.size() ||
        (scan.content_length && *scan.content_length != length)) {
      scan.state = HeadScan::State::kMalformedFraming;
      scan.reason = "malformed HTTP request: a bad or repeated Content-Length";
      return scan;
    }
    scan.content_length = length;
  }
  if (chunked && scan.content_length) {
    scan.state = HeadScan::State::kMalformedFraming;
    scan.reason = "malformed HTTP request: both Content-Length and Transfer-Encoding";
  }
  return scan;
}

}  // namespace

HeadScan ScanRequestHead(std::string_view received, const HeadLimits& limits) {
  std::size_t pos = 0;
  while (pos < received.size() && (received[pos] == '\r' || received[pos] == '\n')) ++pos;
  const std::size_t start = pos;
  std::size_t fields_start = std::string_view::npos;
  std::size_t fields = 0;
  while (true) {
    const std::size_t eol = received.find('\n', pos);
    const std::size_t line_end = eol == std::string_view::npos ? received.size() : eol;
    const bool request_line = pos == start;
    // Line terminator included, as cpp-httplib counts.
    const std::size_t line_bytes = std::min(line_end + 1, received.size()) - pos;
    if (request_line && line_bytes > limits.max_line_bytes) {
      HeadScan scan = TooLarge("the request line is longer than " +
                               std::to_string(limits.max_line_bytes) + " bytes");
      scan.state = HeadScan::State::kUriTooLong;
      return scan;
    }
    if (!request_line && line_bytes > limits.max_line_bytes) {
      return TooLarge("a request header line is longer than " +
                      std::to_string(limits.max_line_bytes) + " bytes");
    }
    if (line_end + 1 > limits.max_head_bytes) {
      return TooLarge("request headers are larger than " + std::to_string(limits.max_head_bytes) +
                      " bytes");
    }
    if (eol == std::string_view::npos) return {};
    const std::string_view line = received.substr(pos, eol - pos);
    pos = eol + 1;
    if (request_line) {
      fields_start = pos;
      continue;
    }
    if (line == "\r") {
      return Framing(received.substr(fields_start, pos - fields_start), pos);
    }
    if (++fields > limits.max_headers) {
      return TooLarge("more than " + std::to_string(limits.max_headers) + " request headers");
    }
  }
}

}  // namespace multihook::http
