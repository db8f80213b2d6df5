#pragma once
// What every command gets: the global options, the clock, the environment and
// how to print. Commands parse and print; the core decides.

#include <esc/clock.hpp>
#include <esc/policy_library.hpp>
#include <esc/states.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace esc {

// Each word of the vocabulary goes into JSON as its word (states.hpp), never
// as a number: enums have no other JSON form (JSON_DISABLE_ENUM_SERIALIZATION).
template <typename Json> void to_json(Json& j, CaseStatus v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, EventType v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, PartyRole v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, ClosedBy v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, DeadlineScope v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, DeadlineOutcome v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, Reminder v) { j = std::string(name(v)); }
template <typename Json> void to_json(Json& j, DutyKind v) { j = std::string(name(v)); }

}  // namespace esc

namespace esc::cli {

struct Context {
  std::string db_path;          ///< --db (empty: ESC_DB, then the default)
  bool color = false;           ///< stdout is a terminal and NO_COLOR is unset
  std::unique_ptr<Clock> clock;
  std::filesystem::path exe_dir;

  /// The command chosen, set by its setup function; run after parsing.
  std::function<void()> run;
  /// The exit status when the command succeeds (esc overdue: 1 when
  /// something is overdue, so `esc overdue || handle` works).
  int exit_status = 0;

  static std::optional<std::string> env(const char* name);
  PolicyLibrary policies() const;
};

/// The version of esc's JSON contract (esc(1), JSON OUTPUT). It goes up
/// when a field is removed, renamed or changes its meaning or its words; a
/// field added leaves it as it is.
constexpr int k_json_format = 1;

/// `j` with "format": k_json_format first in it, or, for an array, first in
/// each object in it: every JSON document esc writes says its version.
nlohmann::ordered_json versioned(nlohmann::ordered_json j);

/// Prints JSON for scripts: two-space indent, keys in insertion order, the
/// format's version first (versioned()).
void print_json(const nlohmann::ordered_json& j);

/// Prints a JSON array one element at a time, byte for byte as print_json
/// prints the whole array: a long list is never held whole.
class JsonArrayPrinter {
 public:
  JsonArrayPrinter() = default;
  JsonArrayPrinter(const JsonArrayPrinter&) = delete;
  JsonArrayPrinter& operator=(const JsonArrayPrinter&) = delete;
  void add(const nlohmann::ordered_json& element);
  /// Ends the array ("[]" when nothing was added).
  void finish();

 private:
  size_t count_ = 0;
};

/// ANSI styling, only when colour is on.
std::string bold(const Context& ctx, const std::string& s);
std::string dim(const Context& ctx, const std::string& s);
std::string red(const Context& ctx, const std::string& s);
std::string yellow(const Context& ctx, const std::string& s);
std::string green(const Context& ctx, const std::string& s);

/// Text from the store or a policy made safe for a terminal: each byte that is
/// not UTF-8 and each character esc::is_terminal_control() names (C0 but tab
/// and newline, DEL, C1, so escape sequences too, and the bidirectional
/// overrides and isolates) is shown as '?'. esc refuses to store text that is
/// not UTF-8, but such bytes still arrive in arguments echoed by errors, and in
/// a store changed behind esc's back.
std::string safe(const std::string& s);

}  // namespace esc::cli
