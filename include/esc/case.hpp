#pragma once
/// A case as the store holds it: what it was raised with, its parties, its
/// deadlines, its records and its events.

#include <esc/date.hpp>
#include <esc/states.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace esc {

struct Party {
  PartyRole role = PartyRole::raiser;
  std::string name;
  std::string agency;
  std::string agency_type;
};

struct Child {
  std::string ref;
  std::string name;
  std::string dob;
  std::string nhs;
};

struct DeadlineShift {
  EventType type = EventType::extend;  ///< resume or extend
  int days = 0;
  Date from_due;
  Date to_due;
  Timestamp at{};
  std::string reason;
  int64_t event_id = 0;  ///< the event that moved it
};

/// A duty: anything a case owes (states.hpp, DutyKind). Worked out from the
/// case's pinned policy text, its calendar and its chained events and records
/// (duties.hpp); the store keeps a copy for fast queries, which verify checks.
/// A timed duty is due by the end of `due`; an untimed one ("without delay")
/// has `timed` false and `due` the day it arose.
struct CaseDeadline {
  int64_t id = 0;
  std::string uuid;
  std::string key;  ///< its identity in the case: "s1.d0", "s3.r0", "case.d0", "delay", "a12", ...
  DutyKind kind = DutyKind::deadline;
  bool timed = true;
  bool in_writing = false;
  std::string to;  ///< whom a notification names ("partnership" for the partnership)
  std::optional<std::string> form;
  std::string clause;
  DeadlineScope scope = DeadlineScope::stage;
  int stage = 0;  ///< the stage, when its scope is one
  int seq = 0;
  std::string action;
  std::string timescale;
  std::string counted_from;  ///< "stage" or "case"
  std::optional<std::string> met_by;
  Date start_date;
  Date original_due;
  Date due;
  std::optional<Timestamp> done_at;
  std::optional<ClosedBy> closed_by;
  std::optional<int64_t> record_id;
  std::optional<bool> late;
  std::vector<DeadlineShift> shifts;
  std::optional<Timestamp> met_entered_at;  ///< when the record that met it was entered

  bool open() const { return !done_at.has_value(); }
  /// One of the process's timed deadlines (a stage's, the whole case's, the
  /// check-back), as against the other duties.
  bool is_deadline() const { return kind == DutyKind::deadline || kind == DutyKind::check_back; }
  /// Met by a record entered on a later day than it says it happened.
  bool entered_late(const TimeZone& zone) const;
  /// Owed by `now`: a delay reason from the day the case runs past the
  /// policy's limit (its `due`); every other duty from when it arose.
  bool arisen(const TimeZone& zone, Timestamp now) const;
};

struct CaseRecord {
  int64_t id = 0;
  std::string uuid;
  int stage = 0;
  Timestamp at{};
  Timestamp entered_at{};
  std::string kind;
  std::string channel;
  std::string with;
  std::string summary;
  std::string action;
  std::string action_due;
  std::optional<int64_t> corrects;
  std::string to;    ///< whom a notification went to ("partnership": the policy's partnership)
  std::string form;  ///< the form sent with it
  std::string duty;  ///< the duty it names (meets, waives or reminds of), by key
  int64_t chain_seq = 0;  ///< its place in the case's chain; 0: not yet chained (the newest)
};

/// The kind of record esc itself writes when a reminder is sent: `duty` names
/// the duty, `action` the reminder's state, `action_due` the due date.
inline constexpr std::string_view k_reminder_kind = "reminder";

struct CaseEvent {
  int64_t id = 0;
  std::string uuid;
  EventType type = EventType::raise;
  Timestamp at{};
  Timestamp entered_at{};
  std::optional<int> from_stage;
  std::optional<int> to_stage;
  std::string reason;
  std::string agreed_by;
  std::optional<int> days;
  std::string outcome;
  std::string learning;
  std::string delay_reason;
  int64_t chain_seq = 0;  ///< its place in the case's chain; 0: not yet chained (the newest)
};

struct Case {
  int64_t id = 0;
  std::string uuid;
  std::string policy_id;
  std::string policy_sha256;
  std::string policy_version;
  std::string category;
  std::string summary;
  std::string requested_action;
  std::string risk;
  Child child;
  Party raiser;
  Party counterpart;
  Timestamp raised_at{};
  Timestamp entered_at{};
  CaseStatus status = CaseStatus::open;
  int stage = 1;
  Timestamp stage_started_at{};
  std::optional<Timestamp> paused_at;
  std::optional<Timestamp> resolved_at;

  std::vector<CaseDeadline> deadlines;
  std::vector<CaseRecord> records;
  std::vector<CaseEvent> events;

  /// The earliest due date among open timed duties.
  std::optional<Date> next_due() const;
  /// The resolution event, once resolved.
  const CaseEvent* resolution() const;
};

}  // namespace esc
