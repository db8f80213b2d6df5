// Export and import: a store exported and imported into a new one gives the
// same cases and the same chain, hash for hash; a changed export is refused
// whole. All names and cases are invented.

#include <esc/error.hpp>
#include <esc/service.hpp>
#include <esc/store.hpp>
#include <esc/transfer.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <sstream>

#include "scratch.hpp"

using namespace esc;
using esc::test::raise_input;
using esc::test::Scratch;

namespace {

/// Two cases told through the rules: one escalated, paused, resumed,
/// extended and resolved with records; one open with a record.
void tell(Scratch& s) {
  s.clock.set("2026-08-27T10:00");
  auto in = raise_input("stoke-on-trent");
  in.child.name = "Robin Invented";
  s.svc->raise(in);
  s.svc->raise(raise_input("sefton"));
  s.clock.set("2026-08-27T11:00");
  s.svc->escalate({1, "Serious", 3, std::nullopt});
  s.svc->record({1, "conversation", "Heads of service spoke", "phone", "Bob Worker", "", "", std::nullopt,
                 std::nullopt});
  s.svc->record({2, "note", "Left a message", "", "", "", "", std::nullopt, std::nullopt});
  s.clock.set("2026-08-28T16:00");
  s.svc->pause({1, "Off sick", std::nullopt});
  s.clock.set("2026-09-01T09:00");
  s.svc->resume({1, "", std::nullopt});
  s.clock.set("2026-09-02T10:00");
  s.svc->extend({1, 2, "Both heads of service", "Adviser away", std::nullopt});
  s.clock.set("2026-09-04T10:00");
  s.svc->resolve({1, "Joint review agreed", "Both heads of service", "", "", std::nullopt, std::nullopt});
}

std::string export_of(Store& store) {
  std::ostringstream out;
  export_jsonl(store, out);
  return out.str();
}

ImportResult import_into(Store& store, const std::string& text) {
  std::istringstream in(text);
  ImportFile file(in, "cases.jsonl");
  return file.add_to(store);
}

/// Every ledger row, in order, one line each.
std::string chain_of(Store& store) {
  SQLite::Statement q(StoreAccess::db(store), "SELECT seq, case_id, case_seq, entry, ref_id, prev_case_hash, prev_hash, "
                                              "hash, encoding FROM ledger ORDER BY seq");
  std::string out;
  while (q.executeStep())
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                       q.getColumn(2).getInt64(), q.getColumn(3).getString(), q.getColumn(4).getInt64(),
                       q.getColumn(5).getString(), q.getColumn(6).getString(), q.getColumn(7).getString(),
                       q.getColumn(8).getInt());
  return out;
}

/// A case as load_case gives it, every field that import must carry over.
std::string describe(const Case& c) {
  std::string s = fmt::format("{} {} {} {} {} {} {} {} {} {} {}|{}|{}|{} {} {}\n", c.id, c.uuid, c.policy_id,
                              c.policy_sha256, c.policy_version, c.category, c.summary, c.status, c.stage,
                              c.child.ref, c.child.name, c.raiser.name, c.counterpart.name,
                              c.counterpart.agency_type, c.raised_at.time_since_epoch().count(),
                              c.entered_at.time_since_epoch().count());
  for (const auto& d : c.deadlines) {
    s += fmt::format(" d {} {} {} {} {} {} {} {}\n", d.id, d.uuid, stored_stage(d.scope, d.stage), d.action, d.due.iso(),
                     d.open(), d.closed_by ? name(*d.closed_by) : "", d.shifts.size());
    for (const auto& sh : d.shifts)
      s += fmt::format("  s {} {} {} {}\n", name(sh.type), sh.days, sh.from_due.iso(), sh.to_due.iso());
  }
  for (const auto& e : c.events)
    s += fmt::format(" e {} {} {} {} {} {}\n", e.id, e.uuid, e.type, e.at.time_since_epoch().count(), e.reason,
                     e.days.value_or(0));
  for (const auto& r : c.records)
    s += fmt::format(" r {} {} {} {} {} {}\n", r.id, r.uuid, r.kind, r.summary, r.channel, r.with);
  return s;
}

std::string all_cases(Store& store) {
  std::string out;
  for (int64_t id : store.case_ids({true, "", std::nullopt})) out += describe(*store.load_case(id));
  return out;
}

}  // namespace

TEST_CASE("export then import into a new store: the same cases, the same hashes", "[transfer]") {
  Scratch from("esc-export");
  tell(from);
  REQUIRE(from.store->verify(std::nullopt).ok());
  std::string text = export_of(*from.store);
  CHECK(text.rfind(fmt::format("{{\"esc_export\":1,\"schema\":{}}}\n", schema_version()), 0) == 0);

  Scratch to("esc-import");
  ImportResult r = import_into(*to.store, text);
  CHECK(r.cases_added == 2);
  CHECK(r.cases_extended == 0);
  CHECK(r.cases_present == 0);
  CHECK(r.entries_added == from.count("ledger"));

  CHECK(all_cases(*to.store) == all_cases(*from.store));
  CHECK(chain_of(*to.store) == chain_of(*from.store));
  CHECK(to.store->head_anchor().last_hash == from.store->head_anchor().last_hash);
  CHECK(to.store->verify(from.store->head_anchor()).ok());
  CHECK(export_of(*to.store) == text);

  // Again: everything is there already.
  ImportResult again = import_into(*to.store, text);
  CHECK(again.cases_present == 2);
  CHECK(again.entries_added == 0);
  CHECK(chain_of(*to.store) == chain_of(*from.store));
}

TEST_CASE("import adds the later entries of a case the store has", "[transfer]") {
  Scratch from("esc-export");
  tell(from);
  Scratch to("esc-import");
  import_into(*to.store, export_of(*from.store));
  from.clock.set("2026-09-07T10:00");
  from.svc->record({2, "meeting", "Met at last", "", "", "", "", std::nullopt, std::nullopt});
  ImportResult r = import_into(*to.store, export_of(*from.store));
  CHECK(r.cases_extended == 1);
  CHECK(r.cases_present == 1);
  CHECK(r.entries_added == 1);
  CHECK(all_cases(*to.store) == all_cases(*from.store));
  CHECK(chain_of(*to.store) == chain_of(*from.store));
  CHECK(to.store->verify(std::nullopt).ok());
}

TEST_CASE("import refuses a changed export and changes nothing", "[transfer]") {
  Scratch from("esc-export");
  tell(from);
  std::string text = export_of(*from.store);
  Scratch to("esc-import");

  auto refused = [&](const std::string& from_text, const std::string& to_text, const std::string& says) {
    std::string bad = text;
    auto at = bad.find(from_text);
    REQUIRE(at != std::string::npos);
    bad.replace(at, from_text.size(), to_text);
    INFO("changed " << from_text << " to " << to_text);
    CHECK_THROWS_WITH(import_into(*to.store, bad), Catch::Contains(says));
    CHECK(to.count("cases") == 0);
    CHECK(to.count("ledger") == 0);
  };
  refused("Heads of service spoke", "Nobody spoke", "its hashes do not match: case 1: record 1 (entry ");
  refused("\"child_name\":\"Robin Invented\"", "\"child_name\":\"Someone Else\"",
          "its hashes do not match: case 1: case 1 (entry 1) was changed");
  refused("\"reason\":\"Adviser away\"", "\"reason\":\"Nobody asked\"", "was changed");
  refused("\"from_due\":\"", "\"from_due\":\"1", "cases.jsonl:");  // a shift's date no longer a date
  refused("\"encoding\":2", "\"encoding\":1", "its hashes do not match");
  // A shift's place: the chain covers it.
  refused("\"seq\":1,\"days\"", "\"seq\":7,\"days\"", "its hashes do not match");

  // The untouched file still imports.
  CHECK(import_into(*to.store, text).cases_added == 2);
  CHECK(to.store->verify(std::nullopt).ok());
}
