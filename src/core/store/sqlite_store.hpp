#pragma once
/// The store wing's own view of the SQLite store: the database handle behind
/// a Store, the chain's functions over it, and the one translation of
/// SQLite's errors into esc's. Nothing outside src/core/store/ includes this
/// (the tests and the benchmark's store builder aside).

#include <esc/ledger.hpp>
#include <esc/store.hpp>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace esc {

/// A database that keeps each statement it is asked for prepared, so a
/// query run once per case is prepared once per process, not once per case
/// (preparing was most of the time of the commands over many cases). The
/// statements are finalized before the database closes.
class StatementCache : public SQLite::Database {
 public:
  template <typename... Args>
  explicit StatementCache(Args&&... args) : SQLite::Database(std::forward<Args>(args)...) {
    caches()[getHandle()] = this;
  }
  ~StatementCache() {
    caches().erase(getHandle());
    statements_.clear();
  }
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  /// The cache of the database behind `db`, if it keeps one.
  static StatementCache* of(SQLite::Database& db) {
    auto it = caches().find(db.getHandle());
    return it == caches().end() ? nullptr : it->second;
  }

 private:
  friend class Prepared;
  struct Slot {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  /// The databases that keep statements, by their handle (one thread).
  static std::unordered_map<sqlite3*, StatementCache*>& caches() {
    static std::unordered_map<sqlite3*, StatementCache*> all;
    return all;
  }
  std::unordered_map<std::string, Slot> statements_;
};

/// One use of a statement: the database's kept one when it keeps them and
/// no other use holds it (a query run while the same query is being stepped
/// gets its own), otherwise one prepared for this use. The kept one is
/// reset, and its parameters cleared, when the use ends, so it holds no
/// read lock between uses.
class Prepared {
 public:
  Prepared(SQLite::Database& db, const std::string& sql) {
    if (auto* cache = StatementCache::of(db)) {
      auto& slot = cache->statements_[sql];
      if (!slot.in_use) {
        if (!slot.statement) slot.statement = std::make_unique<SQLite::Statement>(db, sql);
        slot.in_use = true;
        slot_ = &slot;
        statement_ = slot.statement.get();
        return;
      }
    }
    own_ = std::make_unique<SQLite::Statement>(db, sql);
    statement_ = own_.get();
  }
  ~Prepared() {
    if (!slot_) return;
    statement_->tryReset();
    try {
      statement_->clearBindings();  // sqlite3_clear_bindings cannot fail
    } catch (...) {
    }
    slot_->in_use = false;
  }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_; }

 private:
  StatementCache::Slot* slot_ = nullptr;
  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement* statement_ = nullptr;
};

/// The database a Store holds.
struct Store::Sqlite : StatementCache {
  using StatementCache::StatementCache;
};

/// The SQLite handle behind a Store, for the store wing (and tests).
struct StoreAccess {
  static SQLite::Database& db(Store& s) { return *s.db_; }
};

/// SQLite's error as esc's: the store busy (BusyError), or an I/O error
/// naming the store.
[[noreturn]] void throw_store_error(const SQLite::Exception& e, const std::string& path);

/// Creates the current schema in an empty database (an import's scratch copy).
void create_schema(SQLite::Database& db);

// The chain (ledger.cpp), over the database itself.

/// Chains every row of case `case_id` that is not chained yet, oldest first.
/// Call it inside the write transaction that added the rows.
void chain_case(SQLite::Database& db, int64_t case_id);
/// Appends one entry for a row that is already in the store (an import), in
/// `encoding` (chain_encoding.hpp): an imported entry keeps the one it had.
void chain_entry(SQLite::Database& db, int64_t case_id, const std::string& entry, int64_t ref_id, int encoding);
/// Chains everything not chained yet, case by case (a store made before the
/// chain existed).
void chain_all(SQLite::Database& db);
/// The chain's head now.
Anchor head_anchor(SQLite::Database& db);
/// Runs PRAGMA integrity_check and walks the chain, in one read transaction.
/// With an anchor, also checks the chain still reaches and matches it.
VerifyResult verify_chain(SQLite::Database& db, const std::optional<Anchor>& anchor);

}  // namespace esc
