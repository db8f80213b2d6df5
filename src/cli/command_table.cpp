#include "cli/commands.hpp"

#include <array>

namespace esc::cli {

namespace {

const std::array k_commands{
    Command{"raise", "Raise a disagreement as a new case under a policy", setup_raise},
    Command{"escalate", "Move a case to the next stage the policy allows", setup_escalate},
    Command{"record", "Record a conversation, meeting, plan, decision, notification, feedback or note", setup_record},
    Command{"pause", "Halt a case where the policy allows (nothing is overdue meanwhile)", setup_pause},
    Command{"resume", "Resume a halted case; its deadlines move on by the days lost", setup_resume},
    Command{"extend", "Extend the current stage's timescales, as agreed and recorded", setup_extend},
    Command{"resolve", "Close a case with its written outcome", setup_resolve},
    Command{"assign", "Name who holds a stage for a party, and their address, so reminders reach them", setup_assign},
    Command{"list", "List open cases (or all), one line each", setup_list},
    Command{"show", "Show everything about a case, what it owes first; --explain shows how deadlines were worked out", setup_show},
    Command{"log", "The chronology of a case, oldest first", setup_log},
    Command{"report", "A case's written record or a policy's form; without ID, the partnership return (figures only)", setup_report},
    Command{"overdue", "Open deadlines and dated duties past their due date (prints nothing when none; exit 1 when some)", setup_overdue},
    Command{"due", "Duties owed now (no date: without delay) and deadlines due today or within N working days", setup_due},
    Command{"remind", "The reminder run for cron: every duty owed, overdue or due soon, printed or sent with --exec", setup_remind},
    Command{"verify", "Check the store's integrity and its tamper-evident chain (prints ok, or what was altered)", setup_verify},
    Command{"anchor", "Write the chain's head to a file kept elsewhere, for 'esc verify --anchor'", setup_anchor},
    Command{"backup", "Copy the store consistently (while others write) to a new private file, and verify it", setup_backup},
    Command{"export", "Write the whole store as JSON Lines (lossless, with UUIDs and hashes)", setup_export},
    Command{"import", "Add the cases an export holds that the store lacks (all or nothing)", setup_import},
    Command{"policy", "List, show and check escalation policies", setup_policy},
    Command{"calendar", "Bank holidays, and the Nth working day after a date", setup_calendar},
};

}  // namespace

std::span<const Command> command_table() { return k_commands; }

}  // namespace esc::cli
