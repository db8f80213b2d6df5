// The partnership return, without personal data, and its tables.
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

#include "core/report/shared.hpp"

namespace esc {

using namespace report_detail;

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
int stage_order(DeadlineScope scope, int stage) {
  return scope == DeadlineScope::stage ? stage : scope == DeadlineScope::whole_case ? 100000 : scope == DeadlineScope::check_back ? 100001 : 100002;
}

size_t type_index(const std::string& t) {
  const auto& types = agency_types();
  return static_cast<size_t>(std::find(types.begin(), types.end(), t) - types.begin());
}

}  // namespace

PartnershipReturn build_return(const CaseSource& cases, const std::function<const Policy&(const Case&)>& policy_of,
                               const ReturnFilter& f, Timestamp now) {
  PartnershipReturn out;
  out.filter = f;
  std::string zone_name = "Europe/London";

  std::map<std::string, const Policy*> policies;          // by id: the first version seen
  std::map<std::string, Calendar> calendars;              // by policy text
  std::map<std::pair<std::string, std::string>, int> category_counts;
  std::map<std::pair<size_t, size_t>, int> pair_counts;
  std::map<std::pair<std::string, int>, PartnershipReturn::StageRow> stage_rows;
  std::map<std::pair<std::string, int>, std::vector<int>> stage_days;
  std::map<std::pair<std::string, int>, PartnershipReturn::DeadlineRow> deadline_rows;  // by stage_order()
  std::map<std::tuple<std::string, int, int, bool>, PartnershipReturn::DutyRow> duty_rows;
  std::map<std::string, PartnershipReturn::DelayRow> delay_rows;
  std::map<std::string, PartnershipReturn::LimitRow> limit_rows;
  std::vector<int> all_days;
  std::vector<PartnershipReturn::BucketRow> buckets{{0, 0, 0},    {1, 1, 0},    {2, 2, 0},   {3, 3, 0},
                                                    {4, 4, 0},    {5, 5, 0},    {6, 10, 0},  {11, 15, 0},
                                                    {16, 20, 0},  {21, 40, 0},  {41, std::nullopt, 0}};

  cases([&](const Case& c) {
    if (!f.policy.empty() && c.policy_id != f.policy) return;
    const Policy& p = policy_of(c);
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Date raised = zone.local_date(c.raised_at);
    if ((f.from && raised < *f.from) || (f.to && raised > *f.to)) return;
    if (policies.empty()) zone_name = p.time_zone;
    policies.emplace(c.policy_id, &p);
    auto cal_it = calendars.find(c.policy_sha256);
    if (cal_it == calendars.end()) cal_it = calendars.emplace(c.policy_sha256, p.make_calendar()).first;
    const Calendar& cal = cal_it->second;
    const bool resolved = c.status == CaseStatus::resolved && c.resolved_at;

    ++out.raised;
    if (resolved) ++out.resolved;
    else ++out.open;
    if (c.status == CaseStatus::paused) ++out.paused;

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
      if (!d.is_deadline()) {
        if (!d.arisen(zone, now)) continue;  // a delay reason not yet owed
        auto& row = duty_rows[{c.policy_id, stage_order(d.scope, d.stage), static_cast<int>(d.kind), d.to == k_to_partnership}];
        row.policy = c.policy_id;
        row.scope = d.scope;
        row.stage = d.stage;
        row.kind = d.kind;
        row.to_partnership = d.to == k_to_partnership;
        ++row.owed;
        DeadlineOutcome o = deadline_outcome(c, d, p, now);
        switch (o) {
          case DeadlineOutcome::met: ++row.met; break;
          case DeadlineOutcome::met_late: ++row.met_late; break;
          case DeadlineOutcome::waived: ++row.waived; break;
          case DeadlineOutcome::closed: ++row.closed; break;
          case DeadlineOutcome::missed: ++row.missed; break;
          case DeadlineOutcome::overdue:
          case DeadlineOutcome::open:
          case DeadlineOutcome::paused: ++row.open; break;
        }
        if (row.to_partnership) {
          ++out.notifications_owed;
          if (o == DeadlineOutcome::met || o == DeadlineOutcome::met_late) ++out.notifications_made;
        }
        continue;
      }
      auto& row = deadline_rows[{c.policy_id, stage_order(d.scope, d.stage)}];
      if (row.policy.empty()) {
        row.policy = c.policy_id;
        row.scope = d.scope;
        row.stage = d.stage;
        const Stage* st = p.stage(d.stage);
        row.title = d.scope == DeadlineScope::whole_case   ? "Whole case"
                    : d.scope == DeadlineScope::check_back ? "Check back"
                    : st                                   ? st->title
                                                           : "";
      }
      switch (deadline_outcome(c, d, p, now)) {
        case DeadlineOutcome::met: ++row.met; break;
        case DeadlineOutcome::met_late: ++row.met_late; break;
        case DeadlineOutcome::closed: ++row.closed; break;
        case DeadlineOutcome::missed: ++row.missed; break;
        case DeadlineOutcome::overdue: ++row.overdue; break;
        case DeadlineOutcome::open:
        case DeadlineOutcome::paused: ++row.open; break;
        case DeadlineOutcome::waived: ++row.closed; break;
      }
    }

    auto& delay = delay_rows[c.policy_id];
    delay.policy = c.policy_id;
    int pauses = 0, extensions = 0;
    for (const auto& e : c.events) {
      if (e.type == EventType::pause) ++pauses;
      else if (e.type == EventType::resume) delay.days_paused += e.days.value_or(0);
      else if (e.type == EventType::extend) ++extensions, delay.days_extended += e.days.value_or(0);
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
      auto d = std::find_if(c.deadlines.begin(), c.deadlines.end(), [](const CaseDeadline& x) { return x.scope == DeadlineScope::whole_case && x.kind == DutyKind::deadline; });
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
          case DeadlineOutcome::waived: ++lim.resolved_within; break;
        }
    }
  });

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

  for (const auto& [key, row] : deadline_rows) out.deadlines.push_back(row);  // stages, whole case, check back
  for (const auto& [key, row] : duty_rows) out.duties.push_back(row);

  for (const auto& [id, row] : delay_rows) out.delays.push_back(row);
  for (const auto& [id, row] : limit_rows) out.case_limits.push_back(row);
  return out;
}

PartnershipReturn build_return(const std::vector<Case>& cases,
                               const std::function<const Policy&(const Case&)>& policy_of, const ReturnFilter& f,
                               Timestamp now) {
  return build_return([&](const std::function<void(const Case&)>& visit) { for (const auto& c : cases) visit(c); },
                      policy_of, f, now);
}

// ---------------------------------------------------------------------------
// The return as tables.

namespace {

const std::vector<std::string> k_tables{"summary",    "categories", "agency-pairs", "stages",     "durations",
                                        "resolution-times", "deadlines", "duties",    "pauses", "case-limit"};

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
    row("partnership_notifications_owed", num(r.notifications_owed));
    row("partnership_notifications_made", num(r.notifications_made));
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
    ReportTable t{"duties",
                  "Other duties by stage: notifications, feedback, delay reasons, referrals, agreed actions",
                  {{"policy", "Policy", false},
                   {"stage", "Stage", false},
                   {"duty", "Duty", false},
                   {"owed", "Owed", true},
                   {"met", "Met", true},
                   {"met_late", "Met late", true},
                   {"waived", "Waived", true},
                   {"closed", "Closed", true},
                   {"missed", "Missed", true},
                   {"open", "Open", true}},
                  {},
                  false};
    for (const auto& d : r.duties)
      t.rows.push_back({text(d.policy),
                        d.scope == DeadlineScope::stage ? Cell{std::to_string(d.stage)} : text(std::string(name(d.scope))),
                        text(d.to_partnership ? "notification to the partnership" : std::string(name(d.kind))),
                        num(d.owed), num(d.met), num(d.met_late), num(d.waived), num(d.closed), num(d.missed), num(d.open)});
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
