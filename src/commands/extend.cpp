// esc extend: an agreed, recorded extension of the current stage's timescales.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {
struct ExtendOptions {
  ExtendInput in;
  std::string at;
  bool json = false;
};
}  // namespace

void setup_extend(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ExtendOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--days", o->in.days, "Working days to add to the current stage's open deadlines")->required();
  sub.add_option("--agreed-by", o->in.agreed_by, "Who agreed the extension");
  sub.add_option("--reason", o->in.reason, "Why it is needed")->required();
  sub.add_option("--at", o->at, "When it was agreed (ISO 8601)");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.extend(o->in); },
                 [&](const Outcome& out, const Policy& p) {
                   return fmt::format("Case {}: {} {}'s deadlines extended by {} working day{}", out.c.id,
                                      p.stage_term, out.c.stage, o->in.days, o->in.days == 1 ? "" : "s");
                 });
    };
  });
}

}  // namespace esc::cli
