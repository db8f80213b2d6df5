#include "cli/due_view.hpp"

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

using json = nlohmann::ordered_json;

json due_item_json(const DueItem& it, const std::string& state) {
  json j;
  j["case"] = it.case_id;
  j["policy"] = it.policy_id;
  j["child_ref"] = it.child_ref.empty() ? json(nullptr) : json(it.child_ref);
  j["stage"] = it.stage;
  j["case_stage"] = it.case_stage;
  j["stage_title"] = it.stage_title;
  j["action"] = it.action;
  j["due"] = it.due.iso();
  j["state"] = state;
  j["working_days_overdue"] = it.working_days_overdue;
  j["deadline"] = it.deadline_uuid;
  j["handlers"] = json::array();
  j["handlers"].push_back({{"role", "raiser"}, {"name", it.raiser.name},
                           {"agency", it.raiser.agency.empty() ? json(nullptr) : json(it.raiser.agency)},
                           {"agency_type", it.raiser.agency_type}, {"handler", it.raiser_handler}});
  j["handlers"].push_back({{"role", "counterpart"}, {"name", it.counterpart.name},
                           {"agency", it.counterpart.agency.empty() ? json(nullptr) : json(it.counterpart.agency)},
                           {"agency_type", it.counterpart.agency_type}, {"handler", it.counterpart_handler}});
  return j;
}

void print_due_items(const Context& ctx, const std::vector<DueItem>& items, Date today) {
  int64_t current = -1;
  for (const auto& it : items) {
    if (it.case_id != current) {
      if (current != -1) std::cout << '\n';
      current = it.case_id;
      std::cout << bold(ctx, fmt::format("Case {}", it.case_id)) << fmt::format(
                       "  {}  stage {}{}  child {}\n", it.policy_id, it.case_stage,
                       it.stage_title.empty() || it.stage == 0 ? "" : ": " + safe(it.stage_title),
                       it.child_ref.empty() ? "-" : safe(it.child_ref));
      std::cout << fmt::format("  handlers: {} ({}): {}; {} ({}): {}\n", safe(it.raiser.name),
                               safe(it.raiser.agency.empty() ? it.raiser.agency_type : it.raiser.agency),
                               safe(it.raiser_handler), safe(it.counterpart.name),
                               safe(it.counterpart.agency.empty() ? it.counterpart.agency_type : it.counterpart.agency),
                               safe(it.counterpart_handler));
    }
    std::string when;
    if (it.due < today)
      when = red(ctx, fmt::format("OVERDUE {} working day{}", it.working_days_overdue,
                                  it.working_days_overdue == 1 ? "" : "s"));
    else if (it.due == today)
      when = yellow(ctx, "due today");
    else
      when = "due soon";
    std::cout << fmt::format("  {}: due {} {}  [{}] {}\n", when, it.due.weekday_name().substr(0, 3), it.due.iso(),
                             it.stage == 0 ? "whole case" : it.stage < 0 ? "check back" : fmt::format("stage {}", it.stage), safe(it.action));
  }
}

}  // namespace esc::cli
