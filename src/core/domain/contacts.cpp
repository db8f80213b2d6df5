#include <esc/contacts.hpp>

#include <algorithm>

namespace esc {

bool valid_email(std::string_view s) {
  if (s.empty() || s.size() > 254) return false;
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= s.size() || s.find('@', at + 1) != std::string_view::npos)
    return false;
  for (unsigned char ch : s)
    if (ch <= 0x20 || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == '"' || ch == '(' || ch == ')' ||
        ch == ';' || ch == '\\')
      return false;
  auto domain = s.substr(at + 1);
  auto dot = domain.find('.');
  return dot != std::string_view::npos && dot != 0 && domain.back() != '.';
}

std::string format_contact(const std::string& name, const std::string& email) {
  if (email.empty()) return name;
  if (name.empty()) return "<" + email + ">";
  return name + " <" + email + ">";
}

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::optional<Holder> parse_contact(std::string_view text) {
  text = trim(text);
  Holder c;
  if (!text.empty() && text.back() == '>') {
    auto open = text.rfind('<');
    if (open == std::string_view::npos) return std::nullopt;
    auto email = text.substr(open + 1, text.size() - open - 2);
    if (!valid_email(email)) return std::nullopt;
    c.email = std::string(email);
    c.name = std::string(trim(text.substr(0, open)));
    if (c.name.find_first_of("<>") != std::string::npos) return std::nullopt;
    return c;
  }
  if (text.find('@') != std::string_view::npos && text.find(' ') == std::string_view::npos) {
    if (!valid_email(text)) return std::nullopt;
    c.email = std::string(text);
    return c;
  }
  if (text.find_first_of("<>") != std::string_view::npos) return std::nullopt;
  c.name = std::string(text);
  return c;
}

std::optional<Holder> contact_of(const CaseRecord& r) {
  if (r.kind != k_assign_kind) return std::nullopt;
  auto role = party_role_named(r.to);
  if (!role) return std::nullopt;
  auto c = parse_contact(r.with);
  if (!c) return std::nullopt;
  c->role = *role;
  c->stage = r.stage;
  return c;
}

std::vector<PartyRole> owed_by(DutyKind kind) {
  switch (kind) {
    case DutyKind::notification:
    case DutyKind::feedback:
    case DutyKind::inform:
    case DutyKind::learning_referral: return {PartyRole::raiser};
    case DutyKind::deadline:
    case DutyKind::delay_reason:
    case DutyKind::action:
    case DutyKind::check_back: return {PartyRole::raiser, PartyRole::counterpart};
  }
  return {PartyRole::raiser, PartyRole::counterpart};
}

std::string Recipient::key() const { return email.empty() ? std::string(::esc::name(role)) : email; }

Recipient recipient_for(const std::vector<Holder>& contacts, PartyRole role, int stage, const Party& party) {
  const Holder* holder = nullptr;
  const Holder* own = nullptr;
  for (const auto& c : contacts) {
    if (c.role != role) continue;
    if (c.stage == stage && stage != 0) holder = &c;
    if (c.stage == 0) own = &c;
  }
  Recipient r;
  r.role = role;
  if (holder && !holder->email.empty()) {
    r.name = holder->name;
    r.email = holder->email;
    r.holder = true;
    return r;
  }
  if (own && !own->email.empty()) {
    r.name = own->name.empty() ? party.name : own->name;
    r.email = own->email;
    return r;
  }
  // No address: the holder when named, else the party.
  r.name = holder && !holder->name.empty() ? holder->name : party.name;
  r.holder = holder != nullptr;
  return r;
}

}  // namespace esc
