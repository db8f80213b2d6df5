#pragma once
/// The one vocabulary of esc: what a case, an event, a party and a deadline
/// can be, as types, each with the one word that names it in the store, in
/// JSON and on the screen. Nothing else spells these words.

#include <optional>
#include <string_view>

namespace esc {

/// Where a case is.
enum class CaseStatus { open, paused, resolved };

/// What happened to a case (records are kept apart: they are what people
/// said and did, events are what the case did).
enum class EventType { raise, escalate, pause, resume, extend, resolve };

/// Which side of the disagreement a party is on.
enum class PartyRole { raiser, counterpart };

/// What closed a deadline: a record of the kind it asks for, the case
/// leaving the stage, or the case being resolved.
enum class ClosedBy { record, escalate, resolve, waiver };

/// What a duty belongs to: one stage, the whole case (a limit counted from
/// raising it, a delay reason, an agreed action), the check-back after the
/// case is resolved, or another duty that follows the resolution (a learning
/// referral, feedback on the outcome).
enum class DeadlineScope { stage, whole_case, check_back, after_resolution };

/// What became of a deadline, the one set of states `show`, `list`, `due`,
/// `overdue`, `remind`, `report` and every JSON document use.
enum class DeadlineOutcome { met, met_late, closed, missed, overdue, open, paused, waived };

/// What a case owes (a duty): a timed deadline, a notification (to the
/// partnership or another body), feedback to the raiser, informing someone
/// in writing, a reason for delay, a referral of learning points, an agreed
/// action with a due date, a check-back after resolution.
enum class DutyKind { deadline, notification, feedback, inform, delay_reason, learning_referral, action, check_back };
std::string_view name(DutyKind k);  ///< "deadline", "notification", ..., "delay-reason", "check-back"
std::optional<DutyKind> duty_kind_named(std::string_view word);

std::string_view name(CaseStatus s);
std::string_view name(EventType t);
std::string_view name(PartyRole r);
std::string_view name(ClosedBy c);
std::string_view name(DeadlineOutcome o);

/// How a reminder speaks of an open deadline: past its due date, due today,
/// or due later inside the window it looks ahead.
/// A duty without a date ("without delay") is reminded of as owed.
enum class Reminder { overdue, due_today, due_soon, owed };
std::string_view name(Reminder r);  ///< "overdue", "due-today", "due-soon", "owed"
std::string_view name(DeadlineScope s);  ///< "stage", "whole case", "check back"

/// The value a word names, or nullopt when it names none.
std::optional<CaseStatus> case_status_named(std::string_view word);
std::optional<EventType> event_type_named(std::string_view word);
std::optional<PartyRole> party_role_named(std::string_view word);
std::optional<ClosedBy> closed_by_named(std::string_view word);

/// How the store keeps a duty's scope in its one `stage` number: the stage
/// itself, 0 for the whole case, -1 for the check-back, -2 after the
/// resolution. Only the store and the chain see these numbers.
constexpr int stored_stage(DeadlineScope scope, int stage) {
  return scope == DeadlineScope::whole_case         ? 0
         : scope == DeadlineScope::check_back       ? -1
         : scope == DeadlineScope::after_resolution ? -2
                                                    : stage;
}
constexpr DeadlineScope scope_of_stored(int stored) {
  return stored == 0    ? DeadlineScope::whole_case
         : stored == -1 ? DeadlineScope::check_back
         : stored < -1  ? DeadlineScope::after_resolution
                        : DeadlineScope::stage;
}

}  // namespace esc

#include <fmt/format.h>

/// Each word of the vocabulary formats as its word: fmt::format("{}", status).
#define ESC_FORMAT_AS_WORD(Type)                                                   \
  template <>                                                                      \
  struct fmt::formatter<esc::Type> : fmt::formatter<std::string_view> {            \
    template <typename Context>                                                    \
    auto format(esc::Type v, Context& ctx) const {                                 \
      return fmt::formatter<std::string_view>::format(esc::name(v), ctx);          \
    }                                                                              \
  };
ESC_FORMAT_AS_WORD(CaseStatus)
ESC_FORMAT_AS_WORD(EventType)
ESC_FORMAT_AS_WORD(PartyRole)
ESC_FORMAT_AS_WORD(ClosedBy)
ESC_FORMAT_AS_WORD(DeadlineScope)
ESC_FORMAT_AS_WORD(DeadlineOutcome)
ESC_FORMAT_AS_WORD(Reminder)
ESC_FORMAT_AS_WORD(DutyKind)
#undef ESC_FORMAT_AS_WORD
