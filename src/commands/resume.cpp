// esc resume: restart a paused case; open deadlines move on by the working
// days it was paused.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {
struct ResumeOptions {
  PauseInput in;
  std::string at;
  bool json = false;
};
}  // namespace

void setup_resume(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ResumeOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--reason", o->in.reason, "A note on the resumption");
  sub.add_option("--at", o->at, "When it resumed (ISO 8601)");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.resume(o->in); },
                 [&](const Outcome& out, const Policy&) {
                   return fmt::format("Case {} resumed", out.c.id);
                 });
    };
  });
}

}  // namespace esc::cli
