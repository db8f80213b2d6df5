#pragma once
/// Checks of personal identifiers before anything is stored.

#include <esc/date.hpp>

#include <string>
#include <string_view>

namespace esc {

/// An NHS number: 10 digits (spaces allowed on input), Modulus 11 check digit
/// (weights 10 to 2; a check of 11 means 0; 10 is never valid); numbers of one
/// repeated digit are refused. Returns the 10 digits; throws DataError saying
/// what is wrong.
std::string check_nhs_number(std::string_view input);

/// A date of birth: a real YYYY-MM-DD date, not after `today`.
Date check_date_of_birth(std::string_view input, Date today);

/// Text that must not be empty or only spaces; `what` names it in the error.
std::string check_text(std::string_view input, std::string_view what, size_t max_bytes = 1 << 20);

}  // namespace esc
