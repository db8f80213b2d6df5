#pragma once
// Printing cases: the JSON contract scripts depend on (see esc-show(1)) and
// the plain text people read. Shared by every command that shows a case.

#include "cli/context.hpp"

#include <esc/case.hpp>
#include <esc/policy.hpp>
#include <esc/report.hpp>
#include <esc/service.hpp>
#include <esc/store.hpp>

#include <functional>
#include <memory>
#include <string_view>

namespace esc::cli {

/// The store, policies and service for one command.
struct Session {
  std::unique_ptr<Store> store;
  PolicyLibrary policies;
  std::unique_ptr<Service> service;
};

/// Opens the store (creating it when `create`) and the service; unless
/// `refresh` is false (verify: it checks the copy as it is), a copy of the
/// duties worked out by another esc is worked out again first.
Session open_session(const Context& ctx, bool create, bool refresh = true);

enum class Personal { include, omit };

nlohmann::ordered_json case_json(const Case& c, const Policy& p, Timestamp now, Personal personal,
                                 bool with_records);

/// The whole case for people; `explain` adds how each deadline was worked out.
void print_case(const Context& ctx, const Case& c, const Policy& p, Timestamp now, bool explain);

/// After a change: the headline, then who handles the stage, its deadlines and
/// what must now happen. Warnings go to stderr.
void print_outcome(const Context& ctx, const Outcome& o, const Policy& p, Timestamp now,
                   const std::string& headline, bool json);

/// The shape of every command that changes a case: open the store, let the
/// service act, print the outcome under a headline.
void run_change(const Context& ctx, bool json, const std::function<Outcome(Service&)>& act,
                const std::function<std::string(const Outcome&, const Policy&)>& headline);

/// Warnings on stderr, one line each.
void print_warnings(const std::vector<Notice>& warnings);

/// Which document a deadline is in: `esc show`'s JSON also holds `late` and
/// `overdue`; both give the same `state` (name()).
enum class DeadlineWords { show, report };

/// JSON's null for an empty text, the text otherwise.
nlohmann::ordered_json opt_text(const std::string& s);

/// A deadline as JSON: the keys `esc show --json` and `esc report --json`
/// share (see esc-show(1)), in one place.
/// A duty as JSON: the objects of the "duties" arrays of `esc show --json`
/// and `esc report ID --json`.
nlohmann::ordered_json duty_json(const TimeZone& zone, const CaseDeadline& d, DeadlineOutcome o);
nlohmann::ordered_json deadline_json(const TimeZone& zone, const CaseDeadline& d, DeadlineOutcome o,
                                     DeadlineWords words);

}  // namespace esc::cli
