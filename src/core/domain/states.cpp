// The words of the one vocabulary (states.hpp), and back.
#include <esc/states.hpp>

#include <array>
#include <utility>

namespace esc {

namespace {

template <typename E, size_t N>
std::string_view word_of(const std::array<std::pair<E, std::string_view>, N>& words, E value) {
  for (const auto& [v, w] : words)
    if (v == value) return w;
  return "?";
}

template <typename E, size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& words, std::string_view word) {
  for (const auto& [v, w] : words)
    if (w == word) return v;
  return std::nullopt;
}

constexpr std::array<std::pair<CaseStatus, std::string_view>, 3> k_status{{
    {CaseStatus::open, "open"}, {CaseStatus::paused, "paused"}, {CaseStatus::resolved, "resolved"}}};

constexpr std::array<std::pair<EventType, std::string_view>, 6> k_event{{{EventType::raise, "raise"},
                                                                        {EventType::escalate, "escalate"},
                                                                        {EventType::pause, "pause"},
                                                                        {EventType::resume, "resume"},
                                                                        {EventType::extend, "extend"},
                                                                        {EventType::resolve, "resolve"}}};

constexpr std::array<std::pair<PartyRole, std::string_view>, 2> k_role{{{PartyRole::raiser, "raiser"},
                                                                       {PartyRole::counterpart, "counterpart"}}};

constexpr std::array<std::pair<ClosedBy, std::string_view>, 4> k_closed{{{ClosedBy::record, "record"},
                                                                          {ClosedBy::escalate, "escalate"},
                                                                          {ClosedBy::resolve, "resolve"},
                                                                          {ClosedBy::waiver, "waiver"}}};

constexpr std::array<std::pair<DutyKind, std::string_view>, 8> k_duty{{{DutyKind::deadline, "deadline"},
                                                                      {DutyKind::notification, "notification"},
                                                                      {DutyKind::feedback, "feedback"},
                                                                      {DutyKind::inform, "inform"},
                                                                      {DutyKind::delay_reason, "delay-reason"},
                                                                      {DutyKind::learning_referral, "learning-referral"},
                                                                      {DutyKind::action, "action"},
                                                                      {DutyKind::check_back, "check-back"}}};

constexpr std::array<std::pair<DeadlineOutcome, std::string_view>, 8> k_outcome{{{DeadlineOutcome::waived, "waived"},{DeadlineOutcome::met, "met"},
                                                                                {DeadlineOutcome::met_late, "met late"},
                                                                                {DeadlineOutcome::closed, "closed"},
                                                                                {DeadlineOutcome::missed, "missed"},
                                                                                {DeadlineOutcome::overdue, "overdue"},
                                                                                {DeadlineOutcome::open, "open"},
                                                                                {DeadlineOutcome::paused, "paused"}}};

}  // namespace

std::string_view name(CaseStatus s) { return word_of(k_status, s); }
std::string_view name(EventType t) { return word_of(k_event, t); }
std::string_view name(PartyRole r) { return word_of(k_role, r); }
std::string_view name(ClosedBy c) { return word_of(k_closed, c); }
std::string_view name(DeadlineOutcome o) { return word_of(k_outcome, o); }
std::string_view name(DutyKind k) { return word_of(k_duty, k); }
std::optional<DutyKind> duty_kind_named(std::string_view word) { return value_of(k_duty, word); }
std::string_view name(Reminder r) {
  switch (r) {
    case Reminder::overdue: return "overdue";
    case Reminder::due_today: return "due-today";
    case Reminder::due_soon: return "due-soon";
    case Reminder::owed: return "owed";
  }
  return "?";
}

std::string_view name(DeadlineScope s) {
  switch (s) {
    case DeadlineScope::stage: return "stage";
    case DeadlineScope::whole_case: return "whole case";
    case DeadlineScope::check_back: return "check back";
    case DeadlineScope::after_resolution: return "after resolution";
  }
  return "?";
}

std::optional<CaseStatus> case_status_named(std::string_view word) { return value_of(k_status, word); }
std::optional<EventType> event_type_named(std::string_view word) { return value_of(k_event, word); }
std::optional<PartyRole> party_role_named(std::string_view word) { return value_of(k_role, word); }
std::optional<ClosedBy> closed_by_named(std::string_view word) { return value_of(k_closed, word); }

}  // namespace esc
