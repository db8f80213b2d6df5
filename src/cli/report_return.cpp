// esc report (no ID): the partnership return, its tables in each format;
// CSV prints one table.

#include "cli/case_view.hpp"
#include "cli/report_chart.hpp"
#include "cli/report_escape.hpp"
#include "cli/report_html.hpp"
#include "cli/report_view.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Cells.

std::string cell_text(const Cell& c, const char* empty) {
  if (std::holds_alternative<std::monostate>(c)) return empty;
  if (const auto* i = std::get_if<int64_t>(&c)) return fmt::format("{}", *i);
  if (const auto* d = std::get_if<double>(&c)) return fmt::format("{}", *d);
  return std::get<std::string>(c);
}

json cell_json(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return nullptr;
  if (const auto* i = std::get_if<int64_t>(&c)) return *i;
  if (const auto* d = std::get_if<double>(&c)) return *d;
  return std::get<std::string>(c);
}

std::string summary_label(const std::string& key) {
  static const std::vector<std::pair<std::string, std::string>> labels{
      {"period_from", "Raised from"},
      {"period_to", "Raised to"},
      {"policy", "Policy"},
      {"policies", "Policies of the cases"},
      {"generated_on", "Report made on"},
      {"cases_raised", "Cases raised"},
      {"cases_resolved", "Resolved"},
      {"cases_open", "Still open"},
      {"cases_paused", "Of which paused"},
      {"reached_partnership_stage", "Reached a stage the partnership handles"},
      {"working_days_median", "Working days to resolution: median"},
      {"working_days_p90", "Working days to resolution: 90th percentile"},
      {"working_days_longest", "Working days to resolution: longest"},
      {"deadlines_met", "Deadlines met on time"},
      {"deadlines_met_late", "Deadlines met late"},
      {"deadlines_closed", "Deadlines closed in time without their record"},
      {"deadlines_missed", "Deadlines missed"},
      {"deadlines_overdue", "Deadlines open and overdue"},
      {"partnership_notifications_owed", "Partnership notifications owed"},
      {"partnership_notifications_made", "Partnership notifications made"},
      {"pauses", "Pauses"},
      {"extensions", "Extensions"},
      {"open_past_case_limit", "Open past the whole-case limit"},
      {"resolved_past_case_limit", "Resolved past the whole-case limit"}};
  for (const auto& [k, v] : labels)
    if (k == key) return v;
  return key;
}

std::string metric_key(const std::vector<Cell>& row) { return cell_text(row.front(), ""); }

json return_json(const PartnershipReturn& r, const std::vector<ReportTable>& tables) {
  json j;
  j["report"] = "partnership-return";
  j["period"] = {{"from", r.filter.from ? json(r.filter.from->iso()) : json(nullptr)},
                 {"to", r.filter.to ? json(r.filter.to->iso()) : json(nullptr)}};
  j["policy"] = opt_text(r.filter.policy);
  j["generated_on"] = r.generated_on.iso();
  j["tables"] = json::object();
  for (const auto& t : tables) {
    if (t.key_value) {
      json obj = json::object();
      for (const auto& row : t.rows) obj[metric_key(row)] = cell_json(row.back());
      j["tables"][t.name] = obj;
      continue;
    }
    json rows = json::array();
    for (const auto& row : t.rows) {
      json rj = json::object();
      for (size_t i = 0; i < t.columns.size(); ++i) rj[t.columns[i].key] = cell_json(row[i]);
      rows.push_back(rj);
    }
    j["tables"][t.name] = rows;
  }
  return j;
}

/// Headers and cells as people read them: a summary shows its labels.
void human_table(const ReportTable& t, std::vector<std::string>& headers, std::vector<bool>& numeric,
                 std::vector<std::vector<std::string>>& rows, const char* empty) {
  if (t.key_value) {
    headers = {"Figure", "Value"};
    numeric = {false, true};
    for (const auto& row : t.rows) rows.push_back({summary_label(metric_key(row)), cell_text(row.back(), empty)});
    return;
  }
  for (const auto& c : t.columns) headers.push_back(c.header), numeric.push_back(c.numeric);
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& c : row) cells.push_back(cell_text(c, empty));
    rows.push_back(std::move(cells));
  }
}

/// Display width of UTF-8 text: one per character.
size_t width(const std::string& s) {
  size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

std::string pad(const std::string& s, size_t w, bool right) {
  size_t n = width(s);
  std::string fill(w > n ? w - n : 0, ' ');
  return right ? fill + s : s + fill;
}

std::string period_text(const PartnershipReturn& r) {
  std::string s;
  if (r.filter.from && r.filter.to) s = fmt::format("cases raised {} to {}", r.filter.from->iso(), r.filter.to->iso());
  else if (r.filter.from) s = fmt::format("cases raised from {}", r.filter.from->iso());
  else if (r.filter.to) s = fmt::format("cases raised up to {}", r.filter.to->iso());
  else s = "all cases";
  s += r.filter.policy.empty() ? ", every policy" : ", policy " + r.filter.policy;
  return s + fmt::format("; as at {}", r.generated_on.iso());
}

void return_text(const Context& ctx, const PartnershipReturn& r, const std::vector<ReportTable>& tables, std::ostream& o) {
  o << bold(ctx, "Partnership return") << '\n' << safe(period_text(r)) << '\n';
  for (const auto& t : tables) {
    std::vector<std::string> headers;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
    human_table(t, headers, numeric, rows, "-");
    for (auto& row : rows)  // a terminal is narrow: long labels are cut (the other formats keep them whole)
      for (auto& cell : row) cell = trim_label(cell, 48);
    std::vector<size_t> w(headers.size());
    for (size_t i = 0; i < headers.size(); ++i) w[i] = width(headers[i]);
    for (const auto& row : rows)
      for (size_t i = 0; i < row.size(); ++i) w[i] = std::max(w[i], width(safe(row[i])));
    o << '\n' << bold(ctx, t.title) << '\n';
    auto join = [&](const std::vector<std::string>& cells) {
      std::string line = " ";
      for (size_t i = 0; i < cells.size(); ++i) {
        line.append(i ? 2 : 1, ' ');  // two spaces before the first column and between columns
        line.append(pad(safe(cells[i]), w[i], numeric[i]));
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      return line;
    };
    o << bold(ctx, join(headers)) << '\n';
    if (rows.empty()) o << "  (none)\n";
    for (const auto& row : rows) o << join(row) << '\n';
  }
}

void return_markdown(const PartnershipReturn& r, const std::vector<ReportTable>& tables, std::ostream& o) {
  o << "# Partnership return\n\n" << md(period_text(r)) << "\n";
  for (const auto& t : tables) {
    std::vector<std::string> headers;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
    human_table(t, headers, numeric, rows, "-");
    o << "\n## " << md(t.title) << "\n\n|";
    for (const auto& h : headers) o << ' ' << md(h) << " |";
    o << "\n|";
    for (bool n : numeric) o << (n ? "---:|" : "---|");
    o << '\n';
    for (const auto& row : rows) {
      o << '|';
      for (const auto& c : row) o << ' ' << md(c) << " |";
      o << '\n';
    }
  }
}

void return_csv(const ReportTable& t, std::ostream& o) {
  std::string line;
  for (const auto& c : t.columns) {
    if (!line.empty()) line.push_back(',');
    line.append(csv_field(c.key));
  }
  o << line << "\r\n";
  for (const auto& row : t.rows) {
    line.clear();
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) line.push_back(',');
      line.append(csv_field(safe(cell_text(row[i], ""))));
    }
    o << line << "\r\n";
  }
}

void return_html(const PartnershipReturn& r, const std::vector<ReportTable>& tables, std::ostream& o) {
  html_head(o, "Partnership return: " + period_text(r));
  o << "<h1>Partnership return</h1>\n<p class=\"meta\">" << html_escape(period_text(r))
    << ". Counts only: no names, dates of birth, NHS numbers, references or case text.</p>\n";
  bool many = r.policies.size() > 1;
  auto has = [&](const std::string& name) {
    return std::any_of(tables.begin(), tables.end(), [&](const ReportTable& t) { return t.name == name; });
  };
  if (has("categories") || has("stages") || has("resolution-times")) {
    o << "<h2>At a glance</h2>\n<div class=\"charts\">\n";
    if (has("categories")) {
      std::vector<Bar> bars;
      for (const auto& c : r.categories)
        bars.push_back({many ? c.policy + ": " + c.category : c.category, c.label, c.cases});
      svg_hbars(o, "chart-categories", "Cases by category", bars);
    }
    if (has("stages")) {
      std::vector<Bar> bars;
      for (const auto& s : r.stages)
        bars.push_back({(many ? s.policy + " " : std::string()) + fmt::format("{}: {}", s.stage, s.title),
                        s.policy + " " + std::to_string(s.stage) + ": " + s.title, s.cases});
      svg_hbars(o, "chart-stages", "Cases by highest stage reached", bars);
    }
    if (has("resolution-times")) {
      std::vector<Bar> bars;
      for (const auto& b : r.resolution_times) bars.push_back({b.label(), "", b.cases});
      svg_columns(o, "chart-resolution", "Resolved cases by working days from raising to resolution",
                  "working days to resolution", bars);
    }
    o << "</div>\n";
  }
  for (const auto& t : tables) {
    std::vector<std::string> headers;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
    human_table(t, headers, numeric, rows, "-");
    o << "<h2 id=\"table-" << t.name << "\">" << html_escape(t.title) << "</h2>\n<table><thead><tr>";
    for (size_t i = 0; i < headers.size(); ++i)
      o << "<th" << (numeric[i] ? " class=\"num\"" : "") << ">" << html_escape(headers[i]) << "</th>";
    o << "</tr></thead><tbody>\n";
    if (rows.empty()) o << "<tr><td colspan=\"" << headers.size() << "\">(none)</td></tr>\n";
    for (const auto& row : rows) {
      o << "<tr>";
      for (size_t i = 0; i < row.size(); ++i)
        o << "<td" << (numeric[i] ? " class=\"num\"" : "") << ">" << html_escape(row[i]) << "</td>";
      o << "</tr>\n";
    }
    o << "</tbody></table>\n";
  }
  html_foot(o, "Made by esc on " + r.generated_on.iso() + ".");
}

}  // namespace

void print_return(const Context& ctx, const PartnershipReturn& r, const std::vector<ReportTable>& tables, ReportFormat f) {
  switch (f) {
    case ReportFormat::json: return print_json(return_json(r, tables));
    case ReportFormat::markdown: return return_markdown(r, tables, std::cout);
    case ReportFormat::html: return return_html(r, tables, std::cout);
    case ReportFormat::csv:
      if (tables.size() != 1) throw InternalError("a CSV report prints one table");
      return return_csv(tables.front(), std::cout);
    case ReportFormat::text: return return_text(ctx, r, tables, std::cout);
  }
}

}  // namespace esc::cli
