#include <esc/deadline.hpp>
#include <esc/error.hpp>

namespace esc {

DueDate due_after(const Calendar& cal, Date start, const Timescale& ts) {
  WorkingDayResult r = ts.same_day ? cal.same_working_day(start) : cal.add_working_days(start, ts.days);
  return {start, r.date, std::move(r.skipped)};
}

DueDate due_after(const Calendar& cal, const TimeZone& zone, Timestamp event, const Timescale& ts) {
  return due_after(cal, zone.local_date(event), ts);
}

bool met_in_time(const TimeZone& zone, Date due, Timestamp done) {
  return zone.local_date(done) <= due;
}

bool is_overdue(const TimeZone& zone, Date due, Timestamp now) {
  return zone.local_date(now) > due;
}

DueDate extend(const Calendar& cal, Date due, int n) {
  if (n < 0) throw DataError("an extension must be a number of working days from 0 up");
  if (n == 0) return {due, due, {}};
  WorkingDayResult r = cal.add_working_days(due, n);
  return {due, r.date, std::move(r.skipped)};
}

}  // namespace esc
