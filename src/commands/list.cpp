// esc list: open cases, one line each.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {
struct ListOptions {
  ListFilter f;
  bool json = false;
  bool ids = false;
};

void run_list(const Context& ctx, const ListOptions& o) {
  // A fresh machine has no store yet: that is an empty list, not an error.
  Session s = open_session(ctx, true);
  auto cases = s.service->list(o.f, false);
  Timestamp now = s.service->now();
  if (o.ids) {
    for (const auto& c : cases) std::cout << c.id << '\n';
    return;
  }
  if (o.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& c : cases) out.push_back(case_json(c, s.service->policy_of(c), now, Personal::omit, false));
    return print_json(out);
  }
  if (cases.empty()) return;
  std::cout << bold(ctx, fmt::format("{:>5}  {:<15} {:>5}  {:<10} {:<9} {:<14} {}", "ID", "POLICY", "STAGE", "NEXT DUE",
                                     "STATUS", "CHILD REF", "COUNTERPART AGENCY"))
            << '\n';
  for (const auto& c : cases) {
    const Policy& p = s.service->policy_of(c);
    auto next = c.next_due();
    bool late = false;
    for (const auto& d : c.deadlines) late = late || deadline_state(c, d, p, now) == "overdue";
    std::string status = late ? "overdue" : c.status;
    std::string agency = c.counterpart.agency.empty() ? c.counterpart.agency_type : c.counterpart.agency;
    std::cout << fmt::format("{:>5}  {:<15} {:>5}  {:<10} {:<9} {:<14} {}\n", c.id, c.policy_id, c.stage,
                             next ? next->iso() : "-", late ? red(ctx, status) : status,
                             c.child.ref.empty() ? "-" : safe(c.child.ref), safe(agency));
  }
}
}  // namespace

void setup_list(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ListOptions>();
  sub.add_flag("--all", o->f.all, "Resolved cases too");
  sub.add_option("--policy", o->f.policy, "Only cases under this policy id");
  sub.add_option("--stage", o->f.stage, "Only cases at this stage");
  sub.add_flag("--overdue", o->f.overdue_only, "Only cases with an overdue deadline");
  sub.add_flag("--ids", o->ids, "Print only the case ids, one per line");
  sub.add_flag("--json", o->json, "Print JSON (of the child, only the reference)");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_list(ctx, *o); }; });
}

}  // namespace esc::cli
