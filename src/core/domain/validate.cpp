#include <esc/error.hpp>
#include <esc/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace esc {

std::string check_nhs_number(std::string_view input) {
  std::string digits;
  for (char c : input) {
    if (c == ' ') continue;
    if (c < '0' || c > '9')
      throw DataError("an NHS number has 10 digits (spaces allowed), e.g. 943 476 5919");
    digits += c;
  }
  if (digits.size() != 10)
    throw DataError(fmt::format("an NHS number has 10 digits; this one has {}", digits.size()));
  if (std::all_of(digits.begin(), digits.end(), [&](char c) { return c == digits[0]; }))
    throw DataError("that NHS number is one digit repeated, which is never issued: check it");
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9] - '0')
    throw DataError("that NHS number fails its check digit: check it for a typing error");
  return digits;
}

Date check_date_of_birth(std::string_view input, Date today) {
  Date d;
  try {
    d = Date::parse(input);
  } catch (const DataError& e) {
    throw DataError(fmt::format("date of birth: {}", e.what()));
  }
  if (d > today) throw DataError(fmt::format("date of birth {} is in the future", d.iso()));
  return d;
}

std::string check_text(std::string_view input, Field field, size_t max_bytes) {
  bool blank = std::all_of(input.begin(), input.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
  if (blank) throw UsageError(fmt::format("{} must not be empty", noun(field)), {{field}, Remedy::none, 0, true});
  if (input.size() > max_bytes)
    throw DataError(fmt::format("{} is {} bytes; the most esc stores is {}", noun(field), input.size(), max_bytes),
                    {{field}, Remedy::none, 0, true});
  check_utf8(input, field);
  return std::string(input);
}

void check_utf8(std::string_view input, Field field) {
  if (auto at = invalid_utf8_at(input))
    throw DataError(fmt::format("{} is not valid UTF-8 (byte {} of {}): write it in UTF-8 (check the terminal's or "
                                "the script's encoding)",
                                noun(field), *at + 1, input.size()),
                    {{field}, Remedy::none, 0, true});
}

size_t utf8_sequence(std::string_view s, char32_t& cp) {
  if (s.empty()) return 0;
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || n > s.size()) return 0;
  if (n == 1) {
    cp = c;
    return 1;
  }
  char32_t v = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i) & 0x3F);
  }
  static constexpr char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < k_min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  cp = v;
  return n;
}

std::optional<size_t> invalid_utf8_at(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t n = utf8_sequence(s.substr(i), cp);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

bool is_terminal_control(char32_t cp, Bidi bidi) {
  if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) return true;
  return bidi == Bidi::control && ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
}

std::optional<char32_t> first_terminal_control(std::string_view s, Bidi bidi) {
  while (!s.empty()) {
    char32_t cp = 0;
    size_t n = utf8_sequence(s, cp);
    if (n == 0) {
      n = 1;  // not UTF-8: passed over, and what follows is read afresh
    } else if (is_terminal_control(cp, bidi)) {
      return cp;
    }
    s.remove_prefix(n);
  }
  return std::nullopt;
}

}  // namespace esc
