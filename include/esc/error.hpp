#pragma once
/// The one error hierarchy of esc. Each kind maps to one exit code
/// (sysexits-style); the CLI catches `esc::Error` in one place and prints
/// `esc: error: <message>`, naming the hint's fields and remedy in its own
/// words (cli/words.cpp). The core's messages name no flag and no command.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace esc {

enum class ErrorKind {
  usage = 64,        ///< bad command line
  data = 65,         ///< bad input data, or a move the policy does not allow
  not_found = 66,    ///< no such case, policy or file
  internal = 70,     ///< a bug
  cant_create = 73,  ///< cannot create the store or a file
  io = 74,           ///< read or write failed
  busy = 75,         ///< the store stayed locked past the busy timeout
  config = 78,       ///< bad policy or configuration
};

/// Exit code for an error kind.
constexpr int exit_code(ErrorKind kind) { return static_cast<int>(kind); }

/// A piece of input, in the core's terms: what a message is about. The
/// command line names each by its flag or variable; another front end would
/// name it its own way.
enum class Field {
  at,                  ///< when something happened
  clock,               ///< the time esc takes as now
  summary,
  raiser,
  raiser_agency,
  counterpart,
  counterpart_agency,
  requested_action,
  child,
  child_ref,
  dob,
  nhs,
  risk,
  reason,
  with,
  action,
  action_due,
  corrects,
  record_kind,
  days,
  agreed_by,
  outcome,
  learning,
  delay_reason,
  check_back,
  to_stage,
  channel,
  store,  ///< where the store is
  to,     ///< whom a notification went to
  form,   ///< the form sent
  duty,   ///< the duty a record meets or waives
  raiser_email,
  counterpart_email,
  email,               ///< an assigned person's address
  name,                ///< an assigned person's name
  party,               ///< which party
  stage,               ///< which stage
  raiser_holder,       ///< who holds the new stage for the raiser
  counterpart_holder,  ///< who holds it for the counterpart
};

/// The field's name in a sentence: "the summary", "the outcome statement".
std::string_view noun(Field f);

/// What to do next, in the core's terms; the command line says which command
/// does it.
enum class Remedy {
  none,
  resume,             ///< resume the case
  resolve,            ///< resolve the case
  list_cases,         ///< see which cases there are
  list_records,       ///< see the case's records
  list_policies,      ///< see which policies there are
  record_check_back,  ///< record the check-back
  record_decision,    ///< record a decision or feedback
  record_action,      ///< record what was done: a conversation, meeting, decision, plan ...
  give_learning,      ///< give learning points on resolving
  write_anchor,       ///< write an anchor of the chain
  show_case,          ///< see the case and what it owes
};

/// What an error or a notice is about, as data: the fields it names, what to
/// do, and the case it concerns.
struct Hint {
  std::vector<Field> fields;
  Remedy remedy = Remedy::none;
  int64_t case_id = 0;
  /// The text begins with noun(fields[0]): the field is what it is about.
  bool leads = false;
};

/// Something the core says besides an error: a notice of what must now
/// happen, or a warning.
struct Notice {
  Notice() = default;
  Notice(std::string text, Hint hint = {}) : text(std::move(text)), hint(std::move(hint)) {}  // NOLINT: implicit
  std::string text;
  Hint hint;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, Hint hint = {})
      : std::runtime_error(message), kind_(kind), hint_(std::move(hint)) {}
  ErrorKind kind() const { return kind_; }
  const Hint& hint() const { return hint_; }

 private:
  ErrorKind kind_;
  Hint hint_;
};

struct UsageError : Error {
  explicit UsageError(const std::string& m, Hint h = {}) : Error(ErrorKind::usage, m, std::move(h)) {}
};
struct DataError : Error {
  explicit DataError(const std::string& m, Hint h = {}) : Error(ErrorKind::data, m, std::move(h)) {}
};
struct NotFoundError : Error {
  explicit NotFoundError(const std::string& m, Hint h = {}) : Error(ErrorKind::not_found, m, std::move(h)) {}
};
struct InternalError : Error {
  explicit InternalError(const std::string& m, Hint h = {}) : Error(ErrorKind::internal, m, std::move(h)) {}
};
struct CantCreateError : Error {
  explicit CantCreateError(const std::string& m, Hint h = {}) : Error(ErrorKind::cant_create, m, std::move(h)) {}
};
struct IoError : Error {
  explicit IoError(const std::string& m, Hint h = {}) : Error(ErrorKind::io, m, std::move(h)) {}
};
struct BusyError : Error {
  explicit BusyError(const std::string& m, Hint h = {}) : Error(ErrorKind::busy, m, std::move(h)) {}
};
/// A policy file that cannot be used: always names the file, and the line and
/// column where there is one.
struct PolicyError : Error {
  explicit PolicyError(const std::string& m, Hint h = {}) : Error(ErrorKind::config, m, std::move(h)) {}
};
/// Configuration that cannot be used other than a policy: an environment
/// that names no place for the store, say.
struct ConfigError : Error {
  explicit ConfigError(const std::string& m, Hint h = {}) : Error(ErrorKind::config, m, std::move(h)) {}
};

}  // namespace esc
