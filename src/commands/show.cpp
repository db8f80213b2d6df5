// esc show: everything about one case.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

namespace esc::cli {

namespace {
struct ShowOptions {
  int64_t id = 0;
  bool json = false;
  bool explain = false;
};
}  // namespace

void setup_show(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ShowOptions>();
  sub.add_option("ID", o->id, "The case")->required();
  sub.add_flag("--explain", o->explain, "Show how each deadline was worked out: start, days skipped, pauses, extensions");
  sub.add_flag("--json", o->json, "Print JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      Session s = open_session(ctx, false);
      Case c = s.service->load(o->id);
      const Policy& p = s.service->policy_of(c);
      if (o->json) return print_json(case_json(c, p, s.service->now(), Personal::include, true));
      print_case(ctx, c, p, s.service->now(), o->explain);
    };
  });
}

}  // namespace esc::cli
