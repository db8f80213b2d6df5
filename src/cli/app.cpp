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
#include <filesystem>
#include <iostream>
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
  try {
    return run_args(args, parse_only);
  } catch (const esc::Error& e) {
    return fail(e.kind(), in_words(e.what(), e.hint()));
  } catch (const std::exception& e) {
    return fail(ErrorKind::internal, fmt::format("internal error: {} (please report this)", e.what()));
  }
}

}  // namespace esc::cli
