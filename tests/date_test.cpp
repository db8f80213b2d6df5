#include <esc/date.hpp>
#include <esc/error.hpp>

#include <catch2/catch.hpp>

using namespace esc;

namespace {
const TimeZone& london() { return TimeZone::get("Europe/London"); }
Timestamp utc(std::string_view s) { return parse_timestamp(s, TimeZone::get("UTC")); }
}  // namespace

TEST_CASE("dates parse only as real YYYY-MM-DD dates", "[date]") {
  CHECK(Date::parse("2024-02-29").iso() == "2024-02-29");
  CHECK_THROWS_AS(Date::parse("2023-02-29"), DataError);
  CHECK_THROWS_AS(Date::parse("2023-2-1"), DataError);
  CHECK_THROWS_AS(Date::parse("01/02/2023"), DataError);
  CHECK_THROWS_AS(Date::parse("2023-01-01x"), DataError);
  CHECK_THROWS_WITH(Date::parse("2023-13-01"), Catch::Contains("not a real date"));
}

TEST_CASE("weekday names and arithmetic", "[date]") {
  Date d = Date::parse("2026-11-23");
  CHECK(d.weekday_name() == "Monday");
  CHECK(d.plus_days(5).weekday_name() == "Saturday");
  CHECK(d.plus_days(5).is_weekend());
  CHECK_FALSE(d.is_weekend());
  CHECK(d.days_until(Date::parse("2026-12-25")) == 32);
}

TEST_CASE("Easter Sunday", "[date]") {
  CHECK(easter_sunday(2024).iso() == "2024-03-31");
  CHECK(easter_sunday(2025).iso() == "2025-04-20");
  CHECK(easter_sunday(2026).iso() == "2026-04-05");
  CHECK(easter_sunday(2038).iso() == "2038-04-25");
  CHECK(easter_sunday(2008).iso() == "2008-03-23");
}

TEST_CASE("London local dates follow GMT and BST, not the machine", "[date][tz]") {
  // An event at 00:30 UTC on a winter Tuesday is Tuesday.
  CHECK(london().local_date(utc("2026-01-13T00:30Z")).weekday_name() == "Tuesday");
  // 23:30 UTC on a summer Monday is Tuesday in London.
  Timestamp t = utc("2026-07-06T23:30Z");
  CHECK(london().local_date(t).iso() == "2026-07-07");
  CHECK(london().format(t) == "2026-07-07T00:30:00+01:00");
  CHECK(TimeZone::get("UTC").local_date(t).iso() == "2026-07-06");
}

TEST_CASE("clock changes: last Sunday of March and of October at 01:00 UTC", "[date][tz]") {
  // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
  CHECK(london().offset_at(utc("2026-03-29T00:59:59Z")) == 0);
  CHECK(london().offset_at(utc("2026-03-29T01:00Z")) == 3600);
  CHECK(london().offset_at(utc("2026-10-25T00:59:59Z")) == 3600);
  CHECK(london().offset_at(utc("2026-10-25T01:00Z")) == 0);
  // 23:30 UTC the night before the spring change is still Saturday in London.
  CHECK(london().local_date(utc("2026-03-28T23:30Z")).iso() == "2026-03-28");
  // 23:30 UTC on the Saturday before the autumn change is already Sunday.
  CHECK(london().local_date(utc("2026-10-24T23:30Z")).iso() == "2026-10-25");
  // 1995 ended summer time on 22 October, not the last Sunday.
  CHECK(london().offset_at(utc("1995-10-23T12:00Z")) == 0);
  CHECK(london().offset_at(utc("1996-10-23T12:00Z")) == 3600);
}

TEST_CASE("local times are read in the zone's offset of that day", "[date][tz]") {
  CHECK(format_utc(parse_timestamp("2026-07-06T09:00", london())) == "2026-07-06T08:00:00Z");
  CHECK(format_utc(parse_timestamp("2026-01-06T09:00", london())) == "2026-01-06T09:00:00Z");
  CHECK(format_utc(parse_timestamp("2026-07-06", london())) == "2026-07-05T23:00:00Z");
  // The repeated hour in October takes the first (summer) instant.
  CHECK(format_utc(parse_timestamp("2026-10-25T01:30", london())) == "2026-10-25T00:30:00Z");
  // The missing hour in March is read with the winter offset.
  CHECK(format_utc(parse_timestamp("2026-03-29T01:30", london())) == "2026-03-29T01:30:00Z");
}

TEST_CASE("timestamps with offsets and Z ignore the zone", "[date][tz]") {
  CHECK(format_utc(parse_timestamp("2026-07-06T09:00Z", london())) == "2026-07-06T09:00:00Z");
  CHECK(format_utc(parse_timestamp("2026-07-06T09:00:00+02:00", london())) == "2026-07-06T07:00:00Z");
  CHECK(format_utc(parse_timestamp("2026-07-06 09:00:00-05:00", london())) == "2026-07-06T14:00:00Z");
  CHECK(format_utc(parse_timestamp("2026-07-06T09:00:00.123Z", london())) == "2026-07-06T09:00:00Z");
}

TEST_CASE("bad timestamps say what form is expected", "[date][tz]") {
  for (const char* bad : {"", "yesterday", "2026-07-06T9:00", "2026-07-06T24:00", "2026-07-06T09:60",
                          "2026-07-06T09:00+1", "2026-02-30T09:00", "2026-07-06T09:00Q"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_timestamp(bad, london()), DataError);
  }
  CHECK_THROWS_WITH(parse_timestamp("soon", london()), Catch::Contains("YYYY-MM-DD"));
}

TEST_CASE("unknown time zones are refused", "[date][tz]") {
  CHECK(TimeZone::known("Europe/London"));
  CHECK_FALSE(TimeZone::known("America/New_York"));
  CHECK_THROWS_AS(TimeZone::get("Mars/Olympus"), NotFoundError);
}
