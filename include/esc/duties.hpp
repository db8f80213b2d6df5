#pragma once
/// Duties: everything a case owes, worked out from its pinned policy text,
/// its calendar and its chained events and records, in the order the chain
/// holds them. A pure function: no store, no clock. Whatever the store keeps
/// of duties is a copy for fast queries; `verify` compares it with this.
/// See esc-policy(5), "Duties".

#include <esc/calendar.hpp>
#include <esc/case.hpp>
#include <esc/policy.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esc {

/// Which reading of the policies' duties this esc works out: a store whose
/// copy of them came from another is worked out again when opened. Change
/// it whenever derive_duties changes what it owes for the same record.
inline constexpr std::string_view k_duties_derivation = "duties-2";

/// Every duty of `c` (its events and records; its cached deadlines are not
/// read), in the order they arose. Ids and uuids are left empty: they are
/// the store's. `legacy_check_back` gives the working days of a check-back
/// scheduled before the resolution kept them in the chain (a store from an
/// older esc); nullopt otherwise.
std::vector<CaseDeadline> derive_duties(const Policy& p, const Calendar& cal, const Case& c,
                                        std::optional<int> legacy_check_back = std::nullopt);

/// Where a case's events leave it: what the store keeps in the case's row
/// for fast queries, worked out again.
struct CaseState {
  CaseStatus status = CaseStatus::open;
  int stage = 1;
  Timestamp stage_started_at{};
  std::optional<Timestamp> paused_at;
  std::optional<Timestamp> resolved_at;
};
CaseState derive_state(const Case& c);
/// The differences between the state kept in the case's row and `s`.
std::vector<std::string> compare_state(const Case& kept, const CaseState& s);

/// When a delay-reason duty arises for a case raised at `raised`: the
/// instant after which the policy wants the reason for the delay recorded.
/// nullopt when the policy asks for none.
std::optional<Timestamp> delay_arises(const Policy& p, const Calendar& cal, Timestamp raised);

/// Whether record `r` may meet duty `d`: its kind is the one the duty asks
/// for, a duty in writing is met only by a written record (email, letter or
/// a form sent), a notification to the partnership only by one to the
/// partnership. `why_not` says what is missing when the kind matches but the
/// rest does not.
bool record_meets(const CaseDeadline& d, const CaseRecord& r, std::string* why_not = nullptr);

/// Whether a record counts as in writing.
bool in_writing(const CaseRecord& r);

/// What meets a duty, in words: "a decision recorded in writing (email,
/// letter or a form sent)", "a notification to the partnership", ...
std::string what_meets(const CaseDeadline& d);

/// The differences between the duties the store keeps for a case and those
/// worked out again, one line each ("s3.r0: kept as met, worked out as
/// open"); empty when they agree.
std::vector<std::string> compare_duties(const std::vector<CaseDeadline>& kept,
                                        const std::vector<CaseDeadline>& derived);

}  // namespace esc
