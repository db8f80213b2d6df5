#pragma once
/// A local escalation policy, as loaded from its TOML file (see esc-policy(5)).
/// Everything the seeds say about process is data here; the engine reads it.

#include <esc/calendar.hpp>
#include <esc/date.hpp>
#include <esc/states.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esc {

/// The agency types esc knows. A policy's per-agency handlers and routes use
/// these names.
const std::vector<std::string>& agency_types();
bool is_agency_type(std::string_view s);

/// The kinds of record a case can hold; a deadline is met by one of them.
const std::vector<std::string>& record_kinds();
bool is_record_kind(std::string_view s);

/// The channels a conversation can use.
const std::vector<std::string>& channels();
bool is_channel(std::string_view s);

/// What a form field is filled from (see esc-policy(5), "Form fields").
const std::vector<std::string>& form_sources();

/// "N working days" (days = N) or "same working day" (days = 0).
struct Timescale {
  int days = 0;
  bool same_day = false;
  std::string text() const;  ///< as written in policies: "2 working days"
  /// Reads "N working days" / "1 working day" / "same working day".
  static std::optional<Timescale> parse(std::string_view text);
};

enum class ClockFrom { stage, case_start };

struct DeadlineRule {
  std::string action;             ///< what must be done by then
  Timescale timescale;
  ClockFrom from = ClockFrom::stage;
  std::optional<std::string> met_by;  ///< record kind; none: only leaving the stage meets it
  bool in_writing = false;        ///< met only by a written record (email, letter, or a form sent)
  std::string clause;             ///< the seed clause it comes from
};

/// The channels that count as "in writing": a phone call, a meeting or a
/// video call does not.
bool is_written_channel(std::string_view channel);

/// Whom a notification duty names: "partnership" is the policy's partnership
/// (met only by a notification to it).
inline constexpr std::string_view k_to_partnership = "partnership";

/// Something a case owes once it enters a stage (or, for the policy-wide
/// duties, at every stage or after resolution): a notification, feedback to
/// the raiser, informing someone in writing, a learning referral.
struct Requirement {
  DutyKind kind = DutyKind::inform;   ///< notification, feedback, inform, learning-referral
  std::string action;                 ///< what must now happen
  std::optional<std::string> form;    ///< form id, when a named form is to be used
  bool notify_partnership = false;    ///< the partnership is to be notified (kind notification)
  bool in_writing = false;
  std::string to;                     ///< whom: "partnership", or who (free text); "" none named
  std::optional<Timescale> timescale; ///< none: without delay, no date
  std::string clause;                 ///< the seed clause it comes from

  /// The record kind that meets it.
  std::string met_by() const;
};

/// A policy-wide duty: at every stage, or once the case is resolved.
enum class DutyOn { every_stage, resolve };
struct PolicyDuty {
  DutyOn on = DutyOn::every_stage;
  Requirement duty;
  /// on = "resolve" only: owed only when the case is resolved at one of
  /// these stages (empty: whatever the stage).
  std::vector<int> stages;
};

/// A worked example: a short scenario, and the duties and dates the policy
/// should give it (esc policy check runs them).
struct ExampleStep {
  std::string at;        ///< local date-time, "YYYY-MM-DDTHH:MM"
  std::string action;    ///< escalate record pause resume extend resolve
  std::string kind;      ///< record kind
  std::string channel;
  std::string to;        ///< a notification's recipient
  std::string form;
  std::string meets;     ///< a record naming the duty it meets
  std::optional<int> to_stage;
  int days = 0;          ///< extend
  std::string delay_reason;
  std::string learning;
  std::string action_text;  ///< an agreed action
  std::string action_due;
  int line = 0;          ///< where it is written
};
struct ExampleExpect {
  std::string duty;              ///< the duty's key ("s1.d0", "s3.r0", "case.d0", "delay", ...)
  std::optional<std::string> due;  ///< YYYY-MM-DD; "none" for a duty without a date
  std::optional<std::string> state;  ///< an outcome word ("open", "met", "met late", "missed", ...)
  bool absent = false;           ///< the duty must not exist
  int line = 0;
};
struct Example {
  std::string name;
  std::string clause;
  std::string raised;            ///< local date-time
  std::string raiser = "other";  ///< agency types
  std::string counterpart = "other";
  std::string now;               ///< when the expectations are checked (default: a year later)
  std::vector<ExampleStep> steps;
  std::vector<ExampleExpect> expect;
  int line = 0;
};

struct Stage {
  int number = 0;
  std::string title;
  std::string handler;                          ///< the role for any party
  std::map<std::string, std::string> handlers;  ///< overrides by agency type
  std::vector<DeadlineRule> deadlines;
  std::vector<Requirement> requires_;
  std::string expected_outcome;
  /// The partnership itself handles this stage (Stoke-on-Trent's stage 5,
  /// Sefton's step 4), as against a stage at which it is only notified.
  bool partnership = false;

  /// The role that handles this stage for a party of the given agency type.
  const std::string& handler_for(const std::string& agency_type) const;
  bool notifies_partnership() const;
};

/// A jump a user may ask for with --to; it always needs a reason.
struct Jump {
  std::vector<int> from;  ///< empty: from any earlier stage
  int to = 0;
  std::string note;
};

/// A move decided by the parties' agency types (Birmingham: school and school
/// go from stage 1 to stage 5).
struct Route {
  int from = 0;
  int to = 0;
  std::vector<std::pair<std::string, std::string>> when;  ///< unordered pairs
  std::string note;
};

struct FormField {
  std::string id;
  std::string label;
  std::string source;
  std::string instruction;  ///< the form's own guidance for the field, shown under its label
};

struct Form {
  std::string id;
  std::string name;
  std::string appendix;
  std::string send_to;
  /// The policy names the form without reproducing it: its fields are read
  /// from the policy's text, and the partnership's own form may differ.
  bool reconstructed = false;
  std::vector<FormField> fields;
};

/// What marks a reconstructed form wherever it is shown.
inline constexpr std::string_view k_reconstruction_note =
    "Reconstruction: fields as read from the policy's text; the partnership's own form may differ.";

struct Contact {
  std::string name;
  std::string phone;
  std::string email;
  std::string hours;
};

struct Category {
  std::string id;
  std::string label;
};

struct Policy {
  // identity
  std::string id;
  std::string name;
  std::string partnership;
  std::string partnership_short;
  std::string version;
  std::string review_date;
  std::string calendar_name = "england-and-wales";
  std::string time_zone = "Europe/London";
  std::string stage_term = "stage";
  std::string contact;
  std::string records_in;

  std::string emergency_text;
  std::vector<Contact> emergency_contacts;

  std::vector<Category> categories;  ///< always ends with `other`
  std::vector<Stage> stages;         ///< in order, numbered from 1

  std::optional<DeadlineRule> case_limit;

  bool next_allowed = true;
  std::vector<Jump> jumps;
  std::vector<Route> routes;

  std::vector<std::string> channels_preferred;
  std::map<std::string, std::string> channels_discouraged;  ///< channel -> why

  bool pause_allowed = false;
  std::string pause_term = "paused";
  bool pause_reason_required = true;
  bool extension_allowed = false;
  bool extension_agreement_required = true;
  std::optional<Timescale> delay_reason_after;
  std::optional<int> delay_reason_after_hours;  ///< "1 day", "24 hours": time elapsed since raising
  std::string delay_clause;

  bool outcome_required = true;
  bool learning_required = false;
  std::string agreed_by;
  std::string learning_to;
  bool learning_referral = false;  ///< learning points are referred (to learning_to) after resolution
  std::optional<Timescale> learning_referral_timescale;
  std::string learning_referral_clause;

  std::vector<PolicyDuty> duties;  ///< policy-wide duties ([[duties]])
  std::vector<Example> examples;

  std::vector<Form> forms;
  std::vector<Holiday> closures;

  std::string source_path;  ///< where it was loaded from
  std::string text;         ///< the exact text it was parsed from

  const Stage* stage(int number) const;
  const Stage& first_stage() const { return stages.front(); }
  const Form* form(std::string_view id) const;
  bool has_category(std::string_view id) const;
  /// The calendar with the policy's closure days added.
  Calendar make_calendar() const;
};

/// Parses policy text; `origin` names the file in messages. Throws PolicyError
/// with `origin:line:column: what is wrong` on anything it cannot use.
Policy parse_policy(std::string_view text, const std::string& origin);
/// Reads and parses a file.
Policy load_policy_file(const std::string& path);

}  // namespace esc
