#include "cli/due_view.hpp"

#include <esc/report.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

using json = nlohmann::ordered_json;

json due_item_json(const DueItem& it, Reminder state) {
  json j;
  j["case"] = it.case_id;
  j["policy"] = it.policy_id;
  j["child_ref"] = it.child_ref.empty() ? json(nullptr) : json(it.child_ref);
  j["stage"] = stored_stage(it.scope, it.stage);  // 0: the whole case; -1: a check-back
  j["scope"] = it.scope;
  j["case_stage"] = it.case_stage;
  j["stage_title"] = it.stage_title;
  j["key"] = it.key;
  j["kind"] = it.kind;
  j["action"] = it.action;
  j["clause"] = it.clause.empty() ? json(nullptr) : json(it.clause);
  j["due"] = it.timed ? json(it.due.iso()) : json(nullptr);  // null: no date, owed without delay
  j["owed_from"] = it.timed ? json(nullptr) : json(it.due.iso());
  j["state"] = state;
  j["working_days_overdue"] = it.working_days_overdue;
  j["deadline"] = it.deadline_uuid;
  j["handlers"] = json::array();
  j["handlers"].push_back({{"role", PartyRole::raiser}, {"name", it.raiser.name},
                           {"agency", it.raiser.agency.empty() ? json(nullptr) : json(it.raiser.agency)},
                           {"agency_type", it.raiser.agency_type}, {"handler", it.raiser_handler}});
  j["handlers"].push_back({{"role", PartyRole::counterpart}, {"name", it.counterpart.name},
                           {"agency", it.counterpart.agency.empty() ? json(nullptr) : json(it.counterpart.agency)},
                           {"agency_type", it.counterpart.agency_type}, {"handler", it.counterpart_handler}});
  return j;
}

DuePrinter::~DuePrinter() {
  try {
    finish();
  } catch (...) {
  }
}

void DuePrinter::flush() {
  std::cout.write(out_.data(), static_cast<std::streamsize>(out_.size()));
  out_.clear();
}

void DuePrinter::finish() {
  if (finished_) return;
  finished_ = true;
  if (json_) fmt::format_to(std::back_inserter(out_), "{}", count_ == 0 ? "[]\n" : "\n]\n");
  flush();
  std::cout.flush();
}

void DuePrinter::add(const DueItem& it, Reminder state) {
  auto o = std::back_inserter(out_);
  ++count_;
  if (json_) {
    // One object per line inside the array: still one JSON document.
    fmt::format_to(o, "{}\n  {}", count_ == 1 ? "[" : ",",
                   versioned(due_item_json(it, state)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } else {
    if (it.case_id != current_) {
      if (current_ != -1) out_.push_back('\n');
      current_ = it.case_id;
      fmt::format_to(o, "{}  {}  {} {}{}  child {}\n", bold(ctx_, fmt::format("Case {}", it.case_id)), it.policy_id,
                     safe(it.stage_term), it.case_stage, it.stage_title.empty() || it.scope == DeadlineScope::whole_case ? "" : ": " + safe(it.stage_title),
                     it.child_ref.empty() ? "-" : safe(it.child_ref));
      fmt::format_to(o, "  handlers: {} ({}): {}; {} ({}): {}\n", safe(it.raiser.name),
                     safe(it.raiser.agency.empty() ? it.raiser.agency_type : it.raiser.agency), safe(it.raiser_handler),
                     safe(it.counterpart.name),
                     safe(it.counterpart.agency.empty() ? it.counterpart.agency_type : it.counterpart.agency),
                     safe(it.counterpart_handler));
    }
    std::string when;
    if (!it.timed) {
      fmt::format_to(o, "  {}: no date: without delay  [{}] {}\n", yellow(ctx_, "owed"),
                     safe(stage_label(it.stage_term, it.scope, it.stage)), safe(it.action));
      if (out_.size() > (1 << 16)) flush();
      return;
    }
    if (it.due < it.today)
      when = red(ctx_, it.working_days_overdue == 0
                           ? std::string("OVERDUE")  // a weekend or holiday straight after the due day
                           : fmt::format("OVERDUE {} working day{}", it.working_days_overdue,
                                         it.working_days_overdue == 1 ? "" : "s"));
    else if (it.due == it.today)
      when = yellow(ctx_, "due today");
    else
      when = "due soon";
    static const char* const k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    fmt::format_to(o, "  {}: due {} {:04}-{:02}-{:02}  [", when, k_days[it.due.weekday().c_encoding()], it.due.year(),
                   it.due.month(), it.due.day());
    fmt::format_to(o, "{}] {}\n", safe(stage_label(it.stage_term, it.scope, it.stage)), safe(it.action));
  }
  if (out_.size() > (1 << 16)) flush();
}

}  // namespace esc::cli
