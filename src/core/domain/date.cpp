#include <esc/date.hpp>
#include <esc/error.hpp>

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace esc {

using namespace std::chrono;

Date::Date(int y, unsigned m, unsigned d) {
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) throw DataError(fmt::format("{:04}-{:02}-{:02} is not a real date", y, m, d));
  days_ = sys_days{ymd};
}

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// Reads YYYY-MM-DD at the start of `s`; false when it is not that shape.
bool read_date(std::string_view s, int& y, unsigned& m, unsigned& d) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!all_digits(s.substr(0, 4)) || !all_digits(s.substr(5, 2)) || !all_digits(s.substr(8, 2)))
    return false;
  y = to_int(s.substr(0, 4));
  m = static_cast<unsigned>(to_int(s.substr(5, 2)));
  d = static_cast<unsigned>(to_int(s.substr(8, 2)));
  return true;
}

}  // namespace

Date Date::parse(std::string_view text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (text.size() != 10 || !read_date(text, y, m, d))
    throw DataError(fmt::format("'{}' is not a date: write it as YYYY-MM-DD", text));
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) throw DataError(fmt::format("'{}' is not a real date", text));
  return Date{sys_days{ymd}};
}

int Date::year() const { return static_cast<int>(ymd().year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd().day()); }

bool Date::is_weekend() const {
  auto wd = weekday();
  return wd == Saturday || wd == Sunday;
}

std::string Date::weekday_name() const {
  static const std::array<const char*, 7> names{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                "Thursday", "Friday", "Saturday"};
  return names[weekday().c_encoding()];
}

std::string Date::iso() const { return fmt::format("{:04}-{:02}-{:02}", year(), month(), day()); }

Date nth_weekday(int y, unsigned m, weekday wd, int n) {
  if (n == -1) {
    year_month_weekday_last ymwl{year{y}, month{m}, weekday_last{wd}};
    return Date{sys_days{ymwl}};
  }
  year_month_weekday ymw{year{y}, month{m}, weekday_indexed{wd, static_cast<unsigned>(n)}};
  return Date{sys_days{ymw}};
}

Date easter_sunday(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4;
  int l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date{y, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

// ---------------------------------------------------------------- TimeZone

const TimeZone& TimeZone::get(std::string_view name) {
  static const TimeZone london{"Europe/London", true};
  static const TimeZone utc{"UTC", false};
  if (name == "Europe/London") return london;
  if (name == "UTC" || name == "Etc/UTC") return utc;
  throw NotFoundError(fmt::format("unknown time zone '{}': esc knows Europe/London and UTC", name));
}

bool TimeZone::known(std::string_view name) {
  return name == "Europe/London" || name == "UTC" || name == "Etc/UTC";
}

namespace {

/// British Summer Time runs from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October (EU rules, in force since 1996;
/// in 1995 summer time ended on 22 October).
std::pair<Timestamp, Timestamp> bst_bounds(int y) {
  Date start = nth_weekday(y, 3, Sunday, -1);
  Date end = y == 1995 ? Date{1995, 10, 22} : nth_weekday(y, 10, Sunday, -1);
  return {Timestamp{start.days()} + hours{1}, Timestamp{end.days()} + hours{1}};
}

}  // namespace

int TimeZone::offset_at(Timestamp t) const {
  if (!london_) return 0;
  int y = static_cast<int>(year_month_day{floor<days>(t)}.year());
  auto [start, end] = bst_bounds(y);
  return (t >= start && t < end) ? 3600 : 0;
}

Date TimeZone::local_date(Timestamp t) const {
  return Date{floor<days>(t + seconds{offset_at(t)})};
}

Timestamp TimeZone::from_local(Date d, int hour, int minute, int second) const {
  Timestamp wall = Timestamp{d.days()} + hours{hour} + minutes{minute} + seconds{second};
  if (!london_) return wall;
  // Try summer time first: it is right when the resulting instant is in BST.
  Timestamp as_summer = wall - hours{1};
  if (offset_at(as_summer) == 3600) return as_summer;
  return wall;
}

std::string TimeZone::format(Timestamp t) const {
  int off = offset_at(t);
  auto local = t + seconds{off};
  auto day = floor<days>(local);
  hh_mm_ss hms{local - day};
  Date d{day};
  return fmt::format("{}T{:02}:{:02}:{:02}{}{:02}:{:02}", d.iso(), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), off < 0 ? '-' : '+',
                     std::abs(off) / 3600, (std::abs(off) % 3600) / 60);
}

std::string format_utc(Timestamp t) {
  auto day = floor<days>(t);
  hh_mm_ss hms{t - day};
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Date{day}.iso(), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

Timestamp parse_timestamp(std::string_view text, const TimeZone& zone) {
  auto bad = [&]() {
    return DataError(fmt::format(
        "'{}' is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optionally with Z or "
        "+HH:MM",
        text));
  };
  int y = 0;
  unsigned mo = 0, d = 0;
  if (!read_date(text, y, mo, d)) throw bad();
  year_month_day ymd{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
  if (!ymd.ok()) throw DataError(fmt::format("'{}' is not a real date", text.substr(0, 10)));
  Date date{sys_days{ymd}};
  std::string_view rest = text.substr(10);
  if (rest.empty()) return zone.from_local(date, 0, 0, 0);
  if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') throw bad();
  rest.remove_prefix(1);
  if (rest.size() < 5 || rest[2] != ':' || !all_digits(rest.substr(0, 2)) ||
      !all_digits(rest.substr(3, 2)))
    throw bad();
  int hh = to_int(rest.substr(0, 2)), mm = to_int(rest.substr(3, 2)), ss = 0;
  rest.remove_prefix(5);
  if (!rest.empty() && rest[0] == ':') {
    if (rest.size() < 3 || !all_digits(rest.substr(1, 2))) throw bad();
    ss = to_int(rest.substr(1, 2));
    rest.remove_prefix(3);
    // Fractions of a second are accepted and dropped.
    if (!rest.empty() && rest[0] == '.') {
      rest.remove_prefix(1);
      while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) rest.remove_prefix(1);
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) throw DataError(fmt::format("'{}' is not a real time of day", text));
  if (rest.empty()) return zone.from_local(date, hh, mm, ss);
  Timestamp wall = Timestamp{date.days()} + hours{hh} + minutes{mm} + seconds{ss};
  if (rest == "Z" || rest == "z") return wall;
  if ((rest[0] == '+' || rest[0] == '-') && rest.size() == 6 && rest[3] == ':' &&
      all_digits(rest.substr(1, 2)) && all_digits(rest.substr(4, 2))) {
    int oh = to_int(rest.substr(1, 2)), om = to_int(rest.substr(4, 2));
    if (oh > 14 || om > 59) throw bad();
    int off = (oh * 3600 + om * 60) * (rest[0] == '-' ? -1 : 1);
    return wall - seconds{off};
  }
  throw bad();
}

}  // namespace esc
