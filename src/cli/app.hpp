#pragma once
// The whole command line in one call, for main() and for the argument fuzzer.

#include <string>
#include <vector>

namespace esc::cli {

/// Runs esc with these arguments (without the program name) and returns the
/// exit status; every error is reported on stderr and mapped to its exit code
/// here. With `parse_only`, the arguments are parsed and checked but no
/// command runs and no help is printed; `__complete` works out its candidates
/// but prints none and opens no store.
int run(const std::vector<std::string>& args, bool parse_only = false);

}  // namespace esc::cli
