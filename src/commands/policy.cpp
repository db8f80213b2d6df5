// esc policy list | show ID | check FILE...

#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/examples.hpp>
#include <esc/policy.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <iostream>
#include <optional>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

/// When a delay reason becomes due, as the policy writes it: "1 working
/// day", "1 day" (elapsed since raising), "36 hours".
std::optional<std::string> delay_after_text(const Policy& p) {
  if (p.delay_reason_after_hours) {
    int h = *p.delay_reason_after_hours;
    if (h % 24 == 0) return fmt::format("{} day{}", h / 24, h == 24 ? "" : "s");
    return fmt::format("{} hour{}", h, h == 1 ? "" : "s");
  }
  if (p.delay_reason_after) return p.delay_reason_after->text();
  return std::nullopt;
}

json deadline_json(const DeadlineRule& d) {
  json j;
  j["action"] = d.action;
  j["timescale"] = d.timescale.text();
  j["working_days"] = d.timescale.same_day ? 0 : d.timescale.days;
  j["same_working_day"] = d.timescale.same_day;
  j["from"] = d.from == ClockFrom::stage ? "stage" : "case";
  j["met_by"] = d.met_by ? json(*d.met_by) : json(nullptr);
  j["in_writing"] = d.in_writing;
  j["clause"] = d.clause;
  return j;
}

json requirement_json(const Requirement& r) {
  return {{"action", r.action},
          {"form", r.form ? json(*r.form) : json(nullptr)},
          {"notify_partnership", r.notify_partnership},
          {"in_writing", r.in_writing},
          {"kind", name(r.kind)},
          {"to", r.to},
          {"timescale", r.timescale ? json(r.timescale->text()) : json(nullptr)},
          {"clause", r.clause}};
}

json policy_json(const Policy& p) {
  json j;
  j["id"] = p.id;
  j["name"] = p.name;
  j["partnership"] = p.partnership;
  j["partnership_short"] = p.partnership_short;
  j["version"] = p.version;
  j["review_date"] = p.review_date;
  j["calendar"] = p.calendar_name;
  j["time_zone"] = p.time_zone;
  j["stage_term"] = p.stage_term;
  j["contact"] = p.contact;
  j["records_in"] = p.records_in;
  j["source"] = p.source_path;
  json em;
  em["text"] = p.emergency_text;
  em["contacts"] = json::array();
  for (const auto& c : p.emergency_contacts)
    em["contacts"].push_back({{"name", c.name}, {"phone", c.phone}, {"email", c.email}, {"hours", c.hours}});
  j["emergency"] = em;
  j["categories"] = json::array();
  for (const auto& c : p.categories) j["categories"].push_back({{"id", c.id}, {"label", c.label}});
  j["stages"] = json::array();
  for (const auto& s : p.stages) {
    json sj;
    sj["number"] = s.number;
    sj["title"] = s.title;
    sj["handler"] = s.handler;
    sj["expected_outcome"] = s.expected_outcome;
    sj["handlers"] = json::object();
    for (const auto& [type, role] : s.handlers) sj["handlers"][type] = role;
    sj["deadlines"] = json::array();
    for (const auto& d : s.deadlines) sj["deadlines"].push_back(deadline_json(d));
    sj["requires"] = json::array();
    for (const auto& r : s.requires_) sj["requires"].push_back(requirement_json(r));
    sj["notifies_partnership"] = s.notifies_partnership();
    sj["partnership"] = s.partnership;
    j["stages"].push_back(sj);
  }
  j["case_limit"] = p.case_limit ? deadline_json(*p.case_limit) : json(nullptr);
  json moves;
  moves["next"] = p.next_allowed;
  moves["jumps"] = json::array();
  for (const auto& m : p.jumps) moves["jumps"].push_back({{"from", m.from}, {"to", m.to}, {"note", m.note}});
  moves["routes"] = json::array();
  for (const auto& r : p.routes) {
    json when = json::array();
    for (const auto& [a, b] : r.when) when.push_back({a, b});
    moves["routes"].push_back({{"from", r.from}, {"to", r.to}, {"when", when}, {"note", r.note}});
  }
  j["moves"] = moves;
  j["channels"] = {{"preferred", p.channels_preferred}, {"discouraged", p.channels_discouraged}};
  j["pause"] = {{"allowed", p.pause_allowed}, {"term", p.pause_term}, {"reason_required", p.pause_reason_required}};
  j["extension"] = {{"allowed", p.extension_allowed}, {"agreement_required", p.extension_agreement_required}};
  auto delay = delay_after_text(p);
  j["delay_reason_after"] = delay ? json(*delay) : json(nullptr);
  j["resolution"] = {{"outcome_required", p.outcome_required},
                     {"learning_required", p.learning_required},
                     {"agreed_by", p.agreed_by},
                     {"learning_to", p.learning_to},
                     {"learning_referral", p.learning_referral}};
  j["duties"] = json::array();
  for (const auto& d : p.duties) {
    json dj = requirement_json(d.duty);
    dj["on"] = d.on == DutyOn::every_stage ? "every-stage" : "resolve";
    if (d.on == DutyOn::resolve) dj["stages"] = d.stages;  // empty: resolved at any stage
    j["duties"].push_back(dj);
  }
  j["forms"] = json::array();
  for (const auto& f : p.forms) {
    json fields = json::array();
    for (const auto& fl : f.fields)
      fields.push_back({{"id", fl.id}, {"label", fl.label}, {"instruction", fl.instruction}, {"source", fl.source}});
    j["forms"].push_back({{"id", f.id},
                          {"name", f.name},
                          {"appendix", f.appendix},
                          {"send_to", f.send_to},
                          {"reconstructed", f.reconstructed},
                          {"fields", fields}});
  }
  j["closures"] = json::array();
  for (const auto& c : p.closures) j["closures"].push_back({{"date", c.date.iso()}, {"name", c.name}});
  return j;
}

std::string timescale_phrase(const Policy& p, const DeadlineRule& d) {
  std::string from = d.from == ClockFrom::stage ? "the " + p.stage_term + " began" : "the case was raised";
  if (d.timescale.same_day) return "the same working day as " + from;
  return fmt::format("within {} of when {}", d.timescale.text(), from);
}

void show_text(const Context& ctx, const Policy& p) {
  std::cout << bold(ctx, safe(p.name)) << '\n';
  std::cout << fmt::format("  id:          {}\n  partnership: {}{}\n  version:     {}\n", p.id,
                           safe(p.partnership),
                           p.partnership_short.empty() ? "" : " (" + safe(p.partnership_short) + ")",
                           safe(p.version));
  if (!p.review_date.empty()) std::cout << "  review:      " << safe(p.review_date) << '\n';
  if (!p.contact.empty()) std::cout << "  contact:     " << safe(p.contact) << '\n';
  if (!p.records_in.empty()) std::cout << "  records in:  " << safe(p.records_in) << '\n';
  std::cout << fmt::format("  calendar:    {} ({})\n  source:      {}\n", p.calendar_name, p.time_zone,
                           p.source_path);
  std::cout << '\n' << bold(ctx, "If a child is at immediate risk") << '\n'
            << "  " << safe(p.emergency_text) << '\n';
  for (const auto& c : p.emergency_contacts) {
    std::cout << "  - " << safe(c.name);
    if (!c.phone.empty()) std::cout << ": " << safe(c.phone);
    if (!c.email.empty()) std::cout << " " << safe(c.email);
    if (!c.hours.empty()) std::cout << " (" << safe(c.hours) << ")";
    std::cout << '\n';
  }
  std::cout << '\n' << bold(ctx, "Categories") << '\n';
  for (const auto& c : p.categories) std::cout << fmt::format("  {:<28} {}\n", c.id, safe(c.label));
  std::cout << '\n' << bold(ctx, capital(p.stage_term) + "s") << '\n';
  for (const auto& s : p.stages) {
    std::cout << fmt::format("  {} {}: {}\n", capital(p.stage_term), s.number, safe(s.title));
    std::cout << "      handled by: " << safe(s.handler) << '\n';
    for (const auto& [type, role] : s.handlers)
      std::cout << fmt::format("        {}: {}\n", type, safe(role));
    if (!s.expected_outcome.empty()) std::cout << "      expected outcome: " << safe(s.expected_outcome) << '\n';
    if (s.partnership) std::cout << "      the partnership handles this " << p.stage_term << " itself\n";
    for (const auto& d : s.deadlines)
      std::cout << fmt::format("      deadline: {}: {}{}\n", safe(d.action), timescale_phrase(p, d),
                               d.met_by ? " (met by a " + *d.met_by + (d.in_writing ? " in writing" : "") + ")" : "");
    for (const auto& r : s.requires_) {
      std::string form;
      if (r.form && r.action.find(p.form(*r.form)->name) == std::string::npos)
        form = " using the " + p.form(*r.form)->name;
      std::cout << "      requires: " << safe(r.action) << form << '\n';
    }
  }
  bool every_heading = false;
  for (const auto& pd : p.duties) {
    if (pd.on != DutyOn::every_stage) continue;
    if (!every_heading) std::cout << '\n' << bold(ctx, "At every " + p.stage_term) << '\n';
    every_heading = true;
    std::cout << "  " << safe(pd.duty.action) << '\n';
  }
  if (p.case_limit)
    std::cout << fmt::format("\n{} {}: {}\n", bold(ctx, "Whole case:"), safe(p.case_limit->action),
                             timescale_phrase(p, *p.case_limit));
  std::cout << '\n' << bold(ctx, "Moves") << '\n';
  std::cout << "  " << (p.next_allowed ? "to the next " + p.stage_term : "no move to the next " + p.stage_term) << '\n';
  for (const auto& j : p.jumps) {
    std::string from;
    for (int f : j.from) from += (from.empty() ? "" : ", ") + std::to_string(f);
    std::cout << fmt::format("  jump to {} {} (with a reason){}{}\n", p.stage_term, j.to,
                             from.empty() ? "" : " from " + from, j.note.empty() ? "" : ": " + safe(j.note));
  }
  for (const auto& r : p.routes) {
    std::string when;
    for (const auto& [a, b] : r.when) when += (when.empty() ? "" : " or ") + a + " and " + b;
    std::cout << fmt::format("  from {} {} straight to {} when the parties are {}\n", p.stage_term, r.from, r.to, when);
  }
  if (!p.channels_preferred.empty() || !p.channels_discouraged.empty()) {
    std::cout << '\n' << bold(ctx, "Channels") << '\n';
    for (const auto& c : p.channels_preferred) std::cout << "  preferred: " << c << '\n';
    for (const auto& [c, why] : p.channels_discouraged) std::cout << "  discouraged: " << c << ": " << safe(why) << '\n';
  }
  std::cout << '\n' << bold(ctx, "Rules") << '\n';
  std::cout << "  pause (" << safe(p.pause_term) << "): " << (p.pause_allowed ? "allowed, with a reason" : "not provided for") << '\n';
  std::cout << "  extensions: " << (p.extension_allowed ? "allowed when agreed and recorded" : "not provided for") << '\n';
  if (auto delay = delay_after_text(p)) std::cout << "  delay reason required after " << *delay << '\n';
  std::cout << "  resolving needs: " << (p.outcome_required ? "a written outcome statement" : "an outcome")
            << (p.learning_required ? " and learning points" : "") << '\n';
  if (!p.agreed_by.empty()) std::cout << "  agreed by: " << safe(p.agreed_by) << '\n';
  if (!p.learning_to.empty()) std::cout << "  learning points go to: " << safe(p.learning_to) << '\n';
  if (p.learning_referral) std::cout << "  after resolving: refer the learning points to " << safe(p.learning_to) << '\n';
  for (const auto& pd : p.duties)
    if (pd.on == DutyOn::resolve) {
      std::cout << "  after resolving";
      if (!pd.stages.empty()) {
        std::cout << " at " << p.stage_term;
        for (size_t i = 0; i < pd.stages.size(); ++i)
          std::cout << (i == 0 ? " " : i + 1 == pd.stages.size() ? " or " : ", ") << pd.stages[i];
      }
      std::cout << ": " << safe(pd.duty.action) << '\n';
    }
  if (!p.forms.empty()) {
    std::cout << '\n' << bold(ctx, "Forms") << '\n';
    for (const auto& f : p.forms) {
      std::cout << fmt::format("  {}: {}{}\n", f.id, safe(f.name), f.appendix.empty() ? "" : " (" + safe(f.appendix) + ")");
      if (f.reconstructed) std::cout << "      " << k_reconstruction_note << '\n';
    }
  }
}

}  // namespace

void setup_policy(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  auto* list = sub.add_subcommand("list", "List the policies on the search path");
  CLI::Option* list_json = list->add_flag("--json")->description("Print JSON");
  list->callback([&ctx, list_json] {
    ctx.run = [&ctx, list_json] {
      auto lib = ctx.policies();
      auto entries = lib.list();
      json out = json::array();
      std::vector<std::array<std::string, 4>> rows;
      int bad = 0;
      for (const auto& e : entries) {
        try {
          Policy p = lib.load(e.id);
          out.push_back({{"id", p.id}, {"name", p.name}, {"partnership", p.partnership},
                         {"stages", p.stages.size()}, {"source", e.path.string()}});
          rows.push_back({p.id, p.partnership, std::to_string(p.stages.size()), e.path.string()});
        } catch (const Error& err) {
          // One broken file must not hide the others; it is reported and
          // the exit status says so.
          ++bad;
          std::cerr << "esc: error: " << safe(err.what()) << '\n';
        }
      }
      if (*list_json) print_json(out);
      else if (!rows.empty()) {
        size_t w_id = 2, w_p = 11;
        for (const auto& r : rows) w_id = std::max(w_id, r[0].size()), w_p = std::max(w_p, r[1].size());
        std::cout << bold(ctx, fmt::format("{:<{}}  {:<{}}  {:>6}  {}", "ID", w_id, "PARTNERSHIP", w_p, "STAGES", "SOURCE")) << '\n';
        for (const auto& r : rows)
          std::cout << fmt::format("{:<{}}  {:<{}}  {:>6}  {}\n", r[0], w_id, safe(r[1]), w_p, r[2], r[3]);
      }
      if (bad) throw PolicyError(fmt::format("{} policy file{} on the search path {} not valid: 'esc policy check FILE' shows why",
                                             bad, bad == 1 ? "" : "s", bad == 1 ? "is" : "are"));
      if (entries.empty())
        throw NotFoundError("no policies found: put policy files in $ESC_POLICY_PATH or ~/.config/esc/policies");
    };
  });

  auto* show = sub.add_subcommand("show", "Show one policy: stages, handlers, deadlines, moves, forms");
  auto id = std::make_shared<std::string>();
  show->add_option("ID", *id, "Policy id, or a path to a policy file")->required();
  CLI::Option* show_json = show->add_flag("--json")->description("Print JSON");
  show->callback([&ctx, id, show_json] {
    ctx.run = [&ctx, id, show_json] {
      Policy p = ctx.policies().load(*id);
      if (*show_json) return print_json(policy_json(p));
      show_text(ctx, p);
    };
  });

  auto* check = sub.add_subcommand("check", "Check policy files and run their worked examples; exit 0 when all pass");
  auto files = std::make_shared<std::vector<std::string>>();
  check->add_option("FILE", *files, "Policy files")->required();
  CLI::Option* check_quiet = check->add_flag("-q,--quiet")->description("Print only errors and failing examples");
  check->callback([&ctx, files, check_quiet] {
    ctx.run = [files, check_quiet] {
      int bad = 0;
      ErrorKind kind = ErrorKind::config;
      size_t examples = 0, failed = 0;
      for (const auto& f : *files) {
        try {
          Policy p = load_policy_file(f);
          size_t failed_here = 0;
          for (const auto& ex : p.examples) {
            auto failures = run_example(p, ex);
            if (failures.empty()) continue;
            ++failed_here;
            for (const auto& fl : failures)
              std::cerr << "esc: error: " << safe(f) << ": " << safe(fl.message()) << '\n';
          }
          examples += p.examples.size();
          failed += failed_here;
          if (*check_quiet) continue;
          std::string tally =
              p.examples.empty() ? std::string()
              : failed_here      ? fmt::format("; {} of {} example{} failed", failed_here, p.examples.size(),
                                               p.examples.size() == 1 ? "" : "s")
                                 : fmt::format("; {} example{} pass{}", p.examples.size(),
                                               p.examples.size() == 1 ? "" : "s", p.examples.size() == 1 ? "es" : "");
          std::cout << fmt::format("{}: {} ({}, {} {}s{})\n", f, failed_here ? "valid" : "ok", p.id, p.stages.size(),
                                   p.stage_term, tally);
        } catch (const Error& e) {
          // A bad policy outranks a missing file in the exit status.
          if (bad++ == 0 || e.kind() == ErrorKind::config) kind = e.kind();
          std::cerr << "esc: error: " << safe(e.what()) << '\n';
        }
      }
      const char* plural = examples == 1 ? "" : "s";
      std::string summary = failed     ? fmt::format("{} of {} example{} failed", failed, examples, plural)
                            : examples ? fmt::format("{} example{}, all pass", examples, plural)
                                       : std::string("no worked examples");
      if (bad) {
        // An invalid file outranks a failing example in the exit status.
        throw Error(kind, fmt::format("{} of {} policy files are not valid{}", bad, files->size(),
                                      examples ? " (" + summary + " in the others)" : std::string()));
      }
      if (failed) throw DataError(summary);
      if (!*check_quiet) std::cout << summary << '\n';
    };
  });
}

}  // namespace esc::cli
