// The lifecycle rules over the store interface: the same story told to the
// SQLite store and to an in-memory one gives the same cases, deadlines,
// reminders and listings, so the rules depend on nothing but CaseStore.

#include <esc/error.hpp>
#include <esc/report.hpp>
#include <esc/service.hpp>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "memory_store.hpp"
#include "scratch.hpp"

using namespace esc;
using esc::test::MemoryStore;
using esc::test::Scratch;
using esc::test::raise_input;
using esc::test::TestClock;

namespace {

/// Everything a case holds that the rules decide, as text.
std::string describe(const Case& c) {
  std::string s = fmt::format("case {} {} stage {} {}\n", c.id, c.policy_id, c.stage, name(c.status));
  for (const auto& d : c.deadlines)
    s += fmt::format("  deadline {} '{}' {}..{} due {} {} {} late={} shifts={}\n", stage_label("stage", d), d.action,
                     d.start_date.iso(), d.original_due.iso(), d.due.iso(), d.open() ? "open" : "done",
                     d.closed_by ? name(*d.closed_by) : "", d.late ? (*d.late ? "yes" : "no") : "-", d.shifts.size());
  for (const auto& e : c.events)
    s += fmt::format("  event {} {}->{} days={}\n", name(e.type), e.from_stage.value_or(0), e.to_stage.value_or(0),
                     e.days.value_or(0));
  for (const auto& r : c.records) s += fmt::format("  record {} '{}'\n", r.kind, r.summary);
  return s;
}

/// One story across Christmas and the New Year under three policies, told
/// through `svc`; what the store holds and lists along the way, as text.
std::string story(Service& svc, TestClock& clock) {
  std::string out;
  clock.set("2026-12-23T10:00");
  int64_t stoke = svc.raise(raise_input("stoke-on-trent")).c.id;
  int64_t sefton = svc.raise(raise_input("sefton")).c.id;
  int64_t brum = svc.raise(raise_input("birmingham", "school", "school")).c.id;
  int64_t halted = svc.raise(raise_input("stoke-on-trent", "health", "police")).c.id;
  clock.set("2026-12-24T11:30");
  svc.record({stoke, "conversation", "Discussed; no agreement", "face-to-face", "Bob Worker", "", "", std::nullopt,
              std::nullopt});
  svc.pause({halted, "Practitioner off sick", std::nullopt});
  clock.set("2026-12-24T15:00");
  svc.escalate({stoke, "No agreement", std::nullopt, std::nullopt});
  svc.escalate({brum, "Two schools", std::nullopt, std::nullopt});
  clock.set("2026-12-29T09:00");
  svc.extend({stoke, 2, "Both line managers", "Awaiting information", std::nullopt});
  svc.resume({halted, "", std::nullopt});
  clock.set("2027-01-06T10:00");
  for (Reminder state : {Reminder::overdue, Reminder::due_soon}) {
    for (const auto& it : svc.open_deadlines_due({1, false}, "")) {
      out += fmt::format("due case {} {} {} {} late {}\n", it.case_id, stage_label("stage", it.scope, it.stage), it.due.iso(), it.today.iso(),
                         it.working_days_overdue);
      if (!svc.reminder_sent(it.deadline_id, state)) svc.mark_reminder_sent(it.deadline_id, state, it.due, Recipient{});
    }
  }
  svc.visit_summaries({}, [&](const CaseSummary& s) {
    out += fmt::format("line {} {} stage {} {} next {} overdue {}\n", s.line.id, s.line.policy_id, s.line.stage,
                       name(s.line.status), s.line.next_due ? s.line.next_due->iso() : "-", s.overdue);
  });
  svc.resolve({stoke, "Assessment agreed", "Both line managers", "", "", std::nullopt, 5});
  for (int64_t id : {stoke, sefton, brum, halted}) out += describe(svc.load(id));
  clock.set("2027-01-20T10:00");
  for (const auto& it : svc.open_deadlines_due({-1, false}, ""))
    out += fmt::format("overdue case {} {} {}\n", it.case_id, stage_label("stage", it.scope, it.stage), it.due.iso());
  return out;
}

}  // namespace

TEST_CASE("the rules tell the same story to the SQLite store and to an in-memory one", "[rules]") {
  Scratch sqlite;
  std::string on_sqlite = story(*sqlite.svc, sqlite.clock);

  MemoryStore memory;
  TestClock clock;
  Service svc(memory, sqlite.policies, clock);
  std::string in_memory = story(svc, clock);

  CHECK(in_memory == on_sqlite);
  // The story has substance: deadlines moved, closed and still open.
  CHECK_THAT(on_sqlite, Catch::Contains("shifts=1") && Catch::Contains("done record") && Catch::Contains("done resolve") &&
                            Catch::Contains("deadline check back") && Catch::Contains("overdue case"));
}

TEST_CASE("a change the rules refuse leaves the store as it was", "[rules]") {
  MemoryStore memory;
  TestClock clock;
  PolicyLibrary policies{{ESC_SOURCE_POLICY_DIR}};
  Service svc(memory, policies, clock);
  clock.set("2026-12-23T10:00");
  int64_t id = svc.raise(raise_input("stoke-on-trent")).c.id;
  CHECK(memory.seals(id) == 1);
  std::string before = describe(svc.load(id));
  clock.set("2026-12-24T10:00");
  // Warrington-style: an escalation with no reason is refused before
  // anything is written; an unknown record kind too.
  CHECK_THROWS_AS(svc.escalate({id, "", std::nullopt, std::nullopt}), UsageError);
  CHECK_THROWS_AS(svc.record({id, "gossip", "x", "", "", "", "", std::nullopt, std::nullopt}), UsageError);
  CHECK(describe(svc.load(id)) == before);
  CHECK(memory.seals(id) == 1);
  // Each change that is made is sealed into the chain once.
  svc.escalate({id, "No agreement", std::nullopt, std::nullopt});
  CHECK(memory.seals(id) == 2);
  CHECK_THROWS_AS(svc.load(id + 1), NotFoundError);
}
