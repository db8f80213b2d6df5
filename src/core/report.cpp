#include <esc/report.hpp>

#include <esc/calendar.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

namespace esc {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

std::string category_label(const Policy& p, const std::string& id) {
  for (const auto& c : p.categories)
    if (c.id == id) return c.label.empty() ? c.id : c.label;
  return id;
}

/// The highest stage a case reached: stages only move forward, so the
/// current one, unless an escalation went further.
int highest_stage(const Case& c) {
  int h = c.stage;
  for (const auto& e : c.events)
    if (e.to_stage) h = std::max(h, *e.to_stage);
  return h;
}

/// The first stage whose requirements notify the partnership, if any.
std::optional<int> partnership_stage(const Policy& p) {
  for (const auto& s : p.stages)
    if (s.notifies_partnership()) return s.number;
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------

std::string_view outcome_name(DeadlineOutcome o) {
  switch (o) {
    case DeadlineOutcome::met: return "met";
    case DeadlineOutcome::met_late: return "met late";
    case DeadlineOutcome::closed: return "closed";
    case DeadlineOutcome::missed: return "missed";
    case DeadlineOutcome::overdue: return "overdue";
    case DeadlineOutcome::open: return "open";
    case DeadlineOutcome::paused: return "paused";
  }
  return "open";
}

DeadlineOutcome deadline_outcome(const Case& c, const CaseDeadline& d, const Policy& p, Timestamp now) {
  if (!d.open()) {
    bool late = d.late.value_or(false);
    // A record of its kind meets it; a deadline no record meets is met by
    // leaving the stage (or by the case being resolved).
    if (d.closed_by == "record" || !d.met_by) return late ? DeadlineOutcome::met_late : DeadlineOutcome::met;
    return late ? DeadlineOutcome::missed : DeadlineOutcome::closed;
  }
  // A check-back comes due after the case is resolved.
  bool live = c.status == "open" || d.stage < 0;
  if (!live) return c.status == "paused" ? DeadlineOutcome::paused : DeadlineOutcome::open;
  return is_overdue(TimeZone::get(p.time_zone), d.due, now) ? DeadlineOutcome::overdue : DeadlineOutcome::open;
}

int working_days_to(const Calendar& cal, Date raised, Date done) {
  return cal.working_days_between(raised.next(), done.next());
}

std::string stage_label(const std::string& stage_term, int stage) {
  if (stage == 0) return "whole case";
  if (stage < 0) return "check back";
  return fmt::format("{} {}", stage_term, stage);
}

// ---------------------------------------------------------------------------
// One case.

CaseReport build_case_report(const Case& c, const Policy& p, Timestamp now) {
  const TimeZone& zone = TimeZone::get(p.time_zone);
  CaseReport r;
  r.id = c.id;
  r.uuid = c.uuid;
  r.policy_id = c.policy_id;
  r.policy_name = p.name;
  r.policy_version = c.policy_version.empty() ? p.version : c.policy_version;
  r.partnership = p.partnership;
  r.time_zone = p.time_zone;
  r.stage_term = p.stage_term;
  r.pause_term = p.pause_term;
  r.status = c.status;
  r.stage = c.stage;
  r.stage_count = static_cast<int>(p.stages.size());
  if (const Stage* st = p.stage(c.stage)) r.stage_title = st->title;
  r.raised_at = c.raised_at;
  r.generated_at = now;
  r.category = c.category;
  r.category_label = category_label(p, c.category);
  r.summary = c.summary;
  r.requested_action = c.requested_action;
  r.risk = c.risk;
  r.child = c.child;
  r.raiser = c.raiser;
  r.counterpart = c.counterpart;

  // The stages, from the raise and escalate events.
  auto enter = [&](int number, Timestamp at) {
    ReportStage s;
    s.number = number;
    s.entered_at = at;
    if (const Stage* st = p.stage(number)) {
      s.title = st->title;
      s.raiser_handler = st->handler_for(c.raiser.agency_type);
      s.counterpart_handler = st->handler_for(c.counterpart.agency_type);
      s.notifies_partnership = st->notifies_partnership();
      for (const auto& req : st->requires_)
        if (req.form && std::find(s.forms.begin(), s.forms.end(), *req.form) == s.forms.end()) s.forms.push_back(*req.form);
    }
    r.stages.push_back(std::move(s));
  };
  for (const auto& e : c.events) {
    if (e.type == "raise") {
      enter(e.to_stage.value_or(1), e.at);
    } else if (e.type == "escalate" || e.type == "resolve") {
      if (r.stages.empty()) enter(e.from_stage.value_or(1), c.raised_at);
      ReportStage& last = r.stages.back();
      last.left_at = e.at;
      last.left_by = e.type;
      if (e.type == "escalate") {
        last.left_to = e.to_stage;
        last.left_reason = e.reason;
        enter(e.to_stage.value_or(last.number + 1), e.at);
      }
    }
  }
  if (r.stages.empty()) enter(c.stage, c.raised_at);
  for (const auto& d : c.deadlines) {
    ReportDeadline rd{d, deadline_outcome(c, d, p, now)};
    auto it = std::find_if(r.stages.begin(), r.stages.end(), [&](const ReportStage& s) { return s.number == d.stage; });
    if (d.stage > 0 && it != r.stages.end()) it->deadlines.push_back(std::move(rd));
    else r.case_deadlines.push_back(std::move(rd));
  }

  // The chronology: every event and every record, oldest first (an event
  // before a record at the same instant, each in the order it was stored).
  for (const auto& e : c.events) {
    ChronologyEntry ch;
    ch.at = e.at;
    ch.kind = e.type;
    ch.with = e.agreed_by;
    ch.stage = e.from_stage.value_or(e.to_stage.value_or(0));
    const std::string term = p.stage_term;
    if (e.type == "raise") {
      ch.stage = e.to_stage.value_or(1);
      ch.text = fmt::format("raised by {} ({}) with {} ({}): {}", c.raiser.name, c.raiser.agency_type,
                            c.counterpart.name, c.counterpart.agency_type, c.summary);
    } else if (e.type == "escalate") {
      ch.text = fmt::format("escalated from {} {} to {} {}: {}", term, e.from_stage.value_or(0), term,
                            e.to_stage.value_or(0), e.reason);
    } else if (e.type == "pause") {
      ch.text = p.pause_term + (e.reason.empty() ? "" : ": " + e.reason);
    } else if (e.type == "resume") {
      int days = e.days.value_or(0);
      ch.text = fmt::format("resumed; open deadlines moved on {} working day{}{}", days, days == 1 ? "" : "s",
                            e.reason.empty() ? "" : ": " + e.reason);
    } else if (e.type == "extend") {
      int days = e.days.value_or(0);
      ch.text = fmt::format("timescales extended by {} working day{}: {}", days, days == 1 ? "" : "s", e.reason);
    } else if (e.type == "resolve") {
      ch.text = "resolved: " + e.outcome;
    } else {
      ch.text = e.reason;
    }
    r.chronology.push_back(std::move(ch));
  }
  for (const auto& rec : c.records) {
    ChronologyEntry ch;
    ch.at = rec.at;
    ch.kind = rec.kind;
    ch.record = rec.id;
    ch.stage = rec.stage;
    ch.channel = rec.channel;
    ch.with = rec.with;
    ch.text = rec.summary;
    ch.action = rec.action;
    ch.action_due = rec.action_due;
    ch.corrects = rec.corrects;
    r.chronology.push_back(std::move(ch));
    if (rec.kind == "plan") r.actions.push_back({rec.at, rec.id, rec.kind, rec.summary, ""});
    if (!rec.action.empty()) r.actions.push_back({rec.at, rec.id, rec.kind, rec.action, rec.action_due});
  }
  std::stable_sort(r.chronology.begin(), r.chronology.end(),
                   [](const ChronologyEntry& a, const ChronologyEntry& b) { return a.at < b.at; });

  Calendar cal = p.make_calendar();
  Date raised = zone.local_date(c.raised_at);
  if (const CaseEvent* e = c.resolution()) {
    r.resolution = ReportResolution{e->at, e->from_stage.value_or(c.stage), e->outcome, e->agreed_by, e->learning,
                                    e->delay_reason};
    r.working_days = working_days_to(cal, raised, zone.local_date(e->at));
  } else {
    r.working_days = working_days_to(cal, raised, std::max(raised, zone.local_date(now)));
  }
  return r;
}

// ---------------------------------------------------------------------------
// Forms.

std::vector<const FilledField*> FilledForm::missing() const {
  std::vector<const FilledField*> out;
  for (const auto& f : fields)
    if (f.missing()) out.push_back(&f);
  return out;
}

const Form& find_form(const Policy& p, std::string_view name) {
  for (const auto& f : p.forms)
    if (f.id == name || lower(f.name) == lower(name)) return f;
  if (p.forms.empty())
    throw UsageError(fmt::format("the {} policy names no forms, so there is no form '{}'", p.id, name));
  std::string list;
  for (const auto& f : p.forms) list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", f.id, f.name);
  throw UsageError(fmt::format("the {} policy has no form '{}': use one of {}", p.id, name, list));
}

FilledForm fill_form(const CaseReport& r, const Form& f) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  FilledForm out;
  out.id = f.id;
  out.name = f.name;
  out.appendix = f.appendix;
  out.send_to = f.send_to;
  out.policy_id = r.policy_id;
  out.partnership = r.partnership;
  out.case_id = r.id;
  out.date = zone.local_date(r.generated_at);
  const std::string term = capital(r.stage_term);
  const std::string hand = ": fill it in by hand";

  for (const auto& field : f.fields) {
    FilledField ff{field.id, field.label, field.source, {}, {}};
    auto& v = ff.value;
    auto one = [&](const std::string& s) {
      if (!s.empty()) v.push_back(s);
    };
    const std::string& s = field.source;
    if (s == "date") {
      one(out.date.iso());
    } else if (s == "raised_date") {
      one(zone.local_date(r.raised_at).iso());
    } else if (s == "child.name") {
      one(r.child.name);
      ff.hint = "the case was raised without the child's name (--child)" + hand;
    } else if (s == "child.ref") {
      one(r.child.ref);
      ff.hint = "the case was raised without the child's reference (--child-ref)" + hand;
    } else if (s == "child.dob") {
      one(r.child.dob);
      ff.hint = "the case was raised without the child's date of birth (--dob)" + hand;
    } else if (s == "child.nhs") {
      one(nhs_spaced(r.child.nhs));
      ff.hint = "the case was raised without the child's NHS number (--nhs)" + hand;
    } else if (s == "raiser.name") {
      one(r.raiser.name);
    } else if (s == "raiser.agency") {
      one(r.raiser.agency);
      ff.hint = "the case was raised without the raiser's agency (--raiser-agency)" + hand;
    } else if (s == "raiser.agency_type") {
      one(r.raiser.agency_type);
    } else if (s == "counterpart.name") {
      one(r.counterpart.name);
    } else if (s == "counterpart.agency") {
      one(r.counterpart.agency);
      ff.hint = "the case was raised without the counterpart's agency (--counterpart-agency)" + hand;
    } else if (s == "counterpart.agency_type") {
      one(r.counterpart.agency_type);
    } else if (s == "category") {
      one(r.category_label);
    } else if (s == "summary") {
      one(r.summary);
    } else if (s == "stage") {
      std::string line = fmt::format("{} {} of {}: {}", term, r.stage, r.stage_count, r.stage_title);
      if (r.resolution) line += fmt::format(" (resolved on {})", zone.local_date(r.resolution->at).iso());
      one(line);
    } else if (s == "stage_history") {
      for (const auto& st : r.stages) {
        std::string line = fmt::format("{} {}, {}: {}", term, st.number, st.title, zone.local_date(st.entered_at).iso());
        if (st.left_at) {
          line += " to " + zone.local_date(*st.left_at).iso();
          line += st.left_by == "resolve" ? " (resolved)" : fmt::format(" (escalated to {} {})", r.stage_term, st.left_to.value_or(0));
        } else {
          line += " (current)";
        }
        one(line);
      }
    } else if (s == "handlers") {
      for (const auto& st : r.stages)
        one(fmt::format("{} {}: {} ({}): {}; {} ({}): {}", term, st.number, r.raiser.name, r.raiser.agency_type,
                        st.raiser_handler, r.counterpart.name, r.counterpart.agency_type, st.counterpart_handler));
    } else if (s == "requested_action") {
      one(r.requested_action);
      ff.hint = "the case was raised without --requested-action" + hand;
    } else if (s == "response") {
      for (const auto& e : r.chronology)
        if (e.record && (e.kind == "decision" || e.kind == "feedback"))
          one(fmt::format("{} {}: {}", zone.local_date(e.at).iso(), e.kind, e.text));
      ff.hint = fmt::format("no decision or feedback is recorded: esc record {} --kind decision (or feedback)", r.id);
    } else if (s == "resolution") {
      if (r.resolution)
        one(r.resolution->outcome + (r.resolution->agreed_by.empty() ? "" : " (agreed by " + r.resolution->agreed_by + ")"));
      ff.hint = fmt::format("the case is not resolved: esc resolve {} --outcome TEXT", r.id);
    } else if (s == "actions") {
      for (const auto& a : r.actions)
        one(fmt::format("{} {}: {}{}", zone.local_date(a.at).iso(), a.kind, a.text, a.due.empty() ? "" : " (by " + a.due + ")"));
      ff.hint = fmt::format("no plan or agreed action is recorded: esc record {} --kind plan, or --action on a record", r.id);
    } else if (s == "learning") {
      if (r.resolution) one(r.resolution->learning);
      ff.hint = r.resolution ? std::string("the case was resolved without learning points") + hand
                             : fmt::format("learning points are recorded on resolving: esc resolve {} --learning TEXT", r.id);
    } else if (s == "chronology") {
      for (const auto& e : r.chronology)
        one(fmt::format("{} {}{}: {}", local_minute(zone, e.at), e.kind, e.record ? fmt::format(" #{}", *e.record) : "",
                        e.text));
    } else if (s == "delay_reasons") {
      for (const auto& e : r.chronology) {
        if (e.record) continue;
        if (e.kind == "pause" || e.kind == "extend") one(fmt::format("{}: {}", zone.local_date(e.at).iso(), e.text));
      }
      if (r.resolution && !r.resolution->delay_reason.empty())
        one(fmt::format("{}: delay: {}", zone.local_date(r.resolution->at).iso(), r.resolution->delay_reason));
      ff.hint = "no pause, extension or delay reason is recorded";
    }
    if (!ff.missing()) ff.hint.clear();
    out.fields.push_back(std::move(ff));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The partnership return.

DurationStats duration_stats(std::vector<int> days) {
  DurationStats s;
  s.count = static_cast<int>(days.size());
  if (days.empty()) return s;
  std::sort(days.begin(), days.end());
  size_t n = days.size();
  s.median = n % 2 ? days[n / 2] : (days[n / 2 - 1] + days[n / 2]) / 2.0;
  s.p90 = days[(9 * n + 9) / 10 - 1];  // nearest rank: the ceil(0.9 n)-th smallest
  s.longest = days.back();
  return s;
}

std::string PartnershipReturn::BucketRow::label() const {
  if (!high) return fmt::format("{}+", low);
  if (*high == low) return fmt::format("{}", low);
  return fmt::format("{}-{}", low, *high);
}

namespace {

/// Orders stage keys: stages 1..N, then the whole case (0), then check-backs.
int stage_order(int stage) { return stage > 0 ? stage : stage == 0 ? 100000 : 100001; }

size_t type_index(const std::string& t) {
  const auto& types = agency_types();
  return static_cast<size_t>(std::find(types.begin(), types.end(), t) - types.begin());
}

}  // namespace

PartnershipReturn build_return(const std::vector<Case>& cases,
                               const std::function<const Policy&(const Case&)>& policy_of, const ReturnFilter& f,
                               Timestamp now) {
  PartnershipReturn out;
  out.filter = f;
  std::string zone_name = "Europe/London";

  std::map<std::string, const Policy*> policies;          // by id: the first version seen
  std::map<std::string, Calendar> calendars;              // by policy text
  std::map<std::pair<std::string, std::string>, int> category_counts;
  std::map<std::pair<size_t, size_t>, int> pair_counts;
  std::map<std::pair<std::string, int>, PartnershipReturn::StageRow> stage_rows;
  std::map<std::pair<std::string, int>, std::vector<int>> stage_days;
  std::map<std::pair<std::string, int>, PartnershipReturn::DeadlineRow> deadline_rows;
  std::map<std::string, PartnershipReturn::DelayRow> delay_rows;
  std::map<std::string, PartnershipReturn::LimitRow> limit_rows;
  std::vector<int> all_days;
  std::vector<PartnershipReturn::BucketRow> buckets{{0, 0, 0},    {1, 1, 0},    {2, 2, 0},   {3, 3, 0},
                                                    {4, 4, 0},    {5, 5, 0},    {6, 10, 0},  {11, 15, 0},
                                                    {16, 20, 0},  {21, 40, 0},  {41, std::nullopt, 0}};

  for (const auto& c : cases) {
    if (!f.policy.empty() && c.policy_id != f.policy) continue;
    const Policy& p = policy_of(c);
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Date raised = zone.local_date(c.raised_at);
    if ((f.from && raised < *f.from) || (f.to && raised > *f.to)) continue;
    if (policies.empty()) zone_name = p.time_zone;
    policies.emplace(c.policy_id, &p);
    auto cal_it = calendars.find(c.policy_sha256);
    if (cal_it == calendars.end()) cal_it = calendars.emplace(c.policy_sha256, p.make_calendar()).first;
    const Calendar& cal = cal_it->second;
    const bool resolved = c.status == "resolved" && c.resolved_at;

    ++out.raised;
    if (resolved) ++out.resolved;
    else ++out.open;
    if (c.status == "paused") ++out.paused;

    // Every stage and category of the policy gets a row, so the charts show
    // the stages no case reached.
    for (const auto& st : p.stages) {
      auto& row = stage_rows[{c.policy_id, st.number}];
      if (row.policy.empty()) {
        row.policy = c.policy_id;
        row.stage = st.number;
        row.title = st.title;
        auto ps = partnership_stage(p);
        row.partnership = ps && st.number >= *ps;
      }
    }
    for (const auto& cat : p.categories) category_counts.try_emplace({c.policy_id, cat.id}, 0);
    ++category_counts[{c.policy_id, c.category}];
    ++pair_counts[{type_index(c.raiser.agency_type), type_index(c.counterpart.agency_type)}];

    int highest = highest_stage(c);
    auto& srow = stage_rows[{c.policy_id, highest}];
    if (srow.policy.empty()) {
      srow.policy = c.policy_id;
      srow.stage = highest;
    }
    ++srow.cases;
    if (resolved) ++srow.resolved;
    else ++srow.open;
    if (auto ps = partnership_stage(p); ps && highest >= *ps) ++out.reached_partnership;

    if (resolved) {
      int days = working_days_to(cal, raised, zone.local_date(*c.resolved_at));
      all_days.push_back(days);
      stage_days[{c.policy_id, highest}].push_back(days);
      for (auto& b : buckets)
        if (days >= b.low && (!b.high || days <= *b.high)) ++b.cases;
    }

    for (const auto& d : c.deadlines) {
      auto& row = deadline_rows[{c.policy_id, d.stage}];
      if (row.policy.empty()) {
        row.policy = c.policy_id;
        row.stage = d.stage;
        const Stage* st = p.stage(d.stage);
        row.title = d.stage == 0 ? "Whole case" : d.stage < 0 ? "Check back" : st ? st->title : "";
      }
      switch (deadline_outcome(c, d, p, now)) {
        case DeadlineOutcome::met: ++row.met; break;
        case DeadlineOutcome::met_late: ++row.met_late; break;
        case DeadlineOutcome::closed: ++row.closed; break;
        case DeadlineOutcome::missed: ++row.missed; break;
        case DeadlineOutcome::overdue: ++row.overdue; break;
        case DeadlineOutcome::open:
        case DeadlineOutcome::paused: ++row.open; break;
      }
    }

    auto& delay = delay_rows[c.policy_id];
    delay.policy = c.policy_id;
    int pauses = 0, extensions = 0;
    for (const auto& e : c.events) {
      if (e.type == "pause") ++pauses;
      else if (e.type == "resume") delay.days_paused += e.days.value_or(0);
      else if (e.type == "extend") ++extensions, delay.days_extended += e.days.value_or(0);
    }
    delay.pauses += pauses;
    delay.extensions += extensions;
    if (pauses) ++delay.cases_paused;
    if (extensions) ++delay.cases_extended;

    if (p.case_limit) {
      auto& lim = limit_rows[c.policy_id];
      lim.policy = c.policy_id;
      if (lim.timescale.empty()) lim.timescale = p.case_limit->timescale.text();
      ++lim.cases;
      auto d = std::find_if(c.deadlines.begin(), c.deadlines.end(), [](const CaseDeadline& x) { return x.stage == 0; });
      // By the rule the deadlines table counts by: only resolving closes
      // the limit, so a closed limit is a resolved case.
      if (d != c.deadlines.end()) switch (deadline_outcome(c, *d, p, now)) {
          case DeadlineOutcome::met:
          case DeadlineOutcome::closed: ++lim.resolved_within; break;
          case DeadlineOutcome::met_late:
          case DeadlineOutcome::missed: ++lim.resolved_past; break;
          case DeadlineOutcome::paused: ++lim.paused; break;
          case DeadlineOutcome::overdue: ++lim.open_past; break;
          case DeadlineOutcome::open: ++lim.open_within; break;
        }
    }
  }

  out.generated_on = TimeZone::get(zone_name).local_date(now);
  for (const auto& [id, p] : policies) out.policies.push_back(id);
  for (const auto& [id, lim] : limit_rows) {
    out.open_past_limit += lim.open_past;
    out.resolved_past_limit += lim.resolved_past;
  }

  // Categories in each policy's own order.
  for (const auto& [id, p] : policies)
    for (const auto& cat : p->categories)
      if (auto it = category_counts.find({id, cat.id}); it != category_counts.end()) {
        out.categories.push_back({id, cat.id, cat.label.empty() ? cat.id : cat.label, it->second});
        category_counts.erase(it);
      }
  for (const auto& [key, n] : category_counts)  // categories a later version of a policy dropped
    out.categories.push_back({key.first, key.second, key.second, n});

  const auto& types = agency_types();
  for (const auto& [key, n] : pair_counts)
    out.agency_pairs.push_back({key.first < types.size() ? types[key.first] : "other",
                                key.second < types.size() ? types[key.second] : "other", n});

  for (const auto& [key, row] : stage_rows) out.stages.push_back(row);

  out.durations.push_back({"", 0, "All resolved cases", duration_stats(all_days)});
  for (const auto& [key, row] : stage_rows)
    out.durations.push_back({key.first, key.second, row.title, duration_stats(stage_days[key])});
  out.resolution_times = buckets;

  std::vector<std::pair<std::tuple<std::string, int>, PartnershipReturn::DeadlineRow>> drows;
  for (const auto& [key, row] : deadline_rows) drows.push_back({{key.first, stage_order(key.second)}, row});
  std::sort(drows.begin(), drows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [key, row] : drows) out.deadlines.push_back(row);

  for (const auto& [id, row] : delay_rows) out.delays.push_back(row);
  for (const auto& [id, row] : limit_rows) out.case_limits.push_back(row);
  return out;
}

// ---------------------------------------------------------------------------
// The return as tables.

namespace {

const std::vector<std::string> k_tables{"summary",      "categories",       "agency-pairs", "stages", "durations",
                                        "resolution-times", "deadlines",     "pauses",       "case-limit"};

Cell num(int64_t n) { return Cell{n}; }
Cell text(const std::string& s) { return s.empty() ? Cell{} : Cell{s}; }
Cell median_cell(const DurationStats& s) {
  if (s.count == 0) return Cell{};
  if (s.median == static_cast<double>(static_cast<int64_t>(s.median))) return Cell{static_cast<int64_t>(s.median)};
  return Cell{s.median};
}

}  // namespace

const std::vector<std::string>& return_table_names() { return k_tables; }

std::vector<ReportTable> return_tables(const PartnershipReturn& r) {
  std::vector<ReportTable> out;
  const DurationStats& all = r.durations.front().stats;

  {
    ReportTable t{"summary", "Summary", {{"metric", "Figure", false}, {"value", "Value", true}}, {}, true};
    int met = 0, late = 0, closed = 0, missed = 0, overdue = 0;
    for (const auto& d : r.deadlines) met += d.met, late += d.met_late, closed += d.closed, missed += d.missed, overdue += d.overdue;
    int pauses = 0, extensions = 0;
    for (const auto& d : r.delays) pauses += d.pauses, extensions += d.extensions;
    std::string policies;
    for (const auto& p : r.policies) policies += (policies.empty() ? "" : " ") + p;
    auto row = [&](const char* k, Cell v) { t.rows.push_back({Cell{std::string(k)}, std::move(v)}); };
    row("period_from", text(r.filter.from ? r.filter.from->iso() : ""));
    row("period_to", text(r.filter.to ? r.filter.to->iso() : ""));
    row("policy", text(r.filter.policy));
    row("policies", text(policies));
    row("generated_on", text(r.generated_on.iso()));
    row("cases_raised", num(r.raised));
    row("cases_resolved", num(r.resolved));
    row("cases_open", num(r.open));
    row("cases_paused", num(r.paused));
    row("reached_partnership_stage", num(r.reached_partnership));
    row("working_days_median", median_cell(all));
    row("working_days_p90", all.count ? num(all.p90) : Cell{});
    row("working_days_longest", all.count ? num(all.longest) : Cell{});
    row("deadlines_met", num(met));
    row("deadlines_met_late", num(late));
    row("deadlines_closed", num(closed));
    row("deadlines_missed", num(missed));
    row("deadlines_overdue", num(overdue));
    row("pauses", num(pauses));
    row("extensions", num(extensions));
    row("open_past_case_limit", num(r.open_past_limit));
    row("resolved_past_case_limit", num(r.resolved_past_limit));
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"categories",
                  "Cases by category",
                  {{"policy", "Policy", false}, {"category", "Category", false}, {"label", "Label", false},
                   {"cases", "Cases", true}},
                  {},
                  false};
    for (const auto& c : r.categories) t.rows.push_back({text(c.policy), text(c.category), text(c.label), num(c.cases)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"agency-pairs",
                  "Cases by pair of agency types",
                  {{"raiser_agency_type", "Raised by", false},
                   {"counterpart_agency_type", "With", false},
                   {"cases", "Cases", true}},
                  {},
                  false};
    for (const auto& p : r.agency_pairs) t.rows.push_back({text(p.raiser_type), text(p.counterpart_type), num(p.cases)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"stages",
                  "Cases by highest stage reached",
                  {{"policy", "Policy", false},
                   {"stage", "Stage", true},
                   {"title", "Title", false},
                   {"partnership", "Partnership", false},
                   {"cases", "Cases", true},
                   {"resolved", "Resolved", true},
                   {"open", "Open", true}},
                  {},
                  false};
    for (const auto& s : r.stages)
      t.rows.push_back({text(s.policy), num(s.stage), text(s.title), text(s.partnership ? "yes" : "no"), num(s.cases),
                        num(s.resolved), num(s.open)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"durations",
                  "Working days from raising to resolution",
                  {{"policy", "Policy", false},
                   {"highest_stage", "Highest stage", true},
                   {"title", "Title", false},
                   {"resolved", "Resolved", true},
                   {"median", "Median", true},
                   {"p90", "90th pct", true},
                   {"longest", "Longest", true}},
                  {},
                  false};
    for (const auto& d : r.durations)
      t.rows.push_back({d.policy.empty() ? Cell{std::string("all")} : text(d.policy), d.stage ? num(d.stage) : Cell{},
                        text(d.title), num(d.stats.count), median_cell(d.stats),
                        d.stats.count ? num(d.stats.p90) : Cell{}, d.stats.count ? num(d.stats.longest) : Cell{}});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"resolution-times",
                  "Resolved cases by working days to resolution",
                  {{"working_days", "Working days", false}, {"cases", "Cases", true}},
                  {},
                  false};
    for (const auto& b : r.resolution_times) t.rows.push_back({text(b.label()), num(b.cases)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"deadlines",
                  "Deadlines by stage",
                  {{"policy", "Policy", false},
                   {"stage", "Stage", true},
                   {"title", "Title", false},
                   {"met", "Met", true},
                   {"met_late", "Met late", true},
                   {"closed", "Closed", true},
                   {"missed", "Missed", true},
                   {"overdue", "Overdue", true},
                   {"open", "Open", true}},
                  {},
                  false};
    for (const auto& d : r.deadlines)
      t.rows.push_back({text(d.policy), num(d.stage), text(d.title), num(d.met), num(d.met_late), num(d.closed),
                        num(d.missed), num(d.overdue), num(d.open)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"pauses",
                  "Pauses and extensions",
                  {{"policy", "Policy", false},
                   {"cases_paused", "Cases paused", true},
                   {"pauses", "Pauses", true},
                   {"working_days_paused", "Days paused", true},
                   {"cases_extended", "Cases extended", true},
                   {"extensions", "Extensions", true},
                   {"working_days_extended", "Days extended", true}},
                  {},
                  false};
    for (const auto& d : r.delays)
      t.rows.push_back({text(d.policy), num(d.cases_paused), num(d.pauses), num(d.days_paused), num(d.cases_extended),
                        num(d.extensions), num(d.days_extended)});
    out.push_back(std::move(t));
  }
  {
    ReportTable t{"case-limit",
                  "The whole-case limit",
                  {{"policy", "Policy", false},
                   {"limit", "Limit", false},
                   {"cases", "Cases", true},
                   {"resolved_within", "Resolved within", true},
                   {"resolved_past", "Resolved past", true},
                   {"open_within", "Open within", true},
                   {"open_past", "Open past", true},
                   {"paused", "Paused", true}},
                  {},
                  false};
    for (const auto& l : r.case_limits)
      t.rows.push_back({text(l.policy), text(l.timescale), num(l.cases), num(l.resolved_within), num(l.resolved_past),
                        num(l.open_within), num(l.open_past), num(l.paused)});
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace esc
