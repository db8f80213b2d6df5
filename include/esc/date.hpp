#pragma once
/// Civil dates and instants. A `Date` is a day in some local calendar with no
/// time zone; an instant is a `Timestamp` (UTC seconds). Converting between
/// them always goes through a `TimeZone`, never through the machine's TZ.

#include <chrono>
#include <compare>
#include <string>
#include <string_view>

namespace esc {

using Timestamp = std::chrono::sys_seconds;

class Date {
 public:
  Date() = default;
  Date(int y, unsigned m, unsigned d);
  explicit Date(std::chrono::sys_days days) : days_(days) {}

  /// Parses `YYYY-MM-DD`; throws DataError naming the text when it is not a
  /// real date.
  static Date parse(std::string_view text);

  std::chrono::sys_days days() const { return days_; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{days_}; }
  int year() const;
  unsigned month() const;
  unsigned day() const;
  std::chrono::weekday weekday() const { return std::chrono::weekday{days_}; }
  bool is_weekend() const;
  /// "Monday" .. "Sunday".
  std::string weekday_name() const;
  /// `YYYY-MM-DD`.
  std::string iso() const;

  Date plus_days(int n) const { return Date{days_ + std::chrono::days{n}}; }
  Date next() const { return plus_days(1); }
  Date prev() const { return plus_days(-1); }
  /// Days from this date to `other` (positive when other is later).
  int days_until(const Date& other) const { return (other.days_ - days_).count(); }

  auto operator<=>(const Date&) const = default;

 private:
  std::chrono::sys_days days_{};
};

/// The nth (1-based) given weekday of a month, or the last one when n == -1.
Date nth_weekday(int year, unsigned month, std::chrono::weekday wd, int n);
/// Easter Sunday (Gregorian, anonymous algorithm).
Date easter_sunday(int year);

/// A time zone esc knows. Only zones whose rules are built in: `Europe/London`
/// (GMT/BST, EU rules since 1996, 1995's own dates) and `UTC`.
class TimeZone {
 public:
  /// Throws PolicyError (via the caller's context) when the zone is unknown.
  static const TimeZone& get(std::string_view name);
  static bool known(std::string_view name);

  const std::string& name() const { return name_; }
  /// Offset from UTC in seconds in force at an instant.
  int offset_at(Timestamp t) const;
  /// The local calendar date of an instant.
  Date local_date(Timestamp t) const;
  /// The instant of a local wall-clock time. In the repeated autumn hour the
  /// first (summer) instant is taken; in the skipped spring hour the time is
  /// read with the winter offset (so it lands an hour later on the clock).
  Timestamp from_local(Date d, int hour, int minute, int second) const;
  /// ISO 8601 with the local offset, e.g. `2026-07-06T23:30:00+01:00`.
  std::string format(Timestamp t) const;

 private:
  explicit TimeZone(std::string name, bool london) : name_(std::move(name)), london_(london) {}
  std::string name_;
  bool london_;
};

/// Parses an ISO 8601 time: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` (also with a
/// space for the T), optionally followed by `Z` or `+HH:MM` / `-HH:MM`. Without
/// an offset the time is local to `zone`; a bare date is local midnight.
/// Throws DataError saying what form is expected.
Timestamp parse_timestamp(std::string_view text, const TimeZone& zone);

/// `2026-11-23T09:30:00Z`.
std::string format_utc(Timestamp t);

}  // namespace esc
