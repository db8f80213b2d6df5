// esc pause: halt a case where the policy allows (nothing is overdue meanwhile).

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {
struct PauseOptions {
  PauseInput in;
  std::string at;
  bool json = false;
};
}  // namespace

void setup_pause(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<PauseOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--reason", o->in.reason, "Why the process is halted (sickness, a cancelled meeting, ...)")->required();
  sub.add_option("--at", o->at, "When it was halted (ISO 8601)");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.pause(o->in); },
                 [&](const Outcome& out, const Policy& p) {
                   return fmt::format("Case {} {}", out.c.id, p.pause_term);
                 });
    };
  });
}

}  // namespace esc::cli
