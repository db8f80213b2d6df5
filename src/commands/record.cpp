// esc record: add a conversation, meeting, plan, decision, ... to a case.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <fmt/format.h>

namespace esc::cli {

namespace {

struct RecordOptions {
  RecordInput in;
  std::string at;
  bool json = false;
  bool quiet = false;
};

}  // namespace

void setup_record(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<RecordOptions>();
  sub.add_option("ID", o->in.case_id, "The case")->required();
  sub.add_option("--kind", o->in.kind,
                 "conversation, meeting, plan, decision, notification, feedback, note, correction, check-back, "
                 "delay-reason, learning-referral or waiver")
      ->required();
  sub.add_option("--summary", o->in.summary, "What was said or decided")->required();
  sub.add_option("--channel", o->in.channel, "phone, face-to-face, video, email, letter or other");
  sub.add_option("--with", o->in.with, "Who took part");
  sub.add_option("--action", o->in.action, "An action agreed");
  sub.add_option("--due", o->in.action_due, "When the action is due, YYYY-MM-DD");
  sub.add_option("--corrects", o->in.corrects, "The record a correction corrects");
  sub.add_option("--to", o->in.to,
                 "Whom a notification went to: 'partnership' for the policy's partnership, or who");
  sub.add_option("--form", o->in.form, "The policy's form sent with it (counts as in writing)");
  sub.add_option("--duty", o->in.duty,
                 "The duty it meets (an agreed action: a12) or, with --kind waiver, waives (see 'esc show ID')");
  sub.add_option("--at", o->at, "When it happened (ISO 8601)");
  sub.add_flag("-q,--quiet", o->quiet, "Print only the new record id");
  sub.add_flag("--json", o->json, "Print the case as JSON");
  sub.callback([&ctx, o] {
    ctx.run = [&ctx, o] {
      if (!o->at.empty()) o->in.at = o->at;
      Session s = open_session(ctx, false);
      Outcome out = s.service->record(o->in);
      if (o->quiet) {
        print_warnings(out.warnings);
        fmt::print("{}\n", *out.record_id);
        return;
      }
      const Policy& p = s.service->policy_of(out.c);
      print_outcome(ctx, out, p, s.service->now(),
                    fmt::format("Recorded {} #{} on case {}", o->in.kind, *out.record_id, out.c.id), o->json);
    };
  });
}

}  // namespace esc::cli
