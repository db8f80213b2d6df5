#include <esc/crypto.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/service.hpp>
#include <esc/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <memory>

namespace esc {

namespace {

std::string stage_name(const Policy& p, int stage) {
  const Stage* s = p.stage(stage);
  return fmt::format("{} {}{}", p.stage_term, stage, s ? ": " + s->title : "");
}

/// The time given, or now. Refuses a time in the future or before `not_before`.
Timestamp when(const std::optional<std::string>& at, const TimeZone& zone, Timestamp now,
               std::optional<Timestamp> not_before, const char* what) {
  if (!at) {
    if (not_before && now < *not_before)
      throw DataError(fmt::format("now is before the case's last change at {}: check the clock",
                                  zone.format(*not_before)),
                      {{Field::clock}});
    return now;
  }
  Timestamp t = parse_timestamp(*at, zone);
  if (t > now)
    throw DataError(fmt::format("{} is in the future: esc records what has happened", *at), {{Field::at}});
  if (not_before && t < *not_before)
    throw DataError(fmt::format("{} is before {}: the {} cannot come before what the case already holds", *at,
                                zone.format(*not_before), what),
                    {{Field::at}});
  return t;
}

Timestamp last_change(const Case& c) {
  Timestamp t = c.raised_at;
  for (const auto& e : c.events) t = std::max(t, e.at);
  return t;
}

bool pair_matches(const Route& r, const Case& c) {
  const auto& a = c.raiser.agency_type;
  const auto& b = c.counterpart.agency_type;
  return std::any_of(r.when.begin(), r.when.end(), [&](const auto& w) {
    return (w.first == a && w.second == b) || (w.first == b && w.second == a);
  });
}

int64_t insert_event(CaseStore& store, const Case& c, CaseEvent e) {
  e.uuid = new_uuid();
  return store.add_event(c.id, e);
}

/// Whether a duty belongs to `stage`.
bool in_stage(const CaseDeadline& d, int stage) { return d.scope == DeadlineScope::stage && d.stage == stage; }

/// Whether the event `id` is not yet in the chain (the one being added).
bool unchained_event(const Case& c, int64_t id) {
  return std::any_of(c.events.begin(), c.events.end(), [&](const CaseEvent& e) { return e.id == id && e.chain_seq == 0; });
}

/// The working days of a check-back a store from before duties kept only
/// in its copy of the deadlines (the resolution did not yet say them).
std::optional<int> legacy_check_back(const Case& c) {
  const CaseEvent* r = c.resolution();
  if (!r || r->days) return std::nullopt;
  for (const auto& d : c.deadlines)
    if (d.scope == DeadlineScope::check_back)
      if (auto ts = Timescale::parse(d.timescale)) return ts->days;
  return std::nullopt;
}

/// The duties worked out, with the ids and uuids the store keeps them by.
void attach_ids(std::vector<CaseDeadline>& derived, const std::vector<CaseDeadline>& kept) {
  std::map<std::string, const CaseDeadline*> by_key;
  for (const auto& d : kept) by_key.emplace(d.key, &d);
  for (auto& d : derived)
    if (auto it = by_key.find(d.key); it != by_key.end()) {
      d.id = it->second->id;
      d.uuid = it->second->uuid;
    }
}

std::vector<Notice> stage_notices(const Policy& p, int stage) {
  std::vector<Notice> out;
  const Stage* s = p.stage(stage);
  if (!s) return out;
  for (const auto& r : s->requires_) {
    std::string text = r.action;
    if (r.form) {
      const Form* f = p.form(*r.form);
      if (f && text.find(f->name) == std::string::npos) text += " using the " + f->name;
      if (f && !f->send_to.empty()) text += "; send to: " + f->send_to;
    }
    if (r.in_writing && text.find("writing") == std::string::npos) text += ", in writing";
    out.push_back(text);
  }
  return out;
}

void require_open(const Case& c, const Policy& p, const char* doing) {
  if (c.status == CaseStatus::resolved)
    throw DataError(fmt::format("case {} is resolved; it cannot be {} (raise a new case if the disagreement "
                                "has come back)",
                                c.id, doing));
  (void)p;
}

}  // namespace

std::optional<Date> Case::next_due() const {
  std::optional<Date> best;
  for (const auto& d : deadlines)
    if (d.open() && d.timed && (!best || d.due < *best)) best = d.due;
  return best;
}

const CaseEvent* Case::resolution() const {
  for (const auto& e : events)
    if (e.type == EventType::resolve) return &e;
  return nullptr;
}

int next_stage(const Policy& p, const Case& c, std::optional<int> to, bool& routed) {
  routed = false;
  const int n = static_cast<int>(p.stages.size());
  const Route* route = nullptr;
  for (const auto& r : p.routes)
    if (r.from == c.stage && pair_matches(r, c)) route = &r;
  if (to) {
    if (*to <= c.stage)
      throw DataError(fmt::format("case {} is at {}; name a later {}", c.id, stage_name(p, c.stage), p.stage_term),
                      {{Field::to_stage}});
    if (*to > n)
      throw DataError(fmt::format("the {} policy has {} {}s; there is no {} {}", p.id, n, p.stage_term,
                                  p.stage_term, *to));
    if (route) {
      if (*to == route->to) return routed = true, *to;
      throw DataError(fmt::format("the {} policy sends a {} and {} case from {} straight to {} {}; "
                                  "escalate without naming a {}",
                                  p.id, c.raiser.agency_type, c.counterpart.agency_type, stage_name(p, c.stage),
                                  p.stage_term, route->to, p.stage_term),
                      {{Field::to_stage}});
    }
    if (*to == c.stage + 1 && p.next_allowed) return *to;
    for (const auto& j : p.jumps)
      if (j.to == *to && (j.from.empty() || std::count(j.from.begin(), j.from.end(), c.stage)))
        return *to;
    std::string allowed;
    for (const auto& j : p.jumps)
      if (j.from.empty() || std::count(j.from.begin(), j.from.end(), c.stage))
        allowed += fmt::format("{}{} {}", allowed.empty() ? "" : ", ", p.stage_term, j.to);
    throw DataError(fmt::format("the {} policy does not allow a jump from {} {} to {} {}{}; nothing was changed",
                                p.id, p.stage_term, c.stage, p.stage_term, *to,
                                allowed.empty() ? fmt::format(": escalate without naming a {} to go to {} {}",
                                                              p.stage_term, p.stage_term, c.stage + 1)
                                                : fmt::format(" (it allows: {})", allowed)),
                    {{Field::to_stage}});
  }
  if (route) return routed = true, route->to;
  if (c.stage >= n)
    throw DataError(fmt::format("case {} is at the last {} ({}); resolve it", c.id, p.stage_term,
                                stage_name(p, c.stage)),
                    {{}, Remedy::resolve, c.id});
  if (!p.next_allowed)
    throw DataError(fmt::format("the {} policy allows no move to the next {}", p.id, p.stage_term));
  return c.stage + 1;
}

const Policy& Service::policy_of(const Case& c) {
  if (auto it = policy_cache_.find(c.policy_sha256); it != policy_cache_.end()) return it->second;
  auto text = store_.policy_text(c.policy_sha256);
  if (!text)
    throw DataError(fmt::format("case {}: the policy text it was raised under is missing from the store", c.id));
  Policy p = parse_policy(*text, fmt::format("policy {} as kept with case {}", c.policy_id, c.id));
  return policy_cache_.emplace(c.policy_sha256, std::move(p)).first->second;
}

Case Service::load(int64_t id) {
  auto c = store_.load_case(id);
  if (!c) throw NotFoundError(fmt::format("no case {}", id), {{}, Remedy::list_cases, id});
  // What the case owes is worked out from its record, never read as kept.
  const Policy& p = policy_of(*c);
  auto derived = derive_duties(p, calendar_of(p, c->policy_sha256), *c, legacy_check_back(*c));
  attach_ids(derived, c->deadlines);
  c->deadlines = std::move(derived);
  return std::move(*c);
}

const Policy& Service::policy_of(int64_t case_id, const std::string& policy_id, const std::string& sha256) {
  if (auto it = policy_cache_.find(sha256); it != policy_cache_.end()) return it->second;
  Case key;
  key.id = case_id;
  key.policy_id = policy_id;
  key.policy_sha256 = sha256;
  return policy_of(key);
}

const Calendar& Service::calendar_of(const Policy& p, const std::string& sha) {
  auto it = calendar_cache_.find(sha);
  if (it == calendar_cache_.end()) it = calendar_cache_.emplace(sha, p.make_calendar()).first;
  return it->second;
}

std::vector<CaseDeadline> Service::sync_duties(int64_t id) {
  auto c = store_.load_case(id);
  if (!c) throw NotFoundError(fmt::format("no case {}", id), {{}, Remedy::list_cases, id});
  const Policy& p = policy_of(*c);
  auto derived = derive_duties(p, calendar_of(p, c->policy_sha256), *c, legacy_check_back(*c));
  std::map<std::string, const CaseDeadline*> kept;
  for (const auto& d : c->deadlines) kept.emplace(d.key, &d);
  for (auto& d : derived) {
    auto it = kept.find(d.key);
    size_t moves_kept = 0;
    bool kept_open = true;
    if (it == kept.end()) {
      d.uuid = new_uuid();
      d.id = store_.add_deadline(c->id, d);
    } else {
      d.id = it->second->id;
      d.uuid = it->second->uuid;
      moves_kept = it->second->shifts.size();
      kept_open = it->second->open();
    }
    // Only the event being added moves a duty: a move the chain already
    // holds is not written again (verify names a copy that lacks it).
    for (size_t i = moves_kept; i < d.shifts.size(); ++i) {
      const auto& s = d.shifts[i];
      if (!unchained_event(*c, s.event_id)) continue;
      store_.move_deadline(d.id, s.event_id, s.days, s.from_due, s.to_due);
    }
    if (d.done_at && kept_open) store_.close_deadline(d.id, *d.done_at, *d.closed_by, d.late.value_or(false), d.record_id);
    // Anything else the change makes it owe differently (an agreed action
    // carried past the resolution, say) is written as worked out.
    if (it != kept.end()) {
      CaseDeadline now_kept = *it->second;
      now_kept.shifts = d.shifts;  // written above
      if (d.done_at && kept_open) now_kept.done_at = d.done_at, now_kept.closed_by = d.closed_by,
                                  now_kept.late = d.late.value_or(false), now_kept.record_id = d.record_id;
      if (!compare_duties({now_kept}, {d}).empty()) store_.rewrite_deadline(d);
      kept.erase(it);
    }
  }
  // A duty the record no longer owes (a delay reason the resolution came
  // before) is forgotten.
  for (const auto& [key, d] : kept) store_.drop_deadline(d->id);
  return derived;
}

std::vector<std::string> Service::repair_duties(const std::vector<int64_t>& ids) {
  std::vector<std::string> out;
  for (int64_t id : ids) {
    auto c = store_.load_case(id);
    if (!c) continue;
    const Policy& p = policy_of(*c);
    auto derived = derive_duties(p, calendar_of(p, c->policy_sha256), *c, legacy_check_back(*c));
    CaseState st = derive_state(*c);
    auto diffs = compare_duties(c->deadlines, derived);
    for (auto& d : compare_state(*c, st)) diffs.push_back(std::move(d));
    if (diffs.empty()) continue;
    out.push_back(fmt::format("case {}: what it owes was worked out again from its record ({}{})", id, diffs.front(),
                              diffs.size() > 1 ? fmt::format(", and {} more", diffs.size() - 1) : ""));
    std::map<std::string, const CaseDeadline*> kept;
    for (const auto& d : c->deadlines) kept.emplace(d.key, &d);
    for (auto& d : derived) {
      auto it = kept.find(d.key);
      if (it == kept.end()) {
        d.uuid = new_uuid();
        // Its moves are the chain's: rewrite_deadline below sets the due
        // date they come to.
        d.id = store_.add_deadline(id, d);
      } else {
        d.id = it->second->id;
        kept.erase(it);
      }
      store_.rewrite_deadline(d);
    }
    for (const auto& [key, d] : kept) store_.drop_deadline(d->id);
    store_.set_case_state(id, st.status, st.stage, st.stage_started_at, st.paused_at, st.resolved_at);
  }
  return out;
}

std::vector<std::string> Service::refresh_stale_duties() {
  std::vector<std::string> out;
  if (!store_.duties_stale(k_duties_derivation)) return out;
  store_.write([&] {
    if (!store_.duties_stale(k_duties_derivation)) return;  // another esc did it
    // Worked out in full: a duty the older reading owed and this one does
    // not is dropped, one whose words or dates changed is rewritten.
    out = repair_duties(store_.case_ids({true, "", std::nullopt, std::nullopt, std::nullopt}));
    store_.duties_refreshed(k_duties_derivation);
  });
  return out;
}

std::vector<Problem> Service::verify_duties() {
  std::vector<Problem> out;
  for (int64_t id : store_.case_ids({true, "", std::nullopt, std::nullopt, std::nullopt})) {
    auto c = store_.load_case(id);
    if (!c) continue;
    std::vector<std::string> diffs;
    try {
      const Policy& p = policy_of(*c);
      auto derived = derive_duties(p, calendar_of(p, c->policy_sha256), *c, legacy_check_back(*c));
      diffs = compare_duties(c->deadlines, derived);
      for (auto& d : compare_state(*c, derive_state(*c))) diffs.push_back(std::move(d));
    } catch (const Error& e) {
      diffs.push_back(fmt::format("its duties cannot be worked out: {}", e.what()));
    }
    for (const auto& d : diffs)
      out.push_back({id, fmt::format("case {}: the duties kept disagree with its record: {}", id, d)});
  }
  return out;
}

namespace {

/// A raise's input checked, and the case it makes (no id yet): what
/// Service::raise and check_raise share. Touches no store.
/// An e-mail address esc accepts, or UsageError naming the field.
void check_email(const std::string& email, Field field) {
  if (email.empty() || valid_email(email)) return;
  throw UsageError(fmt::format("{} '{}' is not an e-mail address esc can send to: give one address, like "
                               "name@example.org (no spaces, commas or angle brackets)",
                               noun(field), email),
                   {{field}});
}

/// Says where reminders for `who`'s stage now go (escalate, assign): to
/// them, or, with no address known, a warning that they go to the party's
/// own address.
void tell_where_reminders_go(Outcome& out, const Policy& p, const Holder& who) {
  const std::string whom = format_contact(who.name, who.email);
  if (who.email.empty())
    out.warnings.push_back(fmt::format("no address for {}: reminders go to the {}'s own address, if it has one", whom,
                                       name(who.role)));
  else if (who.stage == 0)
    out.notices.push_back(fmt::format("reminders of the {}'s duties go to {} unless a {} names its holder",
                                      name(who.role), whom, p.stage_term));
  else
    out.notices.push_back(
        fmt::format("reminders of {} {} for the {} go to {}", p.stage_term, who.stage, name(who.role), whom));
}

/// The chained record naming `who` for party `role` at `stage` (0: the
/// party's own address at every stage).
CaseRecord assign_record(const Policy& p, PartyRole role, int stage, const Holder& who, Timestamp at,
                         Timestamp now) {
  CaseRecord r;
  r.uuid = new_uuid();
  r.stage = stage;
  r.at = at;
  r.entered_at = now;
  r.kind = std::string(k_assign_kind);
  r.to = std::string(name(role));
  r.with = format_contact(who.name, who.email);
  r.summary = stage == 0 ? fmt::format("the {}'s own address, for reminders", name(role))
                         : fmt::format("holds {} {} for the {}", p.stage_term, stage, name(role));
  return r;
}

struct PreparedRaise {
  Policy p;
  Case c;
  Timestamp now;
  Timestamp at;
};

PreparedRaise prepare_raise(const PolicyLibrary& policies_, const Clock& clock_, const RaiseInput& in) {
  Policy p = policies_.load(in.policy);
  const TimeZone& zone = TimeZone::get(p.time_zone);
  Calendar cal = p.make_calendar();
  Timestamp now = clock_.now();
  Timestamp at = when(in.at, zone, now, std::nullopt, "raise");

  if (!p.has_category(in.category)) {
    std::string ids;
    for (const auto& c : p.categories) ids += (ids.empty() ? "" : ", ") + c.id;
    throw DataError(fmt::format("the {} policy has no category '{}': use one of {}", p.id, in.category, ids));
  }
  for (const Party* party : {&in.raiser, &in.counterpart}) {
    const bool raiser = party->role == PartyRole::raiser;
    check_text(party->name, raiser ? Field::raiser : Field::counterpart);
    check_utf8(party->agency, raiser ? Field::raiser_agency : Field::counterpart_agency);
    if (!is_agency_type(party->agency_type)) {
      std::string types;
      for (const auto& t : agency_types()) types += (types.empty() ? "" : ", ") + t;
      // Like a record kind or a channel: a value outside esc's own
      // vocabulary is a usage error (64), whatever the field.
      throw UsageError(fmt::format("unknown agency type '{}' for the {}: use one of {}", party->agency_type,
                                  name(party->role), types));
    }
  }
  check_text(in.summary, Field::summary);
  check_utf8(in.requested_action, Field::requested_action);
  check_utf8(in.child.ref, Field::child_ref);
  check_utf8(in.child.name, Field::child);
  if (in.child.ref.empty() && in.child.name.empty())
    throw UsageError("say which child: by a reference (preferred) or by name", {{Field::child_ref, Field::child}});
  Child child = in.child;
  if (!child.nhs.empty()) child.nhs = check_nhs_number(child.nhs);
  if (!child.dob.empty()) child.dob = check_date_of_birth(child.dob, zone.local_date(now)).iso();
  if (!in.risk.empty() && in.risk != "immediate")
    throw UsageError(fmt::format("the risk can only be 'immediate', not '{}'", in.risk), {{Field::risk}});
  check_email(in.raiser_email, Field::raiser_email);
  check_email(in.counterpart_email, Field::counterpart_email);

  Case c;
  c.uuid = new_uuid();
  c.policy_id = p.id;
  c.policy_sha256 = sha256_hex(p.text);
  c.category = in.category;
  c.summary = in.summary;
  c.requested_action = in.requested_action;
  c.risk = in.risk;
  c.child = child;
  c.raiser = in.raiser;
  c.counterpart = in.counterpart;
  c.raised_at = at;
  c.status = CaseStatus::open;
  c.stage = 1;
  c.stage_started_at = at;
  return {std::move(p), std::move(c), now, at};
}

}  // namespace

void check_raise(const PolicyLibrary& policies, const Clock& clock, const RaiseInput& in) {
  prepare_raise(policies, clock, in);
}

Outcome Service::raise(const RaiseInput& in) {
  PreparedRaise r = prepare_raise(policies_, clock_, in);
  const Policy& p = r.p;
  Case& c = r.c;
  const Timestamp now = r.now, at = r.at;
  store_.write([&] {
    store_.keep_policy_text({c.policy_sha256, p.id, p.version, p.text, p.source_path});
    c.id = store_.add_case(c, now);
    CaseEvent e;
    e.type = EventType::raise;
    e.at = at;
    e.entered_at = now;
    e.to_stage = 1;
    insert_event(store_, c, e);
    // The parties' own addresses, for reminders: records of the raise.
    for (auto [party, email] : {std::pair{&c.raiser, &in.raiser_email}, std::pair{&c.counterpart, &in.counterpart_email}})
      if (!email->empty())
        store_.add_record(c.id, assign_record(p, party->role, 0, Holder{party->role, 0, party->name, *email}, at, now));
    sync_duties(c.id);
    store_.seal_case(c.id);
  });
  Outcome out{load(c.id), {}, stage_notices(p, 1), std::nullopt, {}};
  return out;
}

Outcome Service::escalate(const EscalateInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    require_open(c, p, "escalated");
    if (c.status == CaseStatus::paused)
      throw DataError(fmt::format("case {} is {}; resume it first", c.id, p.pause_term), {{}, Remedy::resume, c.id});
    check_text(in.reason, Field::reason);
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "escalation");
    bool routed = false;
    int to = next_stage(p, c, in.to, routed);
    std::vector<Holder> holders;
    for (auto [role, text, field] : {std::tuple{PartyRole::raiser, &in.raiser_holder, Field::raiser_holder},
                                     std::tuple{PartyRole::counterpart, &in.counterpart_holder, Field::counterpart_holder}}) {
      if (text->empty()) continue;
      check_utf8(*text, field);
      auto who = parse_contact(*text);
      if (!who || (who->name.empty() && who->email.empty()))
        throw UsageError(fmt::format("{} '{}' is not a name, an address or \"Name <address>\"", noun(field), *text),
                         {{field}});
      who->role = role;
      who->stage = to;
      holders.push_back(*who);
    }
    CaseEvent e;
    e.type = EventType::escalate;
    e.at = at;
    e.entered_at = now;
    e.from_stage = c.stage;
    e.to_stage = to;
    e.reason = in.reason;
    insert_event(store_, c, e);
    store_.set_case_state(c.id, CaseStatus::open, to, at, std::nullopt, std::nullopt);
    c.stage = to;
    for (const auto& who : holders) {
      store_.add_record(c.id, assign_record(p, who.role, to, who, at, now));
      tell_where_reminders_go(out, p, who);
    }
    sync_duties(c.id);
    if (routed)
      out.notices.push_back(fmt::format("the {} policy routes a {} and {} disagreement straight to {}", p.id,
                                        c.raiser.agency_type, c.counterpart.agency_type, stage_name(p, to)));
    for (auto& n : stage_notices(p, to)) out.notices.push_back(std::move(n));
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::record(const RecordInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    if (!is_record_kind(in.kind)) {
      std::string kinds;
      for (const auto& k : record_kinds()) kinds += (kinds.empty() ? "" : ", ") + k;
      throw UsageError(fmt::format("unknown record kind '{}': use one of {}", in.kind, kinds), {{Field::record_kind}});
    }
    check_text(in.summary, Field::summary);
    check_utf8(in.with, Field::with);
    check_utf8(in.action, Field::action);
    if (!in.channel.empty() && !is_channel(in.channel)) {
      std::string names;
      for (const auto& k : channels()) names += (names.empty() ? "" : ", ") + k;
      throw UsageError(fmt::format("unknown channel '{}': use one of {}", in.channel, names), {{Field::channel}});
    }
    if (in.kind == "correction" && !in.corrects)
      throw UsageError("a correction says which record it corrects", {{Field::corrects}});
    if (in.corrects && in.kind != "correction")
      throw UsageError("only a correction names a record it corrects", {{Field::corrects, Field::record_kind}});
    if (in.corrects) {
      bool found = std::any_of(c.records.begin(), c.records.end(), [&](const CaseRecord& r) { return r.id == *in.corrects; });
      if (!found)
        throw NotFoundError(fmt::format("case {} has no record {}", c.id, *in.corrects),
                            {{Field::corrects}, Remedy::list_records, c.id});
    }
    if (!in.action_due.empty() && in.action.empty())
      throw UsageError("a due date goes with an agreed action", {{Field::action_due, Field::action}});
    std::string action_due;
    if (!in.action_due.empty()) action_due = Date::parse(in.action_due).iso();
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, c.raised_at, "record");
    static const std::vector<std::string> k_after_resolution{"correction", "note", "feedback", "check-back",
                                                             "notification", "learning-referral", "waiver"};
    if (c.status == CaseStatus::resolved &&
        std::find(k_after_resolution.begin(), k_after_resolution.end(), in.kind) == k_after_resolution.end())
      throw DataError(fmt::format("case {} is resolved: only a note, feedback, check-back, notification, learning "
                                  "referral, waiver or correction can be added",
                                  c.id));
    check_utf8(in.to, Field::to);
    if (!in.form.empty() && !p.form(in.form)) {
      std::string ids;
      for (const auto& f : p.forms) ids += (ids.empty() ? "" : ", ") + f.id;
      throw UsageError(fmt::format("the {} policy has no form '{}'{}", p.id, in.form,
                                   ids.empty() ? std::string(": it names no forms") : ": use one of " + ids),
                       {{Field::form}});
    }
    if (in.kind == "waiver" && in.duty.empty())
      throw UsageError("a waiver says which duty it waives, and why (the summary)", {{Field::duty}});
    const CaseDeadline* named = nullptr;
    if (!in.duty.empty()) {
      for (const auto& d : c.deadlines)
        if (d.key == in.duty) named = &d;
      if (!named) {
        std::string keys;
        for (const auto& d : c.deadlines)
          if (d.open()) keys += (keys.empty() ? "" : ", ") + d.key;
        throw NotFoundError(fmt::format("case {} owes no duty '{}'{}", c.id, in.duty,
                                        keys.empty() ? std::string(": it owes nothing now")
                                                     : " (open now: " + keys + ")"),
                            {{Field::duty}, Remedy::show_case, c.id});
      }
      if (!named->open())
        throw DataError(fmt::format("case {}: the duty {} ({}) is already {}", c.id, named->key, named->action,
                                    named->closed_by == ClosedBy::waiver ? "waived" : "closed"),
                        {{Field::duty}});
    }
    if (auto it = p.channels_discouraged.find(in.channel); it != p.channels_discouraged.end())
      out.warnings.push_back(fmt::format("the {} policy discourages {}: {}", p.id, in.channel, it->second));

    CaseRecord r;
    r.uuid = new_uuid();
    r.stage = c.stage;
    r.at = at;
    r.entered_at = now;
    r.kind = in.kind;
    r.channel = in.channel;
    r.with = in.with;
    r.summary = in.summary;
    r.action = in.action;
    r.action_due = action_due;
    r.corrects = in.corrects;
    r.to = in.to;
    r.form = in.form;
    r.duty = in.duty;
    if (named && in.kind != "waiver" && named->kind != DutyKind::action) {
      std::string why;
      if (!record_meets(*named, r, &why))
        throw DataError(fmt::format("a {} record cannot meet {} ({}): {}", in.kind, named->key, named->action,
                                    why.empty() ? "it is met by " + what_meets(*named) : why),
                        {{Field::duty}});
    }
    out.record_id = store_.add_record(c.id, r);
    r.id = *out.record_id;

    for (const auto& d : sync_duties(c.id)) {
      if (d.record_id != out.record_id) {
        // A duty of this kind the record came close to meeting: say why not.
        std::string why;
        const bool was_open = std::any_of(c.deadlines.begin(), c.deadlines.end(),
                                          [&](const CaseDeadline& b) { return b.key == d.key && b.open(); });
        if (was_open && d.open() && d.met_by == in.kind && in.duty.empty() &&
            (d.scope != DeadlineScope::stage || d.stage == c.stage) && !record_meets(d, r, &why) && !why.empty())
          out.warnings.push_back(fmt::format("not met: {}: {}", d.action, why));
        continue;
      }
      out.deadlines_met.push_back(d.id);
      if (d.closed_by == ClosedBy::waiver) {
        out.notices.push_back(fmt::format("waived: {}", d.action));
        continue;
      }
      out.notices.push_back(fmt::format("met: {}{}{}", d.action, d.timed ? fmt::format(" (due {})", d.due.iso()) : "",
                                        d.late.value_or(false) ? ", late" : ""));
    }
    if (!r.action.empty() && !action_due.empty())
      out.notices.push_back(fmt::format("agreed action a{} due {}: record what was done with the duty a{}", r.id,
                                        action_due, r.id));
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::pause(const PauseInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    require_open(c, p, p.pause_term.c_str());
    if (!p.pause_allowed)
      throw DataError(fmt::format("the {} policy does not provide for pausing a case; nothing was changed", p.id));
    if (c.status == CaseStatus::paused) throw DataError(fmt::format("case {} is already {}", c.id, p.pause_term));
    if (p.pause_reason_required) check_text(in.reason, Field::reason);
    check_utf8(in.reason, Field::reason);
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "pause");
    CaseEvent e;
    e.type = EventType::pause;
    e.at = at;
    e.entered_at = now;
    e.reason = in.reason;
    insert_event(store_, c, e);
    store_.set_case_state(c.id, CaseStatus::paused, c.stage, c.stage_started_at, at, std::nullopt);
    out.notices.push_back({fmt::format("{}: no deadline is overdue until it is resumed; ensure the process is "
                                       "resumed as soon as possible",
                                       p.pause_term),
                           {{}, Remedy::resume, c.id}});
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::resume(const PauseInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    require_open(c, p, "resumed");
    if (c.status != CaseStatus::paused) throw DataError(fmt::format("case {} is not {}: nothing to resume", c.id, p.pause_term));
    check_utf8(in.reason, Field::reason);
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "resumption");
    // Every open deadline moves by the working days d with
    // pause date <= d < resume date.
    int days = cal.working_days_between(zone.local_date(*c.paused_at), zone.local_date(at));
    CaseEvent e;
    e.type = EventType::resume;
    e.at = at;
    e.entered_at = now;
    e.days = days;
    e.reason = in.reason;
    insert_event(store_, c, e);
    sync_duties(c.id);
    store_.set_case_state(c.id, CaseStatus::open, c.stage, c.stage_started_at, std::nullopt, std::nullopt);
    out.notices.push_back(fmt::format("resumed after {} working day{} {}: open deadlines moved on by as many", days,
                                      days == 1 ? "" : "s", p.pause_term));
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::extend(const ExtendInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    require_open(c, p, "extended");
    if (!p.extension_allowed)
      throw DataError(fmt::format("the {} policy does not provide for extending timescales; nothing was changed",
                                  p.id));
    if (c.status == CaseStatus::paused)
      throw DataError(fmt::format("case {} is {}; resume it first", c.id, p.pause_term), {{}, Remedy::resume, c.id});
    if (in.days < 1) throw UsageError("an extension is a number of working days from 1 up", {{Field::days}});
    if (p.extension_agreement_required) check_text(in.agreed_by, Field::agreed_by);
    check_utf8(in.agreed_by, Field::agreed_by);
    check_text(in.reason, Field::reason);
    bool any = std::any_of(c.deadlines.begin(), c.deadlines.end(),
                           [&](const CaseDeadline& d) { return d.open() && in_stage(d, c.stage); });
    if (!any)
      throw DataError(fmt::format("case {} has no open deadline at {} to extend", c.id, stage_name(p, c.stage)));
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "extension");
    CaseEvent e;
    e.type = EventType::extend;
    e.at = at;
    e.entered_at = now;
    e.days = in.days;
    e.reason = in.reason;
    e.agreed_by = in.agreed_by;
    insert_event(store_, c, e);
    sync_duties(c.id);
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::resolve(const ResolveInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    require_open(c, p, "resolved again");
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "resolution");
    check_text(in.outcome, Field::outcome);
    check_utf8(in.agreed_by, Field::agreed_by);
    check_utf8(in.learning, Field::learning);
    check_utf8(in.delay_reason, Field::delay_reason);
    if (in.check_back && (*in.check_back < 1 || *in.check_back > 1000))
      throw UsageError("a check-back is a number of working days from 1 up", {{Field::check_back}});
    if (p.learning_required && in.learning.empty())
      throw UsageError(fmt::format("the {} policy requires learning points when a case is resolved{}: give them "
                                   "(they may say there are none)",
                                   p.id, p.learning_to.empty() ? "" : " (they go to " + p.learning_to + ")"),
                       {{Field::learning}});
    if (auto arises = delay_arises(p, cal, c.raised_at); arises && at > *arises && in.delay_reason.empty()) {
      // A reason recorded already (a delay-reason record) meets it.
      bool owed = std::any_of(c.deadlines.begin(), c.deadlines.end(), [](const CaseDeadline& d) {
        return d.kind == DutyKind::delay_reason && d.open();
      });
      if (owed)
        throw UsageError(fmt::format("case {} took longer than {} to resolve, and the {} policy requires the "
                                     "reason to be recorded: give the reason for the delay",
                                     c.id,
                                     !p.delay_reason_after_hours ? p.delay_reason_after->text()
                                     : *p.delay_reason_after_hours == 24 ? std::string("a day")
                                     : *p.delay_reason_after_hours % 24 == 0
                                         ? fmt::format("{} days", *p.delay_reason_after_hours / 24)
                                         : fmt::format("{} hours", *p.delay_reason_after_hours),
                                     p.id),
                         {{Field::delay_reason}});
    }
    CaseEvent e;
    e.type = EventType::resolve;
    e.at = at;
    e.entered_at = now;
    e.from_stage = c.stage;
    e.outcome = in.outcome;
    e.agreed_by = in.agreed_by;
    e.learning = in.learning;
    e.delay_reason = in.delay_reason;
    // The check-back's working days: the rules schedule it from the event.
    // 0 when there is none, so a check-back is never read from the copy
    // of the duties (legacy_check_back: only an older esc left it null).
    e.days = in.check_back.value_or(0);
    insert_event(store_, c, e);
    store_.set_case_state(c.id, CaseStatus::resolved, c.stage, c.stage_started_at, std::nullopt, at);
    for (const auto& d : sync_duties(c.id)) {
      if (!d.open() || (d.scope != DeadlineScope::check_back && d.scope != DeadlineScope::after_resolution)) continue;
      if (d.kind == DutyKind::check_back)
        out.notices.push_back({fmt::format("check back by {}; record it when done", d.due.iso()),
                               {{}, Remedy::record_check_back, c.id}});
      else
        out.notices.push_back(fmt::format("owed: {}{}", d.action,
                                          d.timed ? fmt::format(" (by {})", d.due.iso()) : std::string()));
    }
    if (!p.learning_to.empty() && !in.learning.empty() && !p.learning_referral)
      out.notices.push_back("refer the learning points to " + p.learning_to);
    if (!p.agreed_by.empty() && in.agreed_by.empty())
      out.warnings.push_back({"the policy says the outcome is agreed by " + p.agreed_by + "; no one was named",
                              {{Field::agreed_by}}});
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

Outcome Service::assign(const AssignInput& in) {
  Outcome out;
  store_.write([&] {
    Case c = load(in.case_id);
    const Policy& p = policy_of(c);
    auto role = party_role_named(in.party);
    if (!role)
      throw UsageError(fmt::format("there is no party '{}': name the raiser or the counterpart", in.party),
                       {{Field::party}});
    if (in.name.empty() && in.email.empty())
      throw UsageError("name the person (--name), their address (--email) or both", {{Field::name, Field::email}});
    check_utf8(in.name, Field::name);
    if (in.name.find_first_of("<>\n\r") != std::string::npos)
      throw UsageError("a name holds no angle brackets or line breaks", {{Field::name}});
    if (!in.email.empty() && !valid_email(in.email)) check_email(in.email, Field::email);
    const int stage = in.stage.value_or(c.stage);
    if (stage != 0 && !p.stage(stage))
      throw UsageError(fmt::format("the {} policy has no {} {}: give one from 1 to {}, or 0 for the {}'s own address",
                                   p.id, p.stage_term, stage, p.stages.size(), *role == PartyRole::raiser ? "raiser" : "counterpart"),
                       {{Field::stage}});
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, TimeZone::get(p.time_zone), now, c.raised_at, "assignment");
    Holder who{*role, stage, in.name, in.email};
    // The party's own address keeps the party's name unless another is given.
    if (stage == 0 && who.name.empty()) who.name = *role == PartyRole::raiser ? c.raiser.name : c.counterpart.name;
    out.record_id = store_.add_record(c.id, assign_record(p, *role, stage, who, at, now));
    sync_duties(c.id);
    tell_where_reminders_go(out, p, who);
    store_.seal_case(c.id);
  });
  out.c = load(in.case_id);
  return out;
}

std::vector<DueItem> Service::open_deadlines_due(const DueWindow& window, const std::string& policy) {
  std::vector<DueItem> items;
  visit_deadlines_due(window, policy, [&](const DueItem& it) { items.push_back(it); });
  return items;
}

void Service::visit_deadlines_due(const DueWindow& window, const std::string& policy,
                                  const std::function<void(const DueItem&)>& visit) {
  // Each policy text the cases were raised under has its own calendar and
  // time zone, so its own today and window: the store is asked for the
  // widest window of them all, and each row is then held to its own case's.
  struct Window {
    const Policy* policy = nullptr;
    Calendar calendar;
    Date today, last;
  };
  std::map<std::string, Window> windows;
  std::optional<Date> first;
  Date last;
  bool any = false;
  for (const auto& [policy_id, sha] : store_.policies_in_use(policy)) {
    const Policy* raised_under = &policy_of(0, policy_id, sha);
    Window w{raised_under, raised_under->make_calendar(), {}, {}};
    w.today = TimeZone::get(raised_under->time_zone).local_date(clock_.now());
    w.last = window.within < 0    ? w.today.prev()
             : window.within == 0 ? w.today
                                  : w.calendar.add_working_days(w.today, window.within).date;
    if (!any || w.last > last) last = w.last;
    if (window.from_today && (!first || w.today < *first)) first = w.today;
    any = true;
    windows.emplace(sha, std::move(w));
  }
  if (!any) return;
  const Window* w = nullptr;
  std::string sha;
  DueItem it;
  // Overdue lists no duty owed without a date: the store leaves them out.
  store_.visit_open_deadlines(first, last, policy, window.within >= 0, [&](const OpenDeadlineRow& row) {
    if (!w || sha != row.policy_sha256) {
      auto found = windows.find(row.policy_sha256);
      if (found == windows.end()) return;  // a case raised since the windows were worked out
      sha = row.policy_sha256;
      w = &found->second;
    }
    // An untimed duty is owed from the day it arose, never overdue: it is
    // listed among what is due, not among what is overdue.
    if (!row.timed) {
      if (row.due > w->today || window.within < 0) return;
    } else if (row.due > w->last || (window.from_today && row.due < w->today)) {
      return;
    }
    static_cast<OpenDeadlineRow&>(it) = row;
    fill_due_item(it, *w->policy, w->calendar, w->today);
    visit(it);
  });
}

void Service::fill_due_item(DueItem& it, const Policy& p, const Calendar& calendar, Date today) {
  it.today = today;
  // The whole-case limit and a check-back fall to whoever handles the
  // case's current (or last) stage.
  int handler_stage = it.scope == DeadlineScope::stage ? it.stage : it.case_stage;
  it.stage_term = p.stage_term;
  it.stage_title.clear();
  it.raiser_handler.clear();
  it.counterpart_handler.clear();
  if (const Stage* st = p.stage(handler_stage)) {
    it.stage_title = it.scope == DeadlineScope::whole_case         ? "Whole case"
                     : it.scope == DeadlineScope::check_back       ? "Check back after resolution"
                     : it.scope == DeadlineScope::after_resolution ? "After resolution"
                                                                   : st->title;
    it.raiser_handler = st->handler_for(it.raiser.agency_type);
    it.counterpart_handler = st->handler_for(it.counterpart.agency_type);
  }
  it.working_days_overdue =
      it.timed && it.due < it.today ? calendar.working_days_between(it.due.next(), it.today.next()) : 0;
}

std::optional<DueItem> Service::due_item(int64_t deadline_id) {
  auto row = store_.deadline_row(deadline_id);
  if (!row) return std::nullopt;
  DueItem it;
  static_cast<OpenDeadlineRow&>(it) = std::move(*row);
  // Each policy text's today, worked out once (a run reads thousands).
  auto day = due_days_.find(it.policy_sha256);
  if (day == due_days_.end()) {
    const Policy& p = policy_of(it.case_id, it.policy_id, it.policy_sha256);
    day = due_days_
              .emplace(it.policy_sha256, DueDay{&p, &calendar_of(p, it.policy_sha256),
                                                TimeZone::get(p.time_zone).local_date(clock_.now())})
              .first;
  }
  fill_due_item(it, *day->second.policy, *day->second.calendar, day->second.today);
  return it;
}

bool Service::reminder_sent(int64_t deadline_id, Reminder state) {
  return store_.reminder_sent(deadline_id, state);
}

void Service::mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, const Recipient& to) {
  store_.write([&] { store_.mark_reminder_sent(deadline_id, state, due, clock_.now(), to.key()); });
}

std::vector<Recipient> Service::recipients_of(const DueItem& it) {
  // The last case's contacts are kept: a reminder run reads each case's
  // duties together (and keeps nothing for every case).
  if (contacts_case_ != it.case_id) {
    contacts_.clear();
    for (const auto& r : store_.records_of_kind(it.case_id, k_assign_kind))
      if (auto c = contact_of(r)) contacts_.push_back(std::move(*c));
    contacts_case_ = it.case_id;
  }
  // The whole-case limit and a check-back fall to whoever holds the case's
  // current (or last) stage.
  const int stage = it.scope == DeadlineScope::stage ? it.stage : it.case_stage;
  std::vector<Recipient> out;
  for (PartyRole role : owed_by(it.kind)) {
    Recipient r = recipient_for(contacts_, role, stage, role == PartyRole::raiser ? it.raiser : it.counterpart);
    // One person holding both sides gets it once.
    if (!r.email.empty() &&
        std::any_of(out.begin(), out.end(), [&](const Recipient& o) { return o.email == r.email; }))
      continue;
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<int> Service::reminder_to_send(const DueItem& it, Reminder state, const Recipient& to,
                                             const ReminderRules& rules) {
  auto marks = store_.reminder_marks(it.deadline_id, state, to.key());
  int delivered = 0;
  std::optional<Timestamp> last_delivered;
  for (const auto& m : marks)
    if (!m.claimed) ++delivered, last_delivered = m.at;
  if (last_delivered) {
    // Sent already: only an overdue duty is sent again, every `repeat`
    // working days (on its case's calendar) while it stays overdue.
    if (state != Reminder::overdue || rules.repeat <= 0) return std::nullopt;
    const Policy& p = policy_of(it.case_id, it.policy_id, it.policy_sha256);
    Date last = TimeZone::get(p.time_zone).local_date(*last_delivered);
    if (due_after(calendar_of(p, it.policy_sha256), last, Timescale{rules.repeat, false}).due > it.today)
      return std::nullopt;
  }
  // Claimed since by a run still sending it: that run delivers it.
  for (const auto& m : marks)
    if (m.claimed && (!last_delivered || m.at > *last_delivered) && rules.live && rules.live(m))
      return std::nullopt;
  return delivered + 1;
}

std::optional<int> Service::claim_reminder(const DueItem& it, Reminder state, const Recipient& to,
                                           const ReminderRules& rules) {
  std::optional<int> out;
  // One transaction (the store's write lock): two runs at once see each
  // other's claims, so only one of them sends a reminder.
  store_.write([&] {
    out = reminder_to_send(it, state, to, rules);
    if (out) store_.claim_reminder(it.deadline_id, state, it.due, clock_.now(), rules.claimant, to.key());
  });
  return out;
}

void Service::visit_summaries(const ListFilter& f, const std::function<void(const CaseSummary&)>& visit) {
  Timestamp now = clock_.now();
  std::map<std::string, Date> today_by_sha;  // each policy text's own time zone
  CaseSummary s;
  store_.visit_case_lines({f.all, f.policy, f.stage, std::nullopt, std::nullopt}, [&](const CaseLine& line) {
    auto today = today_by_sha.find(line.policy_sha256);
    if (today == today_by_sha.end()) {
      Date d = TimeZone::get(policy_of(line.id, line.policy_id, line.policy_sha256).time_zone).local_date(now);
      today = today_by_sha.emplace(line.policy_sha256, d).first;
    }
    // As deadline_outcome says: open deadlines of an open case, and a
    // resolved case's check-back (the only deadline it leaves open).
    s.overdue = line.status != CaseStatus::paused && line.next_due && *line.next_due < today->second;
    if (f.overdue_only && !(s.overdue && line.status == CaseStatus::open)) return;
    // An untimed duty is owed from its day (a delay reason's is when the
    // case runs past the limit) and comes before any dated one.
    s.next_now = line.next_untimed && *line.next_untimed <= today->second;
    s.next_duty = s.next_now ? line.next_untimed_action : line.next_due_action;
    s.line = line;
    visit(s);
  });
}

std::vector<Case> Service::list(const ListFilter& f, bool with_records) {
  std::vector<Case> out;
  visit_cases(f, with_records, [&](Case& c) { out.push_back(std::move(c)); });
  return out;
}

void Service::visit_cases(const ListFilter& f, bool with_records, const std::function<void(Case&)>& visit) {
  Timestamp now = clock_.now();
  for (int64_t id : store_.case_ids({f.all, f.policy, f.stage, f.raised_from, f.raised_before})) {
    Case c = load(id);
    if (f.overdue_only) {
      const TimeZone& zone = TimeZone::get(policy_of(c).time_zone);
      bool overdue = c.status == CaseStatus::open && std::any_of(c.deadlines.begin(), c.deadlines.end(), [&](const auto& d) {
                       return d.open() && d.timed && is_overdue(zone, d.due, now);
                     });
      if (!overdue) continue;
    }
    if (!with_records) c.records.clear();
    visit(c);
  }
}

}  // namespace esc
