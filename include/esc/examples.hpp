#pragma once
/// Worked examples: a policy's own scenarios ([[examples]]), each a case
/// built in memory from its steps, with the duties the rules give it
/// compared against what the example expects. A pure function: no store, no
/// clock. `esc policy check` runs every example of a policy it checks. See
/// esc-policy(5), "WORKED EXAMPLES".

#include <esc/policy.hpp>

#include <string>
#include <vector>

namespace esc {

/// One way an example does not come out as it says.
struct ExampleFailure {
  std::string example;  ///< its name
  int line = 0;         ///< where the example begins
  int at_line = 0;      ///< the expectation or step that failed
  /// The duty's key; empty when a step was refused.
  std::string duty;
  /// What differs: "due", "state", "absent" (it should not exist but does),
  /// "exists" (it should exist but does not), "step" (a step esc would
  /// refuse, or could not read), or "error" (the duties cannot be worked
  /// out, such as for a date past the calendar's years).
  std::string what;
  std::string expected;
  std::string actual;

  /// `example "Sefton: 4 days total" (line 212): s2.d0 due expected
  /// 2026-11-06, got 2026-11-05`.
  std::string message() const;
};

/// Runs one example under `p`: the case is raised at `ex.raised` by a party
/// of agency type `ex.raiser` with one of `ex.counterpart`, each step is
/// added as the event or record it names (in order, as esc would add it),
/// and every expectation is compared at `ex.now` (a year after raising when
/// not given). A duty without a date (owed without delay) has due "none";
/// an expected date is compared with the day it arose (for the delay
/// reason, the day the reason falls due). Empty when the example comes out as it says. A step esc
/// would refuse (a move the policy does not allow, a pause it does not
/// provide for, a record naming a duty it cannot meet ...) is one failure,
/// and the expectations are then not compared. Never throws.
std::vector<ExampleFailure> run_example(const Policy& p, const Example& ex);

}  // namespace esc
