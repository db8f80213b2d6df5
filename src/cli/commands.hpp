#pragma once
// The one command table: every subcommand, its summary and its setup.
// `esc help` prints it; completions and the manual are checked against it.

#include "cli/context.hpp"

#include <CLI/CLI.hpp>

#include <span>
#include <string>
#include <vector>

namespace esc::cli {

struct Command {
  const char* name;
  const char* summary;
  /// Adds the command's options to `sub` and sets ctx.run.
  void (*setup)(CLI::App& sub, Context& ctx);
};

std::span<const Command> command_table();

// One per file in src/commands/.
void setup_raise(CLI::App& sub, Context& ctx);
void setup_escalate(CLI::App& sub, Context& ctx);
void setup_assign(CLI::App& sub, Context& ctx);
void setup_record(CLI::App& sub, Context& ctx);
void setup_pause(CLI::App& sub, Context& ctx);
void setup_resume(CLI::App& sub, Context& ctx);
void setup_extend(CLI::App& sub, Context& ctx);
void setup_resolve(CLI::App& sub, Context& ctx);
void setup_list(CLI::App& sub, Context& ctx);
void setup_show(CLI::App& sub, Context& ctx);
void setup_log(CLI::App& sub, Context& ctx);
void setup_report(CLI::App& sub, Context& ctx);
void setup_overdue(CLI::App& sub, Context& ctx);
void setup_due(CLI::App& sub, Context& ctx);
void setup_remind(CLI::App& sub, Context& ctx);
void setup_verify(CLI::App& sub, Context& ctx);
void setup_anchor(CLI::App& sub, Context& ctx);
void setup_backup(CLI::App& sub, Context& ctx);
void setup_export(CLI::App& sub, Context& ctx);
void setup_import(CLI::App& sub, Context& ctx);
void setup_policy(CLI::App& sub, Context& ctx);
void setup_calendar(CLI::App& sub, Context& ctx);
// `esc __complete words WORD...` for the shell completions, which is not in
// the table (so not in the help): the app hands it the arguments after
// `__complete`, with `root` fully set up, instead of parsing them; always 0.
// Without `open_store` the open cases are not listed (nothing opens a store).
int complete(const CLI::App& root, Context& ctx, const std::vector<std::string>& args, bool open_store = true);

}  // namespace esc::cli
