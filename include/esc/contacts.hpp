#pragma once
/// Who a case's duties fall to: the parties' addresses and the people who
/// hold a stage for a party, each kept as a chained record of kind "assign"
/// (k_assign_kind), never edited; the newest one for a party and stage
/// counts. A pure part of the core: no store, no clock.

#include <esc/case.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace esc {

/// The kind of record that names a party's address (stage 0) or whoever
/// holds a stage for a party. Its `to` is the party ("raiser",
/// "counterpart"), its `with` the person as "Name <address>", "Name" or
/// "<address>", its `stage` the stage held (0: the party at every stage).
inline constexpr std::string_view k_assign_kind = "assign";

/// A person and address for a party, at one stage or (stage 0) at all.
struct Holder {
  PartyRole role = PartyRole::raiser;
  int stage = 0;
  std::string name;
  std::string email;
};

/// Whether `s` is an e-mail address esc accepts: one '@' with text on each
/// side, a dot in the domain, no spaces, no angle brackets, no commas, no
/// quotes and no control characters.
bool valid_email(std::string_view s);
/// "Name <address>", "<address>" or "Name".
std::string format_contact(const std::string& name, const std::string& email);
/// The name and address in "Name <address>", "<address>", "address" or
/// "Name"; nullopt when an address in it is not valid.
std::optional<Holder> parse_contact(std::string_view text);
/// The contact an assign record names; nullopt for any other record.
std::optional<Holder> contact_of(const CaseRecord& r);

/// Which parties owe a duty of this kind (esc-remind(1), "RECIPIENTS"):
/// both parties owe the process's deadlines, delay reasons, agreed actions
/// and check-backs; the raiser's side owes notifications, feedback to the
/// practitioner who raised the concern, informing and learning referrals.
std::vector<PartyRole> owed_by(DutyKind kind);

/// Whom a reminder goes to.
struct Recipient {
  PartyRole role = PartyRole::raiser;  ///< the party whose duty it is
  std::string name;                    ///< the person, when known
  std::string email;                   ///< "" when no address is known
  bool holder = false;                 ///< named as holding the stage (not the party's own address)
  /// How reminders to it are told apart: the address, else the party's word.
  std::string key() const;
};

/// Whom a duty at `stage` owed by the party `role` goes to, given the case's
/// contacts in the order they were recorded: the newest holder of that
/// stage for the party with an address; else the party's own address
/// (stage 0); else the party, with no address.
Recipient recipient_for(const std::vector<Holder>& contacts, PartyRole role, int stage, const Party& party);

}  // namespace esc
