// esc log: the chronology of a case, oldest first.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>

namespace esc::cli {

namespace {

struct LogOptions {
  int64_t id = 0;
  bool json = false;
};

struct Entry {
  Timestamp at;
  Timestamp entered_at;
  int order;
  std::string kind, channel, who, summary;
  std::optional<int64_t> record;
};

void run_log(const Context& ctx, const LogOptions& o) {
  Session s = open_session(ctx, false);
  Case c = s.service->load(o.id);
  const Policy& p = s.service->policy_of(c);
  const TimeZone& zone = TimeZone::get(p.time_zone);
  std::vector<Entry> entries;
  int n = 0;
  for (const auto& e : c.events) {
    std::string what;
    if (e.type == EventType::raise)
      what = fmt::format("raised by {} with {}: {}", c.raiser.name, c.counterpart.name, c.summary);
    else if (e.type == EventType::escalate)
      what = fmt::format("{} {} -> {}: {}", p.stage_term, e.from_stage.value_or(0), e.to_stage.value_or(0), e.reason);
    else if (e.type == EventType::pause) what = p.pause_term + ": " + e.reason;
    else if (e.type == EventType::resume) what = fmt::format("resumed; deadlines moved {} working days{}", e.days.value_or(0), e.reason.empty() ? "" : ": " + e.reason);
    else if (e.type == EventType::extend) what = fmt::format("+{} working days agreed by {}: {}", e.days.value_or(0), e.agreed_by, e.reason);
    else if (e.type == EventType::resolve) what = "outcome: " + e.outcome + (e.learning.empty() ? "" : "; learning: " + e.learning);
    entries.push_back({e.at, e.entered_at, n++, std::string(name(e.type)), "", e.agreed_by, what, std::nullopt});
  }
  for (const auto& r : c.records) {
    std::string summary = r.summary;
    if (!r.action.empty() && r.kind != k_reminder_kind) summary += " [action: " + r.action + (r.action_due.empty() ? "" : " by " + r.action_due) + "]";
    if (r.corrects) summary += fmt::format(" [corrects #{}]", *r.corrects);
    entries.push_back({r.at, r.entered_at, n++, r.kind, r.channel, r.with, summary, r.id});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.at < b.at; });
  // Entered on a later day than it says it happened: both times are shown.
  auto late = [&](const Entry& e) { return zone.local_date(e.entered_at) > zone.local_date(e.at); };
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& e : entries)
      out.push_back({{"at", zone.format(e.at)},
                     {"kind", e.kind},
                     {"record", e.record ? nlohmann::ordered_json(*e.record) : nlohmann::ordered_json(nullptr)},
                     {"channel", e.channel.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.channel)},
                     {"who", e.who.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(e.who)},
                     {"summary", e.summary},
                     {"entered_at", zone.format(e.entered_at)},
                     {"entered_late", late(e)}});
    return print_json(out);
  }
  for (const auto& e : entries)
    std::cout << fmt::format("{}  {:<12} {:<12} {}{}{}\n", zone.format(e.at), e.kind, e.channel.empty() ? "-" : e.channel,
                             e.who.empty() ? "" : "(" + safe(e.who) + ") ", safe(e.summary),
                             late(e) ? " [entered late: " + zone.format(e.entered_at) + "]" : "");
}

}  // namespace

void setup_log(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<LogOptions>();
  sub.add_option("ID", o->id, "The case")->required();
  sub.add_flag("--json", o->json, "Print JSON");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_log(ctx, *o); }; });
}

}  // namespace esc::cli
