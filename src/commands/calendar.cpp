// esc calendar: bank holidays in a range, or the Nth working day after a date.

#include "cli/commands.hpp"

#include <esc/calendar.hpp>
#include <esc/error.hpp>
#include <esc/policy.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {

using json = nlohmann::ordered_json;

struct CalendarOptions {
  std::string calendar;
  std::string policy;
  std::string from;
  std::string to;
  std::optional<int> add;
  bool json = false;
};

void run_calendar(const Context& ctx, const CalendarOptions& o) {
  if (!o.calendar.empty() && !o.policy.empty())
    throw UsageError("give --calendar or --policy, not both");
  Calendar cal = Calendar::builtin("england-and-wales");
  std::string zone = "Europe/London";
  if (!o.policy.empty()) {
    Policy p = ctx.policies().load(o.policy);
    cal = p.make_calendar();
    zone = p.time_zone;
  } else if (!o.calendar.empty()) {
    cal = Calendar::builtin(o.calendar);
  }
  Date today = TimeZone::get(zone).local_date(ctx.clock->now());

  if (o.add) {
    if (*o.add < 0) throw UsageError("--add takes a number of working days from 0 up");
    if (!o.to.empty()) throw UsageError("--to does not go with --add: give --from DATE only");
    Date from = o.from.empty() ? today : Date::parse(o.from);
    WorkingDayResult r = *o.add == 0 ? cal.same_working_day(from) : cal.add_working_days(from, *o.add);
    if (o.json) {
      json j;
      j["calendar"] = cal.name();
      j["from"] = from.iso();
      j["working_days"] = *o.add;
      j["date"] = r.date.iso();
      j["weekday"] = r.date.weekday_name();
      j["skipped"] = json::array();
      for (const auto& s : r.skipped) j["skipped"].push_back({{"date", s.date.iso()}, {"reason", s.reason}});
      return print_json(j);
    }
    if (*o.add == 0)
      std::cout << fmt::format("same working day as {} {}: {} {}\n", from.weekday_name(), from.iso(),
                               r.date.weekday_name(), bold(ctx, r.date.iso()));
    else
      std::cout << fmt::format("{} working day{} after {} {}: {} {}\n", *o.add, *o.add == 1 ? "" : "s",
                               from.weekday_name(), from.iso(), r.date.weekday_name(), bold(ctx, r.date.iso()));
    for (const auto& s : r.skipped)
      std::cout << fmt::format("  skipped {} {}: {}\n", s.date.weekday_name().substr(0, 3), s.date.iso(),
                               safe(s.reason));
    return;
  }

  Date from = o.from.empty() ? Date(today.year(), 1, 1) : Date::parse(o.from);
  Date to = o.to.empty() ? Date(from.year() + 1, 12, 31) : Date::parse(o.to);
  if (to < from) throw UsageError(fmt::format("--to {} is before --from {}", to.iso(), from.iso()));
  auto hols = cal.holidays(from, to);
  if (o.json) {
    json out = json::array();
    for (const auto& h : hols)
      out.push_back({{"date", h.date.iso()}, {"weekday", h.date.weekday_name()}, {"name", h.name}});
    return print_json(out);
  }
  std::cout << dim(ctx, fmt::format("{} bank holidays and closures, {} to {}", cal.name(), from.iso(), to.iso()))
            << '\n';
  for (const auto& h : hols)
    std::cout << fmt::format("{}  {:<9}  {}\n", h.date.iso(), h.date.weekday_name(), safe(h.name));
}

}  // namespace

void setup_calendar(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<CalendarOptions>();
  sub.add_option("--calendar", o->calendar, "england-and-wales (default), scotland or northern-ireland");
  sub.add_option("--policy", o->policy, "Use a policy's calendar, with its own closure days");
  sub.add_option("--from", o->from, "First date, YYYY-MM-DD (default: 1 January this year; with --add, today)");
  sub.add_option("--to", o->to, "Last date, YYYY-MM-DD (default: 31 December of the year after --from)");
  sub.add_option("--add", o->add, "Print the Nth working day after --from, with the days skipped (0: the same working day)");
  sub.add_flag("--json", o->json, "Print JSON");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_calendar(ctx, *o); }; });
}

}  // namespace esc::cli
