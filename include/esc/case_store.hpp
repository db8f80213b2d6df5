#pragma once
/// What the lifecycle rules need of a store, in the domain's own terms: the
/// one interface the rules call (as ninja's rules call its DiskInterface).
/// The SQLite store (store.hpp) implements it; a second store implements it
/// again and nothing outside the store wing changes. Cases, events and
/// records are appended, never edited; a deadline is opened, closed or moved,
/// and each move is kept.

#include <esc/case.hpp>
#include <esc/date.hpp>
#include <esc/reminder_list.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace esc {

/// A policy text as a case keeps it: the exact text it was raised under.
struct PolicyText {
  std::string sha256;
  std::string policy_id;
  std::string version;
  std::string text;
  std::string loaded_from;
};

/// A case in brief, for shell completion: nothing is loaded or worked out.
struct CaseBrief {
  int64_t id = 0;
  std::string policy_id;
  int stage = 0;
  std::string category;
  CaseStatus status = CaseStatus::open;  ///< open or paused
};

/// Which cases to list.
struct CaseQuery {
  bool all = false;  ///< resolved cases too
  std::string policy;
  std::optional<int> stage;
  /// Only cases raised at or after `raised_from` and before `raised_before`
  /// (instants: a caller asking by local date widens the window by a day
  /// each side and checks each case's own date).
  std::optional<Timestamp> raised_from;
  std::optional<Timestamp> raised_before;
};

/// A case in one line, for `esc list`: read in one query, no case loaded.
struct CaseLine {
  int64_t id = 0;
  std::string policy_id;
  std::string policy_sha256;
  int stage = 0;
  CaseStatus status = CaseStatus::open;
  std::string child_ref;
  Party counterpart;
  std::optional<Date> next_due;  ///< the earliest due date of its open deadlines
  std::string next_due_action;   ///< what that deadline is
  /// Its earliest open untimed duty: the day it is owed from, what it is.
  std::optional<Date> next_untimed;
  std::string next_untimed_action;
};

/// A reminder claimed or delivered (CaseStore::reminder_marks).
struct ReminderMark {
  Timestamp at{};
  bool claimed = false;   ///< a claim, not (yet) a delivery
  std::string claimant;   ///< who claimed it
};

/// One open deadline as the store holds it, with its case's parties: the
/// rules add the stage's title, the handlers and how late it is.
struct OpenDeadlineRow {
  int64_t deadline_id = 0;
  std::string deadline_uuid;
  int64_t case_id = 0;
  std::string policy_id;
  std::string policy_sha256;
  std::string child_ref;
  int case_stage = 0;
  DeadlineScope scope = DeadlineScope::stage;
  int stage = 0;  ///< the stage, when its scope is one
  std::string key;  ///< the duty's key in its case
  DutyKind kind = DutyKind::deadline;
  bool timed = true;  ///< false: owed without delay, `due` the day it arose
  std::string action;
  std::string clause;  ///< the policy's words it comes from
  Date due;
  Party raiser;
  Party counterpart;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  /// Runs `f` as one unit of work: all of it or none of it. Another process
  /// writing is waited for.
  virtual void write(const std::function<void()>& f) = 0;
  /// Runs `f`, which only reads, on one snapshot of the store: many small
  /// reads take the store's read lock once instead of once each. (Inside
  /// write(), `f` simply runs.)
  virtual void read(const std::function<void()>& f) = 0;

  /// The policy text kept under `sha256`, if the store has it.
  virtual std::optional<std::string> policy_text(const std::string& sha256) = 0;
  /// Keeps a policy text (once: the same text again is a no-op).
  virtual void keep_policy_text(const PolicyText& text) = 0;

  /// The whole case: parties, events, records, deadlines and their moves.
  virtual std::optional<Case> load_case(int64_t id) = 0;
  /// Adds a case as raised (status open, its stage and parties) and returns
  /// its id. `entered_at` is when it was entered, `c.raised_at` when raised.
  virtual int64_t add_case(const Case& c, Timestamp entered_at) = 0;
  /// Appends an event and returns its id.
  virtual int64_t add_event(int64_t case_id, const CaseEvent& e) = 0;
  /// Appends a record and returns its id.
  virtual int64_t add_record(int64_t case_id, const CaseRecord& r) = 0;
  /// Keeps a duty a case now owes, as it was first set (its original due
  /// date; the moves follow with move_deadline) and returns its id. The
  /// store's duties are a copy of what the rules work out (duties.hpp).
  virtual int64_t add_deadline(int64_t case_id, const CaseDeadline& d) = 0;
  /// Closes an open deadline: by a record (`record_id`), an escalation or
  /// the resolution.
  virtual void close_deadline(int64_t deadline_id, Timestamp at, ClosedBy closed_by, bool late,
                              std::optional<int64_t> record_id) = 0;
  /// Moves an open deadline from `from` to `to`, `days` working days, by
  /// event `event_id`; the move is kept.
  virtual void move_deadline(int64_t deadline_id, int64_t event_id, int days, Date from, Date to) = 0;
  /// Brings a kept duty (by its id) to `d` as the rules work it out: every
  /// field but its id, uuid, case and moves (an import whose copy of the
  /// duties disagreed with its record).
  virtual void rewrite_deadline(const CaseDeadline& d) = 0;
  /// Forgets a kept duty the rules do not owe (one never moved).
  virtual void drop_deadline(int64_t deadline_id) = 0;
  /// The case's state as its events leave it.
  virtual void set_case_state(int64_t case_id, CaseStatus status, int stage, Timestamp stage_started_at,
                              std::optional<Timestamp> paused_at, std::optional<Timestamp> resolved_at) = 0;
  /// Seals what this unit of work added to the case into the tamper-evident
  /// chain (ledger.hpp). Called last, inside write().
  virtual void seal_case(int64_t case_id) = 0;

  /// The (policy id, policy text SHA-256) pairs cases were raised under,
  /// only those of `policy_id` when it is not empty.
  virtual std::vector<std::pair<std::string, std::string>> policies_in_use(const std::string& policy_id) = 0;
  /// Open deadlines of open cases, and check-backs of resolved ones, due on
  /// or before `last` (and not before `first`), under `policy_id` when it is
  /// not empty; grouped by case, the case with the oldest due date first.
  /// Duties owed without a date only `with_untimed` (overdue has none).
  /// `visit` sees each row once (the row is reused between calls).
  virtual void visit_open_deadlines(std::optional<Date> first, Date last, const std::string& policy_id,
                                    bool with_untimed, const std::function<void(const OpenDeadlineRow&)>& visit) = 0;
  /// One duty's row as visit_open_deadlines gives it, met or not (a reminder
  /// run reads each again as it writes its message), or nothing when the
  /// store has no such duty.
  virtual std::optional<OpenDeadlineRow> deadline_row(int64_t deadline_id) = 0;
  /// Whether a reminder in `state` was sent (delivered) for the duty at its
  /// present due date.
  virtual bool reminder_sent(int64_t deadline_id, Reminder state) = 0;
  /// Remembers that one was delivered (at the duty's present due date): a
  /// record of kind "reminder", chained like every record (case.hpp,
  /// k_reminder_kind).
  /// `due` is the due date the reminder was sent for (the duty's may have
  /// moved since).
  /// `to` is whom it went to (contacts.hpp, Recipient::key).
  virtual void mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, Timestamp at,
                                  const std::string& to) = 0;
  /// Remembers that `claimant` (a run of esc remind: "pid N on HOST") is
  /// about to send one: a reminder record whose channel is "claimed", so
  /// that no other run sends it meanwhile.
  virtual void claim_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at,
                              const std::string& claimant, const std::string& to) = 0;
  /// Every claim and delivery of a reminder in `state` for the duty at its
  /// present due date to `to`, oldest first (one marked for nobody in
  /// particular, by an esc before recipients, counts for every recipient).
  virtual std::vector<ReminderMark> reminder_marks(int64_t deadline_id, Reminder state, const std::string& to) = 0;
  /// A reminder run's lists (reminder_list.hpp), kept outside the record:
  /// seen by this process alone, never chained, exported or backed up, gone
  /// when it ends. clear_slots empties one; add_slots appends to it (to
  /// `read` in reading order); slots_after gives up to `n` of it after
  /// `after` (none: from the first), in its order: reading order (seq) for
  /// `read` (from seq 1), ReminderSlot::message_order for `send`. What is
  /// added inside a read() or write() that throws may be lost with it.
  virtual void clear_slots(SlotList list) = 0;
  virtual void add_slots(SlotList list, const std::vector<ReminderSlot>& slots) = 0;
  virtual std::vector<ReminderSlot> slots_after(SlotList list, const ReminderSlot* after, size_t n) = 0;
  /// The records of one kind of case `case_id`, in the order of the case's
  /// records (when, then id): the assignments a reminder run reads.
  virtual std::vector<CaseRecord> records_of_kind(int64_t case_id, std::string_view kind) = 0;
  /// Whether the copy of the duties must be worked out again for every case:
  /// it was worked out by another `derivation` of them (duties.hpp,
  /// k_duties_derivation: a store upgraded from before duties, or from an
  /// esc that worked them out differently); duties_refreshed() says it was.
  virtual bool duties_stale(std::string_view derivation) = 0;
  virtual void duties_refreshed(std::string_view derivation) = 0;
  /// The cases `q` asks for, by id, each in one line; `visit` sees each
  /// once (the line is reused between calls).
  virtual void visit_case_lines(const CaseQuery& q, const std::function<void(const CaseLine&)>& visit) = 0;
  /// The ids of the cases `q` asks for, in order.
  virtual std::vector<int64_t> case_ids(const CaseQuery& q) = 0;
  /// The cases not resolved, by id.
  virtual std::vector<CaseBrief> open_case_briefs() = 0;
};

}  // namespace esc
