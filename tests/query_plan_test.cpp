// Every query the store runs, asked of SQLite's planner: none may read the
// whole of a table that grows with the store, except the whole-store passes
// named below, each once as its outermost loop. A missing index (one query
// per event scanning every deadline move, say) turns a command quadratic; this
// test finds it before a user's store does.

#include "scratch.hpp"

#include <esc/transfer.hpp>

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace esc;
using namespace esc::test;

namespace {

/// The tables that grow with the number of cases.
const std::set<std::string> k_growing{"cases", "parties", "events", "records", "deadlines", "deadline_shifts", "ledger"};

/// The whole-store passes, which read every row of their tables once by
/// design (streams over the whole store): a distinctive part of their SQL,
/// the tables (or aliases) they may scan, and why.
struct Pass {
  const char* sql_part;
  std::set<std::string> tables;
  const char* why;
};
const Pass k_passes[] = {
    {"FROM ledger ORDER BY seq", {"ledger"}, "verify walks the whole chain in order"},
    {"SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1", {"ledger"}, "the chain's head: its last row only"},
    {"WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.entry = 'case' AND l.ref_id = c.id)", {"c", "e", "r"},
     "verify looks for rows no chain entry covers"},
    {"FROM cases c ORDER BY c.id", {"c"}, "verify compares every case's kept state with its events"},
    {"SELECT id FROM cases ORDER BY id", {"cases"}, "export, verify and chain_all go case by case"},
    {"SELECT id FROM cases WHERE 1 ORDER BY id", {"cases"}, "list --all and the return over every case"},
    {"FROM cases c JOIN parties k ON k.case_id = c.id AND k.role = 'counterpart' WHERE 1 ORDER BY c.id", {"c"},
     "list --all, one line per case"},
};

/// Captures the SQL of every statement run on a connection (not the
/// statements triggers run, which SQLite reports as comments).
int capture(unsigned type, void* ctx, void* p, void*) {
  if (type != SQLITE_TRACE_STMT) return 0;
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(p));
  if (sql && std::string_view(sql).substr(0, 2) != "--") static_cast<std::set<std::string>*>(ctx)->insert(sql);
  return 0;
}

/// The full scans in `sql`'s plan of tables that grow: "SCAN deadline_shifts"
/// and the like, as SQLite's EXPLAIN QUERY PLAN words them. Empty when the
/// statement is not a query the planner can explain (DDL, PRAGMA, ...).
std::vector<std::string> full_scans(sqlite3* db, const std::string& sql) {
  std::vector<std::string> out;
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &q, nullptr) != SQLITE_OK) return out;
  while (sqlite3_step(q) == SQLITE_ROW) {
    std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(q, 3));
    if (detail.rfind("SCAN ", 0) != 0) continue;
    std::string what = detail.substr(5, detail.find(' ', 5) - 5);  // the table or its alias
    if (what == "CONSTANT") continue;
    out.push_back(detail);
  }
  sqlite3_finalize(q);
  return out;
}

/// The table an alias names in `sql` ("deadlines" for "d" in "FROM deadlines
/// d"), or the name itself.
std::string table_of(const std::string& sql, const std::string& alias) {
  if (k_growing.count(alias)) return alias;
  for (const auto& t : k_growing)
    if (std::regex_search(sql, std::regex("\\b" + t + "\\s+(AS\\s+)?" + alias + "\\b", std::regex::icase))) return t;
  return alias;
}

/// The partial indexes: scanning one reads only the rows its WHERE keeps
/// (the open cases, the open duties), not the whole table.
std::set<std::string> partial_indexes(sqlite3* db) {
  std::set<std::string> out;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'", -1, &q, nullptr);
  while (sqlite3_step(q) == SQLITE_ROW) out.insert(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  return out;
}

/// The problems: each full scan of a growing table outside the passes.
std::vector<std::string> problems(sqlite3* db, const std::set<std::string>& statements) {
  std::vector<std::string> out;
  const auto partial = partial_indexes(db);
  for (const auto& sql : statements) {
    auto scans = full_scans(db, sql);
    const Pass* pass = nullptr;
    for (const auto& p : k_passes)
      if (sql.find(p.sql_part) != std::string::npos) pass = &p;
    for (const auto& scan : scans) {
      std::string alias = scan.substr(5, scan.find(' ', 5) - 5);
      if (!k_growing.count(table_of(sql, alias))) continue;
      if (pass && pass->tables.count(alias)) continue;
      std::smatch index;
      if (std::regex_search(scan, index, std::regex("USING (COVERING )?INDEX (\\w+)")) && partial.count(index[2])) continue;
      out.push_back(fmt::format("{}\n    in: {}", scan, sql));
    }
  }
  return out;
}

/// A store a user would have: every command that reads or changes cases run
/// through esc's own code, deadlines moved by pauses, resumptions and
/// extensions, reminders claimed and sent, exported, imported, backed up and
/// verified; returns every statement it ran.
std::set<std::string> workload(Scratch& s) {
  std::set<std::string> seen;
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, capture, &seen);
  Service& svc = *s.svc;
  std::vector<int64_t> ids;
  s.clock.set("2026-11-23T09:00");
  for (const char* p : {"stoke-on-trent", "generic", "warrington", "birmingham", "sefton", "stoke-on-trent"}) {
    auto in = raise_input(p);
    in.raiser_email = "ann@example.org";
    ids.push_back(svc.raise(in).c.id);
  }
  const int64_t stoke = ids[0], other = ids[5];
  s.clock.set("2026-11-23T10:00");
  RecordInput r;
  r.case_id = stoke;
  r.kind = "conversation";
  r.summary = "Invented conversation";
  r.channel = "phone";
  svc.record(r);
  svc.extend({stoke, 2, "Both practitioners", "Awaiting a report", std::nullopt});
  svc.pause({other, "Practitioner away", std::nullopt});
  s.clock.set("2026-11-24T10:00");
  svc.resume({other, "Back", std::nullopt});
  svc.escalate({stoke, "Not agreed", std::nullopt, std::nullopt, "Lee Manager <lee@example.org>", ""});
  svc.assign({stoke, "counterpart", "Kim Lead", "kim@example.org", std::nullopt, std::nullopt});
  r.kind = "plan";
  r.action = "Joint visit";
  r.action_due = "2026-11-27";
  svc.record(r);
  s.clock.set("2026-12-07T09:00");
  ReminderRules rules;
  rules.claimant = "pid 1 on test";
  rules.live = [](const ReminderMark&) { return false; };
  for (const auto& it : svc.open_deadlines_due({1, false}, "")) {
    Reminder state = !it.timed ? Reminder::owed : it.due < it.today ? Reminder::overdue : Reminder::due_soon;
    for (const auto& to : svc.recipients_of(it))
      if (svc.claim_reminder(it, state, to, rules)) svc.mark_reminder_sent(it.deadline_id, state, it.due, to);
  }
  svc.resolve({ids[1], "Agreed", "Both", "None", "", std::nullopt, 5});
  svc.visit_deadlines_due({-1, false}, "", [](const DueItem&) {});
  svc.visit_summaries({true, "", std::nullopt, false}, [](const CaseSummary&) {});
  svc.visit_summaries({false, "stoke-on-trent", 2, true}, [](const CaseSummary&) {});
  svc.visit_summaries({}, [](const CaseSummary&) {});
  svc.visit_deadlines_due({0, true}, "sefton", [](const DueItem&) {});
  svc.list({false, "", std::nullopt, false}, false);
  svc.list({true, "", std::nullopt, false}, true);
  for (int64_t id : ids) svc.load(id);
  svc.verify_duties();
  s.store->verify(std::nullopt);
  s.store->head_anchor();
  std::ostringstream exported;
  export_jsonl(*s.store, exported);
  s.store->backup_to((s.dir / "backup.db").string());
  sqlite3_trace_v2(db, 0, nullptr, nullptr);
  return seen;
}

}  // namespace

TEST_CASE("no query reads the whole of a table that grows, but the whole-store passes", "[store][plan]") {
  Scratch s("esc-plan");
  auto statements = workload(s);
  REQUIRE(statements.size() > 40);  // the workload reached the store's queries
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  auto found = problems(db, statements);
  std::string all;
  for (const auto& p : found) all += p + "\n";
  INFO(all);
  CHECK(found.empty());

  SECTION("and finds the scan a dropped index leaves") {
    StoreAccess::db(*s.store).exec("DROP INDEX deadline_shifts_event");
    auto without = problems(db, statements);
    bool shifts = std::any_of(without.begin(), without.end(),
                              [](const std::string& p) { return p.find("deadline_shifts") != std::string::npos; });
    CHECK(shifts);
  }
}
