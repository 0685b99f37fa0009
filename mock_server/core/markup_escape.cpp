#include "mock_server/core/markup_escape.hpp"

namespace multihook::core {
namespace {

enum class Markup { kHtml, kXml };

// The replacement of `ch`, or null when it stands for itself.
const char* Replacement(char ch, Markup markup) {
  const bool xml = markup == Markup::kXml;
  switch (ch) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\'':
      return xml ? "&apos;" : "&#39;";
    case '\n':
      return xml ? "&#10;" : nullptr;
    case '\r':
      return xml ? "&#13;" : nullptr;
    case '\t':
      return xml ? "&#9;" : nullptr;
    default:
      // U+FFFD, not '?': a replaced control stays distinct from a literal '?' (as in URLs).
      return xml && static_cast<unsigned char>(ch) < 0x20 ? "\xEF\xBF\xBD" : nullptr;
  }
}

std::string Escape(std::string_view text, Markup markup) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    if (const char* replacement = Replacement(ch, markup)) {
      out += replacement;
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

std::string HtmlEscape(std::string_view text) { return Escape(text, Markup::kHtml); }

std::string XmlEscape(std::string_view text) { return Escape(text, Markup::kXml); }

}  // namespace multihook::core
