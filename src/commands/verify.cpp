// esc verify: the store's integrity and its tamper-evident chain.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/duties.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

namespace esc::cli {

namespace {
struct VerifyOptions {
  std::string anchor;
  bool json = false;
};

Anchor read_anchor(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw NotFoundError(fmt::format("cannot read the anchor {}: write one with 'esc anchor FILE'", file));
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_anchor(ss.str(), file);
}

void run_verify(Context& ctx, const VerifyOptions& o) {
  std::optional<Anchor> anchor;
  if (!o.anchor.empty()) anchor = read_anchor(o.anchor);
  // The copy of the duties is checked as it is, never worked out again first.
  Session s = open_session(ctx, false, false);
  VerifyResult r = s.store->verify(anchor);
  if (s.store->duties_stale(k_duties_derivation)) {
    // Worked out again here only when this esc has just upgraded the store,
    // or the copy carries the mark of the esc before this one ("fresh"):
    // otherwise the mark was set by hand, and the copy is checked as it is.
    if (s.store->upgraded() || !s.store->duties_stale("fresh")) {
      auto redone = s.service->refresh_stale_duties();
      if (!redone.empty())
        std::cerr << fmt::format("esc: note: the copy of what cases owe came from an earlier esc: worked out again "
                                 "for {} case{} from the record\n",
                                 redone.size(), redone.size() == 1 ? "" : "s");
    } else {
      r.problems.push_back({std::nullopt, "the store marks its copy of what cases owe to be worked out again, a mark no "
                                          "esc leaves (set by hand?): the copy is checked as it is; any other esc "
                                          "command would rewrite it from the record"});
    }
  }
  // What each case owes, and where it stands, worked out again from its
  // record and held against the copy the store keeps for fast queries.
  for (auto& p : s.service->verify_duties()) r.problems.push_back(std::move(p));
  if (o.json) {
    nlohmann::ordered_json j;
    j["ok"] = r.ok();
    j["cases"] = r.cases;
    j["entries"] = r.head.entries;
    j["last_hash"] = r.head.last_hash;
    j["problems"] = nlohmann::ordered_json::array();
    for (const auto& p : r.problems) j["problems"].push_back(p.text);
    print_json(j);
  } else if (r.ok()) {
    std::cout << "ok\n";
  } else {
    for (const auto& p : r.problems) std::cout << safe(p.text) << '\n';
  }
  if (!r.ok()) {
    std::cerr << fmt::format("esc: error: the store {} failed verification ({} problem{}): keep it as it is for "
                             "investigation and restore from a backup that verifies\n",
                             s.store->path(), r.problems.size(), r.problems.size() == 1 ? "" : "s");
    ctx.exit_status = exit_code(ErrorKind::data);
  }
}
}  // namespace

void setup_verify(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<VerifyOptions>();
  sub.add_option("--anchor", o->anchor,
                 "Also check the chain against a head anchor written by 'esc anchor' (catches removed newest "
                 "entries)");
  sub.add_flag("--json", o->json, "Print JSON: ok, cases, entries, last_hash, problems");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_verify(ctx, *o); }; });
}

}  // namespace esc::cli
