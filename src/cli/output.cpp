#include "cli/context.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

namespace esc::cli {

std::optional<std::string> Context::env(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  return std::string(v);
}

PolicyLibrary Context::policies() const {
  PolicySearchInputs in;
  in.esc_policy_path = env("ESC_POLICY_PATH");
  in.xdg_config_home = env("XDG_CONFIG_HOME");
  in.home = env("HOME");
  in.exe_dir = exe_dir;
  return PolicyLibrary(policy_search_path(in));
}

void print_json(const nlohmann::ordered_json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

namespace {
std::string wrap(const Context& ctx, const char* code, const std::string& s) {
  if (!ctx.color) return s;
  return std::string("\033[") + code + "m" + s + "\033[0m";
}
}  // namespace

std::string bold(const Context& ctx, const std::string& s) { return wrap(ctx, "1", s); }
std::string dim(const Context& ctx, const std::string& s) { return wrap(ctx, "2", s); }
std::string red(const Context& ctx, const std::string& s) { return wrap(ctx, "31", s); }
std::string yellow(const Context& ctx, const std::string& s) { return wrap(ctx, "33", s); }
std::string green(const Context& ctx, const std::string& s) { return wrap(ctx, "32", s); }

namespace {

/// The length of the well-formed UTF-8 sequence at the start of `s` (1 to 4),
/// with its code point; 0 when it is not one (a stray continuation byte, a
/// truncated sequence, an overlong form, a surrogate or past U+10FFFF).
size_t utf8_sequence(std::string_view s, char32_t& cp) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || n > s.size()) return 0;
  if (n == 1) {
    cp = c;
    return 1;
  }
  cp = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i) & 0x3F);
  }
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < k_min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

/// Characters a terminal may act on rather than show: C0 controls but tab and
/// newline, DEL, the C1 controls (U+0080 to U+009F: U+009B is CSI) and the
/// bidirectional overrides and isolates, which can make text read otherwise
/// than it is stored.
bool unsafe_char(char32_t cp) {
  return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string safe(const std::string& s) {
  bool clean = std::all_of(s.begin(), s.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return (c >= 0x20 && c < 0x7F) || c == '\n' || c == '\t';
  });
  if (clean) return s;
  std::string out;
  out.reserve(s.size());
  std::string_view rest{s};
  while (!rest.empty()) {
    char32_t cp = 0;
    size_t n = utf8_sequence(rest, cp);
    if (n == 0 || unsafe_char(cp)) {
      out += '?';
      n = n == 0 ? 1 : n;  // an invalid byte is one '?'; the sequence after it is read afresh
    } else {
      out.append(rest.substr(0, n));
    }
    rest.remove_prefix(n);
  }
  return out;
}

}  // namespace esc::cli
