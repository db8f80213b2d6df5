// esc list: open cases, one line each.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

#include <iostream>
#include <vector>

namespace esc::cli {

namespace {
/// `s` in at most `n` characters (UTF-8 code points): cut, with "…" last,
/// when longer.
std::string fit(const std::string& s, size_t n) {
  std::vector<size_t> starts;  // where each character begins
  for (size_t i = 0; i < s.size(); ++i)
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) starts.push_back(i);
  return starts.size() <= n ? s : s.substr(0, starts[n - 1]) + "…";
}

struct ListOptions {
  ListFilter f;
  bool json = false;
  bool ids = false;
};

void run_list(const Context& ctx, const ListOptions& o) {
  // No store is an error (exit 66, naming the path), not an empty list: a
  // mistyped or unset path must not pass for a store with no cases.
  Session s = open_session(ctx, false);
  if (!o.json) {
    // Streamed from one read of the store: a partnership's store can hold
    // a hundred thousand cases.
    fmt::memory_buffer out;
    bool header = !o.ids;
    s.service->visit_summaries(o.f, [&](const CaseSummary& cs) {
      const CaseLine& c = cs.line;
      if (o.ids) {
        fmt::format_to(std::back_inserter(out), "{}\n", c.id);
      } else {
        if (header) {
          fmt::format_to(std::back_inserter(out), "{}\n",
                         bold(ctx, fmt::format("{:>5}  {:<15} {:>5}  {:<10} {:<9} {:<14} {:<20}  {}", "ID", "POLICY",
                                               "STAGE", "NEXT DUE", "STATUS", "CHILD REF", "COUNTERPART AGENCY",
                                               "NEXT DUTY")));
          header = false;
        }
        std::string status(cs.overdue ? name(DeadlineOutcome::overdue) : name(c.status));
        std::string agency = c.counterpart.agency.empty() ? c.counterpart.agency_type : c.counterpart.agency;
        // Cut to its column, so the next duty lines up (show has it whole).
        agency = fit(agency, 20);
        // NEXT DUE: "now" when an untimed duty is owed (without delay).
        fmt::format_to(std::back_inserter(out), "{:>5}  {:<15} {:>5}  {:<10} {:<9} {:<14} {:<20}  {}\n", c.id,
                       c.policy_id, c.stage, cs.next_now ? "now" : c.next_due ? c.next_due->iso() : "-",
                       cs.overdue ? red(ctx, status) : status, c.child_ref.empty() ? "-" : safe(c.child_ref),
                       safe(agency), cs.next_duty.empty() ? "-" : safe(cs.next_duty));
      }
      if (out.size() > (1 << 16)) {
        std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
        out.clear();
      }
    });
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    return;
  }
  // JSON holds each case whole (its deadlines and events), so it loads them.
  auto cases = s.service->list(o.f, false);
  Timestamp now = s.service->now();
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& c : cases) out.push_back(case_json(c, s.service->policy_of(c), now, Personal::omit, false));
  print_json(out);
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
