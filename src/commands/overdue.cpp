// esc overdue: every open deadline past its due date, for people and cron.
// Prints nothing and exits 0 when nothing is overdue; exits 1 when something is.

#include "cli/commands.hpp"
#include "cli/due_view.hpp"
#include "cli/case_view.hpp"

namespace esc::cli {

namespace {
struct OverdueOptions {
  std::string policy;
  bool json = false;
};
}  // namespace

void setup_overdue(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<OverdueOptions>();
  sub.add_option("--policy", o->policy, "Only cases under this policy id");
  sub.add_flag("--json", o->json, "Print a JSON array (empty when nothing is overdue)");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      Session s = open_session(ctx, false);  // a missing store is exit 66, never silence
      if (!o->policy.empty()) s.policies.resolve(o->policy);  // an unknown id is an error, not silence
      // Streamed: a partnership's store can have thousands overdue. Each
      // case is overdue by its own policy's today.
      DuePrinter printer(ctx, o->json);
      s.service->visit_deadlines_due({-1, false}, o->policy, [&](const DueItem& it) { printer.add(it, Reminder::overdue); });
      printer.finish();
      if (printer.count() > 0) ctx.exit_status = 1;
    };
  });
}

}  // namespace esc::cli
