#include "mock_server/core/markup_escape.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace multihook::core {
namespace {

TEST_CASE("XmlEscape: entities, character references and replaced control characters",
          "[core][markup]") {
  const auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"plain text 123", "plain text 123"},
      {"a & b", "a &amp; b"},
      {"<tag>", "&lt;tag&gt;"},
      {"say \"hi\"", "say &quot;hi&quot;"},
      {"it's", "it&apos;s"},
      {"&amp;", "&amp;amp;"},  // already-escaped text is escaped again, not passed through
      {"line1\nline2", "line1&#10;line2"},
      {"crlf\r\n", "crlf&#13;&#10;"},
      {"a\tb", "a&#9;b"},
      {"bell\x07", "bell\xEF\xBF\xBD"},
      {std::string("nul\0here", 8), "nul\xEF\xBF\xBDhere"},
      {"esc\x1b[0m", "esc\xEF\xBF\xBD[0m"},
      {"\x1f", "\xEF\xBF\xBD"},
      {"space and DEL\x7f", "space and DEL\x7f"},                // U+0020 and U+007F are allowed
      {"caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC"},  // UTF-8 passes through
  }));
  CAPTURE(input);
  CHECK(XmlEscape(input) == expected);
}

// The view's escaper shares the five characters with XmlEscape but keeps whitespace and controls
// as they are (HTML carries them) and writes ' as &#39;.
TEST_CASE("HtmlEscape: the five special characters, every other byte as it is", "[core][markup]") {
  const auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"", ""},
      {"plain text 123", "plain text 123"},
      {"a & b", "a &amp; b"},
      {"<tag>", "&lt;tag&gt;"},
      {"say \"hi\"", "say &quot;hi&quot;"},
      {"it's", "it&#39;s"},
      {"&amp;", "&amp;amp;"},
      {"line1\nline2\r\t", "line1\nline2\r\t"},
      {"bell\x07", "bell\x07"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
  }));
  CAPTURE(input);
  CHECK(HtmlEscape(input) == expected);
}

}  // namespace
}  // namespace multihook::core
