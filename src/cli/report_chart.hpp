#pragma once
// Charts for the HTML partnership return: inline SVG, so the page still
// loads nothing.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace esc::cli {

struct Bar {
  std::string label;
  std::string tooltip;  ///< "": the label
  int64_t value = 0;
};

/// A horizontal bar chart.
void svg_hbars(std::ostream& o, const std::string& id, const std::string& caption, const std::vector<Bar>& bars);

/// A column chart (a histogram), `x_title` under its axis.
void svg_columns(std::ostream& o, const std::string& id, const std::string& caption, const std::string& x_title,
                 const std::vector<Bar>& bars);

/// The label cut to `n` bytes with an ellipsis, never inside a UTF-8 character.
std::string trim_label(const std::string& s, size_t n);

}  // namespace esc::cli
