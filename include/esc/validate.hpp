#pragma once
/// Checks of personal identifiers and free text before anything is stored, and
/// the one decoder of UTF-8 and the one list of characters a terminal acts on.

#include <esc/date.hpp>
#include <esc/error.hpp>

#include <cstddef>
#include <optional>
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

/// Text that must not be empty or only spaces, at most `max_bytes` long and
/// valid UTF-8; the error names `field` (UsageError when empty, DataError
/// otherwise).
std::string check_text(std::string_view input, Field field, size_t max_bytes = 1 << 20);

/// Optional text (empty is fine) that must be valid UTF-8: anything stored is
/// shown on terminals and exported as JSON, neither of which can carry other
/// bytes faithfully. Throws DataError naming `field` and the first bad byte.
void check_utf8(std::string_view input, Field field);

/// The length of the well-formed UTF-8 sequence at the start of `s` (1 to 4),
/// setting `cp` to its code point; 0 when there is none (`s` empty, a stray
/// continuation byte, a truncated sequence, an overlong form, a surrogate or
/// past U+10FFFF), and then `cp` is left alone.
size_t utf8_sequence(std::string_view s, char32_t& cp);

/// The offset of the first byte of `s` that does not start a well-formed UTF-8
/// sequence; nullopt when all of `s` is UTF-8.
std::optional<size_t> invalid_utf8_at(std::string_view s);

/// Whether the bidirectional overrides and isolates (U+202A to U+202E, U+2066
/// to U+2069) count as controls. They reorder how text reads, not what a
/// terminal does, so a policy may hold them (they are shown as '?'), while
/// nothing shown on a terminal may pass them through.
enum class Bidi { control, allowed };

/// Characters a terminal may act on rather than show: C0 controls but tab and
/// newline, DEL, the C1 controls (U+0080 to U+009F: U+009B is CSI) and, unless
/// `bidi` is Bidi::allowed, the bidirectional overrides and isolates, which can
/// make text read otherwise than it is stored.
bool is_terminal_control(char32_t cp, Bidi bidi = Bidi::control);

/// The first such character in `s`, decoded as UTF-8; bytes that are not
/// UTF-8 are passed over (ask invalid_utf8_at() about those). nullopt when none.
std::optional<char32_t> first_terminal_control(std::string_view s, Bidi bidi = Bidi::control);

}  // namespace esc
