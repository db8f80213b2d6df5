// esc export: the whole store as JSON Lines, lossless.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"

#include <esc/error.hpp>
#include <esc/transfer.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

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
    export_jsonl(s.store->db(), std::cout);
    return;
  }
  // The export holds everything the store holds: private, and whole or absent.
  std::string tmp = o.output + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) throw CantCreateError(fmt::format("cannot create {}: {}", o.output, std::strerror(errno)));
  ::close(fd);
  try {
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      export_jsonl(s.store->db(), out);
      out.close();
      if (!out) throw IoError(fmt::format("cannot write {}: {}", o.output, std::strerror(errno)));
    }
    int sync_fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (sync_fd >= 0) {
      ::fsync(sync_fd);
      ::close(sync_fd);
    }
    if (::rename(tmp.c_str(), o.output.c_str()) != 0)
      throw IoError(fmt::format("cannot write {}: {}", o.output, std::strerror(errno)));
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}
}  // namespace

void setup_export(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<ExportOptions>();
  sub.add_option("--format", o->format, "The format: jsonl (one JSON object per line; the only one)");
  sub.add_option("-o,--output", o->output, "Write to this file (created 0600) instead of standard output");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_export(ctx, *o); }; });
}

}  // namespace esc::cli
