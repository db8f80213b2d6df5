// esc remind: the reminder run for cron. Overdue and due-soon deadlines,
// printed, or each handed to --exec CMD as JSON on stdin with its main fields
// in ESC_CASE, ESC_STAGE, ESC_ACTION, ESC_DUE and ESC_STATE.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"
#include "cli/due_view.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
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
  bool dry_run = false;
  int repeat = 5;
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

/// "pid N on HOST": who claims a reminder.
std::string claimant() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "localhost");
  return fmt::format("pid {} on {}", getpid(), host);
}

/// Whether a claim is held by a run still sending it: one on this machine
/// whose process is alive, or one elsewhere; either for at most
/// k_claim_lease (a run killed mid-send, or a reused process id, does not
/// hold a reminder back for longer).
constexpr auto k_claim_lease = std::chrono::minutes(10);
bool claim_live(const ReminderMark& m, Timestamp now, const std::string& me) {
  if (now - m.at > k_claim_lease) return false;
  long pid = 0;
  char host[256] = {};
  if (std::sscanf(m.claimant.c_str(), "pid %ld on %255s", &pid, host) != 2) return true;
  const std::string mine = me.substr(me.find(" on ") + 4);
  if (host != mine) return true;
  if (pid == static_cast<long>(getpid())) return true;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

/// What was printed reached stdout, or IoError (exit 74).
void check_stdout() {
  std::cout.flush();
  if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout))
    throw IoError(fmt::format("cannot write the reminders: {}; none was marked sent", std::strerror(errno ? errno : EIO)));
}

void run_remind(const Context& ctx, const RemindOptions& o) {
  if (o.within < 0) throw UsageError("--within takes a number of working days from 0 up");
  if (o.repeat < 0) throw UsageError("--repeat takes a number of working days from 0 up (0: send once)");
  if (o.dry_run && !o.exec.empty()) throw UsageError("--dry-run prints what would be sent: leave out --exec");
  Session s = open_session(ctx, false);
  // Each case's window counts on its own policy's calendar.
  auto items = s.service->open_deadlines_due({o.within, false}, "");
  Timestamp now = s.service->now();
  ReminderRules rules;
  rules.repeat = o.repeat;
  rules.claimant = claimant();
  rules.live = [now, me = rules.claimant](const ReminderMark& m) { return claim_live(m, now, me); };
  const bool remember = o.new_only && !o.dry_run;
  struct Due {
    DueItem item;
    Reminder state;
    int sending = 1;  ///< which sending of this reminder (1: the first)
  };
  std::vector<Due> todo;
  for (auto& it : items) {
    Reminder state = !it.timed ? Reminder::owed : it.due < it.today ? Reminder::overdue : Reminder::due_soon;
    std::optional<int> sending = 1;
    // --new-only claims what it sends (one transaction each), so that a run
    // at the same time sends something else; --dry-run only looks.
    if (remember) sending = s.service->claim_reminder(it, state, rules);
    else if (o.new_only) sending = s.service->reminder_to_send(it, state, rules);
    if (!sending) continue;
    todo.push_back({std::move(it), state, *sending});
  }
  auto json_of = [](const Due& r) {
    auto j = due_item_json(r.item, r.state);
    j["sending"] = r.sending;  // 1 the first time this reminder is sent, 2 the second, ...
    return j;
  };
  if (o.exec.empty()) {
    if (o.json) {
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (const auto& r : todo) out.push_back(json_of(r));
      print_json(out);
    } else {
      std::vector<DueItem> shown;
      for (const auto& r : todo) shown.push_back(r.item);
      print_due_items(ctx, shown);
      for (const auto& r : todo)
        if (r.sending > 1)
          std::cout << fmt::format("case {}: {}: reminder sent {} times before\n", r.item.case_id, r.item.action,
                                   r.sending - 1);
    }
    // Marked delivered only once it is written: a run that cannot write
    // leaves its claims, which the next run takes over and sends.
    check_stdout();
    if (remember)
      for (const auto& r : todo) s.service->mark_reminder_sent(r.item.deadline_id, r.state, r.item.due);
    return;
  }
  int failed = 0;
  for (const auto& r : todo) {
    std::string payload = versioned(json_of(r)).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    int rc = run_command(o.exec, payload,
                         {{"ESC_CASE", std::to_string(r.item.case_id)},
                          {"ESC_STAGE", std::to_string(stored_stage(r.item.scope, r.item.stage))},
                          {"ESC_KEY", r.item.key},
                          {"ESC_ACTION", r.item.action},
                          {"ESC_DUE", r.item.timed ? r.item.due.iso() : std::string()},
                          {"ESC_STATE", std::string(name(r.state))},
                          {"ESC_SENDING", std::to_string(r.sending)}});
    if (rc != 0) {
      ++failed;
      std::cerr << fmt::format("esc: warning: the reminder for case {} ({}, due {}) was not sent: --exec exited {}\n",
                               r.item.case_id, r.state, r.item.due.iso(), rc);
      continue;
    }
    // Remembered as delivered only once the command succeeded; a failed one
    // stays claimed by this run, and the next run sends it.
    if (remember) s.service->mark_reminder_sent(r.item.deadline_id, r.state, r.item.due);
  }
  if (failed)
    throw IoError(fmt::format("{} of {} reminders were not sent: check the --exec command", failed, todo.size()));
}

}  // namespace

void setup_remind(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<RemindOptions>();
  sub.add_option("--within", o->within, "Also remind of deadlines due within N working days (default 1)");
  sub.add_option("--exec", o->exec, "Run CMD once per reminder, with the reminder as JSON on its stdin");
  sub.add_flag("--new-only", o->new_only,
               "Send each reminder once per duty, state and due date (claimed and remembered in the store)");
  sub.add_option("--repeat", o->repeat,
                 "With --new-only, send an overdue duty again every N working days while it stays overdue "
                 "(default 5, a working week; 0: once)");
  sub.add_flag("--dry-run", o->dry_run, "Print what would be sent, claiming and remembering nothing");
  sub.add_flag("--json", o->json, "Print a JSON array instead of text (without --exec)");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_remind(ctx, *o); }; });
}

}  // namespace esc::cli
