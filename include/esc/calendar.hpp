#pragma once
/// Working-day calendars. A calendar knows its bank holidays (rules plus the
/// official one-off changes) for every year from 1995 to 2100; a policy may add
/// closure days of its own. Functions take dates, never "now".

#include <esc/date.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esc {

struct Holiday {
  Date date;
  std::string name;
};

/// Why a day was not a working day.
struct SkippedDay {
  Date date;
  std::string reason;  ///< "Saturday", "Sunday", or the holiday/closure name
};

/// The answer to "the Nth working day after a date", with its working.
struct WorkingDayResult {
  Date date;
  std::vector<SkippedDay> skipped;
};

class Calendar {
 public:
  /// A built-in calendar: `england-and-wales`, `scotland`, `northern-ireland`.
  /// Throws NotFoundError for any other name.
  static Calendar builtin(std::string_view name);
  /// Names of the built-in calendars.
  static std::vector<std::string> builtin_names();

  static constexpr int k_first_year = 1995;
  static constexpr int k_last_year = 2100;

  const std::string& name() const { return name_; }

  /// Adds a closure day of the policy's own (e.g. an agency training day).
  void add_closure(Date date, std::string name);

  /// Bank holidays and closures in [from, to], in date order.
  std::vector<Holiday> holidays(Date from, Date to) const;
  /// The holiday or closure on a date, if any.
  std::optional<Holiday> holiday_on(Date d) const;

  bool is_working_day(Date d) const;
  /// Why `d` is not a working day ("Saturday", "Christmas Day", ...), or
  /// nullopt when it is one.
  std::optional<std::string> non_working_reason(Date d) const;

  /// "Within N working days" of an event on `d`: the Nth working day strictly
  /// after `d` (n >= 1). n == 0 means the same working day.
  WorkingDayResult add_working_days(Date d, int n) const;
  /// "Same working day": `d` when it is a working day, else the next one.
  WorkingDayResult same_working_day(Date d) const;
  /// Working days in the half-open range [from, to): how many d with
  /// from <= d < to are working days (0 when to <= from).
  int working_days_between(Date from, Date to) const;

 private:
  std::string name_;
  std::vector<Holiday> closures_;
};

/// The bank holidays of a built-in calendar in one year (sorted). Years
/// outside [1995, 2100] throw DataError.
std::vector<Holiday> bank_holidays(std::string_view calendar, int year);

}  // namespace esc
