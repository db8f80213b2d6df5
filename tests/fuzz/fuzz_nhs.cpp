// Fuzz target: the NHS number check. Bad input must give a DataError; an
// accepted number must be 10 digits with a valid Modulus 11 check digit, and
// checking it again must give it back unchanged.

#include <esc/error.hpp>
#include <esc/validate.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  std::string digits;
  try {
    digits = esc::check_nhs_number(text);
  } catch (const esc::DataError&) {
    return 0;
  }
  if (digits.size() != 10) std::abort();
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (digits[i] < '0' || digits[i] > '9') std::abort();
    if (i < 9) sum += (digits[i] - '0') * static_cast<int>(10 - i);
  }
  if ((sum + (digits[9] - '0')) % 11 != 0) std::abort();
  if (esc::check_nhs_number(digits) != digits) std::abort();
  return 0;
}
