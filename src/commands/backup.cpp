// esc backup: a consistent, private copy of the store, verified.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/files.hpp>
#include <esc/ledger.hpp>

#include <fmt/format.h>

#include <iostream>

namespace esc::cli {

namespace {
struct BackupOptions {
  std::string file;
  bool quiet = false;
};

void run_backup(Context& ctx, const BackupOptions& o) {
  Session s = open_session(ctx, false);
  // The copy is verified on its own, read-only, before it is put in place;
  // opening it as a store would switch it back to WAL and write to it.
  VerifyResult r;
  try {
    r = s.store->backup_to(o.file);
  } catch (const FileExistsError&) {
    throw CantCreateError(fmt::format("{} exists: esc backup never overwrites; choose a new file name", o.file));
  }
  if (!r.ok())
    throw DataError(fmt::format("the backup {} was written but does not verify ({}): run 'esc verify' on the "
                                "store",
                                o.file, r.problems.front().text));
  if (!o.quiet)
    std::cout << fmt::format("backed up {} case{} ({} chain entries) to {}: verify ok\n", r.cases,
                             r.cases == 1 ? "" : "s", r.head.entries, safe(o.file));
}
}  // namespace

void setup_backup(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<BackupOptions>();
  sub.add_option("FILE", o->file, "The new backup file (never overwritten; created 0600)")->required();
  sub.add_flag("-q,--quiet", o->quiet, "Print nothing on success");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_backup(ctx, *o); }; });
}

}  // namespace esc::cli
