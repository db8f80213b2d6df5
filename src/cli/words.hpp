#pragma once
// The command line's words for what the core names as data: each field's
// flag, each remedy's command. The one place a core error, notice or form
// hint becomes a sentence that names flags and commands.

#include <esc/error.hpp>

#include <string>
#include <string_view>

namespace esc::cli {

/// The flag (or variable) that gives a field: "--summary", "ESC_NOW".
std::string_view flag(Field f);

/// The command that carries out a remedy for a case, or says where to look.
std::string command(Remedy r, int64_t case_id);

/// `text`, then the flags of the hint's fields in brackets, then the
/// remedy's command after a colon: "the reason for the delay must be given
/// (--delay-reason)", "case 7 is paused; resume it first: esc resume 7". A
/// text that leads with its field's noun leads with the flag instead:
/// "--summary must not be empty".
std::string in_words(const std::string& text, const Hint& hint);

inline std::string in_words(const Notice& n) { return in_words(n.text, n.hint); }

}  // namespace esc::cli
