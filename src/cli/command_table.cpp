#include "cli/commands.hpp"

#include <array>

namespace esc::cli {

namespace {

const std::array k_commands{
    Command{"policy", "List, show and check escalation policies", setup_policy},
    Command{"calendar", "Bank holidays, and the Nth working day after a date", setup_calendar},
};

}  // namespace

std::span<const Command> command_table() { return k_commands; }

}  // namespace esc::cli
