#include "cli/report_chart.hpp"

#include "cli/report_escape.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace esc::cli {

std::string trim_label(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return s.substr(0, cut) + "\xE2\x80\xA6";
}

void svg_hbars(std::ostream& o, const std::string& id, const std::string& caption, const std::vector<Bar>& bars) {
  const int label_w = 300, bar_w = 360, row_h = 24, top = 6;
  const int width = label_w + bar_w + 50, height = top * 2 + row_h * std::max<int>(1, static_cast<int>(bars.size()));
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.value);
  o << "<figure>\n<figcaption>" << html_escape(caption) << "</figcaption>\n";
  o << fmt::format("<svg id=\"{}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" aria-label=\"{}\">\n",
                   id, width, height, width, height, html_escape(caption));
  o << "<title>" << html_escape(caption) << "</title>\n";
  int y = top;
  for (const auto& b : bars) {
    int w = static_cast<int>(b.value * bar_w / max);
    o << "<g><title>" << html_escape(b.tooltip.empty() ? b.label : b.tooltip) << ": " << b.value << "</title>";
    o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", label_w - 6, y + row_h / 2 + 4,
                     html_escape(trim_label(b.label, 44)));
    o << fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"></rect>", label_w, y + 3,
                     std::max(w, b.value ? 2 : 0), row_h - 6);
    o << fmt::format("<text x=\"{}\" y=\"{}\">{}</text></g>\n", label_w + std::max(w, 0) + 6, y + row_h / 2 + 4, b.value);
    y += row_h;
  }
  o << fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"></line>\n", label_w, top, label_w,
                   height - top);
  o << "</svg>\n</figure>\n";
}

void svg_columns(std::ostream& o, const std::string& id, const std::string& caption, const std::string& x_title,
                 const std::vector<Bar>& bars) {
  const int col_w = 52, plot_h = 200, left = 40, top = 20, bottom = 50;
  const int n = std::max<int>(1, static_cast<int>(bars.size()));
  const int width = left + col_w * n + 20, height = top + plot_h + bottom;
  int64_t max = 1;
  for (const auto& b : bars) max = std::max(max, b.value);
  o << "<figure>\n<figcaption>" << html_escape(caption) << "</figcaption>\n";
  o << fmt::format("<svg id=\"{}\" class=\"chart\" role=\"img\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" aria-label=\"{}\">\n",
                   id, width, height, width, height, html_escape(caption));
  o << "<title>" << html_escape(caption) << "</title>\n";
  int base = top + plot_h;
  for (int i = 0; i < static_cast<int>(bars.size()); ++i) {
    const auto& b = bars[static_cast<size_t>(i)];
    int h = static_cast<int>(b.value * plot_h / max);
    int x = left + i * col_w;
    o << "<g><title>" << html_escape(b.label) << ": " << b.value << "</title>";
    o << fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"></rect>", x + 6, base - h,
                     col_w - 12, h);
    o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", x + col_w / 2, base - h - 4, b.value);
    o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text></g>\n", x + col_w / 2, base + 16,
                     html_escape(b.label));
  }
  o << fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"></line>\n", left, base,
                   left + col_w * n, base);
  o << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", left + col_w * n / 2, base + 38,
                   html_escape(x_title));
  o << "</svg>\n</figure>\n";
}

}  // namespace esc::cli
