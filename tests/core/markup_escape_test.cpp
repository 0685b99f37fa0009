#include "mock_server/core/markup_escape.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace multihook::core {
namespace {

// Both dialects escape the five special characters; XML also writes whitespace as character
// references and replaces the controls it cannot carry, and ' differs (&apos; / &#39;).
TEST_CASE("XmlEscape and HtmlEscape: entities, character references and controls",
          "[core][markup]") {
  const auto [input, xml, html] = GENERATE(table<std::string, std::string, std::string>({
      {"", "", ""},
      {"plain text 123", "plain text 123", "plain text 123"},
      {"a & b", "a &amp; b", "a &amp; b"},
      {"<tag>", "&lt;tag&gt;", "&lt;tag&gt;"},
      {"say \"hi\"", "say &quot;hi&quot;", "say &quot;hi&quot;"},
      {"it's", "it&apos;s", "it&#39;s"},
      // Already-escaped text is escaped again, not passed through.
      {"&amp;", "&amp;amp;", "&amp;amp;"},
      {"line1\nline2", "line1&#10;line2", "line1\nline2"},
      {"crlf\r\n", "crlf&#13;&#10;", "crlf\r\n"},
      {"a\tb", "a&#9;b", "a\tb"},
      {"bell\x07", "bell\xEF\xBF\xBD", "bell\x07"},
      {std::string("nul\0here", 8), "nul\xEF\xBF\xBDhere", std::string("nul\0here", 8)},
      {"esc\x1b[0m", "esc\xEF\xBF\xBD[0m", "esc\x1b[0m"},
      {"\x1f", "\xEF\xBF\xBD", "\x1f"},
      // U+0020 and U+007F are allowed.
      {"space and DEL\x7f", "space and DEL\x7f", "space and DEL\x7f"},
      // UTF-8 passes through.
      {"caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC"},
  }));
  CAPTURE(input);
  CHECK(XmlEscape(input) == xml);
  CHECK(HtmlEscape(input) == html);
}

}  // namespace
}  // namespace multihook::core
