#include <esc/calendar.hpp>
#include <esc/date.hpp>
#include <esc/error.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#ifndef ESC_TEST_DATA_DIR
#define ESC_TEST_DATA_DIR "tests/data"
#endif

namespace {

using esc::Calendar;
using esc::Date;

Date d(const char* iso) { return Date::parse(iso); }

const Calendar& ew() {
  static const Calendar c = Calendar::builtin("england-and-wales");
  return c;
}
const Calendar& scot() {
  static const Calendar c = Calendar::builtin("scotland");
  return c;
}
const Calendar& ni() {
  static const Calendar c = Calendar::builtin("northern-ireland");
  return c;
}

/// "date reason" lines, so that a failure prints readably.
std::vector<std::string> skipped_of(const esc::WorkingDayResult& r) {
  std::vector<std::string> out;
  for (const auto& s : r.skipped) out.push_back(s.date.iso() + " " + s.reason);
  return out;
}

std::string name_on(const Calendar& c, const char* iso) {
  auto h = c.holiday_on(d(iso));
  return h ? h->name : std::string("(working day)");
}

std::vector<std::string> lines_of(const std::vector<esc::Holiday>& hs) {
  std::vector<std::string> out;
  for (const auto& h : hs) out.push_back(h.date.iso() + " " + h.name);
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("within N working days is the Nth working day strictly after the date", "[calendar]") {
  SECTION("Friday plus one working day is Monday") {
    auto r = ew().add_working_days(d("2026-07-10"), 1);
    CHECK(r.date.iso() == "2026-07-13");
    CHECK(skipped_of(r) == Lines{"2026-07-11 Saturday", "2026-07-12 Sunday"});
  }
  SECTION("midweek days skip nothing") {
    auto r = ew().add_working_days(d("2026-07-06"), 4);
    CHECK(r.date.iso() == "2026-07-10");
    CHECK(r.skipped.empty());
  }
  SECTION("a weekend start counts from the next day and lists only later days") {
    auto r = ew().add_working_days(d("2026-07-11"), 1);
    CHECK(r.date.iso() == "2026-07-13");
    CHECK(skipped_of(r) == Lines{"2026-07-12 Sunday"});
  }
  SECTION("Christmas on a Friday: Boxing Day substitute on Monday 28th") {
    auto r = ew().add_working_days(d("2026-12-24"), 1);
    CHECK(r.date.iso() == "2026-12-29");
    CHECK(skipped_of(r) == Lines{"2026-12-25 Christmas Day", "2026-12-26 Saturday",
                                 "2026-12-27 Sunday", "2026-12-28 Boxing Day (substitute day)"});
  }
  SECTION("Christmas on a Saturday: 27th and 28th are both substitutes") {
    auto r = ew().add_working_days(d("2027-12-24"), 1);
    CHECK(r.date.iso() == "2027-12-29");
    CHECK(skipped_of(r) == Lines{"2027-12-25 Saturday", "2027-12-26 Sunday",
                                 "2027-12-27 Christmas Day (substitute day)",
                                 "2027-12-28 Boxing Day (substitute day)"});
  }
  SECTION("counting across Christmas takes the days either side") {
    CHECK(ew().add_working_days(d("2026-12-23"), 3).date.iso() == "2026-12-30");
  }
  SECTION("New Year on a Saturday: substitute Monday") {
    auto r = ew().add_working_days(d("2027-12-31"), 1);
    CHECK(r.date.iso() == "2028-01-04");
    CHECK(skipped_of(r) == Lines{"2028-01-01 Saturday", "2028-01-02 Sunday",
                                 "2028-01-03 New Year's Day (substitute day)"});
  }
  SECTION("Easter: the Thursday before plus one is the Tuesday after") {
    auto r = ew().add_working_days(d("2027-03-25"), 1);
    CHECK(r.date.iso() == "2027-03-30");
    CHECK(skipped_of(r) == Lines{"2027-03-26 Good Friday", "2027-03-27 Saturday",
                                 "2027-03-28 Sunday", "2027-03-29 Easter Monday"});
    // Easter Monday is a working day in Scotland.
    CHECK(scot().add_working_days(d("2027-03-25"), 1).date.iso() == "2027-03-29");
  }
  SECTION("2022: moved spring bank holiday, Platinum Jubilee, State Funeral") {
    auto june = ew().add_working_days(d("2022-06-01"), 1);
    CHECK(june.date.iso() == "2022-06-06");
    CHECK(skipped_of(june) == Lines{"2022-06-02 Spring bank holiday",
                                    "2022-06-03 Platinum Jubilee bank holiday",
                                    "2022-06-04 Saturday", "2022-06-05 Sunday"});
    auto sept = ew().add_working_days(d("2022-09-16"), 1);
    CHECK(sept.date.iso() == "2022-09-20");
    CHECK(skipped_of(sept).back() ==
          "2022-09-19 Bank Holiday for the State Funeral of Queen Elizabeth II");
    // The usual last Monday in May was a working day that year.
    CHECK(ew().add_working_days(d("2022-05-27"), 1).date.iso() == "2022-05-30");
  }
  SECTION("zero days is the same working day") {
    auto r = ew().add_working_days(d("2026-12-25"), 0);
    CHECK(r.date.iso() == "2026-12-29");
    CHECK(r.skipped.size() == 4);
    CHECK(ew().add_working_days(d("2026-07-06"), 0).date.iso() == "2026-07-06");
  }
}

TEST_CASE("same working day is the day itself or the next working day", "[calendar]") {
  auto working = ew().same_working_day(d("2026-07-08"));
  CHECK(working.date.iso() == "2026-07-08");
  CHECK(working.skipped.empty());

  auto saturday = ew().same_working_day(d("2026-07-11"));
  CHECK(saturday.date.iso() == "2026-07-13");
  CHECK(skipped_of(saturday) == Lines{"2026-07-11 Saturday", "2026-07-12 Sunday"});

  auto bank_holiday = ew().same_working_day(d("2026-05-04"));
  CHECK(bank_holiday.date.iso() == "2026-05-05");
  CHECK(skipped_of(bank_holiday) == Lines{"2026-05-04 Early May bank holiday"});
}

TEST_CASE("working days between counts the half-open range", "[calendar]") {
  CHECK(ew().working_days_between(d("2026-07-06"), d("2026-07-06")) == 0);
  CHECK(ew().working_days_between(d("2026-07-10"), d("2026-07-06")) == 0);
  CHECK(ew().working_days_between(d("2026-07-06"), d("2026-07-07")) == 1);
  CHECK(ew().working_days_between(d("2026-07-11"), d("2026-07-13")) == 0);
  CHECK(ew().working_days_between(d("2026-07-06"), d("2026-07-13")) == 5);
  // 21-24 Dec, 29-31 Dec: Christmas, Boxing Day substitute and New Year excluded.
  CHECK(ew().working_days_between(d("2026-12-21"), d("2027-01-04")) == 7);
  // 2026: 261 weekdays less 8 bank holidays.
  CHECK(ew().working_days_between(d("2026-01-01"), d("2027-01-01")) == 253);

  SECTION("agrees with counting day by day and with add_working_days") {
    const Date from = d("2021-11-29");
    int counted = 0;
    for (Date x = from; x < d("2023-02-01"); x = x.next()) {
      CHECK(ew().working_days_between(from, x) == counted);
      if (ew().is_working_day(x)) ++counted;
    }
    for (int n = 1; n <= 30; ++n) {
      CHECK(ew().working_days_between(d("2022-05-30"), ew().add_working_days(d("2022-05-30"), n).date) == n);
    }
  }
}

TEST_CASE("closures are non-working days listed among the holidays", "[calendar]") {
  Calendar c = Calendar::builtin("england-and-wales");
  c.add_closure(d("2026-07-08"), "Staff training day");
  c.add_closure(d("2026-05-04"), "Overlapping closure");
  c.add_closure(d("2026-07-11"), "Weekend closure");

  CHECK(c.non_working_reason(d("2026-07-08")) == std::optional<std::string>("Staff training day"));
  CHECK(c.non_working_reason(d("2026-05-04")) == std::optional<std::string>("Early May bank holiday"));
  CHECK(c.non_working_reason(d("2026-07-11")) == std::optional<std::string>("Saturday"));
  CHECK(lines_of(c.holidays(d("2026-05-01"), d("2026-07-31"))) ==
        Lines{"2026-05-04 Early May bank holiday", "2026-05-25 Spring bank holiday",
              "2026-07-08 Staff training day", "2026-07-11 Weekend closure"});

  auto r = c.add_working_days(d("2026-07-07"), 1);
  CHECK(r.date.iso() == "2026-07-09");
  CHECK(skipped_of(r) == Lines{"2026-07-08 Staff training day"});
  CHECK(c.working_days_between(d("2026-07-06"), d("2026-07-13")) == 4);
  // The built-in calendar itself is untouched.
  CHECK(ew().is_working_day(d("2026-07-08")));
}

TEST_CASE("a holiday at the weekend gives the weekend reason", "[calendar]") {
  CHECK(ew().non_working_reason(d("2027-12-25")) == std::optional<std::string>("Saturday"));
  CHECK(ew().non_working_reason(d("2027-12-26")) == std::optional<std::string>("Sunday"));
  CHECK(ew().non_working_reason(d("2027-12-27")) ==
        std::optional<std::string>("Christmas Day (substitute day)"));
  CHECK(ew().non_working_reason(d("2026-07-08")) == std::nullopt);
}

TEST_CASE("england-and-wales follows the standing rules", "[calendar]") {
  SECTION("New Year's Day, with a Monday substitute") {
    CHECK(name_on(ew(), "2026-01-01") == "New Year's Day");
    CHECK(name_on(ew(), "2022-01-03") == "New Year's Day (substitute day)");  // Sat
    CHECK(name_on(ew(), "2023-01-02") == "New Year's Day (substitute day)");  // Sun
    CHECK(name_on(ew(), "2026-01-02") == "(working day)");
  }
  SECTION("Good Friday and Easter Monday") {
    CHECK(name_on(ew(), "1995-04-14") == "Good Friday");
    CHECK(name_on(ew(), "1995-04-17") == "Easter Monday");
    CHECK(name_on(ew(), "2024-03-29") == "Good Friday");
    CHECK(name_on(ew(), "2024-04-01") == "Easter Monday");
    CHECK(name_on(ew(), "2100-03-26") == "Good Friday");
    CHECK(name_on(ew(), "2100-03-29") == "Easter Monday");
  }
  SECTION("May and August Mondays") {
    CHECK(name_on(ew(), "2026-05-04") == "Early May bank holiday");
    CHECK(name_on(ew(), "2026-05-25") == "Spring bank holiday");
    CHECK(name_on(ew(), "2026-08-31") == "Summer bank holiday");
    CHECK(name_on(ew(), "2026-08-03") == "(working day)");
  }
  SECTION("Christmas and Boxing Day substitutes") {
    CHECK(name_on(ew(), "2025-12-25") == "Christmas Day");
    CHECK(name_on(ew(), "2025-12-26") == "Boxing Day");
    CHECK(name_on(ew(), "2026-12-28") == "Boxing Day (substitute day)");   // Boxing Day Sat
    CHECK(name_on(ew(), "2027-12-27") == "Christmas Day (substitute day)");  // Christmas Sat
    CHECK(name_on(ew(), "2027-12-28") == "Boxing Day (substitute day)");
    CHECK(name_on(ew(), "2022-12-26") == "Boxing Day");  // Christmas Sun
    CHECK(name_on(ew(), "2022-12-27") == "Christmas Day (substitute day)");
  }
}

TEST_CASE("the official one-off changes apply in all three calendars", "[calendar]") {
  for (const char* name : {"england-and-wales", "scotland", "northern-ireland"}) {
    INFO(name);
    const Calendar c = Calendar::builtin(name);
    // 1995: early May moved for VE Day.
    CHECK(name_on(c, "1995-05-08") == "Early May bank holiday (VE day)");
    CHECK(c.is_working_day(d("1995-05-01")));
    CHECK(name_on(c, "1999-12-31") == "Millennium bank holiday");
    // 2002: spring moved to Tuesday, Golden Jubilee on the Monday.
    CHECK(c.is_working_day(d("2002-05-27")));
    CHECK(name_on(c, "2002-06-03") == "Queen's Golden Jubilee");
    CHECK(name_on(c, "2002-06-04") == "Spring bank holiday");
    CHECK(name_on(c, "2011-04-29") == "Royal wedding");
    // 2012: spring moved to Monday 4 June, Diamond Jubilee on the Tuesday.
    CHECK(c.is_working_day(d("2012-05-28")));
    CHECK(name_on(c, "2012-06-04") == "Spring bank holiday");
    CHECK(name_on(c, "2012-06-05") == "Queen's Diamond Jubilee");
    // 2020: early May moved to Friday for VE Day.
    CHECK(c.is_working_day(d("2020-05-04")));
    CHECK(name_on(c, "2020-05-08") == "Early May bank holiday (VE day)");
    // 2022.
    CHECK(c.is_working_day(d("2022-05-30")));
    CHECK(name_on(c, "2022-06-02") == "Spring bank holiday");
    CHECK(name_on(c, "2022-06-03") == "Platinum Jubilee bank holiday");
    CHECK(name_on(c, "2022-09-19") == "Bank Holiday for the State Funeral of Queen Elizabeth II");
    CHECK(name_on(c, "2023-05-08") == "Bank holiday for the coronation of King Charles III");
  }
  // The first working day of 2000 in each calendar.
  CHECK(ew().add_working_days(d("1999-12-30"), 1).date.iso() == "2000-01-04");
  CHECK(ni().add_working_days(d("1999-12-30"), 1).date.iso() == "2000-01-04");
  CHECK(scot().add_working_days(d("1999-12-30"), 1).date.iso() == "2000-01-05");
}

TEST_CASE("scotland follows its own rules", "[calendar]") {
  SECTION("1 and 2 January, with substitutes") {
    CHECK(name_on(scot(), "2026-01-02") == "2nd January");
    CHECK(name_on(scot(), "2021-01-04") == "2nd January (substitute day)");  // Fri, Sat
    CHECK(name_on(scot(), "2022-01-03") == "New Year's Day (substitute day)");  // Sat, Sun
    CHECK(name_on(scot(), "2022-01-04") == "2nd January (substitute day)");
    CHECK(name_on(scot(), "2023-01-02") == "2nd January");  // Sun, Mon
    CHECK(name_on(scot(), "2023-01-03") == "New Year's Day (substitute day)");
    CHECK(name_on(scot(), "2000-01-03") == "New Year's Day (substitute day)");
    CHECK(name_on(scot(), "2000-01-04") == "2nd January (substitute day)");
  }
  SECTION("Good Friday but no Easter Monday") {
    CHECK(name_on(scot(), "2026-04-03") == "Good Friday");
    CHECK(scot().is_working_day(d("2026-04-06")));
  }
  SECTION("early May, spring, and summer on the first Monday in August") {
    CHECK(name_on(scot(), "2026-05-04") == "Early May bank holiday");
    CHECK(name_on(scot(), "2026-05-25") == "Spring bank holiday");
    CHECK(name_on(scot(), "2026-08-03") == "Summer bank holiday");
    CHECK(scot().is_working_day(d("2026-08-31")));
  }
  SECTION("St Andrew's Day from 2007, with a Monday substitute") {
    CHECK(scot().is_working_day(d("2006-11-30")));
    CHECK(name_on(scot(), "2007-11-30") == "St Andrew's Day");
    CHECK(name_on(scot(), "2026-11-30") == "St Andrew's Day");
    CHECK(name_on(scot(), "2024-12-02") == "St Andrew's Day (substitute day)");  // Sat
    CHECK(name_on(scot(), "2025-12-01") == "St Andrew's Day (substitute day)");  // Sun
    CHECK(ew().is_working_day(d("2026-11-30")));
  }
  SECTION("Christmas and Boxing Day as in England") {
    CHECK(name_on(scot(), "2027-12-27") == "Christmas Day (substitute day)");
    CHECK(name_on(scot(), "2027-12-28") == "Boxing Day (substitute day)");
  }
}

TEST_CASE("northern-ireland adds St Patrick's Day and the Battle of the Boyne", "[calendar]") {
  CHECK(name_on(ni(), "2026-03-17") == "St Patrick's Day");
  CHECK(name_on(ni(), "2024-03-18") == "St Patrick's Day (substitute day)");  // Sun
  CHECK(name_on(ni(), "2029-03-19") == "St Patrick's Day (substitute day)");  // Sat
  CHECK(name_on(ni(), "2024-07-12") == "Battle of the Boyne (Orangemen's Day)");
  CHECK(name_on(ni(), "2026-07-13") == "Battle of the Boyne (Orangemen's Day) (substitute day)");
  CHECK(name_on(ni(), "2025-07-14") == "Battle of the Boyne (Orangemen's Day) (substitute day)");
  CHECK(ew().is_working_day(d("2026-03-17")));
  // Otherwise as England and Wales.
  CHECK(name_on(ni(), "2026-04-06") == "Easter Monday");
  CHECK(name_on(ni(), "2026-08-31") == "Summer bank holiday");
}

TEST_CASE("every year from 1995 to 2100 has the right number of holidays", "[calendar]") {
  for (int y = Calendar::k_first_year; y <= Calendar::k_last_year; ++y) {
    INFO(y);
    int one_offs = 0;
    if (y == 1999 || y == 2002 || y == 2011 || y == 2012 || y == 2023) one_offs = 1;
    if (y == 2022) one_offs = 2;
    CHECK(esc::bank_holidays("england-and-wales", y).size() == std::size_t(8 + one_offs));
    CHECK(esc::bank_holidays("northern-ireland", y).size() == std::size_t(10 + one_offs));
    CHECK(esc::bank_holidays("scotland", y).size() == std::size_t((y >= 2007 ? 9 : 8) + one_offs));
    for (const char* name : {"england-and-wales", "scotland", "northern-ireland"}) {
      const auto hs = esc::bank_holidays(name, y);
      for (std::size_t i = 0; i < hs.size(); ++i) {
        CHECK(hs[i].date.year() == y);
        CHECK_FALSE(hs[i].date.is_weekend());
        if (i > 0) CHECK(hs[i - 1].date < hs[i].date);
      }
    }
  }
}

TEST_CASE("england-and-wales matches the official list 2018-2035", "[calendar]") {
  std::ifstream in(std::string(ESC_TEST_DATA_DIR) + "/england-and-wales-official.txt");
  REQUIRE(in.good());
  Lines expected;
  std::set<Date> dates;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    expected.push_back(line);
    dates.insert(d(line.substr(0, 10).c_str()));
  }
  REQUIRE(expected.size() == 147);  // 18 years x 8, plus 2 in 2022 and 1 in 2023

  CHECK(lines_of(ew().holidays(d("2018-01-01"), d("2035-12-31"))) == expected);
  for (Date x = d("2018-01-01"); x <= d("2035-12-31"); x = x.next()) {
    if (x.is_weekend()) continue;
    INFO(x.iso());
    CHECK(ew().is_working_day(x) == (dates.count(x) == 0));
  }
}

TEST_CASE("calendar errors", "[calendar]") {
  SECTION("an unknown calendar name lists the known ones") {
    CHECK_THROWS_AS(Calendar::builtin("wales"), esc::NotFoundError);
    CHECK_THROWS_WITH(Calendar::builtin("wales"),
                      Catch::Contains("england-and-wales") && Catch::Contains("scotland") &&
                          Catch::Contains("northern-ireland"));
    CHECK_THROWS_AS(esc::bank_holidays("wales", 2026), esc::NotFoundError);
    CHECK(Calendar::builtin_names() ==
          std::vector<std::string>{"england-and-wales", "scotland", "northern-ireland"});
    CHECK(Calendar::builtin("scotland").name() == "scotland");
  }
  SECTION("a year outside 1995-2100 is a data error naming the range") {
    CHECK_THROWS_AS(esc::bank_holidays("england-and-wales", 1994), esc::DataError);
    CHECK_THROWS_WITH(esc::bank_holidays("england-and-wales", 2101),
                      Catch::Contains("1995") && Catch::Contains("2100"));
    CHECK_THROWS_AS(ew().is_working_day(d("1994-12-31")), esc::DataError);
    CHECK_THROWS_WITH(ew().add_working_days(d("2100-12-31"), 1),
                      Catch::Contains("1995") && Catch::Contains("2100"));
    CHECK_THROWS_AS(ew().holidays(d("2100-01-01"), d("2101-01-01")), esc::DataError);
    CHECK(ew().add_working_days(d("2100-12-24"), 1).date.iso() == "2100-12-29");
  }
  SECTION("a negative number of working days is a data error") {
    CHECK_THROWS_AS(ew().add_working_days(d("2026-07-06"), -1), esc::DataError);
  }
}
