// The CaseStore contract, run against every implementation: what one store
// is asked to keep, it gives back, lists and queries as any other does. Each
// implementation is a fixture below; a new store adds one to k_stores' list
// (TEMPLATE_TEST_CASE) and runs every case here. All names are invented.

#include <esc/case_store.hpp>
#include <esc/crypto.hpp>
#include <esc/error.hpp>
#include <esc/service.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "memory_store.hpp"
#include "scratch.hpp"

using namespace esc;

namespace {

/// The SQLite store, in a fresh scratch directory.
struct SqliteStoreFixture {
  test::Scratch scratch{"esc-contract"};
  CaseStore& store() { return *scratch.store; }
};

/// The in-memory store the rules' tests use.
struct MemoryStoreFixture {
  test::MemoryStore memory;
  CaseStore& store() { return memory; }
};

Timestamp at(const char* utc) { return parse_timestamp(utc, TimeZone::get("UTC")); }

const PolicyText k_text{sha256_hex("invented policy"), "generic", "2026-1", "invented policy", "/policies/generic.toml"};
const PolicyText k_other_text{sha256_hex("another policy"), "sefton", "7", "another policy", "/policies/sefton.toml"};

/// A case as the rules raise it, every field filled.
Case new_case(const std::string& child_ref, const PolicyText& text = k_text) {
  Case c;
  c.uuid = new_uuid();
  c.policy_id = text.policy_id;
  c.policy_sha256 = text.sha256;
  c.category = "referral-handling";
  c.summary = "Referral for " + child_ref + " not accepted";
  c.requested_action = "Accept the referral";
  c.risk = "immediate";
  c.child = {child_ref, "Robin Invented", "2019-04-01", "9434765919"};
  c.raiser = {PartyRole::raiser, "Ann Teacher", "Northside Primary", "school"};
  c.counterpart = {PartyRole::counterpart, "Bob Worker", "", "social-care"};
  c.raised_at = at("2026-11-23T09:30:00Z");
  c.stage = 1;
  c.stage_started_at = c.raised_at;
  return c;
}

CaseEvent new_event(EventType type, const char* when) {
  CaseEvent e;
  e.uuid = new_uuid();
  e.type = type;
  e.at = at(when);
  e.entered_at = e.at + std::chrono::minutes{5};
  return e;
}

CaseRecord new_record(const std::string& kind, const char* when, const std::string& summary) {
  CaseRecord r;
  r.uuid = new_uuid();
  r.stage = 1;
  r.at = at(when);
  r.entered_at = r.at;
  r.kind = kind;
  r.summary = summary;
  return r;
}

/// A deadline of `stage`, given as the store keeps it (0: the whole case;
/// -1: the check-back).
CaseDeadline new_deadline(int stage, int seq, const std::string& action, Date start, Date due) {
  CaseDeadline d;
  d.uuid = new_uuid();
  d.scope = scope_of_stored(stage);
  d.stage = d.scope == DeadlineScope::stage ? stage : 0;
  d.seq = seq;
  d.key = fmt::format("k{}.{}", stage, seq);
  d.action = action;
  d.timescale = "2 working days";
  d.counted_from = "stage";
  d.start_date = start;
  d.original_due = due;
  d.due = due;
  return d;
}

/// Adds a case as raise does: text, case, raise event, its deadlines, sealed.
int64_t raise_case(CaseStore& s, const Case& c, const std::vector<CaseDeadline>& deadlines = {}) {
  int64_t id = 0;
  s.write([&] {
    s.keep_policy_text(c.policy_sha256 == k_text.sha256 ? k_text : k_other_text);
    id = s.add_case(c, c.raised_at + std::chrono::minutes{1});
    CaseEvent raise = new_event(EventType::raise, "2026-11-23T09:30:00Z");
    raise.to_stage = 1;
    s.add_event(id, raise);
    for (const auto& d : deadlines) s.add_deadline(id, d);
    s.seal_case(id);
  });
  return id;
}

void check_party(const Party& got, const Party& want) {
  CHECK(got.role == want.role);
  CHECK(got.name == want.name);
  CHECK(got.agency == want.agency);
  CHECK(got.agency_type == want.agency_type);
}

}  // namespace

TEMPLATE_TEST_CASE("CaseStore: a case added is loaded back as it was raised", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  Case in = new_case("C-1001");
  int64_t id = raise_case(s, in);
  CHECK(id > 0);

  auto got = s.load_case(id);
  REQUIRE(got);
  CHECK(got->id == id);
  CHECK(got->uuid == in.uuid);
  CHECK(got->policy_id == "generic");
  CHECK(got->policy_sha256 == k_text.sha256);
  CHECK(got->policy_version == "2026-1");
  CHECK(got->category == in.category);
  CHECK(got->summary == in.summary);
  CHECK(got->requested_action == in.requested_action);
  CHECK(got->risk == "immediate");
  CHECK(got->child.ref == "C-1001");
  CHECK(got->child.name == "Robin Invented");
  CHECK(got->child.dob == "2019-04-01");
  CHECK(got->child.nhs == "9434765919");
  check_party(got->raiser, in.raiser);
  check_party(got->counterpart, in.counterpart);
  CHECK(got->raised_at == in.raised_at);
  CHECK(got->entered_at == in.raised_at + std::chrono::minutes{1});
  CHECK(got->status == CaseStatus::open);
  CHECK(got->stage == 1);
  CHECK(got->stage_started_at == in.raised_at);
  CHECK_FALSE(got->paused_at);
  CHECK_FALSE(got->resolved_at);
  REQUIRE(got->events.size() == 1);
  CHECK(got->events[0].type == EventType::raise);
  CHECK(got->records.empty());
  CHECK(got->deadlines.empty());

  CHECK_FALSE(s.load_case(id + 100));
  CHECK(s.policy_text(k_text.sha256) == std::optional<std::string>("invented policy"));
  CHECK_FALSE(s.policy_text(sha256_hex("no such text")));
  // The same text again is a no-op.
  s.write([&] { s.keep_policy_text(k_text); });
  CHECK(s.policy_text(k_text.sha256) == std::optional<std::string>("invented policy"));
}

TEMPLATE_TEST_CASE("CaseStore: events and records keep every field, in time order", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t id = raise_case(s, new_case("C-1002"));

  CaseEvent esc = new_event(EventType::escalate, "2026-11-25T10:00:00Z");
  esc.from_stage = 1;
  esc.to_stage = 2;
  esc.reason = "No agreement";
  CaseEvent ext = new_event(EventType::extend, "2026-11-24T10:00:00Z");  // happened before, entered after
  ext.days = 3;
  ext.agreed_by = "Both managers";
  ext.reason = "Awaiting a report";
  CaseEvent res = new_event(EventType::resolve, "2026-11-26T10:00:00Z");
  res.outcome = "Assessment agreed";
  res.learning = "Speak sooner";
  res.delay_reason = "Leave";
  CaseRecord note = new_record("note", "2026-11-24T09:00:00Z", "Called the team");
  CaseRecord talk = new_record("conversation", "2026-11-23T15:00:00Z", "Spoke by phone");
  talk.channel = "phone";
  talk.with = "Bob Worker";
  talk.action = "Send the report";
  talk.action_due = "2026-11-30";
  int64_t e1 = 0, e2 = 0, e3 = 0, r1 = 0, r2 = 0, r3 = 0;
  s.write([&] {
    e1 = s.add_event(id, esc);
    e2 = s.add_event(id, ext);
    r1 = s.add_record(id, note);
    r2 = s.add_record(id, talk);
    s.seal_case(id);
  });
  CaseRecord fix = new_record("correction", "2026-11-26T11:00:00Z", "Called on the 25th");
  fix.corrects = r1;
  s.write([&] {
    e3 = s.add_event(id, res);
    r3 = s.add_record(id, fix);
    s.seal_case(id);
  });
  CHECK(e1 != e2);
  CHECK(r1 != r2);

  auto c = s.load_case(id);
  REQUIRE(c);
  // Ordered by when they happened, then by id.
  REQUIRE(c->events.size() == 4);
  CHECK(c->events[0].type == EventType::raise);
  CHECK(c->events[1].id == e2);
  CHECK(c->events[2].id == e1);
  CHECK(c->events[3].id == e3);
  const CaseEvent& x = c->events[1];
  CHECK(x.uuid == ext.uuid);
  CHECK(x.type == EventType::extend);
  CHECK(x.at == ext.at);
  CHECK(x.entered_at == ext.entered_at);
  CHECK_FALSE(x.from_stage);
  CHECK_FALSE(x.to_stage);
  CHECK(x.days == std::optional<int>(3));
  CHECK(x.agreed_by == "Both managers");
  CHECK(x.reason == "Awaiting a report");
  CHECK(c->events[2].from_stage == std::optional<int>(1));
  CHECK(c->events[2].to_stage == std::optional<int>(2));
  CHECK(c->events[3].outcome == "Assessment agreed");
  CHECK(c->events[3].learning == "Speak sooner");
  CHECK(c->events[3].delay_reason == "Leave");
  CHECK(c->resolution() != nullptr);

  REQUIRE(c->records.size() == 3);
  CHECK(c->records[0].id == r2);
  CHECK(c->records[1].id == r1);
  CHECK(c->records[2].id == r3);
  const CaseRecord& t = c->records[0];
  CHECK(t.uuid == talk.uuid);
  CHECK(t.stage == 1);
  CHECK(t.at == talk.at);
  CHECK(t.entered_at == talk.entered_at);
  CHECK(t.kind == "conversation");
  CHECK(t.channel == "phone");
  CHECK(t.with == "Bob Worker");
  CHECK(t.summary == "Spoke by phone");
  CHECK(t.action == "Send the report");
  CHECK(t.action_due == "2026-11-30");
  CHECK_FALSE(t.corrects);
  CHECK(c->records[2].corrects == std::optional<int64_t>(r1));
}

TEMPLATE_TEST_CASE("CaseStore: deadlines are opened, moved with every move kept, and closed", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  Date start(2026, 11, 23);
  CaseDeadline talk = new_deadline(1, 1, "Talk to each other", start, Date(2026, 11, 25));
  talk.met_by = "conversation";
  CaseDeadline whole = new_deadline(0, 1, "Resolve the whole case", start, Date(2026, 12, 21));
  whole.counted_from = "case";
  int64_t id = raise_case(s, new_case("C-1003"), {talk, whole});

  auto c = s.load_case(id);
  REQUIRE(c);
  REQUIRE(c->deadlines.size() == 2);
  const CaseDeadline& d0 = c->deadlines[0];
  CHECK(d0.uuid == talk.uuid);
  CHECK(d0.stage == 1);
  CHECK(d0.seq == 1);
  CHECK(d0.action == "Talk to each other");
  CHECK(d0.timescale == "2 working days");
  CHECK(d0.counted_from == "stage");
  CHECK(d0.met_by == std::optional<std::string>("conversation"));
  CHECK(d0.start_date == start);
  CHECK(d0.original_due == Date(2026, 11, 25));
  CHECK(d0.due == Date(2026, 11, 25));
  CHECK(d0.open());
  CHECK(d0.shifts.empty());
  CHECK(c->deadlines[1].counted_from == "case");
  CHECK_FALSE(c->deadlines[1].met_by);
  CHECK(c->next_due() == std::optional<Date>(Date(2026, 11, 25)));
  int64_t talk_id = d0.id, whole_id = c->deadlines[1].id;

  // Two moves of the first deadline, one of the second, by two events.
  CaseEvent resume = new_event(EventType::resume, "2026-11-24T09:00:00Z");
  resume.reason = "Back from leave";
  CaseEvent extend = new_event(EventType::extend, "2026-11-25T09:00:00Z");
  extend.reason = "Awaiting a report";
  extend.days = 2;
  s.write([&] {
    int64_t ev = s.add_event(id, resume);
    s.move_deadline(talk_id, ev, 1, Date(2026, 11, 25), Date(2026, 11, 26));
    s.move_deadline(whole_id, ev, 1, Date(2026, 12, 21), Date(2026, 12, 22));
    s.seal_case(id);
  });
  s.write([&] {
    int64_t ev = s.add_event(id, extend);
    s.move_deadline(talk_id, ev, 2, Date(2026, 11, 26), Date(2026, 11, 30));
    s.seal_case(id);
  });
  c = s.load_case(id);
  REQUIRE(c);
  const CaseDeadline& moved = c->deadlines[0];
  CHECK(moved.due == Date(2026, 11, 30));
  CHECK(moved.original_due == Date(2026, 11, 25));
  REQUIRE(moved.shifts.size() == 2);
  CHECK(moved.shifts[0].type == EventType::resume);
  CHECK(moved.shifts[0].at == resume.at);
  CHECK(moved.shifts[0].reason == "Back from leave");
  CHECK(moved.shifts[0].days == 1);
  CHECK(moved.shifts[0].from_due == Date(2026, 11, 25));
  CHECK(moved.shifts[0].to_due == Date(2026, 11, 26));
  CHECK(moved.shifts[1].type == EventType::extend);
  CHECK(moved.shifts[1].days == 2);
  CHECK(moved.shifts[1].from_due == Date(2026, 11, 26));
  CHECK(moved.shifts[1].to_due == Date(2026, 11, 30));
  REQUIRE(c->deadlines[1].shifts.size() == 1);
  CHECK(c->deadlines[1].due == Date(2026, 12, 22));

  // Closed by a record, late; the other by the resolution, on time.
  int64_t rec = 0;
  s.write([&] {
    rec = s.add_record(id, new_record("conversation", "2026-12-01T10:00:00Z", "Spoke at last"));
    s.close_deadline(talk_id, at("2026-12-01T10:00:00Z"), ClosedBy::record, true, rec);
    s.close_deadline(whole_id, at("2026-12-02T10:00:00Z"), ClosedBy::resolve, false, std::nullopt);
    s.seal_case(id);
  });
  c = s.load_case(id);
  REQUIRE(c);
  CHECK_FALSE(c->deadlines[0].open());
  CHECK(c->deadlines[0].done_at == std::optional<Timestamp>(at("2026-12-01T10:00:00Z")));
  CHECK(c->deadlines[0].closed_by == ClosedBy::record);
  CHECK(c->deadlines[0].late == std::optional<bool>(true));
  CHECK(c->deadlines[0].record_id == std::optional<int64_t>(rec));
  CHECK(c->deadlines[1].closed_by == ClosedBy::resolve);
  CHECK(c->deadlines[1].late == std::optional<bool>(false));
  CHECK_FALSE(c->deadlines[1].record_id);
  CHECK_FALSE(c->next_due());
}

TEMPLATE_TEST_CASE("CaseStore: a case's state is what set_case_state last said", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t id = raise_case(s, new_case("C-1004"));
  s.write([&] { s.set_case_state(id, CaseStatus::paused, 2, at("2026-11-24T10:00:00Z"), at("2026-11-25T10:00:00Z"), {}); });
  auto c = s.load_case(id);
  REQUIRE(c);
  CHECK(c->status == CaseStatus::paused);
  CHECK(c->stage == 2);
  CHECK(c->stage_started_at == at("2026-11-24T10:00:00Z"));
  CHECK(c->paused_at == std::optional<Timestamp>(at("2026-11-25T10:00:00Z")));
  CHECK_FALSE(c->resolved_at);
  s.write([&] { s.set_case_state(id, CaseStatus::resolved, 2, at("2026-11-24T10:00:00Z"), {}, at("2026-11-27T10:00:00Z")); });
  c = s.load_case(id);
  CHECK(c->status == CaseStatus::resolved);
  CHECK_FALSE(c->paused_at);
  CHECK(c->resolved_at == std::optional<Timestamp>(at("2026-11-27T10:00:00Z")));
}

TEMPLATE_TEST_CASE("CaseStore: cases are chosen by when they were raised", "[store][contract]", SqliteStoreFixture,
                   MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t a = raise_case(s, new_case("C-2001"));
  int64_t b = raise_case(s, new_case("C-2002", k_other_text));
  s.write([&] { s.set_case_state(b, CaseStatus::resolved, 1, at("2026-11-23T09:30:00Z"), {}, at("2026-11-24T09:00:00Z")); });
  Case later = new_case("C-2003");
  later.raised_at = later.stage_started_at = at("2026-12-01T00:00:00Z");
  int64_t c = raise_case(s, later);
  // At or after the first instant, before the second.
  CHECK(s.case_ids({true, "", std::nullopt, at("2026-12-01T00:00:00Z"), std::nullopt}) == std::vector<int64_t>{c});
  CHECK(s.case_ids({true, "", std::nullopt, std::nullopt, at("2026-12-01T00:00:00Z")}) == std::vector<int64_t>{a, b});
  CHECK(s.case_ids({true, "", std::nullopt, at("2026-11-23T09:30:00Z"), at("2026-11-23T09:30:01Z")}) ==
        std::vector<int64_t>{a, b});
  CHECK(s.case_ids({false, "", std::nullopt, at("2026-11-01T00:00:00Z"), at("2027-01-01T00:00:00Z")}) ==
        std::vector<int64_t>{a, c});
  CHECK(s.case_ids({true, "sefton", std::nullopt, at("2026-11-24T00:00:00Z"), std::nullopt}).empty());
}

TEMPLATE_TEST_CASE("CaseStore: cases are listed, in brief and in one line each, by id", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  Date start(2026, 11, 23);
  int64_t a = raise_case(s, new_case("C-2001"), {new_deadline(1, 1, "Talk", start, Date(2026, 11, 27)),
                                                 new_deadline(1, 2, "Write", start, Date(2026, 11, 25))});
  int64_t b = raise_case(s, new_case("C-2002", k_other_text));
  int64_t c = raise_case(s, new_case("C-2003"));
  s.write([&] { s.set_case_state(b, CaseStatus::resolved, 1, at("2026-11-23T09:30:00Z"), {}, at("2026-11-24T09:00:00Z")); });
  s.write([&] { s.set_case_state(c, CaseStatus::paused, 2, at("2026-11-23T09:30:00Z"), at("2026-11-24T09:00:00Z"), {}); });

  CHECK(s.case_ids({}) == std::vector<int64_t>{a, c});
  CHECK(s.case_ids({true, "", std::nullopt}) == std::vector<int64_t>{a, b, c});
  CHECK(s.case_ids({true, "sefton", std::nullopt}) == std::vector<int64_t>{b});
  CHECK(s.case_ids({false, "", 2}) == std::vector<int64_t>{c});

  std::vector<CaseLine> lines;
  s.visit_case_lines({true, "", std::nullopt}, [&](const CaseLine& l) { lines.push_back(l); });
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].id == a);
  CHECK(lines[0].policy_id == "generic");
  CHECK(lines[0].policy_sha256 == k_text.sha256);
  CHECK(lines[0].stage == 1);
  CHECK(lines[0].status == CaseStatus::open);
  CHECK(lines[0].child_ref == "C-2001");
  CHECK(lines[0].counterpart.name == "Bob Worker");
  CHECK(lines[0].counterpart.agency_type == "social-care");
  CHECK(lines[0].next_due == std::optional<Date>(Date(2026, 11, 25)));
  CHECK(lines[1].status == CaseStatus::resolved);
  CHECK(lines[1].policy_id == "sefton");
  CHECK_FALSE(lines[1].next_due);
  CHECK(lines[2].status == CaseStatus::paused);
  CHECK(lines[2].stage == 2);

  auto briefs = s.open_case_briefs();
  REQUIRE(briefs.size() == 2);
  CHECK(briefs[0].id == a);
  CHECK(briefs[0].policy_id == "generic");
  CHECK(briefs[0].category == "referral-handling");
  CHECK(briefs[1].id == c);
  CHECK(briefs[1].status == CaseStatus::paused);

  auto in_use = s.policies_in_use("");
  std::sort(in_use.begin(), in_use.end());
  CHECK(in_use == std::vector<std::pair<std::string, std::string>>{{"generic", k_text.sha256},
                                                                   {"sefton", k_other_text.sha256}});
  CHECK(s.policies_in_use("sefton") == std::vector<std::pair<std::string, std::string>>{{"sefton", k_other_text.sha256}});
}

TEMPLATE_TEST_CASE("CaseStore: open deadlines due in a window, grouped by case, oldest first", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  Date start(2026, 11, 23);
  // Case a: due 27th and 25th; case b: due 24th; case c paused; case d
  // resolved with a check-back due the 26th; a's 25th one closed later.
  int64_t a = raise_case(s, new_case("C-3001"), {new_deadline(1, 1, "Talk", start, Date(2026, 11, 27)),
                                                 new_deadline(1, 2, "Write", start, Date(2026, 11, 25)),
                                                 new_deadline(0, 1, "Whole", start, Date(2026, 12, 30))});
  int64_t b = raise_case(s, new_case("C-3002", k_other_text), {new_deadline(1, 1, "Talk", start, Date(2026, 11, 24))});
  int64_t c = raise_case(s, new_case("C-3003"), {new_deadline(1, 1, "Talk", start, Date(2026, 11, 24))});
  int64_t d = raise_case(s, new_case("C-3004"),
                         {new_deadline(-1, 1, "Check back", start, Date(2026, 11, 26))});
  s.write([&] { s.set_case_state(c, CaseStatus::paused, 1, at("2026-11-23T09:30:00Z"), at("2026-11-23T12:00:00Z"), {}); });
  s.write([&] { s.set_case_state(d, CaseStatus::resolved, 1, at("2026-11-23T09:30:00Z"), {}, at("2026-11-23T12:00:00Z")); });

  auto due = [&](std::optional<Date> first, Date last, const std::string& policy) {
    std::vector<std::string> out;
    s.visit_open_deadlines(first, last, policy, true, [&](const OpenDeadlineRow& r) {
      out.push_back(fmt::format("{}:{}:{}:{}", r.case_id, stored_stage(r.scope, r.stage), r.action, r.due.iso()));
      CHECK(r.raiser.name == "Ann Teacher");
      CHECK(r.counterpart.name == "Bob Worker");
      CHECK(r.child_ref.rfind("C-300", 0) == 0);
    });
    return out;
  };
  CHECK(due(std::nullopt, Date(2026, 11, 30), "") ==
        std::vector<std::string>{fmt::format("{}:1:Talk:2026-11-24", b), fmt::format("{}:1:Write:2026-11-25", a),
                                 fmt::format("{}:1:Talk:2026-11-27", a),
                                 fmt::format("{}:-1:Check back:2026-11-26", d)});
  CHECK(due(Date(2026, 11, 25), Date(2026, 11, 26), "") ==
        std::vector<std::string>{fmt::format("{}:1:Write:2026-11-25", a),
                                 fmt::format("{}:-1:Check back:2026-11-26", d)});
  CHECK(due(std::nullopt, Date(2026, 11, 30), "sefton") == std::vector<std::string>{fmt::format("{}:1:Talk:2026-11-24", b)});
  CHECK(due(std::nullopt, Date(2026, 11, 23), "").empty());

  // A closed deadline is no longer due; the row carries the case's stage.
  auto loaded = s.load_case(a);
  REQUIRE(loaded);
  s.write([&] { s.close_deadline(loaded->deadlines[1].id, at("2026-11-24T10:00:00Z"), ClosedBy::escalate, false, {}); });
  CHECK(due(std::nullopt, Date(2026, 11, 25), "") == std::vector<std::string>{fmt::format("{}:1:Talk:2026-11-24", b)});

  // Reminders are kept per deadline, state and present due date.
  int64_t talk = loaded->deadlines[0].id;
  CHECK_FALSE(s.reminder_sent(talk, Reminder::overdue));
  // A claim is not a delivery.
  s.write([&] {
    s.claim_reminder(talk, Reminder::overdue, Date(2026, 11, 27), at("2026-11-28T07:29:00Z"), "pid 1 on h",
                     "lm@example.org");
  });
  CHECK_FALSE(s.reminder_sent(talk, Reminder::overdue));
  s.write([&] {
    s.mark_reminder_sent(talk, Reminder::overdue, Date(2026, 11, 27), at("2026-11-28T07:30:00Z"), "lm@example.org");
  });
  CHECK(s.reminder_sent(talk, Reminder::overdue));
  CHECK_FALSE(s.reminder_sent(talk, Reminder::due_soon));
  auto marks = s.reminder_marks(talk, Reminder::overdue, "lm@example.org");
  REQUIRE(marks.size() == 2);
  CHECK(marks[0].claimed);
  CHECK(marks[0].claimant == "pid 1 on h");
  CHECK_FALSE(marks[1].claimed);
  CHECK(marks[1].at == at("2026-11-28T07:30:00Z"));
  // Kept per recipient: another recipient has had none.
  CHECK(s.reminder_marks(talk, Reminder::overdue, "counterpart").empty());
  // One marked for nobody in particular (an esc before recipients) counts
  // for every recipient.
  s.write([&] { s.mark_reminder_sent(talk, Reminder::overdue, Date(2026, 11, 27), at("2026-11-28T07:31:00Z"), ""); });
  CHECK(s.reminder_marks(talk, Reminder::overdue, "counterpart").size() == 1);
  CHECK(s.reminder_marks(talk, Reminder::overdue, "lm@example.org").size() == 3);
  // The assignments a reminder run reads, in order.
  s.write([&] {
    CaseRecord r = new_record("assign", "2026-11-28T08:00:00Z", "Jo holds stage 2 for the raiser");
    r.to = "raiser";
    r.with = "Jo <jo@example.org>";
    r.stage = 2;
    s.add_record(a, r);
    s.seal_case(a);
  });
  auto assigned = s.records_of_kind(a, "assign");
  REQUIRE(assigned.size() == 1);
  CHECK(assigned[0].to == "raiser");
  CHECK(assigned[0].with == "Jo <jo@example.org>");
  CHECK(assigned[0].stage == 2);
  CHECK(s.records_of_kind(b, "assign").empty());
  s.write([&] {
    CaseEvent ext = new_event(EventType::extend, "2026-11-28T09:00:00Z");
    ext.days = 1;
    int64_t ev = s.add_event(a, ext);
    s.move_deadline(talk, ev, 1, Date(2026, 11, 27), Date(2026, 11, 30));
    s.seal_case(a);
  });
  CHECK_FALSE(s.reminder_sent(talk, Reminder::overdue));
}

TEMPLATE_TEST_CASE("CaseStore: a duty is read again by its id, and reads share one snapshot", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t id = raise_case(s, new_case("C-4101"), {new_deadline(1, 1, "Talk", Date(2026, 11, 23), Date(2026, 11, 25))});
  int64_t deadline = s.load_case(id)->deadlines[0].id;
  std::vector<OpenDeadlineRow> seen;
  s.visit_open_deadlines(std::nullopt, Date(2026, 12, 31), "", true,
                         [&](const OpenDeadlineRow& r) { seen.push_back(r); });
  REQUIRE(seen.size() == 1);
  std::optional<OpenDeadlineRow> again;
  s.read([&] { again = s.deadline_row(deadline); });
  REQUIRE(again);
  CHECK(again->deadline_id == seen[0].deadline_id);
  CHECK(again->deadline_uuid == seen[0].deadline_uuid);
  CHECK(again->case_id == id);
  CHECK(again->action == "Talk");
  CHECK(again->due == Date(2026, 11, 25));
  CHECK(again->raiser.name == seen[0].raiser.name);
  CHECK(again->counterpart.agency_type == seen[0].counterpart.agency_type);
  CHECK(again->policy_sha256 == seen[0].policy_sha256);
  CHECK_FALSE(s.deadline_row(deadline + 1000));
  // Met, it is still read by its id (a run writing its messages).
  s.write([&] { s.close_deadline(deadline, at("2026-11-24T09:00:00Z"), ClosedBy::record, false, {}); });
  CHECK(s.deadline_row(deadline));
  // A read that throws ends its snapshot: a write follows.
  CHECK_THROWS_WITH(s.read([&] {
    s.deadline_row(deadline);
    throw std::runtime_error("the reader stopped");
  }),
                    "the reader stopped");
  s.write([&] { s.add_record(id, new_record("note", "2026-11-24T10:00:00Z", "After the read")); });
  CHECK(s.load_case(id)->records.size() == 1);
}

namespace {

/// Every slot of `list`, read `n` at a time as a run reads them.
std::vector<ReminderSlot> every_slot(CaseStore& s, SlotList list, size_t n) {
  std::vector<ReminderSlot> out;
  std::optional<ReminderSlot> last;
  for (;;) {
    auto batch = s.slots_after(list, last ? &*last : nullptr, n);
    CHECK(batch.size() <= n);
    if (batch.empty()) return out;
    last = batch.back();
    out.insert(out.end(), batch.begin(), batch.end());
  }
}

}  // namespace

TEMPLATE_TEST_CASE("CaseStore: a reminder run's lists keep their order, a batch at a time, apart from the record",
                   "[store][contract]", SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t id = raise_case(s, new_case("C-4201"), {new_deadline(1, 1, "Talk", Date(2026, 11, 23), Date(2026, 11, 25))});
  // Every field of a slot comes back; the read list in reading order.
  auto slot = [](uint32_t seq, uint32_t case_seq, uint32_t message, Reminder state, bool timed, int due_days,
                 PartyRole role) {
    ReminderSlot r;
    r.deadline_id = 1000 + seq;
    r.seq = seq;
    r.case_seq = case_seq;
    r.message = message;
    r.email = seq % 3 == 0 ? ReminderSlot::k_no_email : seq % 3;
    r.due_days = due_days;
    r.sending = static_cast<uint16_t>(seq % 4 + 1);
    r.policy = static_cast<uint16_t>(seq % 2);
    r.set(state, role);
    r.timed = timed;
    r.leads = seq % 2;
    r.party = seq % 5 == 0;
    return r;
  };
  std::vector<ReminderSlot> read;
  for (uint32_t seq = 1; seq <= 2500; ++seq)
    read.push_back(slot(seq, (seq + 2) / 3, 0, seq % 4 == 0 ? Reminder::overdue : Reminder::due_soon, seq % 7 != 0,
                        20600 + static_cast<int>(seq % 11), seq % 2 ? PartyRole::raiser : PartyRole::counterpart));
  s.clear_slots(SlotList::read);
  s.add_slots(SlotList::read, std::vector<ReminderSlot>(read.begin(), read.begin() + 1000));
  s.add_slots(SlotList::read, std::vector<ReminderSlot>(read.begin() + 1000, read.end()));
  s.add_slots(SlotList::read, {});
  std::vector<ReminderSlot> back = every_slot(s, SlotList::read, 700);
  REQUIRE(back.size() == read.size());
  for (size_t i = 0; i < read.size(); ++i) {
    INFO(i);
    CHECK(back[i].deadline_id == read[i].deadline_id);
    CHECK(back[i].seq == read[i].seq);
    CHECK(back[i].case_seq == read[i].case_seq);
    CHECK(back[i].email == read[i].email);
    CHECK(back[i].due_days == read[i].due_days);
    CHECK(back[i].sending == read[i].sending);
    CHECK(back[i].policy == read[i].policy);
    CHECK(back[i].flags() == read[i].flags());
  }
  // The send list in message order: by message, case, urgency (overdue,
  // by a date, without one), due date, role, then as read; added in any
  // order.
  std::vector<ReminderSlot> send;
  for (uint32_t seq = 1; seq <= 40; ++seq) {
    Reminder state = seq % 3 == 0 ? Reminder::overdue : seq % 3 == 1 ? Reminder::due_soon : Reminder::owed;
    send.push_back(slot(seq, seq % 4, seq % 5, state, state != Reminder::owed, 20600 + static_cast<int>(seq % 3),
                        seq % 2 ? PartyRole::raiser : PartyRole::counterpart));
  }
  std::vector<ReminderSlot> shuffled(send.rbegin(), send.rend());
  std::rotate(shuffled.begin(), shuffled.begin() + 13, shuffled.end());
  s.clear_slots(SlotList::send);
  s.add_slots(SlotList::send, shuffled);
  std::sort(send.begin(), send.end(), [](const auto& a, const auto& b) { return a.message_order() < b.message_order(); });
  back = every_slot(s, SlotList::send, 6);
  REQUIRE(back.size() == send.size());
  for (size_t i = 0; i < send.size(); ++i) {
    INFO(i);
    CHECK(back[i].seq == send[i].seq);
    CHECK(back[i].message == send[i].message);
    CHECK(back[i].flags() == send[i].flags());
  }
  // The first in order: an overdue one before one due by a date before one
  // owed without one, in the same message and case.
  CHECK(send[0].message_order() <= send[1].message_order());
  // Cleared, a list is empty; the other keeps its slots; a unit of work
  // that throws does not take them, and the record holds none of them.
  s.clear_slots(SlotList::send);
  CHECK(s.slots_after(SlotList::send, nullptr, 10).empty());
  CHECK(s.slots_after(SlotList::read, nullptr, 10).size() == 10);
  CHECK_THROWS(s.write([&] {
    s.add_record(id, new_record("note", "2026-11-24T10:00:00Z", "Rolled back"));
    throw std::runtime_error("stopped");
  }));
  CHECK(s.slots_after(SlotList::read, nullptr, 3000).size() == read.size());
  CHECK(s.load_case(id)->records.empty());
  // Written inside a read, they are kept once it ends.
  s.clear_slots(SlotList::read);
  s.read([&] { s.add_slots(SlotList::read, {read[0], read[1]}); });
  CHECK(s.slots_after(SlotList::read, nullptr, 10).size() == 2);
}

TEMPLATE_TEST_CASE("CaseStore: a unit of work that throws leaves nothing behind", "[store][contract]",
                   SqliteStoreFixture, MemoryStoreFixture) {
  TestType f;
  CaseStore& s = f.store();
  int64_t id = raise_case(s, new_case("C-4001"), {new_deadline(1, 1, "Talk", Date(2026, 11, 23), Date(2026, 11, 25))});
  auto before = s.load_case(id);
  REQUIRE(before);
  int64_t deadline = before->deadlines[0].id;

  CHECK_THROWS_WITH(s.write([&] {
    int64_t other = s.add_case(new_case("C-4002"), at("2026-11-24T09:00:00Z"));
    s.add_record(other, new_record("note", "2026-11-24T09:00:00Z", "Never kept"));
    s.add_record(id, new_record("note", "2026-11-24T09:00:00Z", "Never kept either"));
    CaseEvent ev = new_event(EventType::extend, "2026-11-24T09:00:00Z");
    int64_t e = s.add_event(id, ev);
    s.move_deadline(deadline, e, 1, Date(2026, 11, 25), Date(2026, 11, 26));
    s.close_deadline(deadline, at("2026-11-24T09:00:00Z"), ClosedBy::record, false, {});
    s.set_case_state(id, CaseStatus::resolved, 3, at("2026-11-24T09:00:00Z"), {}, at("2026-11-24T09:00:00Z"));
    s.mark_reminder_sent(deadline, Reminder::overdue, Date(2026, 11, 25), at("2026-11-24T09:00:00Z"), "");
    s.seal_case(id);
    throw std::runtime_error("the rule refused");
  }),
                    "the rule refused");

  CHECK(s.case_ids({true, "", std::nullopt}) == std::vector<int64_t>{id});
  auto after = s.load_case(id);
  REQUIRE(after);
  CHECK(after->status == CaseStatus::open);
  CHECK(after->stage == 1);
  CHECK(after->records.empty());
  CHECK(after->events.size() == before->events.size());
  REQUIRE(after->deadlines.size() == 1);
  CHECK(after->deadlines[0].open());
  CHECK(after->deadlines[0].due == Date(2026, 11, 25));
  CHECK(after->deadlines[0].shifts.empty());
  CHECK_FALSE(s.reminder_sent(deadline, Reminder::overdue));
}
