// esc remind: the reminder run for cron. Overdue and due-soon deadlines,
// printed, or each handed to --exec CMD as JSON on stdin with its main fields
// in ESC_CASE, ESC_STAGE, ESC_ACTION, ESC_DUE and ESC_STATE.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"
#include "cli/due_view.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

namespace esc::cli {

namespace {

struct RemindOptions {
  int within = 1;
  std::string exec;
  bool new_only = false;
  bool json = false;
};

/// Runs `cmd` with /bin/sh, `input` on its stdin and `env` added to its
/// environment. Returns its exit status (128 + signal when killed).
int run_command(const std::string& cmd, const std::string& input,
                const std::vector<std::pair<std::string, std::string>>& env) {
  int fds[2];
  if (pipe(fds) != 0) throw IoError(fmt::format("cannot run --exec: {}", std::strerror(errno)));
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw IoError(fmt::format("cannot run --exec: {}", std::strerror(errno)));
  if (pid == 0) {
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    close(fds[1]);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  // A command that does not read its input must not kill esc.
  auto old = std::signal(SIGPIPE, SIG_IGN);
  size_t off = 0;
  while (off < input.size()) {
    ssize_t n = write(fds[1], input.data() + off, input.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
  close(fds[1]);
  std::signal(SIGPIPE, old);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

void run_remind(const Context& ctx, const RemindOptions& o) {
  if (o.within < 0) throw UsageError("--within takes a number of working days from 0 up");
  Session s = open_session(ctx, true);
  // Each case's window counts on its own policy's calendar.
  auto items = s.service->open_deadlines_due({o.within, false}, "");
  struct Due {
    DueItem item;
    Reminder state;
  };
  std::vector<Due> todo;
  for (auto& it : items) {
    Reminder state = !it.timed ? Reminder::owed : it.due < it.today ? Reminder::overdue : Reminder::due_soon;
    if (o.new_only && s.service->reminder_sent(it.deadline_id, state)) continue;
    todo.push_back({std::move(it), state});
  }
  if (o.exec.empty()) {
    if (o.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& r : todo) out.push_back(due_item_json(r.item, r.state));
      print_json(out);
    } else {
      std::vector<DueItem> shown;
      for (const auto& r : todo) shown.push_back(r.item);
      print_due_items(ctx, shown);
    }
    std::cout.flush();
    if (o.new_only)
      for (const auto& r : todo) s.service->mark_reminder_sent(r.item.deadline_id, r.state);
    return;
  }
  int failed = 0;
  for (const auto& r : todo) {
    std::string payload = versioned(due_item_json(r.item, r.state)).dump(-1, ' ', false,
                                                              nlohmann::ordered_json::error_handler_t::replace) + "\n";
    int rc = run_command(o.exec, payload,
                         {{"ESC_CASE", std::to_string(r.item.case_id)},
                          {"ESC_STAGE", std::to_string(stored_stage(r.item.scope, r.item.stage))},
                          {"ESC_ACTION", r.item.action},
                          {"ESC_DUE", r.item.due.iso()},
                          {"ESC_STATE", std::string(name(r.state))}});
    if (rc != 0) {
      ++failed;
      std::cerr << fmt::format("esc: warning: the reminder for case {} ({}, due {}) was not sent: --exec exited {}\n",
                               r.item.case_id, r.state, r.item.due.iso(), rc);
      continue;
    }
    // Remembered only once delivered, so a failed one is tried again.
    if (o.new_only) s.service->mark_reminder_sent(r.item.deadline_id, r.state);
  }
  if (failed)
    throw IoError(fmt::format("{} of {} reminders were not sent: check the --exec command", failed, todo.size()));
}

}  // namespace

void setup_remind(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<RemindOptions>();
  sub.add_option("--within", o->within, "Also remind of deadlines due within N working days (default 1)");
  sub.add_option("--exec", o->exec, "Run CMD once per reminder, with the reminder as JSON on its stdin");
  sub.add_flag("--new-only", o->new_only, "Send each reminder once per deadline and state (remembered in the store)");
  sub.add_flag("--json", o->json, "Print a JSON array instead of text (without --exec)");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_remind(ctx, *o); }; });
}

}  // namespace esc::cli
