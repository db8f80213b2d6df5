// Builds a large store for the overdue benchmark, through esc's own service
// code (never hand-written SQL), so it cannot drift from the schema.
//
//   esc_bench_make_store FILE [CASES] [OPEN]
//
// Cases are raised across the five policies over the two years before
// 2026-11-23; all but OPEN of them are escalated and resolved.

#include <esc/service.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <cstdio>
#include <cstdlib>
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
      if (i % 3 == 0) {
        clock.t += std::chrono::hours{20};
        out = svc.escalate({out.c.id, "Not agreed", std::nullopt, std::nullopt});
      }
      if (resolved) {
        clock.t += std::chrono::hours{30};
        svc.resolve({out.c.id, "Agreed", "", "None", "Benchmark", std::nullopt, std::nullopt});
      }
      if ((i + 1) % 10000 == 0) std::fprintf(stderr, "%ld cases\n", i + 1);
    }
    StoreAccess::db(store).exec("PRAGMA wal_checkpoint(TRUNCATE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "esc_bench_make_store: %s\n", e.what());
    return 70;
  }
  return 0;
}
