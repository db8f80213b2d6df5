// The due query (overdue, due, remind) gives the same rows in the same order
// as the form it replaced, which ordered them with a window function: every
// open deadline in the window, grouped by case, the case with the oldest
// timed due date first.

#include "scratch.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

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
