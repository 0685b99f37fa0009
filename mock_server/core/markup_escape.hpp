// Escaping of text for HTML (the mock's delivery view) and XML 1.0 (the JUnit reports of
// `multihook run` and `multihook verify`): one escaper, so the two cannot drift apart on the
// characters they share.
//
// Free functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace multihook::core {

// `& < > " '` become `&amp; &lt; &gt; &quot; &#39;`; other bytes pass through. Safe in element
// text and in double- or single-quoted attribute values.
std::string HtmlEscape(std::string_view text);

// `& < > " '` become the named entities (`&apos;` for '); tab, LF and CR become `&#9;` `&#10;`
// `&#13;` so that attribute-value normalization keeps them; the other C0 controls
// (U+0000-U+001F), which XML 1.0 cannot carry at all, become U+FFFD. Other bytes, including
// non-ASCII, pass through unchanged. Safe in element text and in quoted attribute values alike.
std::string XmlEscape(std::string_view text);

}  // namespace multihook::core
