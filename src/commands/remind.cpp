// esc remind: the reminder run for cron. Every duty owed, overdue or due
// soon, grouped into one message per recipient (the person who holds the
// duty's stage for the party that owes it, else the party), printed, or each
// message handed to --exec CMD on stdin with the address in ESC_TO.

#include "cli/case_view.hpp"
#include "cli/commands.hpp"
#include "cli/due_view.hpp"
#include "cli/reminder_mail.hpp"

#include <esc/error.hpp>

#include <fmt/format.h>

#include <algorithm>
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
  std::string format = "text";
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
  MessageFormat format = MessageFormat::text;
  if (o.format == "json") format = MessageFormat::json;
  else if (o.format == "mail") format = MessageFormat::mail;
  else if (o.format != "text")
    throw UsageError(fmt::format("unknown --format '{}': use text, json or mail", o.format));
  if (o.json) {
    if (!o.exec.empty()) throw UsageError("--json prints the messages: with --exec, use --format json for its input");
    format = MessageFormat::json;
  }
  Session s = open_session(ctx, false);
  Timestamp now = s.service->now();
  ReminderRules rules;
  rules.repeat = o.repeat;
  rules.claimant = claimant();
  rules.live = [now, me = rules.claimant](const ReminderMark& m) { return claim_live(m, now, me); };
  const bool remember = o.new_only && !o.dry_run;
  // One reminder per duty and recipient: a duty both parties owe goes to
  // each. Each case's window counts on its own policy's calendar. The run
  // keeps its reminders in the store's lists of them (a few numbers each)
  // while it reads, claims and orders them (one recipient's duties span
  // cases), and reads each duty again as it writes its message: what it
  // holds does not grow with the number of reminders.
  ReminderPlan plan = read_reminders(*s.service, o.within);
  // Claimed after the reading is done, so no claim is written while the
  // store is being read. --new-only claims what it sends (one transaction
  // each), so that a run at the same time sends something else; --dry-run
  // only looks.
  plan.group(*s.service, [&](const ReminderSlot& slot) -> std::optional<int> {
    if (!o.new_only) return 1;
    DueItem probe = plan.probe(slot);
    Recipient to = plan.recipient_key(slot);
    return remember ? s.service->claim_reminder(probe, slot.state(), to, rules)
                    : s.service->reminder_to_send(probe, slot.state(), to, rules);
  });
  auto delivered = [&](const ReminderSlot& it) {
    s.service->mark_reminder_sent(it.deadline_id, it.state(), it.due(), plan.recipient_key(it));
  };
  if (o.exec.empty()) {
    // Written message by message (the JSON array as print_json writes one).
    size_t written = 0;
    // The duties are read again on one snapshot (the marks come after).
    JsonArrayPrinter array;
    s.service->read([&] {
      plan.each_message(*s.service, [&](const ReminderMessage& m, const std::vector<ReminderSlot>&) {
        if (format == MessageFormat::json) {
          array.add(message_json(m));
        } else {
          if (written > 0) std::cout << "\n";
          std::cout << message_body(m, format);
        }
        ++written;
      });
    });
    if (format == MessageFormat::json) array.finish();
    // Marked delivered only once it is written: a run that cannot write
    // leaves its claims, which the next run takes over and sends.
    check_stdout();
    if (remember) plan.each_slot(*s.service, delivered);
    return;
  }
  size_t failed = 0, failed_reminders = 0, messages = 0;
  plan.each_message(*s.service, [&](const ReminderMessage& m, const std::vector<ReminderSlot>& slots) {
    ++messages;
    const Reminding& first = *m.items.front();
    std::string cases;
    for (const auto* r : m.items)
      if (cases.find(" " + std::to_string(r->item.case_id) + " ") == std::string::npos &&
          cases.rfind(std::to_string(r->item.case_id) + " ", 0) != 0)
        cases += std::to_string(r->item.case_id) + " ";
    if (!cases.empty()) cases.pop_back();
    int rc = run_command(o.exec, message_body(m, format),
                         {{"ESC_TO", m.to.email},
                          {"ESC_TO_NAME", m.to.name},
                          {"ESC_PARTY", std::string(name(m.to.role))},
                          {"ESC_SUBJECT", message_subject(m)},
                          {"ESC_COUNT", std::to_string(m.items.size())},
                          {"ESC_CASES", cases},
                          // The message's first (most pressing) reminder:
                          {"ESC_CASE", std::to_string(first.item.case_id)},
                          {"ESC_STAGE", std::to_string(stored_stage(first.item.scope, first.item.stage))},
                          {"ESC_KEY", first.item.key},
                          {"ESC_ACTION", first.item.action},
                          {"ESC_DUE", first.item.timed ? first.item.due.iso() : std::string()},
                          {"ESC_STATE", std::string(name(first.state))},
                          {"ESC_SENDING", std::to_string(first.sending)}});
    if (rc != 0) {
      ++failed;
      failed_reminders += m.items.size();
      std::cerr << fmt::format("esc: warning: the message to {} about case{} {} ({}) was not sent: --exec exited {}\n",
                               m.to.email.empty() ? fmt::format("the {}'s side, no address", name(m.to.role))
                                                  : m.to.email,
                               cases.find(' ') == std::string::npos ? "" : "s", cases, message_subject(m).substr(5), rc);
      return;
    }
    // Remembered as delivered only once the command succeeded; a failed one
    // stays claimed by this run, and the next run sends it.
    if (remember)
      for (const auto& slot : slots) delivered(slot);
  });
  if (failed)
    throw IoError(fmt::format("{} of {} messages ({} reminders) were not sent: check the --exec command", failed,
                              messages, failed_reminders));
}

}  // namespace

void setup_remind(CLI::App& sub, Context& ctx) {
  auto o = std::make_shared<RemindOptions>();
  sub.add_option("--within", o->within, "Also remind of deadlines due within N working days (default 1)");
  sub.add_option("--exec", o->exec,
                 "Run CMD once per recipient, with their message on its stdin and their address in ESC_TO");
  sub.add_option("--format", o->format,
                 "How each message is written: text (default), json (for scripts) or mail (with To and Subject "
                 "headers, for sendmail -t)");
  sub.add_flag("--new-only", o->new_only,
               "Send each reminder once per duty, state and due date (claimed and remembered in the store)");
  sub.add_option("--repeat", o->repeat,
                 "With --new-only, send an overdue duty again every N working days while it stays overdue "
                 "(default 5, a working week; 0: once)");
  sub.add_flag("--dry-run", o->dry_run, "Print what would be sent, claiming and remembering nothing");
  sub.add_flag("--json", o->json, "Print the messages as a JSON array (without --exec)");
  sub.callback([&ctx, o] { ctx.run = [&ctx, o] { run_remind(ctx, *o); }; });
}

}  // namespace esc::cli
