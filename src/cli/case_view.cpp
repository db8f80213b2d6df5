#include "cli/case_view.hpp"
#include "cli/words.hpp"

#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <iostream>
#include <tuple>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

json opt_time(const TimeZone& zone, const std::optional<Timestamp>& t) {
  return t ? json(zone.format(*t)) : json(nullptr);
}

std::string stage_title(const Policy& p, int stage) {
  const Stage* s = p.stage(stage);
  return s ? s->title : std::string();
}

std::string short_day(Date d) { return d.weekday_name().substr(0, 3) + " " + d.iso(); }

}  // namespace

json opt_text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

Session open_session(const Context& ctx, bool create, bool refresh) {
  Session s{nullptr, ctx.policies(), nullptr};
  StorePathInputs in;
  if (!ctx.db_path.empty()) in.db_option = ctx.db_path;
  in.esc_db = Context::env("ESC_DB");
  in.xdg_data_home = Context::env("XDG_DATA_HOME");
  in.home = Context::env("HOME");
  s.store = std::make_unique<Store>(store_path(in), create);
  s.service = std::make_unique<Service>(*s.store, s.policies, *ctx.clock);
  // A store upgraded from before duties has its copy of them worked out once.
  if (refresh) s.service->refresh_stale_duties();
  return s;
}

json duty_json(const TimeZone& zone, const CaseDeadline& d, DeadlineOutcome o) {
  json j;
  j["key"] = d.key;
  j["kind"] = d.kind;
  j["scope"] = d.scope;
  j["stage"] = d.scope == DeadlineScope::stage ? json(d.stage) : json(nullptr);
  j["action"] = d.action;
  j["clause"] = opt_text(d.clause);
  j["timed"] = d.timed;
  j["due"] = d.timed ? json(d.due.iso()) : json(nullptr);
  j["owed_from"] = d.timed ? json(d.start_date.iso()) : json(d.due.iso());
  j["state"] = std::string(name(o));
  j["met_by"] = d.met_by && *d.met_by != "any" ? json(*d.met_by) : json(nullptr);
  j["meets_it"] = what_meets(d);
  j["in_writing"] = d.in_writing;
  j["to"] = opt_text(d.to);
  j["form"] = d.form ? json(*d.form) : json(nullptr);
  j["done_at"] = opt_time(zone, d.done_at);
  j["closed_by"] = d.closed_by ? json(*d.closed_by) : json(nullptr);
  j["record"] = d.record_id ? json(*d.record_id) : json(nullptr);
  j["entered_at"] = d.closed_by == ClosedBy::record || d.closed_by == ClosedBy::waiver ? opt_time(zone, d.met_entered_at)
                                                                                        : json(nullptr);
  j["entered_late"] = d.entered_late(zone);
  return j;
}

json deadline_json(const TimeZone& zone, const CaseDeadline& d, DeadlineOutcome o, DeadlineWords words) {
  json j;
  j["key"] = d.key;
  j["kind"] = d.kind;
  j["stage"] = stored_stage(d.scope, d.stage);  // 0: the whole case; -1: the check-back
  j["scope"] = d.scope;
  j["action"] = d.action;
  j["timescale"] = d.timescale;
  j["counted_from"] = d.counted_from;
  j["met_by"] = d.met_by ? json(*d.met_by) : json(nullptr);
  j["start"] = d.start_date.iso();
  j["original_due"] = d.original_due.iso();
  j["due"] = d.due.iso();
  j["done_at"] = opt_time(zone, d.done_at);
  j["closed_by"] = d.closed_by ? json(*d.closed_by) : json(nullptr);
  if (words == DeadlineWords::show) {
    j["late"] = d.late ? json(*d.late) : json(nullptr);
    j["overdue"] = o == DeadlineOutcome::overdue;
  }
  j["state"] = std::string(name(o));
  j["shifts"] = json::array();
  for (const auto& s : d.shifts)
    j["shifts"].push_back({{"type", s.type}, {"working_days", s.days}, {"from", s.from_due.iso()}, {"to", s.to_due.iso()}});
  return j;
}

json case_json(const Case& c, const Policy& p, Timestamp now, Personal personal, bool with_records) {
  const TimeZone& zone = TimeZone::get(p.time_zone);
  json j;
  j["id"] = c.id;
  j["uuid"] = c.uuid;
  j["policy"] = c.policy_id;
  j["policy_version"] = c.policy_version;
  j["policy_sha256"] = c.policy_sha256;
  j["status"] = c.status;
  j["stage"] = c.stage;
  j["stage_title"] = stage_title(p, c.stage);
  j["stage_started_at"] = zone.format(c.stage_started_at);
  j["raised_at"] = zone.format(c.raised_at);
  j["paused_at"] = opt_time(zone, c.paused_at);
  j["resolved_at"] = opt_time(zone, c.resolved_at);
  j["category"] = c.category;
  j["summary"] = c.summary;
  j["requested_action"] = opt_text(c.requested_action);
  j["risk"] = opt_text(c.risk);
  const Stage* st = p.stage(c.stage);
  j["parties"] = json::array();
  for (const Party* party : {&c.raiser, &c.counterpart})
    j["parties"].push_back({{"role", party->role},
                            {"name", party->name},
                            {"agency", opt_text(party->agency)},
                            {"agency_type", party->agency_type},
                            {"handler", st ? st->handler_for(party->agency_type) : ""}});
  if (personal == Personal::include)
    j["child"] = {{"ref", opt_text(c.child.ref)},
                  {"name", opt_text(c.child.name)},
                  {"dob", opt_text(c.child.dob)},
                  {"nhs", opt_text(c.child.nhs)}};
  else
    j["child"] = {{"ref", opt_text(c.child.ref)}};
  auto next = c.next_due();
  j["next_due"] = next ? json(next->iso()) : json(nullptr);
  // The next duty, as esc list shows it: an untimed one already owed
  // (due null: without delay), else the timed one due first.
  {
    const CaseDeadline* first = nullptr;
    for (const auto& d : c.deadlines) {
      if (!d.open() || !d.arisen(zone, now)) continue;
      auto rank = [](const CaseDeadline& x) { return std::make_tuple(x.timed, x.due, x.seq); };
      if (!first || rank(d) < rank(*first)) first = &d;
    }
    j["next_duty"] = first ? json{{"key", first->key}, {"action", first->action},
                                  {"due", first->timed ? json(first->due.iso()) : json(nullptr)}}
                           : json(nullptr);
  }
  j["deadlines"] = json::array();
  for (const auto& d : c.deadlines)
    if (d.is_deadline())
      j["deadlines"].push_back(deadline_json(zone, d, deadline_outcome(c, d, p, now), DeadlineWords::show));
  // Every duty, the deadlines among them: open ones first, then in the order
  // they arose.
  j["duties"] = json::array();
  for (bool open : {true, false})
    for (const auto& d : c.deadlines)
      if (d.open() == open && d.arisen(zone, now)) j["duties"].push_back(duty_json(zone, d, deadline_outcome(c, d, p, now)));
  j["events"] = json::array();
  for (const auto& e : c.events) {
    json ej;
    ej["type"] = e.type;
    ej["at"] = zone.format(e.at);
    ej["from_stage"] = e.from_stage ? json(*e.from_stage) : json(nullptr);
    ej["to_stage"] = e.to_stage ? json(*e.to_stage) : json(nullptr);
    ej["reason"] = opt_text(e.reason);
    ej["agreed_by"] = opt_text(e.agreed_by);
    ej["working_days"] = e.days ? json(*e.days) : json(nullptr);
    j["events"].push_back(ej);
  }
  if (const CaseEvent* r = c.resolution())
    j["resolution"] = {{"at", zone.format(r->at)},
                       {"outcome", r->outcome},
                       {"agreed_by", opt_text(r->agreed_by)},
                       {"learning", opt_text(r->learning)},
                       {"delay_reason", opt_text(r->delay_reason)}};
  else
    j["resolution"] = nullptr;
  if (with_records) {
    j["records"] = json::array();
    for (const auto& r : c.records)
      j["records"].push_back({{"id", r.id},
                              {"uuid", r.uuid},
                              {"stage", r.stage},
                              {"at", zone.format(r.at)},
                              {"entered_at", zone.format(r.entered_at)},
                              {"kind", r.kind},
                              {"channel", opt_text(r.channel)},
                              {"with", opt_text(r.with)},
                              {"summary", r.summary},
                              {"action", opt_text(r.action)},
                              {"action_due", opt_text(r.action_due)},
                              {"corrects", r.corrects ? json(*r.corrects) : json(nullptr)},
                              {"to", opt_text(r.to)},
                              {"form", opt_text(r.form)},
                              {"duty", opt_text(r.duty)},
                              {"entered_late", zone.local_date(r.entered_at) > zone.local_date(r.at)}});
  }
  return j;
}

void print_warnings(const std::vector<Notice>& warnings) {
  for (const auto& w : warnings) std::cerr << "esc: warning: " << safe(in_words(w)) << '\n';
}

namespace {

/// The open duties other than the deadlines (notifications, feedback, ...),
/// each with what meets it; `all`: every open duty, the deadlines too.
void print_owed(const Context& ctx, const Case& c, const Policy& p, Timestamp now, bool all) {
  bool any = false;
  const TimeZone& zone = TimeZone::get(p.time_zone);
  for (const auto& d : c.deadlines) {
    if (!d.open() || (!all && d.is_deadline())) continue;
    // A delay reason is owed once the case runs past the policy's time.
    if (!d.arisen(zone, now)) continue;
    if (!any) std::cout << (all ? "  owes:\n" : "  also owes:\n");
    any = true;
    DeadlineOutcome outcome = deadline_outcome(c, d, p, now);
    std::string when = !d.timed ? "no date: without delay"
                       : outcome == DeadlineOutcome::overdue ? red(ctx, "OVERDUE") + ", due " + short_day(d.due)
                                                            : "due " + short_day(d.due);
    std::cout << fmt::format("    {} [{}] {}: {}\n      met by {}\n", d.key,
                             d.scope == DeadlineScope::stage ? stage_label(p.stage_term, d) : std::string(name(d.scope)),
                             safe(d.action), when, safe(what_meets(d)));
  }
}

/// The current stage, its parties and handlers and its open deadlines;
/// `expected`: what the policy expects the stage to end in, too (esc show).
void print_stage_block(const Context& ctx, const Case& c, const Policy& p, Timestamp now, bool expected = false) {
  const Stage* st = p.stage(c.stage);
  std::cout << bold(ctx, fmt::format("{} {} of {}: {}", capital(p.stage_term), c.stage, p.stages.size(),
                                     st ? safe(st->title) : "?"))
            << '\n';
  for (const Party* party : {&c.raiser, &c.counterpart})
    std::cout << fmt::format("  {:<12} {}\n  {:<12}   handled by: {}\n", std::string(name(party->role)) + ":", safe(party_line(*party)), "",
                             st ? safe(st->handler_for(party->agency_type)) : "");
  if (expected && st && !st->expected_outcome.empty())
    std::cout << "  expected outcome: " << safe(st->expected_outcome) << '\n';
  if (expected && st && st->partnership)
    std::cout << "  the partnership handles this " << p.stage_term << " itself\n";
  bool any = false;
  for (const auto& d : c.deadlines) {
    if (!d.open() || !d.is_deadline()) continue;
    if (!any) std::cout << "  deadlines:\n";
    any = true;
    DeadlineOutcome outcome = deadline_outcome(c, d, p, now);
    std::string label = stage_label(p.stage_term, d);
    std::string shown = outcome == DeadlineOutcome::overdue ? red(ctx, "OVERDUE")
                        : outcome == DeadlineOutcome::paused ? yellow(ctx, "paused")
                                                             : "";
    std::cout << fmt::format("    due {}  {}  [{}] {}\n", short_day(d.due), shown.empty() ? "" : shown + " ",
                             label, safe(d.action));
  }
  print_owed(ctx, c, p, now, false);
}

}  // namespace

void print_outcome(const Context& ctx, const Outcome& o, const Policy& p, Timestamp now, const std::string& headline,
                   bool as_json) {
  print_warnings(o.warnings);
  if (as_json) {
    json j = case_json(o.c, p, now, Personal::include, false);
    j["notices"] = json::array();
    for (const auto& n : o.notices) j["notices"].push_back(in_words(n));
    j["warnings"] = json::array();
    for (const auto& w : o.warnings) j["warnings"].push_back(in_words(w));
    if (o.record_id) j["record"] = *o.record_id;
    return print_json(j);
  }
  std::cout << safe(headline) << '\n';
  if (o.c.status != CaseStatus::resolved) print_stage_block(ctx, o.c, p, now);
  for (const auto& n : o.notices) std::cout << "  " << yellow(ctx, "now:") << " " << safe(in_words(n)) << '\n';
}

void run_change(const Context& ctx, bool json, const std::function<Outcome(Service&)>& act,
                const std::function<std::string(const Outcome&, const Policy&)>& headline) {
  Session s = open_session(ctx, false);
  Outcome out = act(*s.service);
  const Policy& p = s.service->policy_of(out.c);
  print_outcome(ctx, out, p, s.service->now(), headline(out, p), json);
}

void print_case(const Context& ctx, const Case& c, const Policy& p, Timestamp now, bool explain) {
  const TimeZone& zone = TimeZone::get(p.time_zone);
  std::string status = c.status == CaseStatus::paused ? safe(p.pause_term) : std::string(name(c.status));
  std::cout << bold(ctx, fmt::format("Case {}", c.id)) << "  " << status << "  " << c.policy_id << " ("
            << safe(c.policy_version) << ")\n";
  std::cout << dim(ctx, fmt::format("  uuid {}  policy text sha256 {}", c.uuid, c.policy_sha256.substr(0, 16)))
            << '\n';
  std::cout << "  raised:    " << zone.format(c.raised_at) << '\n';
  std::cout << "  category:  " << safe(c.category) << '\n';
  std::cout << "  summary:   " << safe(c.summary) << '\n';
  if (!c.requested_action.empty()) std::cout << "  requested: " << safe(c.requested_action) << '\n';
  if (!c.risk.empty()) std::cout << "  risk:      " << red(ctx, c.risk) << '\n';
  std::string child;
  if (!c.child.ref.empty()) child += "ref " + safe(c.child.ref);
  if (!c.child.name.empty()) child += (child.empty() ? "" : ", ") + safe(c.child.name);
  if (!c.child.dob.empty()) child += ", born " + c.child.dob;
  if (!c.child.nhs.empty()) child += ", NHS " + nhs_spaced(c.child.nhs);
  std::cout << "  child:     " << child << "\n\n";

  if (c.status == CaseStatus::resolved) {
    std::cout << bold(ctx, fmt::format("Resolved at {} {}", p.stage_term, c.stage)) << '\n';
    if (const CaseEvent* r = c.resolution()) {
      std::cout << "  at:        " << zone.format(r->at) << '\n';
      std::cout << "  outcome:   " << safe(r->outcome) << '\n';
      if (!r->agreed_by.empty()) std::cout << "  agreed by: " << safe(r->agreed_by) << '\n';
      if (!r->learning.empty()) std::cout << "  learning:  " << safe(r->learning) << '\n';
      if (!r->delay_reason.empty()) std::cout << "  delay:     " << safe(r->delay_reason) << '\n';
    }
  } else {
    print_stage_block(ctx, c, p, now, true);
  }

  std::cout << '\n' << bold(ctx, "Duties") << '\n';
  print_owed(ctx, c, p, now, true);
  bool done_heading = false;
  for (const auto& d : c.deadlines) {
    if (d.open() || d.is_deadline()) continue;
    if (!done_heading) std::cout << "  no longer owed:\n";
    done_heading = true;
    DeadlineOutcome outcome = deadline_outcome(c, d, p, now);
    std::string state(name(outcome));
    if (outcome == DeadlineOutcome::met || outcome == DeadlineOutcome::closed || outcome == DeadlineOutcome::waived)
      state = green(ctx, state);
    else state = yellow(ctx, state);
    std::string how = d.record_id ? fmt::format(" by record #{}", *d.record_id) : "";
    if (d.entered_late(zone))
      how += fmt::format(", {} on {}, entered {}", outcome == DeadlineOutcome::waived ? "waived" : "met",
                         short_day(zone.local_date(*d.done_at)), short_day(zone.local_date(*d.met_entered_at)));
    std::cout << fmt::format("    {} [{}] {}: {} ({}{})\n", d.key,
                             d.scope == DeadlineScope::stage ? stage_label(p.stage_term, d) : std::string(name(d.scope)),
                             safe(d.action), state, d.done_at ? short_day(zone.local_date(*d.done_at)) : "", how);
  }

  std::cout << '\n' << bold(ctx, "Deadlines") << '\n';
  Calendar cal = p.make_calendar();
  for (const auto& d : c.deadlines) {
    if (!d.is_deadline()) continue;
    std::string label = stage_label(p.stage_term, d);
    DeadlineOutcome outcome = deadline_outcome(c, d, p, now);
    std::string state(name(outcome));
    if (outcome == DeadlineOutcome::overdue) state = red(ctx, state);
    else if (outcome == DeadlineOutcome::met || outcome == DeadlineOutcome::closed) state = green(ctx, state);
    else if (outcome == DeadlineOutcome::met_late || outcome == DeadlineOutcome::missed) state = yellow(ctx, state);
    std::cout << fmt::format("  [{}] {}\n      {} {}, due {}: {}", label, safe(d.action),
                             d.met_by                                     ? "a " + *d.met_by
                             : d.scope == DeadlineScope::whole_case ? std::string("resolving the case")
                                                                    : "leaving the " + p.stage_term,
                             within_phrase(d.timescale),
                             short_day(d.due), state);
    if (d.done_at) std::cout << " (" << zone.format(*d.done_at) << ")";
    if (d.entered_late(zone))
      std::cout << fmt::format(" met on {}, entered {}", short_day(zone.local_date(*d.done_at)),
                               short_day(zone.local_date(*d.met_entered_at)));
    std::cout << '\n';
    if (explain) {
      auto ts = Timescale::parse(d.timescale);
      std::cout << fmt::format("      counted from {} ({})\n", short_day(d.start_date),
                               d.scope == DeadlineScope::check_back ? "when the case was resolved"
                               : d.counted_from == "case" ? "when the case was raised"
                                                          : "when the " + p.stage_term + " began");
      if (ts) {
        DueDate due = due_after(cal, d.start_date, *ts);
        if (ts->same_day) std::cout << "      same working day: " << short_day(due.due) << '\n';
        else std::cout << fmt::format("      {}: {}\n", ts->text(), short_day(due.due));
        for (const auto& s : due.skipped)
          std::cout << fmt::format("        skipped {}: {}\n", short_day(s.date), safe(s.reason));
      }
      for (const auto& s : d.shifts) {
        DueDate moved = extend(cal, s.from_due, s.days);
        // A resume names the day the case was halted (the pause before it)
        // as well as the day it resumed.
        std::string halted;
        if (s.type == EventType::resume) {
          std::optional<Timestamp> paused;
          for (const auto& e : c.events)
            if (e.type == EventType::pause && e.at <= s.at) paused = e.at;
          halted = paused ? fmt::format("{} on {}, ", safe(p.pause_term), short_day(zone.local_date(*paused))) : "";
        }
        std::cout << fmt::format("      {}{} on {}: +{} working day{}, {} -> {}{}\n", halted,
                                 s.type == EventType::resume ? "resumed" : "extended", short_day(zone.local_date(s.at)),
                                 s.days, s.days == 1 ? "" : "s", short_day(s.from_due),
                                 short_day(s.to_due), s.reason.empty() ? "" : " (" + safe(s.reason) + ")");
        for (const auto& sk : moved.skipped)
          std::cout << fmt::format("        skipped {}: {}\n", short_day(sk.date), safe(sk.reason));
      }
    }
  }

  std::cout << '\n' << bold(ctx, fmt::format("Records ({})", c.records.size())) << '\n';
  if (!p.records_in.empty()) std::cout << "  to be kept in: " << safe(p.records_in) << '\n';
  for (const auto& r : c.records) {
    std::cout << fmt::format("  #{} {} {}{}{}{}{}: {}\n", r.id, zone.format(r.at), r.kind,
                             r.channel.empty() ? "" : ", " + r.channel, r.with.empty() ? "" : ", with " + safe(r.with),
                             r.to.empty() ? "" : ", to " + safe(r.to), r.form.empty() ? "" : ", form " + safe(r.form),
                             safe(r.summary));
    if (zone.local_date(r.entered_at) > zone.local_date(r.at))
      std::cout << "      " << yellow(ctx, "entered late:") << " entered " << zone.format(r.entered_at) << '\n';
    if (!r.duty.empty()) std::cout << "      duty: " << safe(r.duty) << '\n';
    // (A reminder's record keeps its state and due date in these fields.)
    if (!r.action.empty() && r.kind != k_reminder_kind)
      std::cout << "      action: " << safe(r.action) << (r.action_due.empty() ? "" : " by " + r.action_due) << '\n';
    if (r.corrects) std::cout << "      corrects record #" << *r.corrects << '\n';
  }
}

}  // namespace esc::cli
