// esc escalate: move a case to the next stage the policy allows.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {

struct EscalateOptions {
  EscalateInput in;
  std::string at;
  bool json = false;
};

}  // namespace

void setup_escalate(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<EscalateOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--reason", o->in.reason, "Why it could not be resolved at this stage")->required();
  sub.add_option("--to", o->in.to, "Jump to this stage, where the policy allows it");
  sub.add_option("--at", o->at, "When it was escalated (ISO 8601)");
  sub.add_option("--raiser-holder", o->in.raiser_holder,
                 "Who holds the new stage for the raiser: \"Name <address>\", a name or an address");
  sub.add_option("--counterpart-holder", o->in.counterpart_holder, "Who holds the new stage for the counterpart");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.escalate(o->in); },
                 [&](const Outcome& out, const Policy& p) {
                   return fmt::format("Case {} escalated to {} {}", out.c.id, p.stage_term, out.c.stage);
                 });
    };
  });
}

}  // namespace esc::cli
