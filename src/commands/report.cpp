// esc report: the written record of a case, a form the policy names filled
// from it, or the partnership return (figures only).

#include "cli/case_view.hpp"
#include "cli/commands.hpp"
#include "cli/report_view.hpp"

#include <esc/error.hpp>
#include <esc/report.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {

struct ReportOptions {
  std::optional<int64_t> id;
  std::string form;
  std::string format = "text";
  bool json = false;
  std::string from;
  std::string to;
  std::string policy;
  std::string table;
};

ReportFormat parse_report_format(const std::string& name) {
  if (name == "text") return ReportFormat::text;
  if (name == "markdown") return ReportFormat::markdown;
  if (name == "json") return ReportFormat::json;
  if (name == "html") return ReportFormat::html;
  if (name == "csv") return ReportFormat::csv;
  throw UsageError(fmt::format("--format takes text, markdown, json, html or csv, not '{}'", name));
}

Date parse_day(const std::string& option, const std::string& text) {
  try {
    return Date::parse(text);
  } catch (const DataError& e) {
    throw UsageError(fmt::format("{}: {}", option, e.what()));
  }
}

void run_case_report(const Context& ctx, const ReportOptions& o, ReportFormat format) {
  if (!o.table.empty()) throw UsageError("--table is for the partnership return (esc report without ID)");
  for (const auto& [name, value] : {std::pair{"--from", &o.from}, {"--to", &o.to}, {"--policy", &o.policy}})
    if (!value->empty())
      throw UsageError(fmt::format("{} is for the partnership return (esc report without ID)", name));
  const bool list = o.form == "list";
  if (list && format != ReportFormat::text && format != ReportFormat::json)
    throw UsageError(fmt::format("--form list prints text or JSON, not {}: use --format text, or --json", o.format));
  if (format == ReportFormat::csv)
    throw UsageError("--format csv is for the partnership return (esc report without ID)");
  Session s = open_session(ctx, false);
  Case c = s.service->load(*o.id);
  const Policy& p = s.service->policy_of(c);
  if (list) {
    print_form_list(p, format);
    if (p.forms.empty()) std::cerr << "esc: the " << p.id << " policy names no forms\n";
    return;
  }
  CaseReport r = build_case_report(c, p, s.service->now());
  if (o.form.empty()) return print_case_report(ctx, r, format);
  FilledForm filled = fill_form(r, find_form(p, o.form));
  // The form first, then what is missing, so a practitioner sees both.
  print_form(ctx, r, filled, format);
  std::cout.flush();
  // A form that was not written has nothing to warn about: the one line is
  // that the output failed (cli/app.cpp checks it).
  if (!std::cout) return;
  std::vector<Notice> warnings;
  for (const FilledField* f : filled.missing())
    warnings.push_back({fmt::format("{}: '{}' is missing: {}", filled.id, f->label, f->hint.text), f->hint.hint});
  print_warnings(warnings);
}

void run_return(const Context& ctx, const ReportOptions& o, ReportFormat format) {
  if (!o.form.empty()) throw UsageError("--form fills a form from one case: give the case's ID");
  ReturnFilter f;
  if (!o.from.empty()) f.from = parse_day("--from", o.from);
  if (!o.to.empty()) f.to = parse_day("--to", o.to);
  if (f.from && f.to && *f.to < *f.from)
    throw UsageError(fmt::format("--to {} is before --from {}: give a --to on or after {} (the period includes both days)",
                                 f.to->iso(), f.from->iso(), f.from->iso()));
  f.policy = o.policy;
  const auto& names = return_table_names();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  if (!o.table.empty() && std::find(names.begin(), names.end(), o.table) == names.end())
    throw UsageError(fmt::format("no table '{}': --table takes one of {}", o.table, list));
  if (format == ReportFormat::csv && o.table.empty())
    throw UsageError(fmt::format("--format csv prints one table: name it with --table ({})", list));
  // No store is an error (exit 66, naming the path), not a return of no
  // cases: a mistyped or unset path must not pass for a quiet quarter.
  Session s = open_session(ctx, false);
  ListFilter lf;
  lf.all = true;
  lf.policy = f.policy;
  // Only the cases raised near the period are read: a day's margin each side
  // covers any time zone's local date, and build_return checks each case's.
  if (f.from) lf.raised_from = Timestamp{f.from->plus_days(-1).days()};
  if (f.to) lf.raised_before = Timestamp{f.to->plus_days(2).days()};
  // The cases are read one at a time as the return counts them.
  bool any = false;
  PartnershipReturn r = build_return(
      [&](const std::function<void(const Case&)>& count) {
        s.service->visit_cases(lf, false, [&](const Case& c) {
          any = true;
          count(c);
        });
      },
      [&](const Case& c) -> const Policy& { return s.service->policy_of(c); }, f, s.service->now());
  // A policy id no case has and esc does not know is a typo, not an empty return.
  if (!f.policy.empty() && !any) s.policies.resolve(f.policy);
  std::vector<ReportTable> tables = return_tables(r);
  if (!o.table.empty())
    std::erase_if(tables, [&](const ReportTable& t) { return t.name != o.table; });
  print_return(ctx, r, tables, format);
}

}  // namespace

void setup_report(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ReportOptions>();
  sub.add_option("ID", o->id, "The case to report on; without it, the partnership return (figures only)");
  sub.add_option("--form", o->form, "Fill this form of the case's policy (id or name); 'list' lists them");
  sub.add_option("--format", o->format, "text (default), markdown, json, html, or csv (the return, one --table)");
  sub.add_flag("--json", o->json, "Same as --format json");
  sub.add_option("--from", o->from, "Return: cases raised on or after this date, YYYY-MM-DD");
  sub.add_option("--to", o->to, "Return: cases raised on or before this date, YYYY-MM-DD");
  sub.add_option("--policy", o->policy, "Return: only cases under this policy id");
  sub.add_option("--table", o->table, "Return: only this table (required with --format csv)");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      ReportFormat format = parse_report_format(o->json ? "json" : o->format);
      if (o->json && o->format != "text" && o->format != "json")
        throw UsageError("--json and --format " + o->format + " do not go together");
      if (o->id) run_case_report(ctx, *o, format);
      else run_return(ctx, *o, format);
    };
  });
}

}  // namespace esc::cli
