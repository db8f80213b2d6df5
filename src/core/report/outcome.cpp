// What became of a deadline, the one rule every report and view uses.
#include <esc/report.hpp>

#include <esc/calendar.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "core/report/shared.hpp"

namespace esc {

using namespace report_detail;

// ---------------------------------------------------------------------------

DeadlineOutcome deadline_outcome(const Case& c, const CaseDeadline& d, const Policy& p, Timestamp now) {
  if (!d.open()) {
    bool late = d.late.value_or(false);
    if (d.closed_by == ClosedBy::waiver) return DeadlineOutcome::waived;
    // A delay reason is met by the reason the resolution gives; a case
    // resolved before one was owed leaves it closed.
    if (d.kind == DutyKind::delay_reason && d.closed_by == ClosedBy::resolve) {
      const CaseEvent* res = c.resolution();
      if (res && !res->delay_reason.empty()) return DeadlineOutcome::met;
      return late ? DeadlineOutcome::missed : DeadlineOutcome::closed;
    }
    // A record of its kind meets it; a deadline no record meets is met by
    // leaving the stage (or by the case being resolved).
    if (d.closed_by == ClosedBy::record || !d.met_by) return late ? DeadlineOutcome::met_late : DeadlineOutcome::met;
    return late ? DeadlineOutcome::missed : DeadlineOutcome::closed;
  }
  // A check-back, and the other duties after the resolution, come due after
  // the case is resolved.
  bool live = c.status == CaseStatus::open || d.scope == DeadlineScope::check_back ||
              d.scope == DeadlineScope::after_resolution;
  if (!live) return c.status == CaseStatus::paused ? DeadlineOutcome::paused : DeadlineOutcome::open;
  // A duty without a date is owed without delay, never overdue.
  if (!d.timed) return DeadlineOutcome::open;
  return is_overdue(TimeZone::get(p.time_zone), d.due, now) ? DeadlineOutcome::overdue : DeadlineOutcome::open;
}

int working_days_to(const Calendar& cal, Date raised, Date done) {
  return cal.working_days_between(raised.next(), done.next());
}

std::string stage_label(const std::string& stage_term, DeadlineScope scope, int stage) {
  if (scope != DeadlineScope::stage) return std::string(name(scope));
  return fmt::format("{} {}", stage_term, stage);
}

}  // namespace esc
