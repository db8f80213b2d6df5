// esc raise: open a case under a policy; the policy sets the clock.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {

struct RaiseOptions {
  RaiseInput in;
  std::string at;
  bool quiet = false;
  bool json = false;
};

void run_raise(const Context& ctx, RaiseOptions& o) {
  o.in.raiser.role = PartyRole::raiser;
  o.in.counterpart.role = PartyRole::counterpart;
  if (!o.at.empty()) o.in.at = o.at;
  PolicyLibrary policies = ctx.policies();
  if (o.in.risk == "immediate") {
    // The child comes first: say what to do now, before anything else.
    Policy p = policies.load(o.in.policy);
    std::cerr << "esc: IMMEDIATE RISK: " << safe(p.emergency_text) << '\n';
    for (const auto& c : p.emergency_contacts)
      std::cerr << "esc:   " << safe(c.name) << (c.phone.empty() ? "" : " " + safe(c.phone))
                << (c.email.empty() ? "" : " " + safe(c.email)) << '\n';
    // A policy with no contacts still leaves something to do now.
    if (p.emergency_contacts.empty())
      std::cerr << "esc:   the policy names no emergency contact: if the child is in immediate danger, call the "
                   "police on 999; otherwise contact the local authority's children's social care front door now\n";
  }
  // Checked before the store is opened: a refused raise creates no store
  // (which a later reminder run would find empty, and say nothing).
  check_raise(policies, *ctx.clock, o.in);
  Session s = open_session(ctx, true);
  Outcome out = s.service->raise(o.in);
  const Policy& p = s.service->policy_of(out.c);
  if (o.quiet) {
    print_warnings(out.warnings);
    std::cout << out.c.id << '\n';
    return;
  }
  print_outcome(ctx, out, p, s.service->now(),
                fmt::format("Raised case {} under {} ({})", out.c.id, p.id, safe(p.name)), o.json);
}

}  // namespace

void setup_raise(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<RaiseOptions>();
  auto& in = o->in;
  sub.add_option("--policy", in.policy, "Policy id (see 'esc policy list') or file")->required();
  sub.add_option("--category", in.category, "The kind of disagreement, from the policy's categories, or 'other'")->required();
  sub.add_option("--summary", in.summary, "What the disagreement is about")->required();
  sub.add_option("--raiser", in.raiser.name, "The practitioner raising it")->required();
  sub.add_option("--raiser-agency", in.raiser.agency, "The raiser's agency or team");
  sub.add_option("--raiser-agency-type", in.raiser.agency_type,
                 "school, social-care, health, police, early-help, voluntary, self-employed or other")->required();
  sub.add_option("--counterpart", in.counterpart.name, "The practitioner on the other side")->required();
  sub.add_option("--counterpart-agency", in.counterpart.agency, "The counterpart's agency or team");
  sub.add_option("--counterpart-agency-type", in.counterpart.agency_type, "The counterpart's agency type")->required();
  sub.add_option("--raiser-email", in.raiser_email, "The raiser's e-mail address, for reminders");
  sub.add_option("--counterpart-email", in.counterpart_email, "The counterpart's e-mail address, for reminders");
  sub.add_option("--child-ref", in.child.ref, "The child's reference in your agency's system (preferred to a name)");
  sub.add_option("--child", in.child.name, "The child's name");
  sub.add_option("--dob", in.child.dob, "The child's date of birth, YYYY-MM-DD");
  sub.add_option("--nhs", in.child.nhs, "The child's NHS number (10 digits, spaces allowed)");
  sub.add_option("--requested-action", in.requested_action, "What the raiser asks the other agency to do");
  sub.add_option("--risk", in.risk, "'immediate' when the child is at immediate risk: prints the policy's emergency instruction first");
  sub.add_option("--at", o->at, "When it was raised (ISO 8601; local to the policy's time zone unless it has Z or an offset)");
  sub.add_flag("-q,--quiet", o->quiet, "Print only the new case id");
  sub.add_flag("--json", o->json, "Print the new case as JSON");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_raise(ctx, *o); }; });
}

}  // namespace esc::cli
