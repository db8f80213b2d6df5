#pragma once
/// The store wing's own view of the SQLite store: the database handle behind
/// a Store, the chain's functions over it, and the one translation of
/// SQLite's errors into esc's. Nothing outside src/core/store/ includes this
/// (the tests and the benchmark's store builder aside).

#include <esc/ledger.hpp>
#include <esc/store.hpp>

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>

namespace esc {

/// The database a Store holds.
struct Store::Sqlite : SQLite::Database {
  using SQLite::Database::Database;
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
