// esc anchor: write the chain's head (entries and last hash) outside the store.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/files.hpp>
#include <esc/ledger.hpp>

#include <fmt/format.h>

#include <cstring>
#include <iostream>

namespace esc::cli {

namespace {
struct AnchorOptions {
  std::string file;
};

void run_anchor(Context& ctx, const AnchorOptions& o) {
  Session s = open_session(ctx, false);
  Anchor a = s.store->head_anchor();
  std::string text = anchor_text(a);
  if (o.file == "-") {
    std::cout << text;
    return;
  }
  // Whole or not at all, private, replacing an older anchor of that name.
  write_private_file(o.file, Replace::yes, [&](PrivateFile& f) {
    FdOStream out(f.fd);
    out << text << std::flush;
    if (!out) throw IoError(fmt::format("cannot write the anchor {}: {}", o.file, std::strerror(out.error())));
  });
}
}  // namespace

void setup_anchor(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<AnchorOptions>();
  sub.add_option("FILE", o->file, "Where to write the anchor ('-': standard output); keep it outside the store")
      ->required();
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_anchor(ctx, *o); }; });
}

}  // namespace esc::cli
