#pragma once
/// Reports (see esc-report(1)): the written record of one case, the forms a
/// policy names filled from a case, and the partnership return, which holds
/// figures only. Computation only: the CLI renders what is built here.

#include <esc/case.hpp>
#include <esc/error.hpp>
#include <esc/date.hpp>
#include <esc/policy.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace esc {

// ---------------------------------------------------------------------------
// Deadlines as reports count them.

/// What became of a deadline: the one rule for reports, for `esc show` (which
/// names the outcomes in its own words) and for anything else that asks.
///  - met: met by a record of its kind by the end of its due date, or, for a
///    deadline that only leaving the stage meets, left by then;
///  - met_late: the same, after its due date;
///  - closed: closed by the stage ending or the case being resolved by its due
///    date, without the record it names (nothing was late);
///  - missed: closed that way after its due date, without its record;
///  - overdue: still open and past its due date (the case not paused; on a
///    resolved case, only a check-back);
///  - open: still open, not yet past its due date;
///  - paused: still open on a paused case.
/// (DeadlineOutcome is in states.hpp, with the word for each.)
DeadlineOutcome deadline_outcome(const Case& c, const CaseDeadline& d, const Policy& p, Timestamp now);

// ---------------------------------------------------------------------------
// One case: the written record.

/// A deadline as the case holds it, with what became of it.
struct ReportDeadline {
  CaseDeadline deadline;
  DeadlineOutcome outcome = DeadlineOutcome::open;
};

/// A stage the case went through (stages jumped over are not listed).
struct ReportStage {
  int number = 0;
  std::string title;
  std::string raiser_handler;
  std::string counterpart_handler;
  Timestamp entered_at{};
  std::optional<Timestamp> left_at;  ///< none: the case is still at it
  std::string left_by;               ///< "escalate", "resolve" or ""
  std::optional<int> left_to;        ///< the stage it was escalated to
  std::string left_reason;           ///< the reason given for escalating
  std::string expected_outcome;      ///< what the policy expects the stage to end in; "" when it says nothing
  bool notifies_partnership = false;
  bool partnership = false;          ///< the partnership itself handles the stage
  std::vector<std::string> forms;  ///< ids of the forms the stage requires
  std::vector<ReportDeadline> deadlines;
};

/// One line of the chronology: an event (raise, escalate, pause, resume,
/// extend, resolve) or a record, oldest first.
struct ChronologyEntry {
  Timestamp at{};
  std::string kind;  ///< the event type or the record kind
  std::optional<int64_t> record;
  int stage = 0;
  std::string channel;
  std::string with;  ///< who took part or agreed
  std::string text;
  std::string action;
  std::string action_due;
  std::optional<int64_t> corrects;
  std::string to;    ///< whom a notification went to
  std::string form;  ///< the form sent
  std::optional<Timestamp> entered_at;  ///< a record entered on a later day than it happened
};

/// Something agreed to be done: a plan record, or an action on any record.
struct AgreedAction {
  Timestamp at{};
  int64_t record = 0;
  std::string kind;
  std::string text;
  std::string due;  ///< YYYY-MM-DD or ""
};

struct ReportResolution {
  Timestamp at{};
  int stage = 0;
  std::string outcome;
  std::string agreed_by;
  std::string learning;
  std::string delay_reason;
};

struct CaseReport {
  int64_t id = 0;
  std::string uuid;
  std::string policy_id;
  std::string policy_name;
  std::string policy_version;
  std::string partnership;
  std::string contact;     ///< the policy's key contact; "" when it names none
  std::string records_in;  ///< where the policy says records must be kept; "" when it does not say
  std::string learning_to; ///< where the policy sends learning points; "" when it does not say
  std::string time_zone;
  std::string stage_term;
  std::string pause_term;
  CaseStatus status = CaseStatus::open;
  int stage = 0;       ///< the current (or last) stage
  int stage_count = 0;
  std::string stage_title;
  Timestamp raised_at{};
  Timestamp generated_at{};
  std::string category;
  std::string category_label;
  std::string summary;
  std::string requested_action;
  std::string risk;
  Child child;
  Party raiser;
  Party counterpart;
  std::vector<ReportStage> stages;
  std::vector<ReportDeadline> case_deadlines;  ///< the whole-case limit and check-backs
  std::vector<ReportDeadline> duties;          ///< every other duty (notifications, feedback, ...), as they arose
  std::vector<ChronologyEntry> chronology;
  std::vector<AgreedAction> actions;
  std::optional<ReportResolution> resolution;
  /// Working days from raising to resolution (or to the report's date while
  /// the case is not resolved); see working_days_to().
  int working_days = 0;
};

CaseReport build_case_report(const Case& c, const Policy& p, Timestamp now);

/// Working days after `raised` up to and including `done`: the n of "within
/// n working days" that `done` would meet (0 on the same day).
int working_days_to(const Calendar& cal, Date raised, Date done);

/// "stage 3" / "step 3"; "whole case"; "check back".
std::string stage_label(const std::string& stage_term, DeadlineScope scope, int stage);
inline std::string stage_label(const std::string& stage_term, const CaseDeadline& d) {
  return stage_label(stage_term, d.scope, d.stage);
}

// ---------------------------------------------------------------------------
// Forms.

struct FilledField {
  std::string id;
  std::string label;
  std::string source;
  std::string instruction;         ///< the form's own guidance, shown under the label; "" for none
  std::vector<std::string> value;  ///< lines; empty: missing
  Notice hint;                     ///< for a missing field: how to supply it
  bool missing() const { return value.empty(); }
};

struct FilledForm {
  std::string id;
  std::string name;
  std::string appendix;
  std::string send_to;
  bool reconstructed = false;  ///< see k_reconstruction_note (policy.hpp)
  std::string policy_id;
  std::string partnership;
  int64_t case_id = 0;
  Date date;  ///< the date it was filled (the report's date)
  std::vector<FilledField> fields;  ///< in the policy's order

  std::vector<const FilledField*> missing() const;
};

/// The form named by id or by its full name (either case); throws UsageError
/// listing the policy's forms when there is none such.
const Form& find_form(const Policy& p, std::string_view name);

FilledForm fill_form(const CaseReport& r, const Form& f);

// ---------------------------------------------------------------------------
// The partnership return: counts, categories, agency types, stages and
// durations only; nothing typed about a case or a person.

struct ReturnFilter {
  std::optional<Date> from;  ///< cases raised on or after (local date)
  std::optional<Date> to;    ///< cases raised on or before
  std::string policy;        ///< "" for every policy
};

/// Median, 90th percentile (nearest rank) and longest of some working-day
/// durations.
struct DurationStats {
  int count = 0;
  double median = 0;
  int p90 = 0;
  int longest = 0;
};
DurationStats duration_stats(std::vector<int> days);

struct PartnershipReturn {
  ReturnFilter filter;
  Date generated_on;
  std::vector<std::string> policies;  ///< ids of the policies of the cases counted

  int raised = 0;
  int resolved = 0;
  int open = 0;    ///< not resolved (paused included)
  int paused = 0;  ///< of those open, paused now
  int reached_partnership = 0;  ///< cases that reached a stage the partnership itself handles
  int open_past_limit = 0;
  int resolved_past_limit = 0;

  struct CategoryRow {
    std::string policy, category, label;
    int cases = 0;
  };
  struct PairRow {
    std::string raiser_type, counterpart_type;
    int cases = 0;
  };
  struct StageRow {
    std::string policy;
    int stage = 0;
    std::string title;
    bool partnership = false;  ///< it is, or comes after, the first stage the partnership itself handles
    int cases = 0, resolved = 0, open = 0;
  };
  struct DurationRow {
    std::string policy;  ///< "" for the overall row
    int stage = 0;       ///< highest stage; 0 for the overall row
    std::string title;
    DurationStats stats;
  };
  struct BucketRow {
    int low = 0;
    std::optional<int> high;  ///< none: and more
    int cases = 0;
    std::string label() const;
  };
  struct DeadlineRow {
    std::string policy;
    DeadlineScope scope = DeadlineScope::stage;
    int stage = 0;  ///< the stage, when its scope is one
    std::string title;
    int met = 0, met_late = 0, closed = 0, missed = 0, overdue = 0, open = 0;
  };
  /// The duties other than deadlines (notifications, feedback, ...), by
  /// policy, scope or stage, and kind: owed, and what became of them.
  struct DutyRow {
    std::string policy;
    DeadlineScope scope = DeadlineScope::stage;
    int stage = 0;
    DutyKind kind = DutyKind::notification;
    bool to_partnership = false;
    /// closed: no longer owed, ended by an escalation or the resolution
    /// (a delay reason on a case resolved within the limit, say).
    int owed = 0, met = 0, met_late = 0, waived = 0, closed = 0, missed = 0, open = 0;
  };
  struct DelayRow {
    std::string policy;
    int cases_paused = 0, pauses = 0, days_paused = 0;
    int cases_extended = 0, extensions = 0, days_extended = 0;
  };
  struct LimitRow {
    std::string policy;
    std::string timescale;
    int cases = 0;  ///< cases under a policy with a whole-case limit
    int resolved_within = 0, resolved_past = 0;
    int open_within = 0, open_past = 0;  ///< not resolved, not paused
    int paused = 0;                      ///< paused now (the limit moves on when resumed)
  };

  std::vector<CategoryRow> categories;
  std::vector<PairRow> agency_pairs;
  std::vector<StageRow> stages;
  std::vector<DurationRow> durations;  ///< the overall row first
  std::vector<BucketRow> resolution_times;
  std::vector<DeadlineRow> deadlines;
  std::vector<DutyRow> duties;
  int notifications_owed = 0;  ///< to the partnership
  int notifications_made = 0;
  std::vector<DelayRow> delays;
  std::vector<LimitRow> case_limits;
};

/// Calls its argument once for each case, one at a time.
using CaseSource = std::function<void(const std::function<void(const Case&)>&)>;

/// Counts the cases raised in the filter's period (local dates, inclusive)
/// under its policy, as they stand at `now`. The cases are seen one at a
/// time: none is kept, so the return's memory does not grow with the store.
PartnershipReturn build_return(const CaseSource& cases, const std::function<const Policy&(const Case&)>& policy_of,
                               const ReturnFilter& f, Timestamp now);
/// The same over cases in hand.
PartnershipReturn build_return(const std::vector<Case>& cases,
                               const std::function<const Policy&(const Case&)>& policy_of, const ReturnFilter& f,
                               Timestamp now);

/// A table of the return, for the renderers: every cell a number, a text
/// from the policy or esc's own words, or empty.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

struct ReportColumn {
  std::string key;     ///< JSON key and CSV header
  std::string header;  ///< for people
  bool numeric = false;
};

struct ReportTable {
  std::string name;  ///< for --table
  std::string title;
  std::vector<ReportColumn> columns;
  std::vector<std::vector<Cell>> rows;
  bool key_value = false;  ///< two columns, metric and value
};

/// The names --table takes, in the order the tables are printed.
const std::vector<std::string>& return_table_names();
std::vector<ReportTable> return_tables(const PartnershipReturn& r);

}  // namespace esc
