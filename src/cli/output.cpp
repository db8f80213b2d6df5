#include "cli/context.hpp"

#include <esc/validate.hpp>

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

nlohmann::ordered_json versioned(nlohmann::ordered_json j) {
  // The members move, not copy: a long list costs no second copy of itself.
  auto stamp = [](nlohmann::ordered_json& o) {
    if (!o.is_object() || o.contains("format")) return;
    nlohmann::ordered_json out = {{"format", k_json_format}};
    for (auto& [key, value] : o.items()) out[key] = std::move(value);
    o = std::move(out);
  };
  if (j.is_array())
    for (auto& item : j) stamp(item);
  else
    stamp(j);
  return j;
}

void print_json(const nlohmann::ordered_json& j) {
  std::cout << versioned(j).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

void JsonArrayPrinter::add(const nlohmann::ordered_json& element) {
  std::string body = versioned(element).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  // The array's indent: every line of the element two spaces in.
  std::string out = count_++ == 0 ? "[\n  " : ",\n  ";
  out.reserve(out.size() + body.size() + body.size() / 16);
  for (char c : body) {
    out += c;
    if (c == '\n') out += "  ";
  }
  std::cout << out;
}

void JsonArrayPrinter::finish() { std::cout << (count_ == 0 ? "[]\n" : "\n]\n"); }

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

std::string safe(const std::string& s) {
  // Printable ASCII, tab and newline only: nothing to decode.
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
    if (n == 0 || is_terminal_control(cp, Bidi::control)) {
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
