// esc due: open deadlines due today or within the next N working days, for a
// morning digest.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"
#include "cli/due_view.hpp"

#include <esc/error.hpp>

namespace esc::cli {

namespace {
struct DueOptions {
  int within = 1;
  std::string policy;
  bool json = false;
};
}  // namespace

void setup_due(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<DueOptions>();
  sub.add_option("--within", o->within, "Working days ahead to look (default 1)");
  sub.add_option("--policy", o->policy, "Only cases under this policy id");
  sub.add_flag("--json", o->json, "Print a JSON array");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (o->within < 0) throw UsageError("--within takes a number of working days from 0 up");
      Session s = open_session(ctx, false);  // a missing store is exit 66, never silence
      if (!o->policy.empty()) s.policies.resolve(o->policy);  // an unknown id is an error, not silence
      // Each case's window counts on its own policy's calendar. Streamed, as
      // overdue is: a partnership's store owes thousands each day.
      JsonArrayPrinter array;
      DuePrinter printer(ctx, false);
      s.service->visit_deadlines_due({o->within, true}, o->policy, [&](const DueItem& it) {
        Reminder state = !it.timed ? Reminder::owed : it.due == it.today ? Reminder::due_today : Reminder::due_soon;
        if (o->json) array.add(due_item_json(it, state));
        else printer.add(it, state);
      });
      if (o->json) array.finish();
      else printer.finish();
    };
  });
}

}  // namespace esc::cli
