// A small XML well-formedness check for the JUnit reports (no XML library in the build): tags
// balance, attribute values are quoted, '&' starts a known entity, no raw '<' in text or
// attributes, no C0 control characters except tab, LF and CR. Returns "" or what is wrong.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace multihook::harness::testing {

inline std::string XmlProblem(std::string_view xml) {
  std::vector<std::string> open;
  std::size_t i = 0;
  const auto at = [&](std::size_t p) { return " at offset " + std::to_string(p); };
  const auto check_text = [&](std::string_view text, std::size_t base) -> std::string {
    for (std::size_t k = 0; k < text.size(); ++k) {
      const unsigned char c = static_cast<unsigned char>(text[k]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        return "control character" + at(base + k);
      if (c == '<') return "raw '<'" + at(base + k);
      if (c == '&') {
        const std::size_t semi = text.find(';', k);
        if (semi == std::string_view::npos) return "unterminated entity" + at(base + k);
        const std::string_view entity = text.substr(k + 1, semi - k - 1);
        if (entity != "amp" && entity != "lt" && entity != "gt" && entity != "quot" &&
            entity != "apos" && (entity.empty() || entity[0] != '#')) {
          return "unknown entity '" + std::string(entity) + "'" + at(base + k);
        }
      }
    }
    return {};
  };
  if (xml.substr(0, 5) == "<?xml") {
    i = xml.find("?>");
    if (i == std::string_view::npos) return "unterminated XML declaration";
    i += 2;
  }
  bool root_seen = false;
  while (i < xml.size()) {
    const std::size_t lt = xml.find('<', i);
    const std::string_view text = xml.substr(i, lt == std::string_view::npos ? xml.npos : lt - i);
    if (std::string p = check_text(text, i); !p.empty()) return p;
    if (open.empty() && text.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      return "text outside the root element" + at(i);
    }
    if (lt == std::string_view::npos) break;
    std::size_t j = lt + 1;
    const bool closing = j < xml.size() && xml[j] == '/';
    if (closing) ++j;
    const std::size_t name_start = j;
    while (j < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[j])) || xml[j] == '_' ||
                              xml[j] == '-' || xml[j] == '.' || xml[j] == ':')) {
      ++j;
    }
    const std::string name(xml.substr(name_start, j - name_start));
    if (name.empty()) return "tag without a name" + at(lt);
    // Attributes: name="value" pairs.
    for (;;) {
      while (j < xml.size() && std::isspace(static_cast<unsigned char>(xml[j]))) ++j;
      if (j >= xml.size()) return "unterminated tag <" + name + ">";
      if (xml[j] == '>' || (xml[j] == '/' && j + 1 < xml.size() && xml[j + 1] == '>')) break;
      if (closing) return "attributes in a closing tag" + at(j);
      const std::size_t attr_start = j;
      while (j < xml.size() && xml[j] != '=' && !std::isspace(static_cast<unsigned char>(xml[j])))
        ++j;
      if (j == attr_start || j + 1 >= xml.size() || xml[j] != '=' || xml[j + 1] != '"') {
        return "attribute without a quoted value" + at(attr_start);
      }
      const std::size_t value_start = j + 2;
      const std::size_t quote = xml.find('"', value_start);
      if (quote == std::string_view::npos) return "unterminated attribute value" + at(value_start);
      if (std::string p = check_text(xml.substr(value_start, quote - value_start), value_start);
          !p.empty()) {
        return p;
      }
      j = quote + 1;
    }
    const bool self_closing = xml[j] == '/';
    j += self_closing ? 2 : 1;
    if (closing) {
      if (open.empty() || open.back() != name) return "unbalanced </" + name + ">" + at(lt);
      open.pop_back();
    } else if (!self_closing) {
      if (open.empty() && root_seen) return "second root element <" + name + ">";
      open.push_back(name);
      root_seen = true;
    } else if (open.empty()) {
      if (root_seen) return "second root element <" + name + ">";
      root_seen = true;
    }
    i = j;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  if (!root_seen) return "no root element";
  return {};
}

}  // namespace multihook::harness::testing
