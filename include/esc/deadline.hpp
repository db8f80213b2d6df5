#pragma once
/// The deadline engine: when something is due, counted in working days in
/// the policy's time zone. See esc-policy(5), "How deadlines are counted".

#include <esc/calendar.hpp>
#include <esc/date.hpp>
#include <esc/policy.hpp>

namespace esc {

/// How a due date was worked out, for `esc show --explain`.
struct DueDate {
  Date start;                      ///< the event's local date
  Date due;                        ///< met if done by the end of this day
  std::vector<SkippedDay> skipped; ///< non-working days passed over
};

/// "Within N working days" of an event: the Nth working day strictly after the
/// event's local date. "Same working day": the event's date when it is a
/// working day, otherwise the next working day. The local date is taken in
/// `zone`, whatever the machine's TZ.
DueDate due_after(const Calendar& cal, const TimeZone& zone, Timestamp event, const Timescale& ts);
DueDate due_after(const Calendar& cal, Date start, const Timescale& ts);

/// Whether a deadline due on `due` is met by something done at `done`
/// (by the end of the due day, local time).
bool met_in_time(const TimeZone& zone, Date due, Timestamp done);

/// Whether a deadline is overdue at `now`: not done and today (local) is after
/// the due date.
bool is_overdue(const TimeZone& zone, Date due, Timestamp now);

/// Moves a due date forward by `n` working days (an extension, or the working
/// days a case was paused).
DueDate extend(const Calendar& cal, Date due, int n);

}  // namespace esc
