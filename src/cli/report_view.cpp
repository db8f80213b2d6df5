#include "cli/report_view.hpp"

#include "cli/case_view.hpp"

#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// Small helpers.

json opt_text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

/// One line of stored text: newlines and tabs become spaces.
std::string one_line(const std::string& s) {
  std::string out = safe(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\t', ' ');
  return out;
}

/// Markdown: the characters that would format, link or break a table are
/// escaped; a newline becomes a space.
std::string md(const std::string& s) {
  std::string out;
  for (char ch : one_line(s)) {
    if (std::string_view("\\`*_[]<>|#~!").find(ch) != std::string_view::npos) out += '\\';
    out += ch;
  }
  return out;
}

std::string deadline_what(const CaseReport& r, const CaseDeadline& d) {
  std::string from = d.scope == DeadlineScope::check_back ? "the resolution" : d.counted_from == "case" ? "raising the case" : "the start of the " + r.stage_term;
  return fmt::format("within {} of {}; met by {}", d.timescale, from,
                     d.met_by ? "a " + *d.met_by + " record" : "leaving the " + r.stage_term);
}

std::string deadline_done(const TimeZone& zone, const CaseDeadline& d) {
  if (!d.done_at) return "";
  std::string how = !d.closed_by                          ? ""
                    : *d.closed_by == ClosedBy::record   ? "recorded"
                    : *d.closed_by == ClosedBy::escalate ? "escalated"
                                                         : "resolved";
  return fmt::format("{} {}", how, local_minute(zone, *d.done_at));
}

std::string shift_text(const TimeZone& zone, const CaseReport& r, const DeadlineShift& s) {
  return fmt::format("{} on {}: +{} working day{}, {} -> {}", s.type == EventType::resume ? "resumed after being " + r.pause_term : "extended",
                     zone.local_date(s.at).iso(), s.days, s.days == 1 ? "" : "s", s.from_due.iso(), s.to_due.iso());
}

std::string status_line(const CaseReport& r, const TimeZone& zone) {
  if (r.resolution)
    return fmt::format("resolved at {} {} of {} on {}", r.stage_term, r.resolution->stage, r.stage_count,
                       zone.local_date(r.resolution->at).iso());
  std::string s = fmt::format("{} at {} {} of {}: {}", r.status == CaseStatus::paused ? r.pause_term : std::string(name(r.status)), r.stage_term,
                              r.stage, r.stage_count, r.stage_title);
  return s;
}

std::string stage_span(const TimeZone& zone, const CaseReport& r, const ReportStage& s) {
  std::string line = "from " + local_minute(zone, s.entered_at);
  if (!s.left_at) return line + " (current)";
  line += " to " + local_minute(zone, *s.left_at);
  if (s.left_by == "resolve") return line + ", resolved";
  return line + fmt::format(", escalated to {} {}", r.stage_term, s.left_to.value_or(0));
}

std::string chron_head(const TimeZone& zone, const ChronologyEntry& e) {
  std::string s = local_minute(zone, e.at) + "  " + e.kind;
  if (e.record) s += fmt::format(" #{}", *e.record);
  if (!e.channel.empty()) s += ", " + e.channel;
  if (!e.with.empty()) s += ", " + (e.record ? std::string("with ") : std::string("agreed by ")) + e.with;
  return s;
}

std::string chron_extra(const ChronologyEntry& e) {
  std::string s;
  if (!e.action.empty()) s += "action: " + e.action + (e.action_due.empty() ? "" : " by " + e.action_due);
  if (e.corrects) s += (s.empty() ? "" : "; ") + fmt::format("corrects record #{}", *e.corrects);
  return s;
}

std::string action_text(const TimeZone& zone, const AgreedAction& a) {
  return fmt::format("{} {} #{}: {}{}", zone.local_date(a.at).iso(), a.kind, a.record, a.text,
                     a.due.empty() ? "" : " (by " + a.due + ")");
}

// ---------------------------------------------------------------------------
// HTML.

const char* k_css = R"(
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1b1b1b; background: #fff; max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 2px solid #1d4f91; padding-bottom: .2rem; color: #1d4f91; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #c8c8c8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #eef2f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.fields { display: grid; grid-template-columns: 14rem 1fr; gap: .3rem 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; white-space: pre-wrap; }
.missing { color: #a40000; font-weight: 600; }
.state-met { color: #1a6b2a; } .state-late, .state-missed, .state-overdue { color: #a40000; font-weight: 600; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: .3rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
svg .bar { fill: #1d4f91; } svg .axis { stroke: #888; stroke-width: 1; }
ul.plain { padding-left: 1.2rem; }
footer { margin-top: 2rem; color: #666; font-size: .85rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, figure, dl.fields, section.stage { break-inside: avoid; page-break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg .bar { fill: #333 !important; }
  a { color: inherit; text-decoration: none; }
  footer { position: static; }
}
@page { size: A4; margin: 15mm; }
)";

void html_head(std::ostream& o, const std::string& title) {
  // The page loads nothing: the policy below forbids any fetch, so it is the
  // same printed, saved or opened without a network.
  o << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
    << html_escape(title) << "</title>\n<style>" << k_css << "</style>\n</head>\n<body>\n";
}

void html_foot(std::ostream& o, const std::string& note) {
  o << "<footer>" << html_escape(note) << "</footer>\n</body>\n</html>\n";
}

std::string html_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += (s.empty() ? "" : "\n") + html_escape(l);
  return s;
}

std::string state_class(DeadlineOutcome o) {
  switch (o) {
    case DeadlineOutcome::met: return "state-met";
    case DeadlineOutcome::met_late: return "state-late";
    case DeadlineOutcome::missed: return "state-missed";
    case DeadlineOutcome::overdue: return "state-overdue";
    default: return "state-other";
  }
}

struct Bar {
  std::string label;
  std::string tooltip;
  int64_t value = 0;
};

std::string trim_label(const std::string& s, size_t n) {
  if (s.size() <= n) return s;
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return s.substr(0, cut) + "\xE2\x80\xA6";
}

/// A horizontal bar chart as inline SVG.
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

/// A column chart (a histogram) as inline SVG.
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

// ---------------------------------------------------------------------------
// Cells of the return's tables.

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

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
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
      {"reached_partnership_stage", "Reached the partnership stage"},
      {"working_days_median", "Working days to resolution: median"},
      {"working_days_p90", "Working days to resolution: 90th percentile"},
      {"working_days_longest", "Working days to resolution: longest"},
      {"deadlines_met", "Deadlines met on time"},
      {"deadlines_met_late", "Deadlines met late"},
      {"deadlines_closed", "Deadlines closed in time without their record"},
      {"deadlines_missed", "Deadlines missed"},
      {"deadlines_overdue", "Deadlines open and overdue"},
      {"pauses", "Pauses"},
      {"extensions", "Extensions"},
      {"open_past_case_limit", "Open past the whole-case limit"},
      {"resolved_past_case_limit", "Resolved past the whole-case limit"}};
  for (const auto& [k, v] : labels)
    if (k == key) return v;
  return key;
}

std::string metric_key(const std::vector<Cell>& row) { return cell_text(row.front(), ""); }

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : safe(s)) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

ReportFormat parse_report_format(const std::string& name) {
  if (name == "text") return ReportFormat::text;
  if (name == "markdown") return ReportFormat::markdown;
  if (name == "json") return ReportFormat::json;
  if (name == "html") return ReportFormat::html;
  if (name == "csv") return ReportFormat::csv;
  throw UsageError(fmt::format("--format takes text, markdown, json, html or csv, not '{}'", name));
}

// ---------------------------------------------------------------------------
// One case.

namespace {

json report_deadline_json(const TimeZone& zone, const ReportDeadline& d) {
  return deadline_json(zone, d.deadline, d.outcome, DeadlineWords::report);
}

json case_report_json(const CaseReport& r) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  json j;
  j["report"] = "case";
  j["generated_at"] = zone.format(r.generated_at);
  j["id"] = r.id;
  j["uuid"] = r.uuid;
  j["policy"] = {{"id", r.policy_id}, {"name", r.policy_name}, {"version", r.policy_version}, {"partnership", r.partnership}};
  j["status"] = r.status;
  j["stage"] = r.stage;
  j["stage_title"] = r.stage_title;
  j["stage_count"] = r.stage_count;
  j["raised_at"] = zone.format(r.raised_at);
  j["working_days"] = r.working_days;
  j["category"] = r.category;
  j["category_label"] = r.category_label;
  j["summary"] = r.summary;
  j["requested_action"] = opt_text(r.requested_action);
  j["risk"] = opt_text(r.risk);
  j["child"] = {{"ref", opt_text(r.child.ref)}, {"name", opt_text(r.child.name)}, {"dob", opt_text(r.child.dob)},
                {"nhs", opt_text(r.child.nhs)}};
  j["parties"] = json::array();
  for (const Party* p : {&r.raiser, &r.counterpart})
    j["parties"].push_back({{"role", p->role}, {"name", p->name}, {"agency", opt_text(p->agency)}, {"agency_type", p->agency_type}});
  j["stages"] = json::array();
  for (const auto& s : r.stages) {
    json sj;
    sj["stage"] = s.number;
    sj["title"] = s.title;
    sj["handlers"] = {{"raiser", s.raiser_handler}, {"counterpart", s.counterpart_handler}};
    sj["entered_at"] = zone.format(s.entered_at);
    sj["left_at"] = s.left_at ? json(zone.format(*s.left_at)) : json(nullptr);
    sj["left_by"] = opt_text(s.left_by);
    sj["left_to"] = s.left_to ? json(*s.left_to) : json(nullptr);
    sj["reason"] = opt_text(s.left_reason);
    sj["notifies_partnership"] = s.notifies_partnership;
    sj["forms"] = s.forms;
    sj["deadlines"] = json::array();
    for (const auto& d : s.deadlines) sj["deadlines"].push_back(report_deadline_json(zone, d));
    j["stages"].push_back(sj);
  }
  j["case_deadlines"] = json::array();
  for (const auto& d : r.case_deadlines) j["case_deadlines"].push_back(report_deadline_json(zone, d));
  j["chronology"] = json::array();
  for (const auto& e : r.chronology)
    j["chronology"].push_back({{"at", zone.format(e.at)},
                               {"kind", e.kind},
                               {"record", e.record ? json(*e.record) : json(nullptr)},
                               {"stage", e.stage},
                               {"channel", opt_text(e.channel)},
                               {"with", opt_text(e.with)},
                               {"text", e.text},
                               {"action", opt_text(e.action)},
                               {"action_due", opt_text(e.action_due)},
                               {"corrects", e.corrects ? json(*e.corrects) : json(nullptr)}});
  j["actions"] = json::array();
  for (const auto& a : r.actions)
    j["actions"].push_back({{"at", zone.format(a.at)}, {"record", a.record}, {"kind", a.kind}, {"text", a.text}, {"due", opt_text(a.due)}});
  if (r.resolution)
    j["resolution"] = {{"at", zone.format(r.resolution->at)},
                       {"stage", r.resolution->stage},
                       {"outcome", r.resolution->outcome},
                       {"agreed_by", opt_text(r.resolution->agreed_by)},
                       {"learning", opt_text(r.resolution->learning)},
                       {"delay_reason", opt_text(r.resolution->delay_reason)}};
  else
    j["resolution"] = nullptr;
  return j;
}

// The labelled parts of the case report are built once, here; each format
// only renders them.

/// One labelled value. The text report shows `text_label`, short and in lower
/// case to fit its column (in a stage's lines: what leads the line); Markdown
/// and HTML show heading().
struct Item {
  std::string text_label;
  std::string value;
  std::string label = {};  ///< "": the text label capitalised

  std::string heading() const { return label.empty() ? capital(text_label) : label; }
};
using Items = std::vector<Item>;

struct CaseItems {
  Items about;   ///< the policy and partnership: HTML puts them under its title
  Items status;  ///< the status and the report's date
  std::vector<std::pair<std::string, Items>> parts;  ///< titled: parties, child, disagreement
  std::vector<Items> stages;                         ///< what each stage lists before its deadlines
  Items outcome;
};

CaseItems case_items(const CaseReport& r) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  CaseItems out;
  out.about = {{"policy", fmt::format("{} ({}), {}", r.policy_name, r.policy_id, r.policy_version)},
               {"partnership", r.partnership}};
  out.status = {{"status", status_line(r, zone)}, {"report made", local_minute(zone, r.generated_at)}};
  out.parts.push_back({"Parties", {{"raiser", party_line(r.raiser)}, {"counterpart", party_line(r.counterpart)}}});
  out.parts.push_back({"Child",
                       {{"reference", r.child.ref},
                        {"name", r.child.name},
                        {"date of birth", r.child.dob},
                        {"NHS number", nhs_spaced(r.child.nhs)}}});
  Items disagreement{{"raised", local_minute(zone, r.raised_at)},
                     {"category", r.category_label + " (" + r.category + ")"},
                     {"summary", r.summary},
                     {"requested", r.requested_action, "Requested action"}};
  if (!r.risk.empty()) disagreement.push_back({"risk", r.risk});
  out.parts.push_back({"Disagreement", std::move(disagreement)});
  for (const auto& s : r.stages) {
    Items items{{"", stage_span(zone, r, s) + (s.left_reason.empty() ? "" : ": " + s.left_reason), "When"},
                {"handled by: ",
                 fmt::format("{} for the raiser ({}); {} for the counterpart ({})", s.raiser_handler,
                             r.raiser.agency_type, s.counterpart_handler, r.counterpart.agency_type),
                 "Handled by"}};
    if (s.notifies_partnership) items.push_back({"the partnership is ", "notified at this " + r.stage_term, "Partnership"});
    out.stages.push_back(std::move(items));
  }
  if (!r.resolution) {
    out.outcome = {{"current", status_line(r, zone)},
                   {"working days", fmt::format("{} since raising (not resolved)", r.working_days)}};
  } else {
    out.outcome = {
        {"resolved", fmt::format("{} at {} {}", local_minute(zone, r.resolution->at), r.stage_term, r.resolution->stage)},
        {"working days", fmt::format("{} from raising to resolution", r.working_days)},
        {"outcome", r.resolution->outcome},
        {"agreed by", r.resolution->agreed_by},
        {"learning", r.resolution->learning, "Learning points"}};
    if (!r.resolution->delay_reason.empty()) out.outcome.push_back({"delay reason", r.resolution->delay_reason});
  }
  return out;
}

void case_text(const Context& ctx, const CaseReport& r, std::ostream& o) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  const CaseItems items = case_items(r);
  auto fields = [&](const Items& list) {
    for (const auto& it : list)
      o << fmt::format("  {:<15} {}\n", it.text_label + ":", it.value.empty() ? "-" : safe(it.value));
  };
  o << bold(ctx, fmt::format("Escalation record: case {}", r.id)) << '\n';
  fields(items.about);
  fields(items.status);
  for (const auto& [title, list] : items.parts) {
    o << '\n' << bold(ctx, title) << '\n';
    fields(list);
  }

  o << '\n' << bold(ctx, capital(r.stage_term) + "s") << '\n';
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const ReportStage& s = r.stages[i];
    o << fmt::format("  {} {}: {}\n", capital(r.stage_term), s.number, safe(s.title));
    for (const auto& it : items.stages[i]) o << "    " << it.text_label << safe(it.value) << '\n';
    for (const auto& [d, outcome] : s.deadlines) {
      std::string done = deadline_done(zone, d);
      o << fmt::format("    [{}] {}\n        {}; due {}{}\n", name(outcome), safe(d.action), deadline_what(r, d),
                       d.due.iso(), done.empty() ? "" : "; " + done);
      for (const auto& sh : d.shifts) o << "        " << safe(shift_text(zone, r, sh)) << '\n';
    }
  }
  for (const auto& [d, outcome] : r.case_deadlines) {
    std::string done = deadline_done(zone, d);
    o << fmt::format("  {}: [{}] {}\n        {}; due {}{}\n", capital(stage_label(r.stage_term, d)),
                     name(outcome), safe(d.action), deadline_what(r, d), d.due.iso(), done.empty() ? "" : "; " + done);
    for (const auto& sh : d.shifts) o << "        " << safe(shift_text(zone, r, sh)) << '\n';
  }

  o << '\n' << bold(ctx, fmt::format("Chronology ({})", r.chronology.size())) << '\n';
  for (const auto& e : r.chronology) {
    o << "  " << safe(chron_head(zone, e)) << '\n' << "      " << safe(e.text) << '\n';
    if (std::string extra = chron_extra(e); !extra.empty()) o << "      " << safe(extra) << '\n';
  }

  o << '\n' << bold(ctx, "Actions agreed") << '\n';
  if (r.actions.empty()) o << "  -\n";
  for (const auto& a : r.actions) o << "  - " << safe(action_text(zone, a)) << '\n';

  o << '\n' << bold(ctx, "Outcome") << '\n';
  fields(items.outcome);
}

void case_markdown(const CaseReport& r, std::ostream& o) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  const CaseItems items = case_items(r);
  auto list = [&](const Items& l) {
    for (const auto& it : l) o << "- **" << it.heading() << ":** " << (it.value.empty() ? "-" : md(it.value)) << '\n';
  };
  o << "# Escalation record: case " << r.id << "\n\n";
  list(items.about);
  list(items.status);
  for (const auto& [title, l] : items.parts) {
    o << "\n## " << title << "\n\n";
    list(l);
  }
  o << "\n## " << capital(r.stage_term) << "s\n";
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const ReportStage& s = r.stages[i];
    o << "\n### " << capital(r.stage_term) << " " << s.number << ": " << md(s.title) << "\n\n";
    list(items.stages[i]);
    if (s.deadlines.empty()) continue;
    o << "\n| Deadline | Timescale | Due | State | Done |\n|---|---|---|---|---|\n";
    for (const auto& [d, outcome] : s.deadlines)
      o << "| " << md(d.action) << " | " << md(deadline_what(r, d)) << " | " << d.due.iso() << " | "
        << name(outcome) << " | " << md(deadline_done(zone, d)) << " |\n";
  }
  if (!r.case_deadlines.empty()) {
    o << "\n### Whole case\n\n| Deadline | Timescale | Due | State | Done |\n|---|---|---|---|---|\n";
    for (const auto& [d, outcome] : r.case_deadlines)
      o << "| " << md(capital(stage_label(r.stage_term, d)) + ": " + d.action) << " | " << md(deadline_what(r, d))
        << " | " << d.due.iso() << " | " << name(outcome) << " | " << md(deadline_done(zone, d)) << " |\n";
  }
  o << "\n## Chronology\n\n| When | What | Who | Record |\n|---|---|---|---|\n";
  for (const auto& e : r.chronology) {
    std::string what = e.text;
    if (std::string extra = chron_extra(e); !extra.empty()) what += " (" + extra + ")";
    o << "| " << local_minute(zone, e.at) << " | " << md(e.kind + (e.channel.empty() ? "" : ", " + e.channel) + ": " + what)
      << " | " << md(e.with) << " | " << (e.record ? fmt::format("#{}", *e.record) : "") << " |\n";
  }
  o << "\n## Actions agreed\n\n";
  if (r.actions.empty()) o << "- -\n";
  for (const auto& a : r.actions) o << "- " << md(action_text(zone, a)) << '\n';
  o << "\n## Outcome\n\n";
  list(items.outcome);
}

void html_deadline_rows(std::ostream& o, const CaseReport& r, const TimeZone& zone, const std::vector<ReportDeadline>& ds,
                        bool label_stage) {
  o << "<table><thead><tr><th>Deadline</th><th>Timescale</th><th>Due</th><th>State</th><th>Done</th></tr></thead><tbody>\n";
  for (const auto& [d, outcome] : ds) {
    std::string action = label_stage ? capital(stage_label(r.stage_term, d)) + ": " + d.action : d.action;
    std::string shifts;
    for (const auto& s : d.shifts) shifts += "<br>" + html_escape(shift_text(zone, r, s));
    o << "<tr><td>" << html_escape(action) << shifts << "</td><td>" << html_escape(deadline_what(r, d)) << "</td><td>"
      << d.due.iso() << "</td><td class=\"" << state_class(outcome) << "\">" << name(outcome) << "</td><td>"
      << html_escape(deadline_done(zone, d)) << "</td></tr>\n";
  }
  o << "</tbody></table>\n";
}

void case_html(const CaseReport& r, std::ostream& o) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  const CaseItems items = case_items(r);
  auto dl = [&](const Items& l) {
    o << "<dl class=\"fields\">\n";
    for (const auto& it : l)
      o << "<dt>" << html_escape(it.heading()) << "</dt><dd>" << (it.value.empty() ? "-" : html_escape(it.value)) << "</dd>\n";
    o << "</dl>\n";
  };
  html_head(o, fmt::format("Escalation record: case {}", r.id));
  std::string about;
  for (const auto& it : items.about) about += (about.empty() ? "" : ". ") + it.value;
  o << "<h1>Escalation record: case " << r.id << "</h1>\n<p class=\"meta\">" << html_escape(about) << "</p>\n";
  dl(items.status);
  for (const auto& [title, l] : items.parts) {
    o << "<h2>" << html_escape(title) << "</h2>\n";
    dl(l);
  }
  o << "<h2>" << html_escape(capital(r.stage_term)) << "s</h2>\n";
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const ReportStage& s = r.stages[i];
    o << "<section class=\"stage\">\n<h3>" << html_escape(fmt::format("{} {}: {}", capital(r.stage_term), s.number, s.title))
      << "</h3>\n";
    dl(items.stages[i]);
    if (!s.deadlines.empty()) html_deadline_rows(o, r, zone, s.deadlines, false);
    o << "</section>\n";
  }
  if (!r.case_deadlines.empty()) {
    o << "<h3>Whole case</h3>\n";
    html_deadline_rows(o, r, zone, r.case_deadlines, true);
  }
  o << "<h2>Chronology</h2>\n<table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Record</th></tr></thead><tbody>\n";
  for (const auto& e : r.chronology) {
    std::string what = e.text;
    if (std::string extra = chron_extra(e); !extra.empty()) what += " (" + extra + ")";
    o << "<tr><td>" << local_minute(zone, e.at) << "</td><td>"
      << html_escape(e.kind + (e.channel.empty() ? "" : ", " + e.channel) + ": " + what) << "</td><td>" << html_escape(e.with)
      << "</td><td>" << (e.record ? fmt::format("#{}", *e.record) : "") << "</td></tr>\n";
  }
  o << "</tbody></table>\n<h2>Actions agreed</h2>\n<ul class=\"plain\">\n";
  if (r.actions.empty()) o << "<li>-</li>\n";
  for (const auto& a : r.actions) o << "<li>" << html_escape(action_text(zone, a)) << "</li>\n";
  o << "</ul>\n<h2>Outcome</h2>\n";
  dl(items.outcome);
  html_foot(o, fmt::format("Case {} ({}), made by esc on {}.", r.id, r.uuid, local_minute(zone, r.generated_at)));
}

}  // namespace

void print_case_report(const Context& ctx, const CaseReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::json: return print_json(case_report_json(r));
    case ReportFormat::markdown: return case_markdown(r, std::cout);
    case ReportFormat::html: return case_html(r, std::cout);
    case ReportFormat::csv: throw InternalError("a case report has no CSV: the command refuses --format csv");
    case ReportFormat::text: return case_text(ctx, r, std::cout);
  }
}

// ---------------------------------------------------------------------------
// Forms.

void print_form_list(const Policy& p, ReportFormat f) {
  switch (f) {
    case ReportFormat::json: {
      json j = json::array();
      for (const auto& form : p.forms)
        j.push_back({{"id", form.id}, {"name", form.name}, {"appendix", opt_text(form.appendix)}});
      return print_json(j);
    }
    case ReportFormat::text:
      for (const auto& form : p.forms) std::cout << safe(form.name) << '\t' << form.id << '\t' << safe(form.appendix) << '\n';
      return;
    case ReportFormat::markdown:
    case ReportFormat::html:
    case ReportFormat::csv: throw InternalError("the form list is text or JSON: the command refuses other formats");
  }
}

void print_form(const Context& ctx, const CaseReport& r, const FilledForm& form, ReportFormat f) {
  const char* missing_mark = "[missing]";
  std::string head = form.name + (form.appendix.empty() ? "" : " (" + form.appendix + ")");
  std::string about = fmt::format("{} policy, case {}, filled on {}", form.policy_id, form.case_id, form.date.iso());
  std::ostream& o = std::cout;
  switch (f) {
    case ReportFormat::csv: throw InternalError("a form has no CSV: the command refuses --format csv");
    case ReportFormat::json: {
      json j;
      j["report"] = "form";
      j["case"] = form.case_id;
      j["policy"] = form.policy_id;
      j["form"] = {{"id", form.id}, {"name", form.name}, {"appendix", opt_text(form.appendix)}, {"send_to", opt_text(form.send_to)}};
      j["date"] = form.date.iso();
      j["fields"] = json::array();
      json missing = json::array();
      for (const auto& ff : form.fields) {
        std::string v;
        for (const auto& l : ff.value) v += (v.empty() ? "" : "\n") + l;
        j["fields"].push_back({{"id", ff.id},
                               {"label", ff.label},
                               {"source", ff.source},
                               {"value", ff.missing() ? json(nullptr) : json(v)},
                               {"missing", ff.missing()}});
        if (ff.missing()) missing.push_back(ff.id);
      }
      j["missing"] = missing;
      return print_json(j);
    }
    case ReportFormat::markdown: {
      o << "# " << md(head) << "\n\n" << md(about) << "\n\n";
      if (!form.send_to.empty()) o << "**Send to:** " << md(form.send_to) << "\n\n";
      for (const auto& ff : form.fields) {
        o << "## " << md(ff.label) << "\n\n";
        if (ff.missing()) o << "**" << missing_mark << "**\n\n";
        else if (ff.value.size() == 1) o << md(ff.value.front()) << "\n\n";
        else {
          for (const auto& l : ff.value) o << "- " << md(l) << '\n';
          o << '\n';
        }
      }
      return;
    }
    case ReportFormat::html: {
      html_head(o, head + fmt::format(": case {}", form.case_id));
      o << "<h1>" << html_escape(form.name) << "</h1>\n<p class=\"meta\">"
        << html_escape((form.appendix.empty() ? "" : form.appendix + ". ") + form.partnership + ". " + about) << "</p>\n";
      if (!form.send_to.empty()) o << "<p><strong>Send to:</strong> " << html_escape(form.send_to) << "</p>\n";
      o << "<dl class=\"fields\">\n";
      for (const auto& ff : form.fields) {
        o << "<dt>" << html_escape(ff.label) << "</dt>";
        if (ff.missing()) o << "<dd class=\"missing\">" << missing_mark << "</dd>\n";
        else o << "<dd>" << html_lines(ff.value) << "</dd>\n";
      }
      o << "</dl>\n";
      html_foot(o, fmt::format("Case {} ({}), filled by esc on {}.", r.id, r.uuid, form.date.iso()));
      return;
    }
    case ReportFormat::text: {
      o << bold(ctx, safe(head)) << '\n' << safe(about) << '\n';
      if (!form.send_to.empty()) o << "Send to: " << safe(form.send_to) << '\n';
      for (const auto& ff : form.fields) {
        o << '\n' << bold(ctx, safe(ff.label) + ":");
        if (ff.missing()) o << ' ' << red(ctx, missing_mark) << '\n';
        else if (ff.value.size() == 1 && ff.value.front().find('\n') == std::string::npos) o << ' ' << safe(ff.value.front()) << '\n';
        else {
          o << '\n';
          for (const auto& l : ff.value) o << "  " << safe(l) << '\n';
        }
      }
      return;
    }
  }
}

// ---------------------------------------------------------------------------
// The partnership return.

namespace {

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
