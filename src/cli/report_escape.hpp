#pragma once
// Stored text made safe for each report format, written once: every renderer
// of a report escapes through these.

#include "cli/context.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace esc::cli {

/// One line of stored text for a terminal: newlines and tabs become spaces.
inline std::string one_line(const std::string& s) {
  std::string out = safe(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

/// Markdown: the characters that would format, link or break a table are
/// escaped; a newline becomes a space.
inline std::string md(const std::string& s) {
  std::string out;
  for (char ch : one_line(s)) {
    if (std::string_view("\\`*_[]<>|#~!").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

/// HTML text or attribute value (control characters become '?', as safe() makes them).
inline std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : safe(s)) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

/// A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break.
inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace esc::cli
