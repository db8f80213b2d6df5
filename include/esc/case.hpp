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
};

struct CaseDeadline {
  int64_t id = 0;
  std::string uuid;
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

  bool open() const { return !done_at.has_value(); }
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
};

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

  /// The earliest due date among open deadlines.
  std::optional<Date> next_due() const;
  /// The resolution event, once resolved.
  const CaseEvent* resolution() const;
};

}  // namespace esc
