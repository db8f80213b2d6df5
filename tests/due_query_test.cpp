// The due query (overdue, due, remind) gives the same rows in the same order
// as the form it replaced, which ordered them with a window function: every
// open deadline in the window, grouped by case, the case with the oldest
// timed due date first.

#include "scratch.hpp"

#include <sqlite3.h>
#include <sys/resource.h>

#include <csignal>

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace esc;
using namespace esc::test;

namespace {

/// The rows the window-function form gave, by deadline id.
std::vector<int64_t> window_form(sqlite3* db, std::optional<Date> first, Date last, const std::string& policy,
                                 bool with_untimed) {
  std::string sql =
      "SELECT d.id, min(CASE WHEN d.timed = 1 THEN d.due ELSE '9999-12-31' END) OVER (PARTITION BY d.case_id) AS oldest "
      "FROM deadlines d INDEXED BY deadlines_open JOIN cases c ON c.id = d.case_id "
      "JOIN parties r ON r.case_id = d.case_id AND r.role = 'raiser' "
      "JOIN parties k ON k.case_id = d.case_id AND k.role = 'counterpart' "
      "WHERE d.done_at IS NULL AND d.due <= :last AND (c.status = 'open' OR d.stage < 0)";
  if (first) sql += " AND (d.due >= :first OR d.timed = 0)";
  if (!policy.empty()) sql += " AND c.policy_id = :policy";
  if (!with_untimed) sql += " AND d.timed = 1";
  sql += " ORDER BY oldest, d.case_id, d.due, d.stage, d.seq";
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr) == SQLITE_OK);
  std::string l = last.iso(), f = first ? first->iso() : "";
  sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":last"), l.c_str(), -1, SQLITE_TRANSIENT);
  if (first) sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":first"), f.c_str(), -1, SQLITE_TRANSIENT);
  if (!policy.empty()) sqlite3_bind_text(q, sqlite3_bind_parameter_index(q, ":policy"), policy.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<int64_t> out;
  while (sqlite3_step(q) == SQLITE_ROW) out.push_back(sqlite3_column_int64(q, 0));
  sqlite3_finalize(q);
  return out;
}

}  // namespace

TEST_CASE("the due query gives the rows of the window-function form, in its order", "[store][due]") {
  Scratch s("esc-due");
  Service& svc = *s.svc;
  const char* policies[] = {"stoke-on-trent", "generic", "warrington", "birmingham", "sefton"};
  const char* types[] = {"school", "social-care", "health", "police"};
  // Cases raised over five weeks around Christmas, escalated, extended,
  // halted, resumed and resolved with check-backs, so that deadlines of
  // every scope and timed and untimed duties are open at once, and cases
  // share oldest due dates.
  for (int i = 0; i < 120; ++i) {
    s.clock.set(fmt::format("2026-12-{:02}T{:02}:00", 1 + (i * 7) % 28, 8 + i % 9));
    auto in = raise_input(policies[i % 5], types[i % 4], types[(i / 4) % 4]);
    int64_t id = svc.raise(in).c.id;
    auto later = [&](int hours) { s.clock.t += std::chrono::hours{hours}; };
    try {
      if (i % 3 == 0) later(26), svc.escalate({id, "Not agreed", std::nullopt, std::nullopt, "", ""});
      if (i % 5 == 0 && i % 2 == 0) later(2), svc.extend({id, 2, "Both", "Awaiting a report", std::nullopt});
      if (i % 10 == 5) later(1), svc.pause({id, "Away", std::nullopt});
      if (i % 20 == 5) later(50), svc.resume({id, "", std::nullopt});
      if (i % 7 == 0) later(30), svc.resolve({id, "Agreed", "Both", "None", "Late", std::nullopt, 3});
    } catch (const Error&) {
      // A move the policy does not allow: the case stays as it is.
    }
  }
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  int compared = 0;
  for (const char* last : {"2026-12-01", "2026-12-15", "2026-12-24", "2027-01-05", "2027-02-01"})
    for (std::optional<Date> first : {std::optional<Date>{}, std::optional<Date>{Date::parse("2026-12-10")}})
      for (const std::string policy : {"", "stoke-on-trent", "sefton"})
        for (bool with_untimed : {true, false}) {
          std::vector<int64_t> got;
          s.store->visit_open_deadlines(first, Date::parse(last), policy, with_untimed,
                                        [&](const OpenDeadlineRow& row) { got.push_back(row.deadline_id); });
          auto want = window_form(db, first, Date::parse(last), policy, with_untimed);
          INFO("last " << last << " first " << (first ? first->iso() : "-") << " policy " << policy
                       << (with_untimed ? "" : " timed only"));
          CHECK(got == want);
          compared += static_cast<int>(want.size());
        }
  CHECK(compared > 500);  // the windows held many rows, ties among them
}

namespace {

int capture_due_query(unsigned type, void* ctx, void* p, void*) {
  if (type != SQLITE_TRACE_STMT) return 0;
  const char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(p));
  if (sql && std::string_view(sql).find("keys AS") != std::string_view::npos)
    *static_cast<std::string*>(ctx) = sql;
  sqlite3_free(const_cast<char*>(sql));
  return 0;
}

}  // namespace

TEST_CASE("the due query sorts only the duties' ids, and keeps no table of its own", "[store][due]") {
  // The whole rows (names, agencies, the policy's words) are read after the
  // sorts, in their order: what a run holds while it sorts is a few numbers
  // for each duty, within SQLite's bounded sorter. A sort over the whole
  // rows, or a table built on the way (a materialized subquery, an
  // automatic index), would hold something for every row or every case.
  Scratch s("esc-due-plan");
  for (int i = 0; i < 3; ++i) s.svc->raise(raise_input("generic"));
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  std::string sql;
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, capture_due_query, &sql);
  int rows = 0;
  s.store->visit_open_deadlines(std::nullopt, Date::parse("2030-01-01"), "", true,
                                [&](const OpenDeadlineRow&) { ++rows; });
  sqlite3_trace_v2(db, 0, nullptr, nullptr);
  REQUIRE(rows > 0);
  REQUIRE_FALSE(sql.empty());
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &q, nullptr) == SQLITE_OK);
  // Each step of the plan with its parent.
  std::vector<std::pair<int, std::string>> steps;  // (parent, detail)
  std::map<int, std::pair<int, std::string>> step_of;
  while (sqlite3_step(q) == SQLITE_ROW) {
    int id = sqlite3_column_int(q, 0), parent = sqlite3_column_int(q, 1);
    std::string detail = reinterpret_cast<const char*>(sqlite3_column_text(q, 3));
    step_of[id] = {parent, detail};
    steps.emplace_back(parent, detail);
  }
  sqlite3_finalize(q);
  auto within_keys = [&](int parent) {
    for (; parent != 0 && step_of.count(parent); parent = step_of[parent].first)
      if (step_of[parent].second == "CO-ROUTINE keys") return true;
    return false;
  };
  INFO(sql);
  int sorts = 0;
  bool keys_first = false, seen_scan = false;
  for (const auto& [parent, detail] : steps) {
    INFO(detail);
    if (detail.find("TEMP B-TREE") != std::string::npos) {
      ++sorts;
      CHECK(within_keys(parent));
    }
    CHECK(detail.rfind("MATERIALIZE", 0) == std::string::npos);
    CHECK(detail.find("AUTOMATIC") == std::string::npos);
    if (parent == 0 && !seen_scan && detail.rfind("SCAN", 0) == 0) {
      seen_scan = true;
      keys_first = detail == "SCAN x";
    }
  }
  CHECK(sorts >= 1);
  CHECK(keys_first);
}

TEST_CASE("a reminder run's lists stay out of the store's file", "[store][due]") {
  // They hold numbers only, but they are the run's, not the record: another
  // process, a backup or an export never sees them.
  Scratch s("esc-run-lists");
  ReminderSlot slot;
  slot.deadline_id = 7;
  slot.seq = 1;
  s.store->clear_slots(SlotList::read);
  s.store->add_slots(SlotList::read, {slot});
  REQUIRE(s.store->slots_after(SlotList::read, nullptr, 10).size() == 1);
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM main.sqlite_master WHERE name LIKE 'reminder_%'", -1, &q,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  CHECK(sqlite3_column_int(q, 0) == 0);
  sqlite3_finalize(q);
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM temp.sqlite_master WHERE name = 'reminder_read'", -1, &q,
                             nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  CHECK(sqlite3_column_int(q, 0) == 1);
  sqlite3_finalize(q);
}

TEST_CASE("a reminder run's list that cannot be kept is an I/O error, and leaves the store as it was",
          "[store][due]") {
  // The list outgrows its cache into a temporary file; files this process
  // writes are held to 512 KiB here, as a full temporary directory would.
  Scratch s("esc-run-lists-full");
  int64_t id = s.svc->raise(raise_input("generic")).c.id;
  std::vector<ReminderSlot> many(100000);
  for (size_t i = 0; i < many.size(); ++i) many[i].seq = static_cast<uint32_t>(i + 1);
  struct rlimit was {};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &was) == 0);
  struct sigaction ignore {}, before {};
  ignore.sa_handler = SIG_IGN;
  REQUIRE(sigaction(SIGXFSZ, &ignore, &before) == 0);
  struct rlimit small = was;
  small.rlim_cur = 512 * 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  auto restore = [&] {
    setrlimit(RLIMIT_FSIZE, &was);
    sigaction(SIGXFSZ, &before, nullptr);
  };
  try {
    s.store->clear_slots(SlotList::read);
    // Alone, and inside a read: each refused whole, the connection out of
    // any transaction afterwards.
    CHECK_THROWS_AS(s.store->add_slots(SlotList::read, many), IoError);
    CHECK_THROWS_WITH(s.store->add_slots(SlotList::read, many), Catch::Contains("temporary storage"));
    CHECK_THROWS_AS(s.store->read([&] { s.store->add_slots(SlotList::read, many); }), IoError);
    restore();
  } catch (...) {
    restore();
    throw;
  }
  CHECK(s.store->slots_after(SlotList::read, nullptr, 10).empty());
  sqlite3* db = StoreAccess::db(*s.store).getHandle();
  CHECK(sqlite3_get_autocommit(db) != 0);
  // The store goes on: a record is written and read back.
  RecordInput r;
  r.case_id = id;
  r.kind = "note";
  r.summary = "After the full list";
  s.svc->record(r);
  CHECK(s.svc->load(id).records.size() == 1);
  s.store->add_slots(SlotList::read, {many[0], many[1]});
  CHECK(s.store->slots_after(SlotList::read, nullptr, 10).size() == 2);
}
