#pragma once
/// The SQLite store: one file, private to its user, WAL with synchronous=FULL,
/// every write one BEGIN IMMEDIATE transaction, schema versioned with
/// PRAGMA user_version and migrated forward in code.

#include <esc/case_store.hpp>
#include <esc/ledger.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace esc {

/// The schema version this esc writes.
int schema_version();

struct StorePathInputs {
  std::optional<std::string> db_option;  ///< --db
  std::optional<std::string> esc_db;     ///< ESC_DB
  std::optional<std::string> xdg_data_home;
  std::optional<std::string> home;
};

/// Where a store's path came from, so a message about it can say why esc
/// looked there.
enum class StoreSource {
  given,          ///< named by the caller itself (a tool, a test)
  db_option,      ///< --db
  esc_db,         ///< ESC_DB
  xdg_data_home,  ///< $XDG_DATA_HOME/esc/esc.db
  home,           ///< ~/.local/share/esc/esc.db, from HOME
};

/// The option or variable a source is: "--db", "ESC_DB", "XDG_DATA_HOME",
/// "HOME"; empty for `given`.
std::string_view name(StoreSource s);

struct StorePath {
  std::string path;
  bool is_default = false;  ///< the default place, whose directory esc keeps 0700
  StoreSource from = StoreSource::given;
};

/// --db, then ESC_DB, then $XDG_DATA_HOME/esc/esc.db, then
/// ~/.local/share/esc/esc.db, saying which it took. Throws ConfigError
/// (exit 78) when none is set: there is no place to look for a store, nor to
/// make one.
StorePath store_path(const StorePathInputs& in);

/// The SQLite store, and its implementation of CaseStore
/// (src/core/store/case_store.cpp).
class Store : public CaseStore {
 public:
  /// Opens the store, creating it (0600, in a 0700 directory) when `create`
  /// is true and it does not exist. When `create` is false a missing store is
  /// NotFoundError (exit 66), naming the path and where it came from, and
  /// nothing is created: no file, no directory. Refuses a file other users
  /// can read, and a store made by a newer esc.
  Store(const StorePath& where, bool create);
  ~Store() override;

  /// Opens an existing store for reading only (for shell completion): never
  /// creates it, never migrates it, never writes to it (SQLite's read-only
  /// mode, with the busy timeout). Returns nullptr when there is no file at
  /// `where.path`, or when its schema is not the one this esc writes (an
  /// older store is left for a command that upgrades it). Throws as the
  /// constructor does for a file others can read, one that is not an SQLite
  /// database, or a store that stays busy. write() on it fails (IoError).
  /// Like any reader of a WAL database, SQLite may leave an empty -wal and
  /// -shm beside a store no one else has open (private, as the store is);
  /// the next esc to close the store removes them.
  static std::unique_ptr<Store> open_read_only(const StorePath& where);

  const std::string& path() const { return path_; }

  /// Runs `f` in one BEGIN IMMEDIATE transaction: all of it or none of it.
  /// Another process holding the store is waited for (busy timeout).
  void write(const std::function<void()>& f) override;
  void read(const std::function<void()>& f) override;

  // CaseStore (case_store.hpp).
  std::optional<std::string> policy_text(const std::string& sha256) override;
  void keep_policy_text(const PolicyText& text) override;
  std::optional<Case> load_case(int64_t id) override;
  int64_t add_case(const Case& c, Timestamp entered_at) override;
  int64_t add_event(int64_t case_id, const CaseEvent& e) override;
  int64_t add_record(int64_t case_id, const CaseRecord& r) override;
  int64_t add_deadline(int64_t case_id, const CaseDeadline& d) override;
  void close_deadline(int64_t deadline_id, Timestamp at, ClosedBy closed_by, bool late,
                      std::optional<int64_t> record_id) override;
  void move_deadline(int64_t deadline_id, int64_t event_id, int days, Date from, Date to) override;
  void rewrite_deadline(const CaseDeadline& d) override;
  void drop_deadline(int64_t deadline_id) override;
  void set_case_state(int64_t case_id, CaseStatus status, int stage, Timestamp stage_started_at,
                      std::optional<Timestamp> paused_at, std::optional<Timestamp> resolved_at) override;
  void seal_case(int64_t case_id) override;
  std::vector<std::pair<std::string, std::string>> policies_in_use(const std::string& policy_id) override;
  void visit_open_deadlines(std::optional<Date> first, Date last, const std::string& policy_id, bool with_untimed,
                            const std::function<void(const OpenDeadlineRow&)>& visit) override;
  std::optional<OpenDeadlineRow> deadline_row(int64_t deadline_id) override;
  bool reminder_sent(int64_t deadline_id, Reminder state) override;
  void mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& to) override;
  void claim_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& claimant,
                      const std::string& to) override;
  std::vector<ReminderMark> reminder_marks(int64_t deadline_id, Reminder state, const std::string& to) override;
  void clear_slots(SlotList list) override;
  void add_slots(SlotList list, const std::vector<ReminderSlot>& slots) override;
  std::vector<ReminderSlot> slots_after(SlotList list, const ReminderSlot* after, size_t n) override;
  std::vector<CaseRecord> records_of_kind(int64_t case_id, std::string_view kind) override;
  bool duties_stale(std::string_view derivation) override;
  void duties_refreshed(std::string_view derivation) override;
  std::vector<int64_t> case_ids(const CaseQuery& q) override;
  void visit_case_lines(const CaseQuery& q, const std::function<void(const CaseLine&)>& visit) override;
  std::vector<CaseBrief> open_case_briefs() override;

  /// Copies the store to `target` through SQLite's online backup API: a
  /// consistent snapshot while other processes write. The copy is made one
  /// self-contained file (journal mode DELETE: no -wal beside it), then
  /// opened again read-only and verified (verify_chain), then put in place
  /// by write_private_file (files.hpp): private (0600), whole or absent.
  /// A copy that does not verify is kept too, as evidence; the result says
  /// so. Refuses an existing `target` with FileExistsError.
  VerifyResult backup_to(const std::string& target);

  /// Runs SQLite's integrity check and walks the chain, in one read
  /// transaction; with an anchor, checks the chain still reaches it.
  VerifyResult verify(const std::optional<Anchor>& anchor);
  /// The chain's head now.
  Anchor head_anchor();

  static constexpr int k_busy_timeout_ms = 15000;

  /// Whether opening it upgraded its schema (this process migrated it).
  bool upgraded() const { return upgraded_; }


 private:
  void add_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& channel,
                    const std::string& claimant, const std::string& to);
  struct Sqlite;  ///< the database (src/core/store/sqlite_store.hpp)
  friend struct StoreAccess;
  struct ReadOnly {};
  Store(ReadOnly, std::string path, std::unique_ptr<Sqlite> db);
  void migrate();
  bool upgraded_ = false;
  std::string path_;
  std::unique_ptr<Sqlite> db_;
};

}  // namespace esc
