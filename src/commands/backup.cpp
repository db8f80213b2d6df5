// esc backup: a consistent, private copy of the store, verified.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
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
  s.store->backup_to(o.file);
  // The copy must stand on its own: open it and walk its chain.
  Store copy(StorePath{o.file, false}, false);
  VerifyResult r = verify_chain(copy.db(), std::nullopt);
  if (!r.ok())
    throw DataError(fmt::format("the backup {} was written but does not verify ({}): run 'esc verify' on the "
                                "store",
                                o.file, r.problems.front()));
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
