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
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      Session s = open_session(ctx, false);
      Outcome out = s.service->escalate(o->in);
      Policy p = s.service->policy_of(out.c);
      print_outcome(ctx, out, p, s.service->now(),
                    fmt::format("Case {} escalated to {} {}", out.c.id, p.stage_term, out.c.stage), o->json);
    };
  });
}

}  // namespace esc::cli
