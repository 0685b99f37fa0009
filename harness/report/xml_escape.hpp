// XML 1.0 escaping shared by the JUnit reporters of `multihook run` and `multihook verify`, so
// both print the same bytes for the same text. The result is safe in element text and in
// double- or single-quoted attribute values alike.
//
// A free function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace multihook::harness {

// `& < > " '` become the named entities; tab, LF and CR become `&#9;` `&#10;` `&#13;` so that
// attribute-value normalization keeps them; the other C0 controls (U+0000-U+001F), which XML 1.0
// cannot carry at all, become U+FFFD. Other bytes, including non-ASCII, pass through unchanged.
std::string XmlEscape(std::string_view text);

}  // namespace multihook::harness
