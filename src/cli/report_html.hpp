#pragma once
// The frame every HTML report shares: a self-contained page, styled for
// screen and print, that loads nothing.

#include <ostream>
#include <string>

namespace esc::cli {

/// Everything up to and including <body>, titled `title` (escaped here).
void html_head(std::ostream& o, const std::string& title);
/// The footer line (escaped here) and the end of the page.
void html_foot(std::ostream& o, const std::string& note);

}  // namespace esc::cli
