// Fuzz target: the date and time parser (Date::parse, parse_timestamp in
// both built-in zones, check_date_of_birth). Bad text must give a DataError;
// what parses must format and parse back to the same instant.

#include <esc/date.hpp>
#include <esc/error.hpp>
#include <esc/validate.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// A time in the years whose format esc writes with four digits.
bool in_range(esc::Timestamp t) {
  using namespace std::chrono;
  int y = static_cast<int>(year_month_day{floor<days>(t)}.year());
  return y >= 1 && y <= 9999;
}

void check_timestamp(std::string_view text, const esc::TimeZone& zone) {
  esc::Timestamp t;
  try {
    t = esc::parse_timestamp(text, zone);
  } catch (const esc::DataError&) {
    return;
  }
  if (!in_range(t)) return;
  // Round trips: the zone's own form and UTC.
  std::string local = zone.format(t);
  if (esc::parse_timestamp(local, zone) != t) std::abort();
  std::string utc = esc::format_utc(t);
  if (esc::parse_timestamp(utc, zone) != t) std::abort();
  (void)zone.local_date(t).weekday_name();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  try {
    esc::Date d = esc::Date::parse(text);
    if (d.iso() != text) std::abort();  // only YYYY-MM-DD is accepted
    (void)d.weekday_name();
    (void)d.is_weekend();
  } catch (const esc::DataError&) {
  }
  check_timestamp(text, esc::TimeZone::get("Europe/London"));
  check_timestamp(text, esc::TimeZone::get("UTC"));
  try {
    (void)esc::check_date_of_birth(text, esc::Date{2026, 8, 27});
  } catch (const esc::DataError&) {
  }
  return 0;
}
