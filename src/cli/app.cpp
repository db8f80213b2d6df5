// The application: parses the command line with the one command table, runs
// the chosen command, and maps every error to one exit code (here, and only
// here).

#include "cli/app.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/words.hpp"

#include <esc/date.hpp>
#include <esc/error.hpp>
#include <esc/store.hpp>
#include <esc/version.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <optional>
#include <streambuf>
#include <unistd.h>

namespace {

using namespace esc;
using namespace esc::cli;

int fail(ErrorKind kind, const std::string& message) {
  std::cerr << "esc: error: " << safe(message) << '\n';
  return exit_code(kind);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string nearest_command(const std::string& word) {
  std::string best;
  size_t best_d = 3;  // suggest only close names
  for (const auto& c : command_table()) {
    std::string name = c.name;
    size_t d = edit_distance(word, name);
    if (name.rfind(word, 0) == 0) d = 0;  // a prefix is the best hint
    if (d < best_d) best_d = d, best = name;
  }
  return best;
}


std::filesystem::path exe_dir() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path{} : p.parent_path();
}

std::unique_ptr<Clock> make_clock() {
  if (auto now = Context::env("ESC_NOW"); now && !now->empty()) {
    try {
      return std::make_unique<FixedClock>(parse_timestamp(*now, TimeZone::get("Europe/London")));
    } catch (const DataError& e) {
      throw UsageError(fmt::format("ESC_NOW: {}", e.what()));
    }
  }
  return std::make_unique<SystemClock>();
}

/// Keeps descriptor `fd` taken: when the caller closed it (`esc list >&-`),
/// /dev/null, opened read-only, holds its number. No file esc opens (a
/// temporary export, a policy) then takes the number and receives what was
/// meant for standard output or standard error, and a write to it fails
/// (EBADF) as it would have on the closed descriptor. Returns whether it was
/// closed.
bool hold_open(int fd) {
  if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) return false;
  int held = ::open("/dev/null", O_RDONLY);
  if (held >= 0 && held != fd) {
    ::dup2(held, fd);
    ::close(held);
  }
  return true;
}

/// A handler that does nothing, for SIGPIPE: a write to a pipe nobody reads
/// any more fails with EPIPE, to be dealt with like any failed write, instead
/// of killing esc wherever it is. A handler, not SIG_IGN: an ignored signal
/// stays ignored in the commands `esc remind --exec` runs, a handled one does
/// not.
extern "C" void on_sigpipe(int) {}

void catch_sigpipe() {
  struct sigaction sa{};
  sa.sa_handler = on_sigpipe;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  ::sigaction(SIGPIPE, &sa, nullptr);
}

/// Standard output, watched: put in place of std::cout's buffer, it passes
/// every write straight on to the one it replaced (stdio's, so the output is
/// buffered exactly as before) and keeps the errno of the first that failed.
class WatchedOutput : public std::streambuf {
 public:
  explicit WatchedOutput(std::streambuf* inner) : inner_(inner) {}
  std::streambuf* inner() const { return inner_; }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return sync() == 0 ? traits_type::not_eof(c) : c;
    errno = 0;
    int_type r = inner_->sputc(traits_type::to_char_type(c));
    if (traits_type::eq_int_type(r, traits_type::eof())) failed();
    return r;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    errno = 0;
    std::streamsize written = inner_->sputn(s, n);
    if (written < n) failed();
    return written;
  }
  int sync() override {
    errno = 0;
    int r = inner_->pubsync();
    if (r != 0) failed();
    return r;
  }

 private:
  void failed() {
    if (error_ == 0) error_ = errno != 0 ? errno : EIO;
  }
  std::streambuf* inner_;
  int error_ = 0;
};

/// Flushes and closes standard output, and returns the errno of the first
/// write that failed, the flush and the close included (0: all of it
/// arrived). Standard output is closed for good: descriptor 1 is then held by
/// /dev/null, read-only, so that nothing printed later lands anywhere.
int finish_output(WatchedOutput& watch) {
  std::cout.flush();
  int error = watch.error();
  std::cout.rdbuf(watch.inner());
  errno = 0;
  if (std::fflush(stdout) != 0 && error == 0) error = errno != 0 ? errno : EIO;
  if (std::ferror(stdout) && error == 0) error = EIO;
  // Some file systems (NFS) report a failed write only at the close.
  if (::close(STDOUT_FILENO) != 0 && error == 0) error = errno;
  hold_open(STDOUT_FILENO);
  return error;
}

int run_args(std::vector<std::string> args, bool parse_only) {
  Context ctx;
  ctx.exe_dir = exe_dir();
  ctx.color = isatty(STDOUT_FILENO) && !Context::env("NO_COLOR") &&
              Context::env("TERM").value_or("dumb") != "dumb";

  CLI::App app{"esc: track escalations of professional disagreements about a child's safety"};
  app.name("esc");
  app.require_subcommand(0, 1);
  app.footer("Run 'esc help COMMAND' or 'esc COMMAND --help' for a command's options.");
  app.add_option("--db", ctx.db_path, "The store file (default: $ESC_DB, else $XDG_DATA_HOME/esc/esc.db)");
  bool no_color = false;
  app.add_flag("--no-color", no_color, "Never colour the output");
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");

  for (const auto& c : command_table()) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->fallthrough();
    c.setup(*sub, ctx);
  }
  // `esc __complete words WORD...`, for the shell completions, is no command:
  // its arguments are another command line, which is not parsed here; it
  // prints candidates and never fails. Parsing only (the argument fuzzer), it
  // runs all the same, printing nothing and opening no store.
  if (!args.empty() && args[0] == "__complete") {
    std::vector<std::string> words(args.begin() + 1, args.end());
    if (!parse_only) return complete(app, ctx, words);
    std::streambuf* shown = std::cout.rdbuf(nullptr);
    int status = complete(app, ctx, words, false);
    std::cout.rdbuf(shown);
    return status;
  }

  // `esc help [COMMAND]` is `esc [COMMAND] --help`.
  if (!args.empty() && args[0] == "help") {
    args.erase(args.begin());
    if (args.size() > 1) throw UsageError("usage: esc help [COMMAND]");
    args.push_back("--help");
  }
  if (!args.empty() && !args[0].empty() && args[0][0] != '-') {
    bool known = std::any_of(command_table().begin(), command_table().end(),
                             [&](const Command& c) { return args[0] == c.name; });
    if (!known) {
      std::string near = nearest_command(args[0]);
      throw UsageError(fmt::format("unknown command '{}'{}; 'esc help' lists the commands", args[0],
                                   near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
    }
  }

  std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    if (!parse_only) std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    if (!parse_only) std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string where;
    for (const auto* s : app.get_subcommands()) where = s->get_name();
    return fail(ErrorKind::usage, fmt::format("{}; see 'esc {}--help'", e.what(),
                                              where.empty() ? "" : where + " "));
  }
  if (parse_only) return 0;
  if (no_color) ctx.color = false;
  if (show_version) {
    std::cout << "esc " << esc::version() << " (store schema " << esc::schema_version() << ")\n";
    return 0;
  }
  if (!ctx.run) {
    std::cout << app.help();
    return 0;
  }
  ctx.clock = make_clock();
  ctx.run();
  return ctx.exit_status;
}

}  // namespace

namespace esc::cli {

int run(const std::vector<std::string>& args, bool parse_only) {
  struct Failure {
    ErrorKind kind;
    std::string message;
  };
  std::optional<Failure> failure;
  auto guarded = [&] {
    try {
      return run_args(args, parse_only);
    } catch (const esc::Error& e) {
      failure = Failure{e.kind(), in_words(e.what(), e.hint())};
    } catch (const std::exception& e) {
      failure = Failure{ErrorKind::internal, fmt::format("internal error: {} (please report this)", e.what())};
    }
    return 0;
  };
  if (parse_only) {  // prints nothing: no output to check
    int status = guarded();
    return failure ? fail(failure->kind, failure->message) : status;
  }

  hold_open(STDIN_FILENO);
  bool stdout_closed = hold_open(STDOUT_FILENO);
  hold_open(STDERR_FILENO);
  catch_sigpipe();
  WatchedOutput watch(std::cout.rdbuf());
  std::cout.rdbuf(&watch);
  int status = guarded();
  // Every command's output is checked here, once it has all been printed:
  // output that did not arrive whole is a failure (exit 74), never a success.
  int error = finish_output(watch);
  // Nothing goes to standard output from here on: only stderr.

  // esc __complete, for the shells' completions, stays quiet and exits 0
  // whatever goes wrong; a completion may stop reading early.
  if (!args.empty() && args[0] == "__complete") return status;
  // A pipe whose reader has gone (`esc list | head -1`): the reader wanted
  // no more, so esc stops quietly, as git or cat killed by SIGPIPE would,
  // with the status a shell gives them, 128 + SIGPIPE (141). Never 0: the
  // output did not all arrive. The same when the command itself failed only
  // in writing it (an IoError, such as export's or remind's own check).
  if (error == EPIPE && (!failure || failure->kind == ErrorKind::io)) return 128 + SIGPIPE;
  // The command's own error is the one line; output that failed besides
  // says no more.
  if (failure) return fail(failure->kind, failure->message);
  if (error != 0)
    return fail(ErrorKind::io, fmt::format("cannot write the output: {}", stdout_closed && error == EBADF
                                                                              ? "standard output is closed"
                                                                              : std::strerror(error)));
  return status;
}

}  // namespace esc::cli
