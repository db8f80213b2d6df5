// The store keeps its statements prepared: a query run once per case is
// prepared once per process, a kept statement holds no lock and no bound
// value between uses, and a query run while the same one is being stepped
// gets a statement of its own.

#include "scratch.hpp"

#include "core/store/sqlite_store.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <string>

using namespace esc;
using namespace esc::test;

namespace {

/// Counts the statements SQLite compiles on a connection: its authorizer is
/// asked about every statement as it is prepared, never as it is stepped.
struct PrepareCounter {
  sqlite3* db;
  int selects = 0;
  explicit PrepareCounter(sqlite3* handle) : db(handle) { sqlite3_set_authorizer(db, &PrepareCounter::seen, this); }
  ~PrepareCounter() { sqlite3_set_authorizer(db, nullptr, nullptr); }
  static int seen(void* self, int action, const char*, const char*, const char*, const char*) {
    if (action == SQLITE_SELECT) ++static_cast<PrepareCounter*>(self)->selects;
    return SQLITE_OK;
  }
};

struct Scratchpad {
  Scratch s{"esc-prepared"};
  std::string path = (s.dir / "t.db").string();
};

}  // namespace

TEST_CASE("a case loaded again is read by the statements prepared for the first load", "[store][prepared]") {
  Scratch s("esc-prepared");
  auto c = s.svc->raise(raise_input("generic")).c;
  RecordInput r;
  r.case_id = c.id;
  r.kind = "conversation";
  r.summary = "Spoke";
  r.channel = "phone";
  s.svc->record(r);
  PrepareCounter counter(StoreAccess::db(*s.store).getHandle());
  REQUIRE(s.store->load_case(c.id));
  const int first = counter.selects;
  CHECK(first > 0);
  for (int i = 0; i < 50; ++i) REQUIRE(s.store->load_case(c.id)->records.size() == 1);
  CHECK(counter.selects == first);
}

TEST_CASE("a kept statement holds no lock and no bound value between uses", "[store][prepared]") {
  Scratchpad t;
  StatementCache db(t.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = DELETE");
  db.exec("CREATE TABLE t (n INTEGER)");
  for (int i = 0; i < 5; ++i) db.exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
  const std::string sql = "SELECT n FROM t WHERE n >= coalesce(?, 0) ORDER BY n";
  {
    Prepared q(db, sql);
    q->bind(1, 3);
    REQUIRE(q->executeStep());  // one row of two read: a read lock while in use
    CHECK(q->getColumn(0).getInt() == 3);
  }
  // Another connection can write: the kept statement was reset.
  SQLite::Database other(t.path, SQLite::OPEN_READWRITE);
  other.exec("INSERT INTO t VALUES (9)");
  // Its parameter was cleared: unbound, it is NULL, so every row.
  Prepared again(db, sql);
  int rows = 0;
  while (again->executeStep()) ++rows;
  CHECK(rows == 6);
}

TEST_CASE("the same query run while it is being stepped gets its own statement", "[store][prepared]") {
  Scratchpad t;
  StatementCache db(t.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (n INTEGER)");
  for (int i = 1; i <= 3; ++i) db.exec("INSERT INTO t VALUES (" + std::to_string(i) + ")");
  const std::string sql = "SELECT n FROM t WHERE n <= ? ORDER BY n";
  int pairs = 0, sum = 0;
  Prepared outer(db, sql);
  outer->bind(1, 3);
  while (outer->executeStep()) {
    Prepared inner(db, sql);
    inner->bind(1, outer->getColumn(0).getInt());
    while (inner->executeStep()) ++pairs, sum += inner->getColumn(0).getInt();
  }
  CHECK(pairs == 1 + 2 + 3);
  CHECK(sum == 1 + (1 + 2) + (1 + 2 + 3));
}

TEST_CASE("a plain database prepares each use afresh", "[store][prepared]") {
  Scratchpad t;
  SQLite::Database db(t.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t (n INTEGER)");
  PrepareCounter counter(db.getHandle());
  for (int i = 0; i < 3; ++i) {
    Prepared q(db, "SELECT count(*) FROM t");
    REQUIRE(q->executeStep());
  }
  CHECK(counter.selects == 3);
}
