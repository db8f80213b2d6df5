// esc resolve: close a case with its written outcome.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {
struct ResolveOptions {
  ResolveInput in;
  std::string at;
  bool json = false;
};
}  // namespace

void setup_resolve(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ResolveOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--outcome", o->in.outcome, "The written outcome statement, with the actions agreed")->required();
  sub.add_option("--agreed-by", o->in.agreed_by, "Who agreed the outcome");
  sub.add_option("--learning", o->in.learning, "Learning points (required by some policies)");
  sub.add_option("--delay-reason", o->in.delay_reason, "Why it took longer than the policy expects");
  sub.add_option("--check-back", o->in.check_back, "Schedule a follow-up N working days later: has the child's situation improved?");
  sub.add_option("--at", o->at, "When it was resolved (ISO 8601)");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.resolve(o->in); },
                 [&](const Outcome& out, const Policy& p) {
                   return fmt::format("Case {} resolved at {} {}", out.c.id, p.stage_term, out.c.stage);
                 });
    };
  });
}

}  // namespace esc::cli
