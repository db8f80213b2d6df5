// Reports: the partnership return's figures recomputed from the invented
// cases that made them, no personal datum in any of its tables, the case
// report, and every form of every shipped policy filled from a case.

#include <esc/case_document.hpp>
#include <esc/error.hpp>
#include <esc/report.hpp>
#include <esc/service.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "scratch.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>

using namespace esc;
namespace fs = std::filesystem;

namespace {

/// A scratch store with the steps the figures below are built from.
struct ReportScratch : test::Scratch {
  ReportScratch() : Scratch("esc-report-test") {}

  int64_t raise(const std::string& policy, const std::string& category, const std::string& raiser_type,
                const std::string& counterpart_type, const std::string& at, const std::string& tag = "") {
    RaiseInput in;
    in.policy = policy;
    in.category = category;
    in.summary = "Invented disagreement " + tag;
    in.raiser = {PartyRole::raiser, "Practitioner One " + tag, "Agency One " + tag, raiser_type};
    in.counterpart = {PartyRole::counterpart, "Practitioner Two " + tag, "Agency Two " + tag, counterpart_type};
    in.child.ref = "REF-" + tag;
    in.at = at;
    return svc->raise(in).c.id;
  }
  void record(int64_t id, const std::string& kind, const std::string& at, const std::string& action = "",
              const std::string& channel = "phone") {
    svc->record({id, kind, "Invented " + kind, channel, "", action, "", std::nullopt, at});
  }
  void escalate(int64_t id, const std::string& at, std::optional<int> to = std::nullopt) {
    svc->escalate({id, "Invented reason", to, at});
  }
  void resolve(int64_t id, const std::string& at, const std::string& learning = "", const std::string& delay = "") {
    ResolveInput in;
    in.case_id = id;
    in.outcome = "Invented outcome";
    in.agreed_by = "Both";
    in.learning = learning;
    in.delay_reason = delay;
    in.at = at;
    svc->resolve(in);
  }
  PartnershipReturn report(const ReturnFilter& f) {
    ListFilter lf;
    lf.all = true;
    auto cases = svc->list(lf, false);
    return build_return(cases, [this](const Case& c) -> const Policy& { return svc->policy_of(c); }, f, clock.now());
  }
};

/// Weekdays d with a < d <= b, counted one by one: an independent count for
/// a stretch with no bank holiday (February 2027 has none).
int weekdays_after(Date a, Date b) {
  int n = 0;
  for (Date d = a.next(); d <= b; d = d.next())
    if (!d.is_weekend()) ++n;
  return n;
}

double median_of(std::vector<int> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

const PartnershipReturn::DeadlineRow* deadline_row(const PartnershipReturn& r, const std::string& policy, int stage) {
  for (const auto& d : r.deadlines)  // stage 0: the whole case; -1: check-backs
    if (d.policy == policy && stored_stage(d.scope, d.stage) == stage) return &d;
  return nullptr;
}

int category_count(const PartnershipReturn& r, const std::string& policy, const std::string& category) {
  for (const auto& c : r.categories)
    if (c.policy == policy && c.category == category) return c.cases;
  return -1;
}

int pair_count(const PartnershipReturn& r, const std::string& a, const std::string& b) {
  for (const auto& p : r.agency_pairs)
    if (p.raiser_type == a && p.counterpart_type == b) return p.cases;
  return 0;
}

const PartnershipReturn::StageRow* stage_row(const PartnershipReturn& r, const std::string& policy, int stage) {
  for (const auto& s : r.stages)
    if (s.policy == policy && s.stage == stage) return &s;
  return nullptr;
}

const PartnershipReturn::DurationRow* duration_row(const PartnershipReturn& r, const std::string& policy, int stage) {
  for (const auto& d : r.durations)
    if (d.policy == policy && d.stage == stage) return &d;
  return nullptr;
}

std::string cell_string(const Cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) return std::to_string(*d);
  return "";
}

}  // namespace

TEST_CASE("report: duration statistics: median, 90th percentile by nearest rank, longest", "[report]") {
  CHECK(duration_stats({}).count == 0);
  auto one = duration_stats({5});
  CHECK(one.median == 5);
  CHECK(one.p90 == 5);
  CHECK(one.longest == 5);
  auto four = duration_stats({4, 1, 3, 2});
  CHECK(four.median == 2.5);
  CHECK(four.p90 == 4);  // ceil(0.9 * 4) = 4th smallest
  auto ten = duration_stats({10, 9, 8, 7, 6, 5, 4, 3, 2, 1});
  CHECK(ten.median == 5.5);
  CHECK(ten.p90 == 9);  // 9th smallest
  CHECK(ten.longest == 10);
  auto eleven = duration_stats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(eleven.median == 6);
  CHECK(eleven.p90 == 10);  // ceil(9.9) = 10th smallest
}

TEST_CASE("report: working days to resolution count the days after raising, as timescales do", "[report]") {
  Calendar cal = Calendar::builtin("england-and-wales");
  CHECK(working_days_to(cal, Date(2027, 2, 1), Date(2027, 2, 1)) == 0);
  CHECK(working_days_to(cal, Date(2027, 2, 1), Date(2027, 2, 2)) == 1);
  CHECK(working_days_to(cal, Date(2027, 2, 5), Date(2027, 2, 8)) == 1);  // Friday to Monday
  // Wed 23 Dec 2026 to Tue 29 Dec: Thu 24 and Tue 29 (Christmas, the weekend
  // and the Boxing Day substitute skipped).
  CHECK(working_days_to(cal, Date(2026, 12, 23), Date(2026, 12, 29)) == 2);
}

TEST_CASE("report: the partnership return's figures match the invented cases they count", "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");

  // Stoke-on-Trent. A: met stage 1, resolved at stage 1.
  int64_t a = s.raise("stoke-on-trent", "childs-plan", "school", "social-care", "2027-02-01T09:00", "a");
  s.record(a, "conversation", "2027-02-01T14:00");
  s.resolve(a, "2027-02-03T10:00");
  // B: stage 1 missed (escalated after its due day with no conversation),
  // stage 2 met, resolved at stage 2.
  int64_t b = s.raise("stoke-on-trent", "childs-plan", "school", "social-care", "2027-02-02T09:00", "b");
  s.escalate(b, "2027-02-04T09:00");
  s.record(b, "conversation", "2027-02-05T10:00");
  s.resolve(b, "2027-02-10T10:00");
  // C: jumps to stage 3 the day it is raised (stage 1 closed in time), stage
  // 3: contact met, decision (in writing, by e-mail) met late, meeting
  // missed; stage 4 halted for three working days and extended by two,
  // resolved before its due date.
  int64_t c = s.raise("stoke-on-trent", "information-sharing", "health", "police", "2027-02-03T09:00", "c");
  s.escalate(c, "2027-02-03T11:00", 3);
  s.record(c, "conversation", "2027-02-04T10:00");
  s.record(c, "decision", "2027-02-08T10:00", "Invented action", "email");
  s.escalate(c, "2027-02-09T10:00");
  s.svc->pause({c, "Invented absence", std::string("2027-02-10T10:00")});
  s.svc->resume({c, "", std::string("2027-02-15T10:00")});
  s.svc->extend({c, 2, "Both", "Invented need", std::string("2027-02-16T10:00")});
  s.resolve(c, "2027-02-22T10:00");
  // D: still open at stage 1, its deadline overdue.
  s.raise("stoke-on-trent", "other", "school", "health", "2027-02-04T09:00", "d");

  // Sefton. E: step 1 met, step 2 met late, step 3 closed by resolving in time.
  int64_t e = s.raise("sefton", "other", "health", "police", "2027-02-08T09:00", "e");
  s.record(e, "plan", "2027-02-09T10:00");
  s.escalate(e, "2027-02-11T10:00");
  s.record(e, "plan", "2027-02-15T10:00");
  s.escalate(e, "2027-02-15T15:00");
  s.resolve(e, "2027-02-16T10:00", "Invented learning");

  // Warrington (5 working days in all). F: resolved past the limit; H: open past it.
  int64_t f = s.raise("warrington", "level-of-communication", "school", "school", "2027-02-01T09:00", "f");
  s.resolve(f, "2027-02-09T10:00", "Invented learning", "Invented delay");
  s.raise("warrington", "case-conference", "school", "school", "2027-02-15T09:00", "h");

  // Outside the period: before it and after it.
  s.raise("birmingham", "childs-needs", "police", "health", "2027-01-20T09:00", "g1");
  s.raise("birmingham", "childs-needs", "police", "health", "2027-03-01T09:00", "g2");

  ReturnFilter period;
  period.from = Date(2027, 2, 1);
  period.to = Date(2027, 2, 28);
  PartnershipReturn r = s.report(period);

  // Resolved cases and their working days, counted independently.
  struct Resolved {
    std::string policy;
    int highest;
    Date raised, resolved;
  };
  std::vector<Resolved> resolved{{"stoke-on-trent", 1, Date(2027, 2, 1), Date(2027, 2, 3)},
                                 {"stoke-on-trent", 2, Date(2027, 2, 2), Date(2027, 2, 10)},
                                 {"stoke-on-trent", 4, Date(2027, 2, 3), Date(2027, 2, 22)},
                                 {"sefton", 3, Date(2027, 2, 8), Date(2027, 2, 16)},
                                 {"warrington", 1, Date(2027, 2, 1), Date(2027, 2, 9)}};
  std::vector<int> days;
  for (const auto& x : resolved) days.push_back(weekdays_after(x.raised, x.resolved));
  CHECK(days == std::vector<int>{2, 6, 13, 6, 6});

  SECTION("counts") {
    CHECK(r.raised == 7);
    CHECK(r.resolved == 5);
    CHECK(r.open == 2);
    CHECK(r.paused == 0);
    // C reached Stoke's stage 4 and E Sefton's step 3: the partnership is
    // notified at both, but handles neither itself (Stoke's stage 5,
    // Sefton's step 4).
    CHECK(r.reached_partnership == 0);
    CHECK(r.policies == std::vector<std::string>{"sefton", "stoke-on-trent", "warrington"});
  }
  SECTION("categories and agency types") {
    CHECK(category_count(r, "stoke-on-trent", "childs-plan") == 2);
    CHECK(category_count(r, "stoke-on-trent", "information-sharing") == 1);
    CHECK(category_count(r, "stoke-on-trent", "other") == 1);
    CHECK(category_count(r, "stoke-on-trent", "service-provision") == 0);  // listed, with no case
    CHECK(category_count(r, "sefton", "other") == 1);
    CHECK(category_count(r, "warrington", "level-of-communication") == 1);
    CHECK(category_count(r, "warrington", "case-conference") == 1);
    CHECK(category_count(r, "birmingham", "childs-needs") == -1);  // outside the period
    CHECK(pair_count(r, "school", "social-care") == 2);
    CHECK(pair_count(r, "health", "police") == 2);
    CHECK(pair_count(r, "school", "health") == 1);
    CHECK(pair_count(r, "school", "school") == 2);
    CHECK(pair_count(r, "police", "health") == 0);
    int total = 0;
    for (const auto& p : r.agency_pairs) total += p.cases;
    CHECK(total == r.raised);
  }
  SECTION("highest stage") {
    CHECK(stage_row(r, "stoke-on-trent", 1)->cases == 2);  // A and D
    CHECK(stage_row(r, "stoke-on-trent", 1)->open == 1);
    CHECK(stage_row(r, "stoke-on-trent", 2)->cases == 1);
    CHECK(stage_row(r, "stoke-on-trent", 3)->cases == 0);
    CHECK(stage_row(r, "stoke-on-trent", 4)->cases == 1);
    CHECK(stage_row(r, "stoke-on-trent", 4)->resolved == 1);
    CHECK(stage_row(r, "stoke-on-trent", 5)->cases == 0);
    CHECK_FALSE(stage_row(r, "stoke-on-trent", 2)->partnership);
    CHECK_FALSE(stage_row(r, "stoke-on-trent", 3)->partnership);  // notified only
    CHECK_FALSE(stage_row(r, "stoke-on-trent", 4)->partnership);
    CHECK(stage_row(r, "stoke-on-trent", 5)->partnership);
    CHECK_FALSE(stage_row(r, "sefton", 3)->partnership);
    CHECK(stage_row(r, "sefton", 4)->partnership);
    CHECK(stage_row(r, "sefton", 3)->cases == 1);
    CHECK(stage_row(r, "warrington", 1)->cases == 2);
  }
  SECTION("durations") {
    const auto& all = r.durations.front();
    CHECK(all.policy.empty());
    CHECK(all.stats.count == 5);
    CHECK(all.stats.median == median_of(days));
    CHECK(all.stats.median == 6);
    CHECK(all.stats.p90 == 13);  // ceil(0.9 * 5) = 5th of 2, 6, 6, 6, 13
    CHECK(all.stats.longest == *std::max_element(days.begin(), days.end()));
    for (size_t i = 0; i < resolved.size(); ++i) {
      const auto* row = duration_row(r, resolved[i].policy, resolved[i].highest);
      REQUIRE(row);
      CHECK(row->stats.count == 1);
      CHECK(row->stats.longest == days[i]);
    }
    CHECK(duration_row(r, "stoke-on-trent", 3)->stats.count == 0);
    int bucketed = 0;
    for (const auto& b : r.resolution_times) {
      int expect = static_cast<int>(std::count_if(days.begin(), days.end(), [&](int d) {
        return d >= b.low && (!b.high || d <= *b.high);
      }));
      CHECK(b.cases == expect);
      bucketed += b.cases;
    }
    CHECK(bucketed == 5);
  }
  SECTION("deadlines by stage") {
    auto s1 = deadline_row(r, "stoke-on-trent", 1);
    REQUIRE(s1);
    CHECK(s1->met == 1);      // A
    CHECK(s1->missed == 1);   // B
    CHECK(s1->closed == 1);   // C, jumped the day it was raised
    CHECK(s1->overdue == 1);  // D
    CHECK(s1->met_late == 0);
    auto s2 = deadline_row(r, "stoke-on-trent", 2);
    REQUIRE(s2);
    CHECK(s2->met == 1);
    auto s3 = deadline_row(r, "stoke-on-trent", 3);
    REQUIRE(s3);
    CHECK(s3->met == 1);
    CHECK(s3->met_late == 1);
    CHECK(s3->missed == 1);
    auto s4 = deadline_row(r, "stoke-on-trent", 4);
    REQUIRE(s4);
    CHECK(s4->closed == 1);  // due moved 16 -> 19 (halted) -> 23 (extended); resolved on the 22nd
    auto e1 = deadline_row(r, "sefton", 1), e2 = deadline_row(r, "sefton", 2), e3 = deadline_row(r, "sefton", 3);
    REQUIRE((e1 && e2 && e3));
    CHECK(e1->met == 1);
    CHECK(e2->met_late == 1);
    CHECK(e3->closed == 1);
    auto w0 = deadline_row(r, "warrington", 0);
    REQUIRE(w0);
    CHECK(w0->met_late == 1);  // F: the whole-case limit, left by resolving after it
    CHECK(w0->overdue == 1);   // H
  }
  SECTION("pauses, extensions and the whole-case limit") {
    REQUIRE(r.delays.size() == 3);
    for (const auto& d : r.delays) {
      if (d.policy != "stoke-on-trent") {
        CHECK(d.pauses + d.extensions == 0);
        continue;
      }
      CHECK(d.cases_paused == 1);
      CHECK(d.pauses == 1);
      CHECK(d.days_paused == weekdays_after(Date(2027, 2, 9), Date(2027, 2, 12)));  // 10, 11, 12 Feb
      CHECK(d.cases_extended == 1);
      CHECK(d.extensions == 1);
      CHECK(d.days_extended == 2);
    }
    REQUIRE(r.case_limits.size() == 1);
    const auto& lim = r.case_limits.front();
    CHECK(lim.policy == "warrington");
    CHECK(lim.cases == 2);
    CHECK(lim.resolved_past == 1);
    CHECK(lim.open_past == 1);
    CHECK(r.open_past_limit == 1);
    CHECK(r.resolved_past_limit == 1);
  }
  SECTION("a policy filter and an open period") {
    ReturnFilter only;
    only.policy = "stoke-on-trent";
    PartnershipReturn st = s.report(only);
    CHECK(st.raised == 4);
    CHECK(st.policies == std::vector<std::string>{"stoke-on-trent"});
    ReturnFilter everything;
    CHECK(s.report(everything).raised == 9);
  }
  SECTION("the tables carry the same figures") {
    auto tables = return_tables(r);
    std::vector<std::string> names;
    for (const auto& t : tables) names.push_back(t.name);
    CHECK(names == return_table_names());
    const auto& summary = tables.front();
    std::map<std::string, Cell> kv;
    for (const auto& row : summary.rows) kv[cell_string(row.front())] = row.back();
    CHECK(std::get<int64_t>(kv["cases_raised"]) == 7);
    CHECK(std::get<int64_t>(kv["working_days_median"]) == 6);
    CHECK(std::get<int64_t>(kv["working_days_p90"]) == 13);
    CHECK(std::get<int64_t>(kv["reached_partnership_stage"]) == 0);
    CHECK(std::get<std::string>(kv["period_from"]) == "2027-02-01");
    for (const auto& t : tables)
      for (const auto& row : t.rows) CHECK(row.size() == t.columns.size());
  }
}

TEST_CASE("report: no personal datum appears in any table of the partnership return", "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  const std::vector<std::string> personal{"Zephyrine Quillfeather", "Octavius Brambleworth", "Marigold Thistlewick",
                                          "Quillfeather Academy", "Brambleworth Clinic", "ZQX-77341",
                                          "943 476 5919", "9434765919", "2016-07-19",
                                          "the lantern-shaped disagreement", "the heron-coloured request",
                                          "kingfisher outcome", "otter learning", "badger delay"};
  RaiseInput in;
  in.policy = "stoke-on-trent";
  in.category = "childs-plan";
  in.summary = "About the lantern-shaped disagreement";
  in.raiser = {PartyRole::raiser, "Zephyrine Quillfeather", "Quillfeather Academy", "school"};
  in.counterpart = {PartyRole::counterpart, "Octavius Brambleworth", "Brambleworth Clinic", "health"};
  in.child = {"ZQX-77341", "Marigold Thistlewick", "2016-07-19", "9434765919"};
  in.requested_action = "Grant the heron-coloured request";
  in.at = "2027-02-01T09:00";
  int64_t id = s.svc->raise(in).c.id;
  s.svc->record({id, "conversation", "Zephyrine Quillfeather spoke to Octavius Brambleworth", "phone",
                 "Zephyrine Quillfeather", "Call Marigold Thistlewick's carer", "2027-02-05", std::nullopt,
                 std::string("2027-02-01T15:00")});
  ResolveInput res;
  res.case_id = id;
  res.outcome = "The kingfisher outcome";
  res.agreed_by = "Octavius Brambleworth";
  res.learning = "The otter learning";
  res.delay_reason = "The badger delay";
  res.at = "2027-02-03T10:00";
  s.svc->resolve(res);

  PartnershipReturn r = s.report({});
  REQUIRE(r.raised == 1);
  for (const auto& t : return_tables(r))
    for (const auto& row : t.rows)
      for (const auto& cell : row)
        for (const auto& p : personal) {
          INFO("table " << t.name << ": " << cell_string(cell));
          CHECK(cell_string(cell).find(p) == std::string::npos);
        }
}

TEST_CASE("report: the case report holds stages, deadlines, chronology and outcome", "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  int64_t c = s.raise("stoke-on-trent", "information-sharing", "health", "police", "2027-02-03T09:00", "c");
  s.escalate(c, "2027-02-03T11:00", 3);
  s.record(c, "conversation", "2027-02-04T10:00");
  s.record(c, "decision", "2027-02-08T10:00", "Invented action", "email");
  s.record(c, "plan", "2027-02-08T11:00");
  s.escalate(c, "2027-02-09T10:00");
  s.resolve(c, "2027-02-22T10:00");
  Case k = s.svc->load(c);
  CaseReport r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  REQUIRE(r.stages.size() == 3);  // 1, then 3 (2 jumped), then 4
  CHECK(r.stages[0].number == 1);
  CHECK(r.stages[0].left_to == 3);
  CHECK(r.stages[1].number == 3);
  CHECK(r.stages[1].notifies_partnership);
  CHECK(r.stages[1].forms == std::vector<std::string>{"pcrno"});
  CHECK(r.stages[1].raiser_handler == "Senior manager (e.g. Head of Service, Strategic Manager)");
  CHECK(r.stages[2].number == 4);
  CHECK(r.stages[2].raiser_handler == "Designated Nurse for Safeguarding Children");  // health at stage 4
  CHECK(r.stages[2].left_by == "resolve");
  REQUIRE(r.stages[1].deadlines.size() == 3);
  CHECK(r.stages[1].deadlines[0].outcome == DeadlineOutcome::met);
  CHECK(r.stages[1].deadlines[1].outcome == DeadlineOutcome::missed);
  CHECK(r.stages[1].deadlines[2].outcome == DeadlineOutcome::met_late);
  CHECK(r.chronology.size() == 3 + 4);  // raise, 2 escalations, resolve; 3 records
  CHECK(r.chronology.front().kind == "raise");
  CHECK(r.chronology.back().kind == "resolve");
  CHECK(std::is_sorted(r.chronology.begin(), r.chronology.end(),
                       [](const ChronologyEntry& x, const ChronologyEntry& y) { return x.at < y.at; }));
  REQUIRE(r.actions.size() == 2);  // the decision's action and the plan
  CHECK(r.actions[0].text == "Invented action");
  CHECK(r.actions[1].kind == "plan");
  REQUIRE(r.resolution);
  CHECK(r.resolution->stage == 4);
  CHECK(r.working_days == weekdays_after(Date(2027, 2, 3), Date(2027, 2, 22)));
}

TEST_CASE("report: the case document words the record once: sections, stages, deadlines, chronology", "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  int64_t c = s.raise("stoke-on-trent", "information-sharing", "health", "police", "2027-02-03T09:00", "d");
  s.escalate(c, "2027-02-03T11:00", 3);
  s.record(c, "conversation", "2027-02-04T10:00");
  s.record(c, "decision", "2027-02-08T10:00", "Invented action", "email");
  s.escalate(c, "2027-02-09T10:00");
  s.resolve(c, "2027-02-22T10:00");
  Case k = s.svc->load(c);
  CaseReport r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  CaseDocument doc = case_document(r);
  CHECK(doc.title == fmt::format("Escalation record: case {}", c));
  CHECK(doc.case_id == c);
  std::vector<std::string> titles;
  for (const auto& section : doc.sections) titles.push_back(section.title);
  CHECK(titles == std::vector<std::string>{"Parties", "Child", "Disagreement", "Stages", "Chronology", "Actions agreed", "Outcome"});

  // One subsection per stage gone through, kept together; the whole case's
  // deadlines, if any, after them, each row saying whose it is.
  const DocSection& stages = doc.sections[3];
  REQUIRE(stages.subsections.size() >= r.stages.size());
  for (size_t i = 0; i < r.stages.size(); ++i) {
    const DocSection& stage = stages.subsections[i];
    CHECK(stage.title == fmt::format("Stage {}: {}", r.stages[i].number, r.stages[i].title));
    CHECK(stage.keep_together);
    // A table of its deadlines, and one of its other duties (notifications,
    // feedback, ...) when it owes any.
    size_t others = std::count_if(r.duties.begin(), r.duties.end(), [&](const ReportDeadline& d) {
      return d.deadline.scope == DeadlineScope::stage && d.deadline.stage == r.stages[i].number;
    });
    CHECK(stage.tables.size() == (r.stages[i].deadlines.empty() ? 0u : 1u) + (others ? 1u : 0u));
  }
  if (!r.case_deadlines.empty()) {
    REQUIRE(stages.subsections.size() == r.stages.size() + 1);
    const DocSection& whole = stages.subsections.back();
    CHECK(whole.run_in);
    REQUIRE(whole.tables.size() == 1);
    for (const auto& row : whole.tables[0].rows) CHECK(row.cells[0].rfind("Whole case: ", 0) == 0);
  }
  const DocTable& at_3 = stages.subsections[1].tables.at(0);
  REQUIRE(at_3.rows.size() == 3);
  CHECK(at_3.rows[1].outcome == DeadlineOutcome::missed);
  CHECK(at_3.rows[1].cells[3] == "missed");
  CHECK(at_3.rows[1].line.rfind("[missed] ", 0) == 0);

  const DocSection& chronology = doc.sections[4];
  CHECK(chronology.counted);
  REQUIRE(chronology.tables.size() == 1);
  CHECK(chronology.tables[0].rows.size() == r.chronology.size());
  for (size_t i = 0; i < r.chronology.size(); ++i) {
    const auto& record = r.chronology[i].record;
    CHECK(chronology.tables[0].rows[i].cells[3] == (record ? fmt::format("#{}", *record) : ""));
  }
  REQUIRE(doc.sections[5].items);
  CHECK(doc.sections[5].items->size() == r.actions.size());
  REQUIRE_FALSE(doc.sections[6].fields.empty());
  CHECK(doc.sections[6].fields[0].label == "resolved");

  // Every row of every table has a cell for each column.
  std::function<void(const DocSection&)> check = [&](const DocSection& section) {
    for (const auto& t : section.tables)
      for (const auto& row : t.rows) CHECK(row.cells.size() == t.columns.size());
    for (const auto& sub : section.subsections) check(sub);
  };
  for (const auto& section : doc.sections) check(section);
}

TEST_CASE("report: every form of every shipped policy fills from a case that reached its stage", "[report][forms]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  int forms = 0;
  for (const auto& entry : s.policies.list()) {
    Policy p = s.policies.load(entry.id);
    for (const auto& form : p.forms) {
      ++forms;
      // The first stage that requires the form.
      int stage = 0;
      for (const auto& st : p.stages)
        for (const auto& req : st.requires_)
          if (!stage && req.form == form.id) stage = st.number;
      REQUIRE(stage > 0);
      RaiseInput in;
      in.policy = p.id;
      in.category = "other";
      in.summary = "Invented summary";
      in.raiser = {PartyRole::raiser, "Invented Raiser", "Invented School", "school"};
      in.counterpart = {PartyRole::counterpart, "Invented Other", "Invented Team", "social-care"};
      in.child = {"INV-1", "Invented Child", "2015-01-01", "9434765919"};
      in.requested_action = "Invented request";
      in.at = "2027-02-01T09:00";
      int64_t id = s.svc->raise(in).c.id;
      for (int n = 1; n < stage; ++n) s.escalate(id, fmt::format("2027-02-{:02}T10:00", n + 1));
      s.record(id, "plan", "2027-02-10T10:00", "Invented agreed action");
      s.record(id, "decision", "2027-02-10T11:00");

      Case c = s.svc->load(id);
      CaseReport before = build_case_report(c, s.svc->policy_of(c), s.clock.now());
      FilledForm open = fill_form(before, find_form(p, form.id));
      std::vector<std::string> missing;
      for (const auto* f : open.missing()) missing.push_back(f->source);
      INFO(p.id << " " << form.id << " before resolving, missing: " << missing.size());
      for (const auto& m : missing) CHECK((m == "resolution" || m == "learning" || m == "delay_reasons"));
      for (const auto* f : open.missing()) CHECK_FALSE(f->hint.text.empty());

      s.resolve(id, "2027-02-11T10:00", "Invented learning");
      c = s.svc->load(id);
      CaseReport r = build_case_report(c, s.svc->policy_of(c), s.clock.now());
      FilledForm filled = fill_form(r, find_form(p, form.name));  // by its name, too
      REQUIRE(filled.fields.size() == form.fields.size());
      for (size_t i = 0; i < form.fields.size(); ++i) {
        INFO(p.id << " " << form.id << " field " << form.fields[i].id);
        CHECK(filled.fields[i].id == form.fields[i].id);  // the policy's order
        CHECK(filled.fields[i].label == form.fields[i].label);
        if (form.fields[i].source != "delay_reasons") CHECK_FALSE(filled.fields[i].missing());
      }
    }
  }
  CHECK(forms == 3);  // Stoke's pcrno, Sefton's escalation log and report to SSCP
  Policy generic = s.policies.load("generic");
  CHECK_THROWS_AS(find_form(generic, "pcrno"), UsageError);
  CHECK_THROWS_WITH(find_form(s.policies.load("sefton"), "nope"), Catch::Contains("escalation-log"));
}

TEST_CASE("report: the partnership return counts the stages the partnership itself handles, not those it is told of",
          "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  // Stoke: stage 3 by the jump (the partnership is notified), stage 4
  // (notified), stage 5 (the partnership's own).
  int64_t at3 = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "s3");
  s.escalate(at3, "2027-02-01T10:00", 3);
  int64_t at4 = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "s4");
  s.escalate(at4, "2027-02-01T10:00", 3);
  s.escalate(at4, "2027-02-02T10:00");
  int64_t at5 = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "s5");
  s.escalate(at5, "2027-02-01T10:00", 3);
  s.escalate(at5, "2027-02-02T10:00");
  s.escalate(at5, "2027-02-03T10:00");
  // Sefton: step 3 (reports to SSCP) and step 4 (the SSCP chaired meeting).
  int64_t step3 = s.raise("sefton", "other", "health", "police", "2027-02-01T09:00", "e3");
  s.escalate(step3, "2027-02-02T10:00");
  s.escalate(step3, "2027-02-03T10:00");
  int64_t step4 = s.raise("sefton", "other", "health", "police", "2027-02-01T09:00", "e4");
  for (int d = 2; d <= 4; ++d) s.escalate(step4, fmt::format("2027-02-0{}T10:00", d));
  // Birmingham: two schools go from stage 1 straight to stage 5, the Board's.
  int64_t b5 = s.raise("birmingham", "childs-needs", "school", "school", "2027-02-01T09:00", "b5");
  s.escalate(b5, "2027-02-01T10:00");
  // Warrington: stage 3 (each agency's WSCB representative) and stage 4
  // (the Board's manager).
  int64_t w3 = s.raise("warrington", "case-conference", "school", "health", "2027-02-01T09:00", "w3");
  s.escalate(w3, "2027-02-01T10:00");
  s.escalate(w3, "2027-02-01T11:00");
  int64_t w4 = s.raise("warrington", "case-conference", "school", "health", "2027-02-01T09:00", "w4");
  for (int h = 10; h <= 12; ++h) s.escalate(w4, fmt::format("2027-02-01T{}:00", h));
  // Generic: stage 4 is an agency's Head of Safeguarding.
  int64_t g4 = s.raise("generic", "other", "school", "health", "2027-02-01T09:00", "g4");
  for (int h = 10; h <= 12; ++h) s.escalate(g4, fmt::format("2027-02-01T{}:00", h));

  PartnershipReturn r = s.report({});
  CHECK(r.raised == 9);
  CHECK(r.reached_partnership == 4);  // Stoke stage 5, Sefton step 4, Birmingham 5, Warrington 4
  CHECK(stage_row(r, "stoke-on-trent", 3)->cases == 1);
  CHECK_FALSE(stage_row(r, "stoke-on-trent", 3)->partnership);
  CHECK(stage_row(r, "stoke-on-trent", 5)->partnership);
  CHECK_FALSE(stage_row(r, "warrington", 3)->partnership);
  CHECK(stage_row(r, "warrington", 4)->partnership);
  CHECK(stage_row(r, "birmingham", 5)->partnership);
  for (int n = 1; n <= 4; ++n) CHECK_FALSE(stage_row(r, "generic", n)->partnership);

  SECTION("a case pinned to a policy text written before the key counts nowhere") {
    ListFilter lf;
    lf.all = true;
    auto cases = s.svc->list(lf, false);
    // Stoke's text as it was before: without the `partnership = true` line.
    std::string text = s.svc->policy_of(s.svc->load(at5)).text;
    const std::string key = "\npartnership = true\n";
    REQUIRE(text.find(key) != std::string::npos);
    text.erase(text.find(key), key.size() - 1);
    Policy old = parse_policy(text, "old-stoke.toml");
    PartnershipReturn before = build_return(
        cases,
        [&](const Case& c) -> const Policy& { return c.policy_id == "stoke-on-trent" ? old : s.svc->policy_of(c); },
        {}, s.clock.now());
    CHECK(before.reached_partnership == 3);  // Sefton, Birmingham, Warrington; not the Stoke case at stage 5
    CHECK_FALSE(stage_row(before, "stoke-on-trent", 5)->partnership);
  }
}

TEST_CASE("report: the case report carries what the policy says: contact, records, expected outcomes, learning",
          "[report]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  int64_t g = s.raise("generic", "other", "school", "health", "2027-02-01T09:00", "g");
  Case k = s.svc->load(g);
  CaseReport r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  CHECK_THAT(r.records_in, Catch::StartsWith("My Concern"));
  CHECK(r.contact.empty());
  REQUIRE(r.stages.size() == 1);
  CHECK(r.stages[0].expected_outcome ==
        "Resolution of the concern through professional discussion and agreement on the best course of action");
  CaseDocument doc = case_document(r);
  REQUIRE(doc.under_policy.size() == 1);
  CHECK(doc.under_policy[0].heading == "Records to be kept in");
  CHECK_THAT(doc.under_policy[0].value, Catch::StartsWith("My Concern"));
  const DocSection& stage1 = doc.sections[3].subsections.at(0);
  auto has_field = [](const DocSection& sec, const std::string& heading, const std::string& start) {
    return std::any_of(sec.fields.begin(), sec.fields.end(), [&](const DocField& f) {
      return f.heading == heading && f.value.rfind(start, 0) == 0;
    });
  };
  CHECK(has_field(stage1, "Expected outcome", "Resolution of the concern through professional discussion"));

  // Stoke: the key contact; stage 5 is the partnership's own and says so.
  int64_t st = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "s");
  s.escalate(st, "2027-02-01T10:00", 3);
  s.escalate(st, "2027-02-02T10:00");
  s.escalate(st, "2027-02-03T10:00");
  k = s.svc->load(st);
  r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  CHECK(r.contact == "SoTSCP.Information@stoke.gov.uk");
  CHECK(r.records_in.empty());
  REQUIRE(r.stages.size() == 4);  // 1, 3, 4, 5
  CHECK_FALSE(r.stages[1].partnership);
  CHECK(r.stages[1].notifies_partnership);
  CHECK(r.stages[1].expected_outcome.empty());
  CHECK_THAT(r.stages[2].expected_outcome, Catch::Contains("writing to and meeting each other"));
  CHECK(r.stages[3].partnership);
  CHECK_THAT(r.stages[3].expected_outcome, Catch::Contains("independent professional advisor"));
  doc = case_document(r);
  REQUIRE(doc.under_policy.size() == 1);
  CHECK(doc.under_policy[0].heading == "Key contact");
  const DocSection& stages = doc.sections[3];
  // Whether the partnership was notified, as the record shows it.
  CHECK(has_field(stages.subsections.at(1), "Partnership notified", "NOT notified"));
  CHECK(has_field(stages.subsections.at(3), "Partnership", "handles this stage itself"));
  CHECK(has_field(stages.subsections.at(3), "Expected outcome", "The SoTSCP Executive"));

  // Warrington: where learning points go, in the outcome, resolved or not.
  int64_t w = s.raise("warrington", "case-conference", "school", "health", "2027-02-01T09:00", "w");
  k = s.svc->load(w);
  r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  CHECK_THAT(r.learning_to, Catch::StartsWith("Warrington Safeguarding Children Board and Partnerships Manager"));
  CHECK(has_field(case_document(r).sections.back(), "Learning points go to", "Warrington Safeguarding"));
  // Resolved 25 hours after raising: past Warrington's "a day", so a reason.
  s.resolve(w, "2027-02-02T10:00", "Invented learning", "Invented delay");
  k = s.svc->load(w);
  r = build_case_report(k, s.svc->policy_of(k), s.clock.now());
  CHECK(has_field(case_document(r).sections.back(), "Learning points go to", "Warrington Safeguarding"));
}

TEST_CASE("report: a form's actions taken are every action, escalations with their reasons; instructions and "
          "reconstructions carried",
          "[report][forms]") {
  ReportScratch s;
  s.clock.set("2027-03-01T12:00");
  int64_t c = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "a");
  s.svc->record({c, "conversation", "Spoke", "face-to-face", "Other practitioner", "", "", std::nullopt,
                 std::string("2027-02-01T10:00")});
  s.svc->record({c, "meeting", "Met", "video", "", "", "", std::nullopt, std::string("2027-02-01T11:00")});
  s.svc->record({c, "decision", "Kept the decision", "", "", "Write it down", "2027-02-05", std::nullopt,
                 std::string("2027-02-01T12:00")});
  s.svc->record({c, "note", "A note", "", "", "", "", std::nullopt, std::string("2027-02-01T13:00")});
  s.svc->escalate({c, "Serious: straight to Head of Service", 3, std::string("2027-02-01T14:00")});
  s.svc->record({c, "notification", "Form sent", "email", "SoTSCP", "", "", std::nullopt,
                 std::string("2027-02-02T10:00")});
  s.svc->record({c, "feedback", "Told the raiser", "", "", "", "", std::nullopt, std::string("2027-02-02T11:00")});
  s.svc->record({c, "plan", "A plan", "phone", "", "", "", std::nullopt, std::string("2027-02-02T12:00")});
  Case k = s.svc->load(c);
  const Policy& p = s.svc->policy_of(k);
  CaseReport r = build_case_report(k, p, s.clock.now());
  FilledForm form = fill_form(r, find_form(p, "pcrno"));
  CHECK_FALSE(form.reconstructed);
  const FilledField* actions = nullptr;
  const FilledField* summary = nullptr;
  for (const auto& f : form.fields) {
    if (f.source == "actions") actions = &f;
    if (f.id == "summary") summary = &f;
  }
  REQUIRE(actions);
  CHECK(actions->value == std::vector<std::string>{
                              "2027-02-01 conversation, face-to-face, with Other practitioner: Spoke",
                              "2027-02-01 meeting, video: Met",
                              "2027-02-01 decision: Kept the decision",
                              "2027-02-01 agreed action: Write it down (by 2027-02-05)",
                              "2027-02-01 escalated from stage 1 to stage 3: Serious: straight to Head of Service",
                              "2027-02-02 notification, email, with SoTSCP: Form sent",
                              "2027-02-02 feedback: Told the raiser",
                              "2027-02-02 plan, phone: A plan",
                          });
  REQUIRE(summary);
  CHECK(summary->instruction ==
        "(It is important that you provide information that details how you have made every effort to resolve this "
        "matter at a local level within Stages 1 & 2.)");
  for (const auto& f : form.fields)
    if (f.id != "summary") CHECK(f.instruction.empty());

  // A case with nothing done: the field is missing, and says what would fill it.
  int64_t bare = s.raise("stoke-on-trent", "other", "school", "health", "2027-02-01T09:00", "b");
  k = s.svc->load(bare);
  form = fill_form(build_case_report(k, p, s.clock.now()), find_form(p, "pcrno"));
  for (const auto& f : form.fields)
    if (f.source == "actions") {
      CHECK(f.missing());
      CHECK(f.hint.hint.remedy == Remedy::record_action);
      CHECK_THAT(f.hint.text, Catch::Contains("escalation"));
    }

  // Sefton's forms are reconstructions; the form says so.
  int64_t e = s.raise("sefton", "other", "health", "police", "2027-02-01T09:00", "e");
  k = s.svc->load(e);
  const Policy& sefton = s.svc->policy_of(k);
  for (const auto& f : sefton.forms) {
    CHECK(f.reconstructed);
    CHECK(fill_form(build_case_report(k, sefton, s.clock.now()), f).reconstructed);
  }
}
