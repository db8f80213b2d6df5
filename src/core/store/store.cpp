#include <esc/duties.hpp>
#include <esc/error.hpp>
#include <esc/files.hpp>
#include <esc/ledger.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace esc {

namespace fs = std::filesystem;

namespace {

// Forward migrations: entry i takes user_version i to i + 1. Never edit a
// released entry; add a new one.
const std::vector<const char*> k_migrations{
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE policy_texts (
  sha256     TEXT PRIMARY KEY,
  policy_id  TEXT NOT NULL,
  version    TEXT NOT NULL,
  text       TEXT NOT NULL,
  loaded_from TEXT NOT NULL
);
CREATE TABLE cases (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  policy_id   TEXT NOT NULL,
  policy_sha256 TEXT NOT NULL REFERENCES policy_texts(sha256),
  category    TEXT NOT NULL,
  summary     TEXT NOT NULL,
  requested_action TEXT,
  risk        TEXT,
  child_ref   TEXT,
  child_name  TEXT,
  child_dob   TEXT,
  child_nhs   TEXT,
  raised_at   INTEGER NOT NULL,
  entered_at  INTEGER NOT NULL,
  -- Current state, derived from the events below and kept for fast queries.
  status      TEXT NOT NULL CHECK (status IN ('open', 'paused', 'resolved')),
  stage       INTEGER NOT NULL,
  stage_started_at INTEGER NOT NULL,
  paused_at   INTEGER,
  resolved_at INTEGER
);
CREATE INDEX cases_open ON cases(policy_id, stage) WHERE status <> 'resolved';
CREATE TABLE parties (
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  role        TEXT NOT NULL CHECK (role IN ('raiser', 'counterpart')),
  name        TEXT NOT NULL,
  agency      TEXT,
  agency_type TEXT NOT NULL,
  PRIMARY KEY (case_id, role)
) WITHOUT ROWID;
-- Stage changes, pauses, resumes, extensions and the resolution.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  type        TEXT NOT NULL CHECK (type IN ('raise', 'escalate', 'pause', 'resume', 'extend', 'resolve')),
  at          INTEGER NOT NULL,
  entered_at  INTEGER NOT NULL,
  from_stage  INTEGER,
  to_stage    INTEGER,
  reason      TEXT,
  agreed_by   TEXT,
  days        INTEGER,
  outcome     TEXT,
  learning    TEXT,
  delay_reason TEXT
);
CREATE INDEX events_case ON events(case_id, id);
-- Conversations, meetings, plans, decisions, ...: never edited; a correction
-- is a new record pointing at the one it corrects.
CREATE TABLE records (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  stage       INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  entered_at  INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  channel     TEXT,
  with_names  TEXT,
  summary     TEXT NOT NULL,
  action      TEXT,
  action_due  TEXT,
  corrects    INTEGER REFERENCES records(id)
);
CREATE INDEX records_case ON records(case_id, id);
CREATE TABLE deadlines (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  stage       INTEGER NOT NULL,          -- 0: the whole-case limit
  seq         INTEGER NOT NULL,
  action      TEXT NOT NULL,
  timescale   TEXT NOT NULL,
  counted_from TEXT NOT NULL CHECK (counted_from IN ('stage', 'case')),
  met_by      TEXT,
  start_date  TEXT NOT NULL,
  original_due TEXT NOT NULL,
  due         TEXT NOT NULL,
  done_at     INTEGER,
  closed_by   TEXT,                      -- 'record', 'escalate', 'resolve'
  record_id   INTEGER REFERENCES records(id),
  late        INTEGER
);
CREATE INDEX deadlines_case ON deadlines(case_id, stage, seq);
CREATE INDEX deadlines_open ON deadlines(due, case_id) WHERE done_at IS NULL;
-- Every move of a due date (a pause or an extension), for --explain.
CREATE TABLE deadline_shifts (
  deadline_id INTEGER NOT NULL REFERENCES deadlines(id),
  event_id    INTEGER NOT NULL REFERENCES events(id),
  days        INTEGER NOT NULL,
  from_due    TEXT NOT NULL,
  to_due      TEXT NOT NULL
);
CREATE INDEX deadline_shifts_deadline ON deadline_shifts(deadline_id);

CREATE TRIGGER records_no_update BEFORE UPDATE ON records
  BEGIN SELECT RAISE(ABORT, 'records are append-only: add a correction instead'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
  BEGIN SELECT RAISE(ABORT, 'records are append-only: add a correction instead'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER shifts_no_update BEFORE UPDATE ON deadline_shifts
  BEGIN SELECT RAISE(ABORT, 'deadline shifts are append-only'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON deadline_shifts
  BEGIN SELECT RAISE(ABORT, 'deadline shifts are append-only'); END;
CREATE TRIGGER policy_texts_no_update BEFORE UPDATE ON policy_texts
  BEGIN SELECT RAISE(ABORT, 'policy texts are kept as they were'); END;
CREATE TRIGGER policy_texts_no_delete BEFORE DELETE ON policy_texts
  BEGIN SELECT RAISE(ABORT, 'policy texts are kept as they were'); END;
CREATE TRIGGER cases_no_delete BEFORE DELETE ON cases
  BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
CREATE TRIGGER cases_fixed BEFORE UPDATE OF uuid, policy_id, policy_sha256, category, summary,
  requested_action, risk, child_ref, child_name, child_dob, child_nhs, raised_at, entered_at ON cases
  BEGIN SELECT RAISE(ABORT, 'what a case was raised with is never edited'); END;
CREATE TRIGGER parties_no_update BEFORE UPDATE ON parties
  BEGIN SELECT RAISE(ABORT, 'parties are never edited'); END;
CREATE TRIGGER parties_no_delete BEFORE DELETE ON parties
  BEGIN SELECT RAISE(ABORT, 'parties are never edited'); END;
CREATE TRIGGER deadlines_no_delete BEFORE DELETE ON deadlines
  BEGIN SELECT RAISE(ABORT, 'deadlines are never deleted'); END;
)sql",
    // 1 -> 2: what esc remind has sent, so --new-only sends each reminder
    // once per deadline and state.
    R"sql(
CREATE TABLE reminders_sent (
  deadline_id INTEGER NOT NULL REFERENCES deadlines(id),
  state       TEXT NOT NULL CHECK (state IN ('due-soon', 'overdue')),
  due         TEXT NOT NULL,   -- a due date moved by a pause or an extension is reminded afresh
  sent_at     INTEGER NOT NULL,
  PRIMARY KEY (deadline_id, state, due)
) WITHOUT ROWID;
)sql",
    // 2 -> 3: the tamper-evident chain (see ledger.hpp). Stores made before
    // it have their rows chained as part of this migration.
    R"sql(
CREATE TABLE ledger (
  seq            INTEGER PRIMARY KEY,  -- the store's order, 1, 2, 3, ...
  case_id        INTEGER NOT NULL REFERENCES cases(id),
  case_seq       INTEGER NOT NULL,     -- the case's order, 1, 2, 3, ...
  entry          TEXT NOT NULL CHECK (entry IN ('case', 'event', 'record')),
  ref_id         INTEGER NOT NULL,     -- the id of the case, event or record
  prev_case_hash TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  UNIQUE (entry, ref_id),
  UNIQUE (case_id, case_seq)
);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
  BEGIN SELECT RAISE(ABORT, 'the chain is append-only'); END;
)sql",
    // 3 -> 4: the chain over the domain's values (chain_encoding.hpp), which
    // any store can compute, and the order of a deadline's moves kept
    // explicitly instead of by rowid (which VACUUM may renumber, and which
    // other databases do not have). Each ledger entry names its encoding: the
    // entries already there keep encoding 1, and keep verifying under it.
    // The moves already there are numbered in their rowid order: their
    // append-only trigger is dropped for that and made again, all inside the
    // migration's one transaction, so no other esc sees the store without it.
    R"sql(
ALTER TABLE ledger ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1 CHECK (encoding IN (1, 2));
ALTER TABLE deadline_shifts ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;  -- the deadline's 1st, 2nd, ... move
DROP TRIGGER shifts_no_update;
UPDATE deadline_shifts SET seq = (SELECT count(*) FROM deadline_shifts s
  WHERE s.deadline_id = deadline_shifts.deadline_id AND s.rowid <= deadline_shifts.rowid);
CREATE TRIGGER shifts_no_update BEFORE UPDATE ON deadline_shifts
  BEGIN SELECT RAISE(ABORT, 'deadline shifts are append-only'); END;
CREATE UNIQUE INDEX deadline_shifts_order ON deadline_shifts(deadline_id, seq);
CREATE TRIGGER shifts_placed BEFORE INSERT ON deadline_shifts WHEN NEW.seq < 1
  BEGIN SELECT RAISE(ABORT, 'a deadline shift needs its place among the deadline''s moves'); END;
)sql",
    // 4 -> 5: duties. The deadlines table becomes the copy of every duty a
    // case owes (duties.hpp), each known by its key in the case; records say
    // whom a notification went to, the form sent, and the duty they name;
    // the reminders sent become chained records of kind 'reminder' (so
    // removing or changing one breaks the chain), and the copy of the duties
    // is worked out again by the next esc to open the store (meta.duties).
    R"sql(
ALTER TABLE deadlines ADD COLUMN key TEXT;
ALTER TABLE deadlines ADD COLUMN kind TEXT NOT NULL DEFAULT 'deadline';
ALTER TABLE deadlines ADD COLUMN timed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE deadlines ADD COLUMN in_writing INTEGER NOT NULL DEFAULT 0;
ALTER TABLE deadlines ADD COLUMN recipient TEXT;
ALTER TABLE deadlines ADD COLUMN form TEXT;
ALTER TABLE deadlines ADD COLUMN clause TEXT;
UPDATE deadlines SET
  kind = CASE WHEN stage = -1 THEN 'check-back' ELSE 'deadline' END,
  key = CASE WHEN stage = 0 THEN 'case.d' || seq WHEN stage = -1 THEN 'check-back' ELSE 's' || stage || '.d' || seq END;
CREATE UNIQUE INDEX deadlines_key ON deadlines(case_id, key);
CREATE INDEX deadline_shifts_event ON deadline_shifts(event_id);
ALTER TABLE records ADD COLUMN recipient TEXT;
ALTER TABLE records ADD COLUMN form TEXT;
ALTER TABLE records ADD COLUMN duty TEXT;
CREATE INDEX records_duty ON records(case_id, duty) WHERE duty IS NOT NULL;
INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, summary, action, action_due, duty)
  SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2)
           || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-'
           || lower(hex(randomblob(6))),
         d.case_id, c.stage, s.sent_at, s.sent_at, 'reminder', s.state || ' reminder: ' || d.action, s.state, s.due, d.key
  FROM reminders_sent s JOIN deadlines d ON d.id = s.deadline_id JOIN cases c ON c.id = d.case_id
  ORDER BY s.sent_at, d.id, s.state;
DROP TABLE reminders_sent;
-- The copy of the duties is the rules' to keep in step with the record: a
-- duty the record no longer owes (an import's, say) may be forgotten.
DROP TRIGGER deadlines_no_delete;
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
INSERT INTO meta VALUES ('duties', 'stale');
)sql",
    // 5 -> 6: an index of the cases not resolved, so that listing the open
    // cases reads those, not every case the store has ever held. (Indexes
    // only: an export of schema 5 holds the same tables and columns.)
    R"sql(
CREATE INDEX cases_open_by_id ON cases(id) WHERE status <> 'resolved';
)sql",
    // 6 -> 7: what the due duties (overdue, due, remind) are chosen by, in
    // two indexes that hold all of it: each open duty's date, case, whether
    // it is timed, its stage and place; each case's state and policy. The
    // choice then reads no table row it does not list.
    R"sql(
DROP INDEX deadlines_open;
CREATE INDEX deadlines_open ON deadlines(due, case_id, timed, stage, seq) WHERE done_at IS NULL;
CREATE INDEX cases_state ON cases(id, status, policy_id);
)sql",
};

// The schema version from which the chain exists.
constexpr int k_chain_version = 3;
// The schema version from which the store keeps duties (and reminders are
// records).
constexpr int k_duties_version = 5;

std::string errno_text() { return std::strerror(errno); }

void make_private_dir(const fs::path& dir, bool tighten) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    if (tighten && ::chmod(dir.c_str(), 0700) != 0)
      throw CantCreateError(fmt::format("cannot make {} private (chmod 700): {}", dir.string(), errno_text()));
    return;
  }
  if (!dir.parent_path().empty() && dir.parent_path() != dir) make_private_dir(dir.parent_path(), false);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    throw CantCreateError(fmt::format("cannot create the directory {}: {}", dir.string(), errno_text()));
  ::chmod(dir.c_str(), 0700);
}

/// What a file at the store's place is, when it is not a regular file
/// ("a directory", "a block device", ...), or nothing.
std::string not_a_file(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISFIFO(mode)) return "a FIFO (a named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Refuses a store file (or its -wal or -shm) that is not safe to keep
/// children's personal data in: present, it must be a regular file (not a
/// link to one, a directory or a device), of the user running esc, and
/// readable by nobody else. Each refusal names the problem and what to do.
void check_store_file(const std::string& file) {
  struct stat st{};
  if (::lstat(file.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    throw IoError(fmt::format("cannot look at the store {}: {}", file, errno_text()));
  }
  std::string what = not_a_file(st.st_mode);
  if (S_ISLNK(st.st_mode))
    throw DataError(fmt::format("{} is a symbolic link: esc opens its store only by the file's own name (a link could "
                                "be pointed elsewhere); name the file itself with --db or ESC_DB",
                                file));
  if (!what.empty())
    throw DataError(fmt::format("{} is {}, not a store: name a file of its own for the store with --db or ESC_DB "
                                "(esc creates it, private to you)",
                                file, what));
  if (st.st_uid != ::geteuid())
    throw DataError(fmt::format("the store {} is owned by uid {}, not by you (uid {}): esc keeps each user's store "
                                "private to them; use your own store, or have its owner hand it over ('chown')",
                                file, st.st_uid, ::geteuid()));
  if (st.st_mode & 077)
    throw DataError(fmt::format(
        "the store {} can be read by other users (mode {:04o}) and holds children's personal data: "
        "make it private with 'chmod 600 {}' and check who has read it",
        file, st.st_mode & 07777, file));
}

/// Refuses a store whose directory others can write to without the sticky
/// bit: they could put their own file, or a link, in the store's place (or
/// its -wal's) between two commands.
void check_store_dir(const fs::path& file) {
  fs::path dir = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  struct stat st{};
  if (::stat(dir.c_str(), &st) != 0) return;  // (opening the store says what is wrong)
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
    throw DataError(fmt::format("the store's directory {} can be written by other users (mode {:04o}), who could put "
                                "their own file in the store's place: keep the store in a private directory, or make "
                                "this one private with 'chmod 700 {}'",
                                dir.string(), st.st_mode & 07777, dir.string()));
}

/// The store and its -wal and -shm files, and their directory.
void check_store_place(const std::string& path) {
  check_store_dir(path);
  check_store_file(path);
  check_store_file(path + "-wal");
  check_store_file(path + "-shm");
}

[[noreturn]] void throw_open_error(const SQLite::Exception& e, const std::string& path) {
  if (e.getErrorCode() == SQLITE_BUSY) throw BusyError(fmt::format("the store {} stayed busy: try again", path));
  if (e.getErrorCode() == SQLITE_NOTADB)
    throw DataError(fmt::format("{} is not an esc store (not an SQLite database)", path));
  throw IoError(fmt::format("cannot open the store {}: {}", path, e.what()));
}

}  // namespace

int schema_version() { return static_cast<int>(k_migrations.size()); }

void create_schema(SQLite::Database& db) {
  for (const char* m : k_migrations) db.exec(m);
  // Nothing to work out yet: the copy of the duties is this esc's.
  db.exec(fmt::format("UPDATE meta SET value = '{}' WHERE name = 'duties'", k_duties_derivation));
  db.exec(fmt::format("PRAGMA user_version = {}", schema_version()));
}

std::string_view name(StoreSource s) {
  switch (s) {
    case StoreSource::given: return "";
    case StoreSource::db_option: return "--db";
    case StoreSource::esc_db: return "ESC_DB";
    case StoreSource::xdg_data_home: return "XDG_DATA_HOME";
    case StoreSource::home: return "HOME";
  }
  return "";
}

StorePath store_path(const StorePathInputs& in) {
  if (in.db_option && !in.db_option->empty()) return {*in.db_option, false, StoreSource::db_option};
  if (in.esc_db && !in.esc_db->empty()) return {*in.esc_db, false, StoreSource::esc_db};
  if (in.xdg_data_home && !in.xdg_data_home->empty())
    return {(fs::path(*in.xdg_data_home) / "esc" / "esc.db").string(), true, StoreSource::xdg_data_home};
  if (in.home && !in.home->empty())
    return {(fs::path(*in.home) / ".local" / "share" / "esc" / "esc.db").string(), true, StoreSource::home};
  // No fallback to the working directory (or the root, under cron's bare
  // environment): a store made there is one no later run would find.
  throw ConfigError("no place for the store: HOME and XDG_DATA_HOME are unset (or empty); name the store",
                    {{Field::store}});
}

Store::Store(const StorePath& where, bool create) : path_(where.path) {
  fs::path file(path_);
  std::error_code ec;
  bool exists = fs::exists(fs::symlink_status(file, ec));  // (a link, even dangling, is refused below)
  if (!exists) {
    // Only a command that adds cases makes a store: a read run (cron's
    // reminders) on a mistyped or unset path must say so, not find an empty
    // store and stay silent for ever.
    if (!create)
      throw NotFoundError(fmt::format("no store at {}{}: raise a case first, or check the path", path_,
                                      where.from == StoreSource::given
                                          ? std::string()
                                          : fmt::format(" (from {})", name(where.from))));
    fs::path dir = file.parent_path();
    if (!dir.empty()) make_private_dir(dir, where.is_default);
    else if (where.is_default) make_private_dir(fs::current_path(), false);
    // Create the file ourselves so it is 0600 whatever the umask; SQLite
    // gives its -wal and -shm files the same mode.
    check_store_dir(file);
    int fd = ::open(path_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 && errno != EEXIST)
      throw CantCreateError(fmt::format("cannot create the store {}: {}", path_, errno_text()));
    if (fd >= 0) {
      ::fchmod(fd, 0600);
      ::close(fd);
    }
  } else if (where.is_default) {
    make_private_dir(file.parent_path(), true);
  }
  check_store_place(path_);
  try {
    db_ = std::make_unique<Sqlite>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                                   k_busy_timeout_ms);
    db_->exec("PRAGMA foreign_keys = ON");
    // WAL lets readers (a cron job) run while a user writes; FULL makes each
    // commit durable before esc says it is done.
    std::string mode = db_->execAndGet("PRAGMA journal_mode").getString();
    if (mode != "wal") db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = FULL");
    // SQLite's own 2 MiB of page cache, which also bounds what a sort keeps
    // in memory before it spills to a temporary file: commands over the
    // whole store (overdue, remind, list, verify, export, the return) then
    // hold about the same whatever the store's size. At 100,000 cases a
    // larger cache (16 MiB) saved no time and cost 15 MiB a command.
    db_->exec("PRAGMA cache_size = -2000");
  } catch (const SQLite::Exception& e) {
    throw_open_error(e, path_);
  }
  migrate();
}

Store::Store(ReadOnly, std::string path, std::unique_ptr<Sqlite> db)
    : path_(std::move(path)), db_(std::move(db)) {}

std::unique_ptr<Store> Store::open_read_only(const StorePath& where) {
  const std::string& path = where.path;
  std::error_code ec;
  struct stat st{};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return nullptr;
  check_store_place(path);
  std::unique_ptr<Sqlite> db;
  int have = 0;
  try {
    db = std::make_unique<Sqlite>(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
                                  k_busy_timeout_ms);
    have = db->execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    throw_open_error(e, path);
  }
  if (have != schema_version()) return nullptr;
  return std::unique_ptr<Store>(new Store(ReadOnly{}, path, std::move(db)));
}

Store::~Store() = default;

void Store::migrate() {
  int have = db_->execAndGet("PRAGMA user_version").getInt();
  if (have > schema_version())
    throw DataError(fmt::format("the store {} was made by a newer esc (schema {}, this esc knows up to {}): "
                                "upgrade esc to use it",
                                path_, have, schema_version()));
  if (have == schema_version()) return;
  write([&] {
    // Read again inside the lock: another process may have migrated.
    int v = db_->execAndGet("PRAGMA user_version").getInt();
    bool chain_added = v < k_chain_version && schema_version() >= k_chain_version;
    // From 5 the reminders sent are records, chained like the rest.
    bool reminders_chained = v >= k_chain_version && v < k_duties_version;
    if (v < schema_version()) upgraded_ = true;
    const bool made_now = v == 0;
    for (; v < schema_version(); ++v) db_->exec(k_migrations[static_cast<size_t>(v)]);
    // A store made just now has no duties to work out: its copy is this
    // esc's (so the first commands need not all queue to write it).
    if (made_now)
      db_->exec(fmt::format("UPDATE meta SET value = '{}' WHERE name = 'duties'", k_duties_derivation));
    if (chain_added || reminders_chained) chain_all(*db_);
    db_->exec(fmt::format("PRAGMA user_version = {}", schema_version()));
  });
}

void Store::write(const std::function<void()>& f) {
  try {
    SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
    f();
    tx.commit();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode();
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
      throw BusyError(fmt::format("the store {} stayed busy for {} s (another esc is writing): try again",
                                  path_, k_busy_timeout_ms / 1000));
    if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_READONLY || code == SQLITE_CANTOPEN)
      throw IoError(fmt::format("cannot write the store {}: {}; nothing was changed", path_, e.what()));
    throw_store_error(e, path_);
  }
}

void Store::read(const std::function<void()>& f) {
  sqlite3* handle = db_->getHandle();
  if (!sqlite3_get_autocommit(handle)) return f();  // in a transaction already
  try {
    db_->exec("BEGIN DEFERRED");
  } catch (const SQLite::Exception& e) {
    throw_store_error(e, path_);
  }
  try {
    f();
  } catch (const SQLite::Exception& e) {
    // (Inside the read, the store's errors pass on as SQLite's: named here.)
    if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
    throw_store_error(e, path_);
  } catch (...) {
    if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  // Nothing of the record was written: ending it lets the snapshot go (and
  // keeps what a reminder run put in its own lists meanwhile, which must
  // not be lost unnoticed).
  if (!sqlite3_get_autocommit(handle) && sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    std::string why = sqlite3_errmsg(handle);
    if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
    throw IoError(fmt::format("cannot read the store {}: {}", path_, why));
  }
}

void throw_store_error(const SQLite::Exception& e, const std::string& path) {
  if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED)
    throw BusyError(fmt::format("the store {} is busy (another esc is writing): try again", path));
  throw IoError(fmt::format("cannot read or write the store {}: {}", path, e.what()));
}

VerifyResult Store::verify(const std::optional<Anchor>& anchor) {
  try {
    return verify_chain(*db_, anchor);
  } catch (const SQLite::Exception& e) {
    throw_store_error(e, path_);
  }
}

Anchor Store::head_anchor() {
  try {
    return esc::head_anchor(*db_);
  } catch (const SQLite::Exception& e) {
    throw_store_error(e, path_);
  }
}

VerifyResult Store::backup_to(const std::string& target) {
  VerifyResult result;
  try {
    write_private_file(target, Replace::no, [&](PrivateFile& f) {
      {
        SQLite::Database copy(f.path, SQLite::OPEN_READWRITE, k_busy_timeout_ms);
        sqlite3_backup* b = sqlite3_backup_init(copy.getHandle(), "main", db_->getHandle(), "main");
        if (!b) throw IoError(fmt::format("cannot start the backup: {}", sqlite3_errmsg(copy.getHandle())));
        // Copy in steps; a write by another process restarts the copy, so the
        // result is always one consistent snapshot.
        int rc;
        do {
          rc = sqlite3_backup_step(b, 256);
          if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
        } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
        sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE)
          throw IoError(fmt::format("the backup to {} failed: {}; nothing was written", target, sqlite3_errstr(rc)));
        // A backup is one self-contained file: fold the copy's WAL into it
        // (the copied header says WAL, as the store's does).
        copy.exec("PRAGMA journal_mode = DELETE");
      }
      // The copy must stand on its own: open it again, only to read it, and
      // walk its chain. Reading a file in DELETE mode writes nothing.
      SQLite::Database copy(f.path, SQLite::OPEN_READONLY, k_busy_timeout_ms);
      result = verify_chain(copy, std::nullopt);
    });
  } catch (const SQLite::Exception& e) {
    throw IoError(fmt::format("the backup to {} failed: {}; nothing was written", target, e.what()));
  }
  return result;
}

}  // namespace esc
