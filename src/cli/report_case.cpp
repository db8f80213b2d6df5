// esc report ID: the written record of a case. Text, Markdown and HTML lay
// out the one document case_document() words; JSON is the record's data for
// scripts, the keys esc show shares (see esc-report(1)).

#include "cli/case_view.hpp"
#include "cli/report_escape.hpp"
#include "cli/report_html.hpp"
#include "cli/report_view.hpp"

#include <esc/case_document.hpp>
#include <esc/error.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------
// JSON.

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
  j["policy"] = {{"id", r.policy_id},
                 {"name", r.policy_name},
                 {"version", r.policy_version},
                 {"partnership", r.partnership},
                 {"contact", opt_text(r.contact)},
                 {"records_in", opt_text(r.records_in)},
                 {"learning_to", opt_text(r.learning_to)}};
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
    sj["expected_outcome"] = opt_text(s.expected_outcome);
    sj["notifies_partnership"] = s.notifies_partnership;
    sj["partnership"] = s.partnership;
    sj["forms"] = s.forms;
    sj["deadlines"] = json::array();
    for (const auto& d : s.deadlines) sj["deadlines"].push_back(report_deadline_json(zone, d));
    j["stages"].push_back(sj);
  }
  j["case_deadlines"] = json::array();
  for (const auto& d : r.case_deadlines) j["case_deadlines"].push_back(report_deadline_json(zone, d));
  // Every duty, as esc show --json gives them: the deadlines, then the rest.
  j["duties"] = json::array();
  for (const auto& s : r.stages)
    for (const auto& d : s.deadlines) j["duties"].push_back(duty_json(zone, d.deadline, d.outcome));
  for (const auto& d : r.case_deadlines) j["duties"].push_back(duty_json(zone, d.deadline, d.outcome));
  for (const auto& d : r.duties) j["duties"].push_back(duty_json(zone, d.deadline, d.outcome));
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
                               {"corrects", e.corrects ? json(*e.corrects) : json(nullptr)},
                               {"to", opt_text(e.to)},
                               {"form", opt_text(e.form)},
                               // Set only for an entry made on a later day than it happened.
                               {"entered_at", e.entered_at ? json(zone.format(*e.entered_at)) : json(nullptr)},
                               {"entered_late", e.entered_at.has_value()}});
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

// ---------------------------------------------------------------------------
// Text: a section's title at the margin, what it holds indented under it; a
// table as a list, each row's line and then its details further in.

size_t rows_in(const DocSection& s) {
  size_t n = 0;
  for (const auto& t : s.tables) n += t.rows.size();
  return n;
}

void section_text(const Context& ctx, std::ostream& o, const DocSection& s, size_t depth) {
  const std::string indent(2 * depth + 2, ' ');
  if (depth == 0) {
    o << '\n' << bold(ctx, safe(s.counted ? fmt::format("{} ({})", s.title, rows_in(s)) : s.title)) << '\n';
    for (const auto& f : s.fields)
      o << fmt::format("{}{:<15} {}\n", indent, f.label + ":", f.value.empty() ? "-" : safe(f.value));
  } else {
    if (!s.run_in) o << std::string(2 * depth, ' ') << safe(s.title) << '\n';
    for (const auto& f : s.fields) o << indent << f.label << safe(f.value) << '\n';
  }
  const std::string lead = s.run_in ? std::string(2 * depth, ' ') : indent, further = indent + "    ";
  for (const auto& t : s.tables)
    for (const auto& row : t.rows) {
      o << lead << safe(row.line) << '\n';
      for (const auto& l : row.details) o << further << safe(l) << '\n';
      for (const auto& l : row.notes) o << further << safe(l) << '\n';
    }
  if (s.items) {
    if (s.items->empty()) o << indent << "-\n";
    for (const auto& item : *s.items) o << indent << "- " << safe(item) << '\n';
  }
  for (const auto& sub : s.subsections) section_text(ctx, o, sub, depth + 1);
}

void case_text(const Context& ctx, const CaseDocument& doc, std::ostream& o) {
  o << bold(ctx, safe(doc.title)) << '\n';
  for (const auto* fields : {&doc.about, &doc.under_policy, &doc.fields})
    for (const auto& f : *fields) o << fmt::format("  {:<15} {}\n", f.label + ":", f.value.empty() ? "-" : safe(f.value));
  for (const auto& s : doc.sections) section_text(ctx, o, s, 0);
}

// ---------------------------------------------------------------------------
// Markdown: a heading for each section, a blank line before each part of it.

void fields_markdown(std::ostream& o, const std::vector<DocField>& fields) {
  for (const auto& f : fields) o << "- **" << md(f.heading) << ":** " << (f.value.empty() ? "-" : md(f.value)) << '\n';
}

void section_markdown(std::ostream& o, const DocSection& s, size_t depth) {
  o << '\n' << std::string(depth + 2, '#') << ' ' << md(s.title) << '\n';
  if (!s.fields.empty()) {
    o << '\n';
    fields_markdown(o, s.fields);
  }
  for (const auto& t : s.tables) {
    o << "\n|";
    for (const auto& c : t.columns) o << ' ' << md(c.header) << " |";
    o << "\n|";
    for (size_t i = 0; i < t.columns.size(); ++i) o << "---|";
    o << '\n';
    for (const auto& row : t.rows) {
      o << '|';
      for (size_t i = 0; i < row.cells.size(); ++i) o << ' ' << (t.columns[i].literal ? row.cells[i] : md(row.cells[i])) << " |";
      o << '\n';
    }
  }
  if (s.items) {
    o << '\n';
    if (s.items->empty()) o << "- -\n";
    for (const auto& item : *s.items) o << "- " << md(item) << '\n';
  }
  for (const auto& sub : s.subsections) section_markdown(o, sub, depth + 1);
}

void case_markdown(const CaseDocument& doc, std::ostream& o) {
  o << "# " << md(doc.title) << "\n\n";
  fields_markdown(o, doc.about);
  fields_markdown(o, doc.under_policy);
  fields_markdown(o, doc.fields);
  for (const auto& s : doc.sections) section_markdown(o, s, 0);
}

// ---------------------------------------------------------------------------
// HTML.

std::string state_class(DeadlineOutcome o) {
  switch (o) {
    case DeadlineOutcome::met: return "state-met";
    case DeadlineOutcome::met_late: return "state-late";
    case DeadlineOutcome::missed: return "state-missed";
    case DeadlineOutcome::overdue: return "state-overdue";
    default: return "state-other";
  }
}

void fields_html(std::ostream& o, const std::vector<DocField>& fields) {
  if (fields.empty()) return;
  o << "<dl class=\"fields\">\n";
  for (const auto& f : fields)
    o << "<dt>" << html_escape(f.heading) << "</dt><dd>" << (f.value.empty() ? "-" : html_escape(f.value)) << "</dd>\n";
  o << "</dl>\n";
}

void table_html(std::ostream& o, const DocTable& t) {
  o << "<table><thead><tr>";
  for (const auto& c : t.columns) o << "<th>" << html_escape(c.header) << "</th>";
  o << "</tr></thead><tbody>\n";
  for (const auto& row : t.rows) {
    o << "<tr>";
    for (size_t i = 0; i < row.cells.size(); ++i) {
      o << "<td";
      if (t.columns[i].outcome && row.outcome) o << " class=\"" << state_class(*row.outcome) << '"';
      o << '>' << html_escape(row.cells[i]);
      if (i == 0)
        for (const auto& note : row.notes) o << "<br>" << html_escape(note);
      o << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</tbody></table>\n";
}

void section_html(std::ostream& o, const DocSection& s, size_t depth) {
  if (s.keep_together) o << "<section class=\"stage\">\n";
  o << "<h" << depth + 2 << '>' << html_escape(s.title) << "</h" << depth + 2 << ">\n";
  fields_html(o, s.fields);
  for (const auto& t : s.tables) table_html(o, t);
  if (s.items) {
    o << "<ul class=\"plain\">\n";
    if (s.items->empty()) o << "<li>-</li>\n";
    for (const auto& item : *s.items) o << "<li>" << html_escape(item) << "</li>\n";
    o << "</ul>\n";
  }
  for (const auto& sub : s.subsections) section_html(o, sub, depth + 1);
  if (s.keep_together) o << "</section>\n";
}

void case_html(const CaseDocument& doc, std::ostream& o) {
  html_head(o, doc.title);
  std::string about;
  for (const auto& f : doc.about) about += (about.empty() ? "" : ". ") + f.value;
  o << "<h1>" << html_escape(doc.title) << "</h1>\n<p class=\"meta\">" << html_escape(about) << "</p>\n";
  std::vector<DocField> fields = doc.under_policy;
  fields.insert(fields.end(), doc.fields.begin(), doc.fields.end());
  fields_html(o, fields);
  for (const auto& s : doc.sections) section_html(o, s, 0);
  html_foot(o, fmt::format("Case {} ({}), made by esc on {}.", doc.case_id, doc.uuid, doc.made));
}

}  // namespace

void print_case_report(const Context& ctx, const CaseReport& r, ReportFormat f) {
  switch (f) {
    case ReportFormat::json: return print_json(case_report_json(r));
    case ReportFormat::markdown: return case_markdown(case_document(r), std::cout);
    case ReportFormat::html: return case_html(case_document(r), std::cout);
    case ReportFormat::csv: throw InternalError("a case report has no CSV: the command refuses --format csv");
    case ReportFormat::text: return case_text(ctx, case_document(r), std::cout);
  }
}

}  // namespace esc::cli
