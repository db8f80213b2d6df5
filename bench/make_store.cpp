// Builds a large store for the overdue benchmark, through esc's own service
// code (never hand-written SQL), so it cannot drift from the schema.
//
//   esc_bench_make_store FILE [CASES] [OPEN] [plain|lived|unmoved]
//
// Cases are raised across the five policies over the two years before
// 2026-11-23; a third are escalated, all but OPEN of them resolved. "lived"
// adds to each case a history like those of users' cases: records of every
// kind (a conversation, a notification to the partnership,
// feedback, a plan with an agreed action and what was done about it) and,
// where its policy allows (Stoke-on-Trent's), three extensions at stage 1,
// two more after an escalation, and a pause and resumption on every other
// case: moves of deadlines, which a "plain" store (the default) has none of;
// "unmoved" is "lived" without the moves. Every mode raises the same cases at
// the same times, so "lived" and "unmoved" differ only by the moves.

#include <esc/service.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

using namespace esc;

namespace {

class BenchClock : public Clock {
 public:
  Timestamp now() const override { return t; }
  Timestamp t{};
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [CASES] [OPEN]\n", argv[0]);
    return 64;
  }
  const long cases = argc > 2 ? std::atol(argv[2]) : 100000;
  const long open = argc > 3 ? std::atol(argv[3]) : 30000;
  const std::string mode = argc > 4 ? argv[4] : "plain";
  if (mode != "plain" && mode != "lived" && mode != "unmoved") {
    std::fprintf(stderr, "esc_bench_make_store: the mode is plain, lived or unmoved, not %s\n", mode.c_str());
    return 64;
  }
  const bool lived = mode != "plain";
  const bool moves = mode == "lived";
  long extensions = 0, pauses = 0, records = 0;
  try {
    Store store(StorePath{argv[1], false}, true);
    // Building the fixture only: durability per commit is not what is measured.
    StoreAccess::db(store).exec("PRAGMA synchronous = OFF");
    PolicyLibrary lib({ESC_SOURCE_POLICY_DIR});
    BenchClock clock;
    Service svc(store, lib, clock);
    const char* policies[] = {"stoke-on-trent", "generic", "warrington", "birmingham", "sefton"};
    const char* types[] = {"school", "social-care", "health", "police", "early-help", "voluntary"};
    const TimeZone& london = TimeZone::get("Europe/London");
    Timestamp end = parse_timestamp("2026-11-23T08:00", london);
    // Resolved cases first (older), then the open ones, spread over two years.
    for (long i = 0; i < cases; ++i) {
      bool resolved = i < cases - open;
      long span_days = 730;
      long day = resolved ? (i * span_days) / (cases - open + 1) : span_days - 60 + (i % 60);
      clock.t = end - std::chrono::days{span_days - day} + std::chrono::minutes{(i * 7) % 480};
      RaiseInput in;
      in.policy = policies[i % 5];
      in.category = "other";
      in.summary = "Invented benchmark disagreement " + std::to_string(i);
      in.raiser = {PartyRole::raiser, "Practitioner " + std::to_string(i % 997), "", types[i % 6]};
      in.counterpart = {PartyRole::counterpart, "Practitioner " + std::to_string((i * 31) % 997), "", types[(i / 6) % 6]};
      in.child.ref = "B-" + std::to_string(100000 + i);
      Outcome out = svc.raise(in);
      const int64_t id = out.c.id;
      // What a lived case adds; each step its policy refuses is left out.
      auto step = [&](long& count, const std::function<void()>& f) {
        if (!lived) return;
        clock.t += std::chrono::minutes{30};
        try {
          f();
          ++count;
        } catch (const Error&) {
        }
      };
      auto note = [&](const char* kind, const char* summary) {
        step(records, [&] {
          RecordInput r;
          r.case_id = id;
          r.kind = kind;
          r.summary = summary;
          r.channel = "email";
          if (std::string(kind) == "notification") r.to = "partnership";
          svc.record(r);
        });
      };
      // The moves come while the stage's deadlines are open (before the
      // conversation that meets the first), so each moves them.
      for (int k = 0; k < (moves ? 3 : 0); ++k)
        step(extensions, [&] { svc.extend({id, 2, "Both practitioners", "Awaiting a report", std::nullopt}); });
      if (moves && i % 2 == 0) {
        step(pauses, [&] { svc.pause({id, "Practitioner away", std::nullopt}); });
        clock.t += std::chrono::hours{24};
        step(pauses, [&] { svc.resume({id, "Back", std::nullopt}); });
      }
      note("conversation", "Invented conversation between the practitioners");
      if (i % 3 == 0) {
        clock.t += std::chrono::hours{20};
        out = svc.escalate({id, "Not agreed", std::nullopt, std::nullopt, "", ""});
        note("notification", "Invented notification to the partnership");
        for (int k = 0; k < (moves ? 2 : 0); ++k)
          step(extensions, [&] { svc.extend({id, 3, "Both line managers", "Awaiting a meeting", std::nullopt}); });
      }
      note("feedback", "Invented feedback to the raiser");
      step(records, [&] {
        RecordInput r;
        r.case_id = id;
        r.kind = "plan";
        r.summary = "Invented plan";
        r.action = "Joint visit";
        r.action_due = london.local_date(clock.t).plus_days(5).iso();
        int64_t plan = *svc.record(r).record_id;
        r.kind = "note";
        r.summary = "Joint visit done";
        r.action.clear();
        r.action_due.clear();
        r.duty = std::string("a").append(std::to_string(plan));
        svc.record(r);
      });
      if (resolved) {
        clock.t += std::chrono::hours{30};
        svc.resolve({id, "Agreed", "", "None", "Benchmark", std::nullopt, std::nullopt});
      }
      if ((i + 1) % 10000 == 0) std::fprintf(stderr, "%ld cases\n", i + 1);
    }
    StoreAccess::db(store).exec("PRAGMA wal_checkpoint(TRUNCATE)");
    if (lived)
      std::fprintf(stderr, "%ld cases: %ld extensions, %ld pauses and resumptions, %ld records added\n", cases,
                   extensions, pauses, records);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "esc_bench_make_store: %s\n", e.what());
    return 70;
  }
  return 0;
}
