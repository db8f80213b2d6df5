#include <esc/calendar.hpp>
#include <esc/error.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace esc {
namespace {

using std::chrono::Friday;
using std::chrono::Monday;

enum class Region { england_and_wales, scotland, northern_ireland };

constexpr std::array<std::pair<std::string_view, Region>, 3> k_calendars{{
    {"england-and-wales", Region::england_and_wales},
    {"scotland", Region::scotland},
    {"northern-ireland", Region::northern_ireland},
}};

std::string known_names() {
  std::string out;
  for (const auto& [name, region] : k_calendars) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

Region region_of(std::string_view name) {
  for (const auto& [known, region] : k_calendars) {
    if (known == name) return region;
  }
  throw NotFoundError("unknown calendar '" + std::string(name) + "' (known calendars: " +
                      known_names() + ")");
}

std::string range_text() {
  return std::to_string(Calendar::k_first_year) + " to " + std::to_string(Calendar::k_last_year);
}

/// A holiday as the rules give it, before weekend days are substituted.
struct Rule {
  Date date;
  std::string name;
};

/// The holidays of one year before substitution: the standing rules, then the
/// official one-off changes. Every one-off listed here was made by Royal
/// Proclamation for the whole UK, so all three calendars share them. The
/// millennium holiday (Fri 31 Dec 1999) applied in Scotland too; Scotland's
/// 3 and 4 January 2000 were its ordinary substitutes for 1 and 2 January
/// (both at the weekend), so no extra Scottish day is added for 2000.
std::vector<Rule> rules_for(Region region, int y) {
  std::vector<Rule> r;
  const bool scotland = region == Region::scotland;

  r.push_back({Date(y, 1, 1), "New Year's Day"});
  if (scotland) r.push_back({Date(y, 1, 2), "2nd January"});
  if (region == Region::northern_ireland) r.push_back({Date(y, 3, 17), "St Patrick's Day"});

  const Date easter = easter_sunday(y);
  r.push_back({easter.plus_days(-2), "Good Friday"});
  if (!scotland) r.push_back({easter.plus_days(1), "Easter Monday"});

  Date early_may = nth_weekday(y, 5, Monday, 1);
  std::string early_may_name = "Early May bank holiday";
  if (y == 1995 || y == 2020) {
    early_may = Date(y, 5, 8);  // VE Day anniversaries (50th, 75th)
    early_may_name += " (VE day)";
  }
  r.push_back({early_may, early_may_name});

  Date spring = nth_weekday(y, 5, Monday, -1);
  if (y == 2002) spring = Date(2002, 6, 4);
  if (y == 2012) spring = Date(2012, 6, 4);
  if (y == 2022) spring = Date(2022, 6, 2);
  r.push_back({spring, "Spring bank holiday"});

  if (region == Region::northern_ireland) {
    r.push_back({Date(y, 7, 12), "Battle of the Boyne (Orangemen's Day)"});
  }
  r.push_back({nth_weekday(y, 8, Monday, scotland ? 1 : -1), "Summer bank holiday"});

  // St Andrew's Day became a Scottish bank holiday with the 2007 Act.
  if (scotland && y >= 2007) r.push_back({Date(y, 11, 30), "St Andrew's Day"});
  r.push_back({Date(y, 12, 25), "Christmas Day"});
  r.push_back({Date(y, 12, 26), "Boxing Day"});

  switch (y) {
    case 1999: r.push_back({Date(1999, 12, 31), "Millennium bank holiday"}); break;
    case 2002: r.push_back({Date(2002, 6, 3), "Queen's Golden Jubilee"}); break;
    case 2011: r.push_back({Date(2011, 4, 29), "Royal wedding"}); break;
    case 2012: r.push_back({Date(2012, 6, 5), "Queen's Diamond Jubilee"}); break;
    case 2022:
      r.push_back({Date(2022, 6, 3), "Platinum Jubilee bank holiday"});
      r.push_back({Date(2022, 9, 19), "Bank Holiday for the State Funeral of Queen Elizabeth II"});
      break;
    case 2023:
      r.push_back({Date(2023, 5, 8), "Bank holiday for the coronation of King Charles III"});
      break;
    default: break;
  }
  return r;
}

/// The year's holidays after substitution: a holiday at the weekend is not
/// listed on its own date (the weekend already covers it) but moves to the
/// next weekday that is not already a holiday, which gives Christmas on a
/// Sunday -> Boxing Day Mon 26 + Christmas substitute Tue 27, and so on.
std::vector<Holiday> compute_year(Region region, int y) {
  std::vector<Rule> rules = rules_for(region, y);
  std::sort(rules.begin(), rules.end(),
            [](const Rule& a, const Rule& b) { return a.date < b.date; });
  std::set<Date> taken;
  for (const Rule& rule : rules) {
    if (!rule.date.is_weekend()) taken.insert(rule.date);
  }
  std::vector<Holiday> out;
  for (const Rule& rule : rules) {
    if (!rule.date.is_weekend()) {
      out.push_back({rule.date, rule.name});
      continue;
    }
    Date sub = rule.date.next();
    while (sub.is_weekend() || taken.count(sub) != 0) sub = sub.next();
    taken.insert(sub);
    out.push_back({sub, rule.name + " (substitute day)"});
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.date < b.date; });
  return out;
}

/// All holidays of one calendar, 1995..2100, with an index by day so that a
/// lookup is O(1): add_working_days asks about every day it passes.
struct Table {
  Date first;
  Date last;
  std::vector<Holiday> all;                   // sorted by date
  std::vector<std::size_t> year_start;        // index into `all`, one per year + end
  std::vector<std::int16_t> by_day;           // index into `all`, or -1

  explicit Table(Region region)
      : first(Calendar::k_first_year, 1, 1), last(Calendar::k_last_year, 12, 31) {
    for (int y = Calendar::k_first_year; y <= Calendar::k_last_year; ++y) {
      year_start.push_back(all.size());
      for (Holiday& h : compute_year(region, y)) all.push_back(std::move(h));
    }
    year_start.push_back(all.size());
    by_day.assign(static_cast<std::size_t>(first.days_until(last)) + 1, -1);
    for (std::size_t i = 0; i < all.size(); ++i) {
      by_day[static_cast<std::size_t>(first.days_until(all[i].date))] =
          static_cast<std::int16_t>(i);
    }
  }

  const Holiday* find(Date d) const {
    const std::int16_t i = by_day[static_cast<std::size_t>(first.days_until(d))];
    return i < 0 ? nullptr : &all[static_cast<std::size_t>(i)];
  }
};

const Table& table_for(Region region) {
  switch (region) {
    case Region::scotland: {
      static const Table t{Region::scotland};
      return t;
    }
    case Region::northern_ireland: {
      static const Table t{Region::northern_ireland};
      return t;
    }
    case Region::england_and_wales: break;
  }
  static const Table t{Region::england_and_wales};
  return t;
}

void check_in_range(Date d) {
  if (d.year() < Calendar::k_first_year || d.year() > Calendar::k_last_year) {
    throw DataError("date " + d.iso() + " is outside the working-day calendar, which covers " +
                    range_text());
  }
}

bool by_date(const Holiday& a, const Holiday& b) { return a.date < b.date; }

}  // namespace

Calendar Calendar::builtin(std::string_view name) {
  region_of(name);
  Calendar c;
  c.name_ = std::string(name);
  return c;
}

std::vector<std::string> Calendar::builtin_names() {
  std::vector<std::string> out;
  for (const auto& [name, region] : k_calendars) out.emplace_back(name);
  return out;
}

/// Kept sorted by date; on a repeated date the first closure added stands.
void Calendar::add_closure(Date date, std::string name) {
  auto it = std::upper_bound(closures_.begin(), closures_.end(), Holiday{date, {}}, by_date);
  closures_.insert(it, Holiday{date, std::move(name)});
}

/// One entry per date: a bank holiday wins over a closure on the same day, so
/// the list agrees with non_working_reason.
std::vector<Holiday> Calendar::holidays(Date from, Date to) const {
  if (to < from) return {};
  check_in_range(from);
  check_in_range(to);
  const Table& t = table_for(region_of(name_));
  std::vector<Holiday> out;
  auto it = std::lower_bound(t.all.begin(), t.all.end(), Holiday{from, {}}, by_date);
  for (; it != t.all.end() && it->date <= to; ++it) out.push_back(*it);
  auto c = std::lower_bound(closures_.begin(), closures_.end(), Holiday{from, {}}, by_date);
  for (; c != closures_.end() && c->date <= to; ++c) {
    if (t.find(c->date) != nullptr) continue;
    if (c != closures_.begin() && std::prev(c)->date == c->date) continue;
    out.push_back(*c);
  }
  std::stable_sort(out.begin(), out.end(), by_date);
  return out;
}

std::optional<Holiday> Calendar::holiday_on(Date d) const {
  check_in_range(d);
  if (const Holiday* h = table_for(region_of(name_)).find(d)) return *h;
  auto c = std::lower_bound(closures_.begin(), closures_.end(), Holiday{d, {}}, by_date);
  if (c != closures_.end() && c->date == d) return *c;
  return std::nullopt;
}

bool Calendar::is_working_day(Date d) const { return !non_working_reason(d).has_value(); }

std::optional<std::string> Calendar::non_working_reason(Date d) const {
  check_in_range(d);
  if (d.is_weekend()) return d.weekday() == std::chrono::Saturday ? "Saturday" : "Sunday";
  if (auto h = holiday_on(d)) return std::move(h->name);
  return std::nullopt;
}

WorkingDayResult Calendar::add_working_days(Date d, int n) const {
  if (n < 0) {
    throw DataError("a number of working days cannot be negative (got " + std::to_string(n) + ")");
  }
  if (n == 0) return same_working_day(d);
  WorkingDayResult result{d, {}};
  int counted = 0;
  while (counted < n) {
    result.date = result.date.next();
    if (auto reason = non_working_reason(result.date)) {
      result.skipped.push_back({result.date, std::move(*reason)});
    } else {
      ++counted;
    }
  }
  return result;
}

WorkingDayResult Calendar::same_working_day(Date d) const {
  WorkingDayResult result{d, {}};
  while (auto reason = non_working_reason(result.date)) {
    result.skipped.push_back({result.date, std::move(*reason)});
    result.date = result.date.next();
  }
  return result;
}

/// Counted arithmetically (weekdays minus weekday holidays) so that long
/// ranges cost no more than their holidays.
int Calendar::working_days_between(Date from, Date to) const {
  if (to <= from) return 0;
  const int span = from.days_until(to);
  int weekdays = span / 7 * 5;
  Date d = from.plus_days(span / 7 * 7);
  for (; d < to; d = d.next()) {
    if (!d.is_weekend()) ++weekdays;
  }
  for (const Holiday& h : holidays(from, to.prev())) {
    if (!h.date.is_weekend()) --weekdays;
  }
  return weekdays;
}

std::vector<Holiday> bank_holidays(std::string_view calendar, int year) {
  const Region region = region_of(calendar);
  if (year < Calendar::k_first_year || year > Calendar::k_last_year) {
    throw DataError("no bank holidays for " + std::to_string(year) +
                    ": the working-day calendars cover " + range_text());
  }
  const Table& t = table_for(region);
  const auto i = static_cast<std::size_t>(year - Calendar::k_first_year);
  return {t.all.begin() + static_cast<std::ptrdiff_t>(t.year_start[i]),
          t.all.begin() + static_cast<std::ptrdiff_t>(t.year_start[i + 1])};
}

}  // namespace esc
