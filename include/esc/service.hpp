#pragma once
/// The lifecycle of a case: raise, escalate, record, pause, resume, extend,
/// resolve, and reading cases back. Each change is one transaction; nothing
/// is stored when a check fails. The policy a case was raised under is the
/// exact text kept with it, not the file as it is today.

#include <esc/case.hpp>
#include <esc/contacts.hpp>
#include <esc/duties.hpp>
#include <esc/ledger.hpp>
#include <esc/error.hpp>
#include <esc/clock.hpp>
#include <esc/policy.hpp>
#include <esc/policy_library.hpp>
#include <esc/case_store.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace esc {

struct RaiseInput {
  std::string policy;  ///< id or path
  std::string category;
  std::string summary;
  Party raiser;
  Party counterpart;
  Child child;
  std::string requested_action;
  std::string risk;  ///< "" or "immediate"
  std::optional<std::string> at;
  std::string raiser_email;       ///< the raiser's own address ("" none)
  std::string counterpart_email;  ///< the counterpart's
};

struct EscalateInput {
  int64_t case_id = 0;
  std::string reason;
  std::optional<int> to;
  std::optional<std::string> at;
  /// Who holds the new stage for each party: "Name <address>", "Name" or
  /// "<address>" ("" not named).
  std::string raiser_holder;
  std::string counterpart_holder;
};

/// Names who holds a stage for a party (or, stage 0, the party's own
/// address): a chained record of kind "assign" (contacts.hpp).
struct AssignInput {
  int64_t case_id = 0;
  std::string party;  ///< "raiser" or "counterpart"
  std::string name;
  std::string email;
  std::optional<int> stage;  ///< default: the case's stage now; 0: the party at every stage
  std::optional<std::string> at;
};

struct RecordInput {
  int64_t case_id = 0;
  std::string kind;
  std::string summary;
  std::string channel;
  std::string with;
  std::string action;
  std::string action_due;
  std::optional<int64_t> corrects;
  std::optional<std::string> at;
  std::string to;    ///< whom a notification went to ("partnership": the policy's partnership)
  std::string form;  ///< the policy's form sent with it
  std::string duty;  ///< the duty it meets or (a waiver) waives, by key
};

struct PauseInput {
  int64_t case_id = 0;
  std::string reason;
  std::optional<std::string> at;
};

struct ExtendInput {
  int64_t case_id = 0;
  int days = 0;
  std::string agreed_by;
  std::string reason;
  std::optional<std::string> at;
};

struct ResolveInput {
  int64_t case_id = 0;
  std::string outcome;
  std::string agreed_by;
  std::string learning;
  std::string delay_reason;
  std::optional<std::string> at;
  std::optional<int> check_back;  ///< schedule a follow-up N working days after resolving
};

struct ListFilter {
  bool all = false;
  std::string policy;
  std::optional<int> stage;
  bool overdue_only = false;
  std::optional<Timestamp> raised_from;    ///< CaseQuery's window
  std::optional<Timestamp> raised_before;
};

/// One open deadline for a reminder: `esc overdue`, `esc due`, `esc remind`.
/// Which open deadlines to list, each case on its own policy's calendar and
/// in its own time zone: those due up to the `within`th working day after
/// the case's today (0: today; -1: before today, so only the overdue),
/// from its today when `from_today`, else the overdue too.
struct DueWindow {
  int within = 0;
  bool from_today = false;
};

/// The deadline as the store holds it, with what the rules work out.
struct DueItem : OpenDeadlineRow {
  std::string stage_term;  ///< the policy's word for a stage ("stage", "step")
  std::string stage_title;
  Date today;  ///< the case's own today: now, in its policy's time zone
  int working_days_overdue = 0;  ///< 0 when not yet overdue
  std::string raiser_handler;
  std::string counterpart_handler;
};

/// Checks a raise's input as Service::raise does (throwing the same errors),
/// touching no store: so that a refused raise need not create one.
void check_raise(const PolicyLibrary& policies, const Clock& clock, const RaiseInput& in);

/// How esc remind decides what to send (Service::claim_reminder).
struct ReminderRules {
  int repeat = 5;          ///< an overdue duty is sent again every N working days (0: once)
  std::string claimant;    ///< who claims: "pid N on HOST"
  /// Whether a claim is held by a run still sending it (alive, recent).
  std::function<bool(const ReminderMark&)> live;
};

/// What a command did, for the CLI to print alongside the case.
struct Outcome {
  Case c;
  std::vector<Notice> warnings;
  std::vector<Notice> notices;  ///< what must now happen
  std::optional<int64_t> record_id;
  std::vector<int64_t> deadlines_met;
};

/// A case in one line, with whether it has a deadline overdue now.
struct CaseSummary {
  CaseLine line;
  bool overdue = false;  ///< an open deadline past its due date, the case not paused
  /// The next duty: an untimed one already owed (owed "without delay",
  /// `next_now`), else the timed one due first; empty when it owes none.
  std::string next_duty;
  bool next_now = false;
};

class Service {
 public:
  Service(CaseStore& store, const PolicyLibrary& policies, const Clock& clock)
      : store_(store), policies_(policies), clock_(clock) {}

  Outcome raise(const RaiseInput& in);
  Outcome escalate(const EscalateInput& in);
  Outcome record(const RecordInput& in);
  Outcome pause(const PauseInput& in);
  Outcome resume(const PauseInput& in);
  Outcome extend(const ExtendInput& in);
  Outcome resolve(const ResolveInput& in);
  Outcome assign(const AssignInput& in);

  Case load(int64_t id);
  /// Open deadlines of open (not paused, not resolved) cases, and check-backs
  /// of resolved ones, in `window` (on each case's calendar), under `policy`
  /// when it is not empty. Grouped by case, the case with the oldest due
  /// date first.
  std::vector<DueItem> open_deadlines_due(const DueWindow& window, const std::string& policy);
  /// The same, one at a time and in the same order, without holding them all:
  /// `visit` sees each item (reused between calls) once.
  void visit_deadlines_due(const DueWindow& window, const std::string& policy,
                           const std::function<void(const DueItem&)>& visit);
  /// One duty as visit_deadlines_due gives it (its case's today, the
  /// handlers), whether or not it is still owed; nothing when there is no
  /// such duty. A reminder run reads each again as it writes its message.
  std::optional<DueItem> due_item(int64_t deadline_id);
  /// Runs `f`, which only reads, on one snapshot of the store (CaseStore::read).
  void read(const std::function<void()>& f) { store_.read(f); }
  /// A reminder run's lists, kept by the store outside the record
  /// (CaseStore::clear_slots, add_slots, slots_after).
  void clear_slots(SlotList list) { store_.clear_slots(list); }
  void add_slots(SlotList list, const std::vector<ReminderSlot>& slots) { store_.add_slots(list, slots); }
  std::vector<ReminderSlot> slots_after(SlotList list, const ReminderSlot* after, size_t n) {
    return store_.slots_after(list, after, n);
  }
  /// Whether a reminder in this state was already sent for a deadline.
  bool reminder_sent(int64_t deadline_id, Reminder state);
  /// Remembers that a reminder was sent to `to` for the due date `due` (one
  /// transaction).
  void mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, const Recipient& to);
  /// Whom the reminder of `it` goes to: one recipient for each party that
  /// owes it (contacts.hpp, owed_by and recipient_for).
  std::vector<Recipient> recipients_of(const DueItem& it);
  /// Whether the reminder in `state` for `it` is to be sent now, and if so
  /// which sending of it this is (1 the first): not when it was delivered
  /// already (an overdue one: within `rules.repeat` working days of the last
  /// delivery), nor when a run still sending it claimed it (`rules.live`).
  std::optional<int> reminder_to_send(const DueItem& it, Reminder state, const Recipient& to,
                                      const ReminderRules& rules);
  /// The same, and when it is to be sent, claims it for `rules.claimant`
  /// in the same transaction (so two runs at once never both send it).
  std::optional<int> claim_reminder(const DueItem& it, Reminder state, const Recipient& to, const ReminderRules& rules);
  std::vector<Case> list(const ListFilter& f, bool with_records);
  /// The same, one case at a time (none kept; `visit` may take it).
  void visit_cases(const ListFilter& f, bool with_records, const std::function<void(Case&)>& visit);
  /// The cases `f` asks for in one line each, streamed in id order: one read
  /// of the store, no case loaded (esc list's text and ids).
  void visit_summaries(const ListFilter& f, const std::function<void(const CaseSummary&)>& visit);
  /// The policy a case was raised under, parsed from the text kept with it.
  const Policy& policy_of(const Case& c);
  /// The same, for a case known by its id and the policy it names.
  const Policy& policy_of(int64_t case_id, const std::string& policy_id, const std::string& sha256);
  /// Its calendar (the policy's closure days added), made once per text.
  const Calendar& calendar_of(const Policy& p, const std::string& sha256);

  /// Works the store's copy of every case's duties out again when the store
  /// says it is stale (one transaction; after an upgrade). Returns what
  /// repair_duties says of each case whose copy changed.
  std::vector<std::string> refresh_stale_duties();
  /// Works every case's duties out from its record and compares them with
  /// the store's copy: one problem per difference, naming the case.
  std::vector<Problem> verify_duties();
  /// Inside a write: works the duties and state of cases `ids` out again
  /// from their records and replaces the store's copy where it disagrees
  /// (an import never trusts the file's copy); one line per case changed.
  std::vector<std::string> repair_duties(const std::vector<int64_t>& ids);

  Timestamp now() const { return clock_.now(); }

 private:
  CaseStore& store_;
  const PolicyLibrary& policies_;
  const Clock& clock_;
  std::map<std::string, Policy> policy_cache_;  ///< by SHA-256 of the text
  std::map<std::string, Calendar> calendar_cache_;
  struct DueDay {
    const Policy* policy;
    const Calendar* calendar;
    Date today;
  };
  std::map<std::string, DueDay> due_days_;  ///< by SHA-256 of the text, for due_item
  int64_t contacts_case_ = 0;      ///< the case whose contacts are kept (0: none)
  std::vector<Holder> contacts_;   ///< its contacts, for a reminder run

  /// Fills what a due item adds to its row: today, the stage's words and
  /// handlers, the working days overdue.
  static void fill_due_item(DueItem& it, const Policy& p, const Calendar& calendar, Date today);
  /// Brings the store's copy of a case's duties up to what the rules work
  /// out from its record (inside a write), and returns them with their ids.
  std::vector<CaseDeadline> sync_duties(int64_t id);
};


/// The next stage an escalation goes to, by the policy's moves. Throws
/// DataError when the move is not allowed.
int next_stage(const Policy& p, const Case& c, std::optional<int> to, bool& routed);

}  // namespace esc
