// esc assign: name who holds a stage for a party, with their address, so
// that reminders of that stage's duties go to them (or, --stage 0, the
// party's own address). Append-only: a later assignment replaces an earlier
// one for the same party and stage; both stay in the record.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {
struct AssignOptions {
  AssignInput in;
  std::string at;
  bool json = false;
};
}  // namespace

void setup_assign(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<AssignOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--party", o->in.party, "Whose side: raiser or counterpart")
      ->required();
  sub.add_option("--name", o->in.name, "Who holds it (a line manager, a head of service, ...)");
  sub.add_option("--email", o->in.email, "Their e-mail address, where reminders go");
  sub.add_option("--stage", o->in.stage,
                 "The stage they hold (default: the case's stage now; 0: the party's own address at every stage)");
  sub.add_option("--at", o->at, "When they took it on (ISO 8601)");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      run_change(ctx, o->json, [&](Service& svc) { return svc.assign(o->in); },
                 [&](const Outcome& out, const Policy&) {
                   return fmt::format("Case {}: {} for the {}", out.c.id,
                                      o->in.stage == 0 ? "address recorded" : "holder recorded", o->in.party);
                 });
    };
  });
}

}  // namespace esc::cli
