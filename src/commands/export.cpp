// esc export: the whole store as JSON Lines, lossless.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/files.hpp>
#include <esc/transfer.hpp>

#include <fmt/format.h>

#include <cstring>
#include <iostream>

namespace esc::cli {

namespace {
struct ExportOptions {
  std::string format = "jsonl";
  std::string output;
};

void run_export(Context& ctx, const ExportOptions& o) {
  if (o.format != "jsonl") throw UsageError(fmt::format("--format {}: esc export writes only jsonl", o.format));
  Session s = open_session(ctx, false);
  if (o.output.empty() || o.output == "-") {
    export_jsonl(*s.store, std::cout);
    return;
  }
  // The export holds everything the store holds: private, and whole or absent.
  write_private_file(o.output, Replace::yes, [&](PrivateFile& f) {
    FdOStream out(f.fd);
    try {
      export_jsonl(*s.store, out);
    } catch (const IoError&) {
      if (out.error()) throw IoError(fmt::format("cannot write {}: {}", o.output, std::strerror(out.error())));
      throw;
    }
  });
}
}  // namespace

void setup_export(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ExportOptions>();
  sub.add_option("--format", o->format, "The format: jsonl (one JSON object per line; the only one)");
  sub.add_option("-o,--output", o->output, "Write to this file (created 0600) instead of standard output");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_export(ctx, *o); }; });
}

}  // namespace esc::cli
