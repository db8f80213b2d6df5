#include <esc/error.hpp>
#include <esc/validate.hpp>

#include <fmt/format.h>

#include <algorithm>

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

std::string check_text(std::string_view input, std::string_view what, size_t max_bytes) {
  bool blank = std::all_of(input.begin(), input.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n'; });
  if (blank) throw UsageError(fmt::format("{} must not be empty", what));
  if (input.size() > max_bytes)
    throw DataError(fmt::format("{} is {} bytes; the most esc stores is {}", what, input.size(), max_bytes));
  return std::string(input);
}

}  // namespace esc
