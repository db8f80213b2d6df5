#include <esc/deadline.hpp>
#include <esc/error.hpp>

#include <catch2/catch.hpp>

using namespace esc;

namespace {
const TimeZone& london() { return TimeZone::get("Europe/London"); }
Timestamp utc(std::string_view s) { return parse_timestamp(s, TimeZone::get("UTC")); }
Calendar ew() { return Calendar::builtin("england-and-wales"); }
Timescale days(int n) { return Timescale{n, false}; }
Timescale same_day() { return Timescale{0, true}; }
}  // namespace

TEST_CASE("within N working days: the Nth working day strictly after the event's local date", "[deadline]") {
  // Monday 9am: 1 working day is Tuesday.
  CHECK(due_after(ew(), london(), utc("2026-11-23T09:00Z"), days(1)).due.iso() == "2026-11-24");
  // Friday: 1 working day is Monday.
  CHECK(due_after(ew(), london(), utc("2026-11-27T16:00Z"), days(1)).due.iso() == "2026-11-30");
  // Saturday: the count starts from the weekend, so 1 working day is Monday.
  CHECK(due_after(ew(), london(), utc("2026-11-28T10:00Z"), days(1)).due.iso() == "2026-11-30");
}

TEST_CASE("a Stoke stage 4 across Christmas and New Year", "[deadline]") {
  // Raised on Wednesday 23 December 2026: 5 working days skips 25 (Fri),
  // the weekend, 28 (Boxing Day substitute) and 1 January.
  DueDate d = due_after(ew(), london(), utc("2026-12-23T11:00Z"), days(5));
  CHECK(d.due.iso() == "2027-01-04");
  REQUIRE(d.skipped.size() == 7);
  CHECK(d.skipped[0].reason == "Christmas Day");
  CHECK(d.skipped[3].reason == "Boxing Day (substitute day)");
}

TEST_CASE("Sefton cumulative steps across Easter are counted from raising", "[deadline]") {
  // Raised Wednesday 1 April 2026: Good Friday 3 April, Easter Monday 6 April.
  Date raised = Date::parse("2026-04-01");
  CHECK(due_after(ew(), raised, days(2)).due.iso() == "2026-04-07");   // Thu 2, skip Fri 3 .. Mon 6
  CHECK(due_after(ew(), raised, days(4)).due.iso() == "2026-04-09");
  CHECK(due_after(ew(), raised, days(6)).due.iso() == "2026-04-13");
  CHECK(due_after(ew(), raised, days(11)).due.iso() == "2026-04-20");
}

TEST_CASE("same working day", "[deadline]") {
  CHECK(due_after(ew(), Date::parse("2026-11-23"), same_day()).due.iso() == "2026-11-23");
  // Warrington raised on a Saturday: due Monday.
  CHECK(due_after(ew(), Date::parse("2026-11-28"), same_day()).due.iso() == "2026-11-30");
  // On the spring bank holiday 2026 (25 May): due Tuesday.
  CHECK(due_after(ew(), Date::parse("2026-05-25"), same_day()).due.iso() == "2026-05-26");
}

TEST_CASE("the day is the London day, whatever the machine's zone", "[deadline][tz]") {
  // 23:30 UTC on a summer Monday is Tuesday in London: same working day is Tuesday.
  CHECK(due_after(ew(), london(), utc("2026-07-06T23:30Z"), same_day()).due.iso() == "2026-07-07");
  // 00:30 UTC on a winter Tuesday is Tuesday.
  CHECK(due_after(ew(), london(), utc("2026-01-13T00:30Z"), days(1)).due.iso() == "2026-01-14");
}

TEST_CASE("met if done by the end of the due day, local time", "[deadline][tz]") {
  Date due = Date::parse("2026-07-07");
  CHECK(met_in_time(london(), due, utc("2026-07-07T22:59:59Z")));  // 23:59:59 BST
  CHECK_FALSE(met_in_time(london(), due, utc("2026-07-07T23:00Z")));
  CHECK_FALSE(is_overdue(london(), due, utc("2026-07-07T22:00Z")));
  CHECK(is_overdue(london(), due, utc("2026-07-07T23:00:00Z")));
  Date winter = Date::parse("2026-12-01");
  CHECK(met_in_time(london(), winter, utc("2026-12-01T23:59:59Z")));
  CHECK(is_overdue(london(), winter, utc("2026-12-02T00:00:00Z")));
}

TEST_CASE("the 2022 changes move deadlines", "[deadline]") {
  // Wednesday 1 June 2022 + 1 working day: 2 and 3 June were bank holidays.
  CHECK(due_after(ew(), Date::parse("2022-06-01"), days(1)).due.iso() == "2022-06-06");
  // Friday 16 September 2022 + 1: Monday 19 was the State Funeral.
  CHECK(due_after(ew(), Date::parse("2022-09-16"), days(1)).due.iso() == "2022-09-20");
  // 2022's spring bank holiday was not on the last Monday of May.
  CHECK(due_after(ew(), Date::parse("2022-05-27"), days(1)).due.iso() == "2022-05-30");
}

TEST_CASE("extensions move the due date by working days", "[deadline]") {
  CHECK(extend(ew(), Date::parse("2026-12-24"), 2).due.iso() == "2026-12-30");
  CHECK(extend(ew(), Date::parse("2026-12-24"), 0).due.iso() == "2026-12-24");
  CHECK_THROWS_AS(extend(ew(), Date::parse("2026-12-24"), -1), DataError);
}
