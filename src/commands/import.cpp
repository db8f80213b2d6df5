// esc import: add what an export holds and the store lacks.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/transfer.hpp>

#include <fmt/format.h>

#include <fstream>
#include <iostream>

namespace esc::cli {

namespace {
struct ImportOptions {
  std::string file;
  bool quiet = false;
  bool json = false;
};

void run_import(Context& ctx, const ImportOptions& o) {
  std::ifstream in_file;
  std::istream* in = &std::cin;
  std::string origin = "standard input";
  if (o.file != "-") {
    in_file.open(o.file, std::ios::binary);
    if (!in_file) throw NotFoundError(fmt::format("cannot read {}: no such file, or not readable", o.file));
    in = &in_file;
    origin = o.file;
  }
  ImportFile file(*in, origin);  // checked whole before the store is opened
  Session s = open_session(ctx, true);
  ImportResult r = file.add_to(*s.store, [&](const std::vector<int64_t>& ids) { return s.service->repair_duties(ids); });
  for (const auto& line : r.recomputed) std::cerr << "esc: " << safe(line) << '\n';
  if (o.json) {
    nlohmann::ordered_json j;
    j["cases_added"] = r.cases_added;
    j["cases_extended"] = r.cases_extended;
    j["cases_present"] = r.cases_present;
    j["entries_added"] = r.entries_added;
    j["recomputed"] = r.recomputed;
    return print_json(j);
  }
  if (o.quiet) return;
  std::cout << fmt::format("imported {}: {} case{} added, {} extended, {} already here; {} chain entr{} added\n",
                           safe(origin), r.cases_added, r.cases_added == 1 ? "" : "s", r.cases_extended,
                           r.cases_present, r.entries_added, r.entries_added == 1 ? "y" : "ies");
}
}  // namespace

void setup_import(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  sub.add_option("FILE", o->file, "An export written by 'esc export' ('-': standard input)")->required();
  sub.add_flag("-q,--quiet", o->quiet, "Print nothing on success");
  sub.add_flag("--json", o->json, "Print what was added as JSON");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_import(ctx, *o); }; });
}

}  // namespace esc::cli
