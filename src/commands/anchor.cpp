// esc anchor: write the chain's head (entries and last hash) outside the store.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/ledger.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <unistd.h>

namespace esc::cli {

namespace {
struct AnchorOptions {
  std::string file;
};

/// Writes `text` to `file` whole or not at all: a temporary file, synced,
/// then renamed over the old anchor.
void write_whole(const std::string& file, const std::string& text) {
  std::string tmp = file + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) throw CantCreateError(fmt::format("cannot write the anchor {}: {}", file, std::strerror(errno)));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), file.c_str()) != 0) {
    if (ok) err = errno;
    ::unlink(tmp.c_str());
    throw IoError(fmt::format("cannot write the anchor {}: {}", file, std::strerror(err)));
  }
}

void run_anchor(Context& ctx, const AnchorOptions& o) {
  Session s = open_session(ctx, false);
  Anchor a = head_anchor(s.store->db());
  std::string text = anchor_text(a);
  if (o.file == "-") {
    std::cout << text;
    return;
  }
  write_whole(o.file, text);
}
}  // namespace

void setup_anchor(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<AnchorOptions>();
  sub.add_option("FILE", o->file, "Where to write the anchor ('-': standard output); keep it outside the store")
      ->required();
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_anchor(ctx, *o); }; });
}

}  // namespace esc::cli
