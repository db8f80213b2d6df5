#include <esc/crypto.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>
#include <esc/service.hpp>
#include <esc/validate.hpp>

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

namespace esc {

namespace {

int64_t secs(Timestamp t) { return t.time_since_epoch().count(); }
Timestamp from_secs(int64_t s) { return Timestamp{std::chrono::seconds{s}}; }

std::string col_text(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  return c.isNull() ? std::string() : c.getString();
}
std::optional<int64_t> col_opt_int(SQLite::Statement& q, int i) {
  auto c = q.getColumn(i);
  if (c.isNull()) return std::nullopt;
  return c.getInt64();
}

void bind_text_or_null(SQLite::Statement& q, const char* name, const std::string& v) {
  if (v.empty()) q.bind(name);
  else q.bind(name, v);
}

std::string stage_name(const Policy& p, int stage) {
  const Stage* s = p.stage(stage);
  return fmt::format("{} {}{}", p.stage_term, stage, s ? ": " + s->title : "");
}

/// --at, or now. Refuses a time in the future or before `not_before`.
Timestamp when(const std::optional<std::string>& at, const TimeZone& zone, Timestamp now,
               std::optional<Timestamp> not_before, const char* what) {
  if (!at) {
    if (not_before && now < *not_before)
      throw DataError(fmt::format("now is before the case's last change at {}: check the clock or ESC_NOW",
                                  zone.format(*not_before)));
    return now;
  }
  Timestamp t = parse_timestamp(*at, zone);
  if (t > now) throw DataError(fmt::format("--at {} is in the future: esc records what has happened", *at));
  if (not_before && t < *not_before)
    throw DataError(fmt::format("--at {} is before {}: the {} cannot come before what the case already holds",
                                *at, zone.format(*not_before), what));
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

int64_t insert_event(SQLite::Database& db, const Case& c, const CaseEvent& e) {
  SQLite::Statement q(db,
                      "INSERT INTO events (uuid, case_id, type, at, entered_at, from_stage, to_stage, reason, "
                      "agreed_by, days, outcome, learning, delay_reason) VALUES (:uuid, :case, :type, :at, "
                      ":entered, :from, :to, :reason, :agreed, :days, :outcome, :learning, :delay)");
  q.bind(":uuid", new_uuid());
  q.bind(":case", c.id);
  q.bind(":type", e.type);
  q.bind(":at", secs(e.at));
  q.bind(":entered", secs(e.entered_at));
  if (e.from_stage) q.bind(":from", *e.from_stage); else q.bind(":from");
  if (e.to_stage) q.bind(":to", *e.to_stage); else q.bind(":to");
  bind_text_or_null(q, ":reason", e.reason);
  bind_text_or_null(q, ":agreed", e.agreed_by);
  if (e.days) q.bind(":days", *e.days); else q.bind(":days");
  bind_text_or_null(q, ":outcome", e.outcome);
  bind_text_or_null(q, ":learning", e.learning);
  bind_text_or_null(q, ":delay", e.delay_reason);
  q.exec();
  return db.getLastInsertRowid();
}

/// Creates the deadlines of `stage` (0: the whole-case limit) starting at `at`.
void open_deadlines(SQLite::Database& db, const Policy& p, const Calendar& cal, const Case& c, int stage,
                    Timestamp at) {
  const TimeZone& zone = TimeZone::get(p.time_zone);
  std::vector<DeadlineRule> rules;
  if (stage == 0) {
    if (p.case_limit) rules.push_back(*p.case_limit);
  } else {
    rules = p.stage(stage)->deadlines;
  }
  SQLite::Statement q(db,
                      "INSERT INTO deadlines (uuid, case_id, stage, seq, action, timescale, counted_from, met_by, "
                      "start_date, original_due, due) VALUES (:uuid, :case, :stage, :seq, :action, :ts, :from, "
                      ":met, :start, :due, :due)");
  int seq = 0;
  for (const auto& r : rules) {
    Date start = zone.local_date(r.from == ClockFrom::stage ? at : c.raised_at);
    DueDate d = due_after(cal, start, r.timescale);
    q.reset();
    q.clearBindings();
    q.bind(":uuid", new_uuid());
    q.bind(":case", c.id);
    q.bind(":stage", stage);
    q.bind(":seq", seq++);
    q.bind(":action", r.action);
    q.bind(":ts", r.timescale.text());
    q.bind(":from", r.from == ClockFrom::stage ? "stage" : "case");
    if (r.met_by) q.bind(":met", *r.met_by); else q.bind(":met");
    q.bind(":start", start.iso());
    q.bind(":due", d.due.iso());
    q.exec();
  }
}

/// Closes open deadlines (of one stage, or all when stage is nullopt).
std::vector<int64_t> close_deadlines(SQLite::Database& db, const Case& c, const TimeZone& zone,
                                     std::optional<int> stage, Timestamp at, const char* by) {
  std::vector<int64_t> closed;
  SQLite::Statement u(db, "UPDATE deadlines SET done_at = ?, closed_by = ?, late = ? WHERE id = ?");
  for (const auto& d : c.deadlines) {
    if (!d.open() || (stage && d.stage != *stage)) continue;
    u.reset();
    u.bind(1, secs(at));
    u.bind(2, by);
    u.bind(3, met_in_time(zone, d.due, at) ? 0 : 1);
    u.bind(4, d.id);
    u.exec();
    closed.push_back(d.id);
  }
  return closed;
}

/// Moves open deadlines `days` working days later, remembering each move.
void shift_deadlines(SQLite::Database& db, const Case& c, const Calendar& cal, std::optional<int> stage, int days,
                     int64_t event_id) {
  if (days <= 0) return;
  SQLite::Statement u(db, "UPDATE deadlines SET due = ? WHERE id = ?");
  SQLite::Statement s(db, "INSERT INTO deadline_shifts (deadline_id, event_id, days, from_due, to_due) "
                          "VALUES (?, ?, ?, ?, ?)");
  for (const auto& d : c.deadlines) {
    if (!d.open() || (stage && d.stage != *stage)) continue;
    Date to = extend(cal, d.due, days).due;
    u.reset();
    u.bind(1, to.iso());
    u.bind(2, d.id);
    u.exec();
    s.reset();
    s.bind(1, d.id);
    s.bind(2, event_id);
    s.bind(3, days);
    s.bind(4, d.due.iso());
    s.bind(5, to.iso());
    s.exec();
  }
}

void set_state(SQLite::Database& db, int64_t id, const std::string& status, int stage, Timestamp stage_started,
               std::optional<Timestamp> paused, std::optional<Timestamp> resolved) {
  SQLite::Statement u(db, "UPDATE cases SET status = ?, stage = ?, stage_started_at = ?, paused_at = ?, "
                          "resolved_at = ? WHERE id = ?");
  u.bind(1, status);
  u.bind(2, stage);
  u.bind(3, secs(stage_started));
  if (paused) u.bind(4, secs(*paused)); else u.bind(4);
  if (resolved) u.bind(5, secs(*resolved)); else u.bind(5);
  u.bind(6, id);
  u.exec();
}

std::vector<std::string> stage_notices(const Policy& p, int stage) {
  std::vector<std::string> out;
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
  if (c.status == "resolved")
    throw DataError(fmt::format("case {} is resolved; it cannot be {} (raise a new case if the disagreement "
                                "has come back)",
                                c.id, doing));
  (void)p;
}

}  // namespace

std::optional<Date> Case::next_due() const {
  std::optional<Date> best;
  for (const auto& d : deadlines)
    if (d.open() && (!best || d.due < *best)) best = d.due;
  return best;
}

const CaseEvent* Case::resolution() const {
  for (const auto& e : events)
    if (e.type == "resolve") return &e;
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
      throw DataError(fmt::format("case {} is at {}; --to must name a later {}", c.id, stage_name(p, c.stage),
                                  p.stage_term));
    if (*to > n)
      throw DataError(fmt::format("the {} policy has {} {}s; there is no {} {}", p.id, n, p.stage_term,
                                  p.stage_term, *to));
    if (route) {
      if (*to == route->to) return routed = true, *to;
      throw DataError(fmt::format("the {} policy sends a {} and {} case from {} straight to {} {}; "
                                  "escalate without --to",
                                  p.id, c.raiser.agency_type, c.counterpart.agency_type, stage_name(p, c.stage),
                                  p.stage_term, route->to));
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
                                allowed.empty() ? fmt::format(": escalate without --to to go to {} {}",
                                                              p.stage_term, c.stage + 1)
                                                : fmt::format(" (it allows: {})", allowed)));
  }
  if (route) return routed = true, route->to;
  if (c.stage >= n)
    throw DataError(fmt::format("case {} is at the last {} ({}); resolve it with 'esc resolve {} --outcome TEXT'",
                                c.id, p.stage_term, stage_name(p, c.stage), c.id));
  if (!p.next_allowed)
    throw DataError(fmt::format("the {} policy allows no move to the next {}", p.id, p.stage_term));
  return c.stage + 1;
}

const Policy& Service::policy_of(const Case& c) {
  if (auto it = policy_cache_.find(c.policy_sha256); it != policy_cache_.end()) return it->second;
  SQLite::Statement q(store_.db(), "SELECT text FROM policy_texts WHERE sha256 = ?");
  q.bind(1, c.policy_sha256);
  if (!q.executeStep())
    throw DataError(fmt::format("case {}: the policy text it was raised under is missing from the store", c.id));
  Policy p = parse_policy(q.getColumn(0).getString(), fmt::format("policy {} as kept with case {}", c.policy_id, c.id));
  return policy_cache_.emplace(c.policy_sha256, std::move(p)).first->second;
}

Case Service::load(int64_t id) {
  auto& db = store_.db();
  SQLite::Statement q(db,
                      "SELECT c.id, c.uuid, c.policy_id, c.policy_sha256, p.version, c.category, c.summary, "
                      "c.requested_action, c.risk, c.child_ref, c.child_name, c.child_dob, c.child_nhs, "
                      "c.raised_at, c.entered_at, c.status, c.stage, c.stage_started_at, c.paused_at, "
                      "c.resolved_at FROM cases c JOIN policy_texts p ON p.sha256 = c.policy_sha256 "
                      "WHERE c.id = ?");
  q.bind(1, id);
  if (!q.executeStep())
    throw NotFoundError(fmt::format("no case {}: 'esc list --all' shows the cases", id));
  Case c;
  c.id = q.getColumn(0).getInt64();
  c.uuid = col_text(q, 1);
  c.policy_id = col_text(q, 2);
  c.policy_sha256 = col_text(q, 3);
  c.policy_version = col_text(q, 4);
  c.category = col_text(q, 5);
  c.summary = col_text(q, 6);
  c.requested_action = col_text(q, 7);
  c.risk = col_text(q, 8);
  c.child = {col_text(q, 9), col_text(q, 10), col_text(q, 11), col_text(q, 12)};
  c.raised_at = from_secs(q.getColumn(13).getInt64());
  c.entered_at = from_secs(q.getColumn(14).getInt64());
  c.status = col_text(q, 15);
  c.stage = q.getColumn(16).getInt();
  c.stage_started_at = from_secs(q.getColumn(17).getInt64());
  if (auto v = col_opt_int(q, 18)) c.paused_at = from_secs(*v);
  if (auto v = col_opt_int(q, 19)) c.resolved_at = from_secs(*v);

  SQLite::Statement pq(db, "SELECT role, name, agency, agency_type FROM parties WHERE case_id = ?");
  pq.bind(1, id);
  while (pq.executeStep()) {
    Party p{col_text(pq, 0), col_text(pq, 1), col_text(pq, 2), col_text(pq, 3)};
    (p.role == "raiser" ? c.raiser : c.counterpart) = p;
  }

  SQLite::Statement eq(db, "SELECT id, uuid, type, at, entered_at, from_stage, to_stage, reason, agreed_by, days, "
                           "outcome, learning, delay_reason FROM events WHERE case_id = ? ORDER BY at, id");
  eq.bind(1, id);
  std::map<int64_t, const CaseEvent*> by_id;
  while (eq.executeStep()) {
    CaseEvent e;
    e.id = eq.getColumn(0).getInt64();
    e.uuid = col_text(eq, 1);
    e.type = col_text(eq, 2);
    e.at = from_secs(eq.getColumn(3).getInt64());
    e.entered_at = from_secs(eq.getColumn(4).getInt64());
    if (auto v = col_opt_int(eq, 5)) e.from_stage = static_cast<int>(*v);
    if (auto v = col_opt_int(eq, 6)) e.to_stage = static_cast<int>(*v);
    e.reason = col_text(eq, 7);
    e.agreed_by = col_text(eq, 8);
    if (auto v = col_opt_int(eq, 9)) e.days = static_cast<int>(*v);
    e.outcome = col_text(eq, 10);
    e.learning = col_text(eq, 11);
    e.delay_reason = col_text(eq, 12);
    c.events.push_back(std::move(e));
  }
  for (const auto& e : c.events) by_id[e.id] = &e;

  SQLite::Statement rq(db, "SELECT id, uuid, stage, at, entered_at, kind, channel, with_names, summary, action, "
                           "action_due, corrects FROM records WHERE case_id = ? ORDER BY at, id");
  rq.bind(1, id);
  while (rq.executeStep()) {
    CaseRecord r;
    r.id = rq.getColumn(0).getInt64();
    r.uuid = col_text(rq, 1);
    r.stage = rq.getColumn(2).getInt();
    r.at = from_secs(rq.getColumn(3).getInt64());
    r.entered_at = from_secs(rq.getColumn(4).getInt64());
    r.kind = col_text(rq, 5);
    r.channel = col_text(rq, 6);
    r.with = col_text(rq, 7);
    r.summary = col_text(rq, 8);
    r.action = col_text(rq, 9);
    r.action_due = col_text(rq, 10);
    r.corrects = col_opt_int(rq, 11);
    c.records.push_back(std::move(r));
  }

  SQLite::Statement dq(db, "SELECT id, uuid, stage, seq, action, timescale, counted_from, met_by, start_date, "
                           "original_due, due, done_at, closed_by, record_id, late FROM deadlines "
                           "WHERE case_id = ? ORDER BY id");
  dq.bind(1, id);
  std::map<int64_t, size_t> index;
  while (dq.executeStep()) {
    CaseDeadline d;
    d.id = dq.getColumn(0).getInt64();
    d.uuid = col_text(dq, 1);
    d.stage = dq.getColumn(2).getInt();
    d.seq = dq.getColumn(3).getInt();
    d.action = col_text(dq, 4);
    d.timescale = col_text(dq, 5);
    d.counted_from = col_text(dq, 6);
    if (!dq.getColumn(7).isNull()) d.met_by = col_text(dq, 7);
    d.start_date = Date::parse(col_text(dq, 8));
    d.original_due = Date::parse(col_text(dq, 9));
    d.due = Date::parse(col_text(dq, 10));
    if (auto v = col_opt_int(dq, 11)) d.done_at = from_secs(*v);
    d.closed_by = col_text(dq, 12);
    d.record_id = col_opt_int(dq, 13);
    if (auto v = col_opt_int(dq, 14)) d.late = *v != 0;
    index[d.id] = c.deadlines.size();
    c.deadlines.push_back(std::move(d));
  }
  SQLite::Statement sq(db, "SELECT s.deadline_id, s.event_id, s.days, s.from_due, s.to_due FROM deadline_shifts s "
                           "JOIN deadlines d ON d.id = s.deadline_id WHERE d.case_id = ? ORDER BY s.rowid");
  sq.bind(1, id);
  while (sq.executeStep()) {
    auto it = index.find(sq.getColumn(0).getInt64());
    if (it == index.end()) continue;
    DeadlineShift s;
    auto ev = by_id.find(sq.getColumn(1).getInt64());
    if (ev != by_id.end()) {
      s.type = ev->second->type;
      s.at = ev->second->at;
      s.reason = ev->second->reason;
    }
    s.days = sq.getColumn(2).getInt();
    s.from_due = Date::parse(col_text(sq, 3));
    s.to_due = Date::parse(col_text(sq, 4));
    c.deadlines[it->second].shifts.push_back(std::move(s));
  }
  return c;
}

Outcome Service::raise(const RaiseInput& in) {
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
    check_text(party->name, party->role == "raiser" ? "--raiser" : "--counterpart");
    check_utf8(party->agency, party->role == "raiser" ? "--raiser-agency" : "--counterpart-agency");
    if (!is_agency_type(party->agency_type)) {
      std::string types;
      for (const auto& t : agency_types()) types += (types.empty() ? "" : ", ") + t;
      throw DataError(fmt::format("unknown agency type '{}' for the {}: use one of {}", party->agency_type,
                                  party->role, types));
    }
  }
  check_text(in.summary, "--summary");
  check_utf8(in.requested_action, "--requested-action");
  check_utf8(in.child.ref, "--child-ref");
  check_utf8(in.child.name, "--child");
  if (in.child.ref.empty() && in.child.name.empty())
    throw UsageError("say which child: --child-ref REF (preferred) or --child NAME");
  Child child = in.child;
  if (!child.nhs.empty()) child.nhs = check_nhs_number(child.nhs);
  if (!child.dob.empty()) child.dob = check_date_of_birth(child.dob, zone.local_date(now)).iso();
  if (!in.risk.empty() && in.risk != "immediate")
    throw UsageError(fmt::format("--risk takes only 'immediate', not '{}'", in.risk));

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
  c.stage = 1;
  c.stage_started_at = at;

  store_.write([&] {
    auto& db = store_.db();
    SQLite::Statement pt(db, "INSERT OR IGNORE INTO policy_texts (sha256, policy_id, version, text, loaded_from) "
                             "VALUES (?, ?, ?, ?, ?)");
    pt.bind(1, c.policy_sha256);
    pt.bind(2, p.id);
    pt.bind(3, p.version);
    pt.bind(4, p.text);
    pt.bind(5, p.source_path);
    pt.exec();
    SQLite::Statement q(db, "INSERT INTO cases (uuid, policy_id, policy_sha256, category, summary, requested_action, "
                            "risk, child_ref, child_name, child_dob, child_nhs, raised_at, entered_at, status, stage, "
                            "stage_started_at) VALUES (:uuid, :policy, :sha, :cat, :summary, :req, :risk, :ref, "
                            ":name, :dob, :nhs, :at, :entered, 'open', 1, :at)");
    q.bind(":uuid", c.uuid);
    q.bind(":policy", c.policy_id);
    q.bind(":sha", c.policy_sha256);
    q.bind(":cat", c.category);
    q.bind(":summary", c.summary);
    bind_text_or_null(q, ":req", c.requested_action);
    bind_text_or_null(q, ":risk", c.risk);
    bind_text_or_null(q, ":ref", c.child.ref);
    bind_text_or_null(q, ":name", c.child.name);
    bind_text_or_null(q, ":dob", c.child.dob);
    bind_text_or_null(q, ":nhs", c.child.nhs);
    q.bind(":at", secs(at));
    q.bind(":entered", secs(now));
    q.exec();
    c.id = db.getLastInsertRowid();
    SQLite::Statement pq(db, "INSERT INTO parties (case_id, role, name, agency, agency_type) VALUES (?, ?, ?, ?, ?)");
    for (const Party* party : {&c.raiser, &c.counterpart}) {
      pq.reset();
      pq.bind(1, c.id);
      pq.bind(2, party->role);
      pq.bind(3, party->name);
      if (party->agency.empty()) pq.bind(4); else pq.bind(4, party->agency);
      pq.bind(5, party->agency_type);
      pq.exec();
    }
    CaseEvent e;
    e.type = "raise";
    e.at = at;
    e.entered_at = now;
    e.to_stage = 1;
    insert_event(db, c, e);
    open_deadlines(db, p, cal, c, 0, at);
    open_deadlines(db, p, cal, c, 1, at);
    chain_case(store_.db(), c.id);
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
    if (c.status == "paused")
      throw DataError(fmt::format("case {} is {}: resume it first with 'esc resume {}'", c.id, p.pause_term, c.id));
    check_text(in.reason, "--reason");
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "escalation");
    bool routed = false;
    int to = next_stage(p, c, in.to, routed);
    auto& db = store_.db();
    close_deadlines(db, c, zone, c.stage, at, "escalate");
    CaseEvent e;
    e.type = "escalate";
    e.at = at;
    e.entered_at = now;
    e.from_stage = c.stage;
    e.to_stage = to;
    e.reason = in.reason;
    insert_event(db, c, e);
    set_state(db, c.id, "open", to, at, std::nullopt, std::nullopt);
    c.stage = to;
    open_deadlines(db, p, cal, c, to, at);
    if (routed)
      out.notices.push_back(fmt::format("the {} policy routes a {} and {} disagreement straight to {}", p.id,
                                        c.raiser.agency_type, c.counterpart.agency_type, stage_name(p, to)));
    for (auto& n : stage_notices(p, to)) out.notices.push_back(std::move(n));
    chain_case(store_.db(), c.id);
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
      throw UsageError(fmt::format("unknown record kind '{}': use one of {}", in.kind, kinds));
    }
    check_text(in.summary, "--summary");
    check_utf8(in.with, "--with");
    check_utf8(in.action, "--action");
    if (!in.channel.empty() && !is_channel(in.channel)) {
      std::string names;
      for (const auto& k : channels()) names += (names.empty() ? "" : ", ") + k;
      throw UsageError(fmt::format("unknown channel '{}': use one of {}", in.channel, names));
    }
    if (in.kind == "correction" && !in.corrects)
      throw UsageError("a correction says which record it corrects: add --corrects RECORD");
    if (in.corrects && in.kind != "correction")
      throw UsageError("--corrects goes with --kind correction");
    if (in.corrects) {
      bool found = std::any_of(c.records.begin(), c.records.end(), [&](const CaseRecord& r) { return r.id == *in.corrects; });
      if (!found)
        throw NotFoundError(fmt::format("case {} has no record {}: 'esc log {}' lists its records", c.id,
                                        *in.corrects, c.id));
    }
    if (!in.action_due.empty() && in.action.empty()) throw UsageError("--due goes with --action TEXT");
    std::string action_due;
    if (!in.action_due.empty()) action_due = Date::parse(in.action_due).iso();
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, c.raised_at, "record");
    if (c.status == "resolved" && in.kind != "correction" && in.kind != "note" && in.kind != "feedback" &&
        in.kind != "check-back")
      throw DataError(fmt::format("case {} is resolved: only a note, feedback, check-back or correction can be "
                                  "added",
                                  c.id));
    if (auto it = p.channels_discouraged.find(in.channel); it != p.channels_discouraged.end())
      out.warnings.push_back(fmt::format("the {} policy discourages {}: {}", p.id, in.channel, it->second));

    auto& db = store_.db();
    SQLite::Statement q(db, "INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, channel, with_names, "
                            "summary, action, action_due, corrects) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, new_uuid());
    q.bind(2, c.id);
    q.bind(3, c.stage);
    q.bind(4, secs(at));
    q.bind(5, secs(now));
    q.bind(6, in.kind);
    if (in.channel.empty()) q.bind(7); else q.bind(7, in.channel);
    if (in.with.empty()) q.bind(8); else q.bind(8, in.with);
    q.bind(9, in.summary);
    if (in.action.empty()) q.bind(10); else q.bind(10, in.action);
    if (action_due.empty()) q.bind(11); else q.bind(11, action_due);
    if (in.corrects) q.bind(12, *in.corrects); else q.bind(12);
    q.exec();
    out.record_id = db.getLastInsertRowid();

    // A record of the kind a deadline names meets the earliest open deadline
    // of the current stage.
    const CaseDeadline* target = nullptr;
    for (const auto& d : c.deadlines)
      if (d.open() && (d.stage == c.stage || d.stage == k_check_back_stage) && d.met_by == in.kind &&
          (!target || d.due < target->due || (d.due == target->due && d.seq < target->seq)))
        target = &d;
    // Something recorded as happening before the stage began belongs to an
    // earlier stage and meets none of this stage's deadlines.
    if (target && (c.status != "resolved" || target->stage == k_check_back_stage) && at >= c.stage_started_at) {
      SQLite::Statement u(db, "UPDATE deadlines SET done_at = ?, closed_by = 'record', record_id = ?, late = ? "
                              "WHERE id = ?");
      u.bind(1, secs(at));
      u.bind(2, *out.record_id);
      u.bind(3, met_in_time(zone, target->due, at) ? 0 : 1);
      u.bind(4, target->id);
      u.exec();
      out.deadlines_met.push_back(target->id);
      out.notices.push_back(fmt::format("met: {} (due {}){}", target->action, target->due.iso(),
                                        met_in_time(zone, target->due, at) ? "" : ", late"));
    }
    chain_case(store_.db(), c.id);
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
    if (c.status == "paused") throw DataError(fmt::format("case {} is already {}", c.id, p.pause_term));
    if (p.pause_reason_required) check_text(in.reason, "--reason");
    check_utf8(in.reason, "--reason");
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "pause");
    CaseEvent e;
    e.type = "pause";
    e.at = at;
    e.entered_at = now;
    e.reason = in.reason;
    insert_event(store_.db(), c, e);
    set_state(store_.db(), c.id, "paused", c.stage, c.stage_started_at, at, std::nullopt);
    out.notices.push_back(fmt::format("{}: no deadline is overdue until 'esc resume {}'; ensure the process is "
                                      "resumed as soon as possible",
                                      p.pause_term, c.id));
    chain_case(store_.db(), c.id);
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
    if (c.status != "paused") throw DataError(fmt::format("case {} is not {}: nothing to resume", c.id, p.pause_term));
    check_utf8(in.reason, "--reason");
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "resumption");
    // Every open deadline moves by the working days d with
    // pause date <= d < resume date.
    int days = cal.working_days_between(zone.local_date(*c.paused_at), zone.local_date(at));
    CaseEvent e;
    e.type = "resume";
    e.at = at;
    e.entered_at = now;
    e.days = days;
    e.reason = in.reason;
    int64_t ev = insert_event(store_.db(), c, e);
    shift_deadlines(store_.db(), c, cal, std::nullopt, days, ev);
    set_state(store_.db(), c.id, "open", c.stage, c.stage_started_at, std::nullopt, std::nullopt);
    out.notices.push_back(fmt::format("resumed after {} working day{} {}: open deadlines moved on by as many", days,
                                      days == 1 ? "" : "s", p.pause_term));
    chain_case(store_.db(), c.id);
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
    if (c.status == "paused")
      throw DataError(fmt::format("case {} is {}: resume it first with 'esc resume {}'", c.id, p.pause_term, c.id));
    if (in.days < 1) throw UsageError("--days takes a number of working days from 1 up");
    if (p.extension_agreement_required) check_text(in.agreed_by, "--agreed-by");
    check_utf8(in.agreed_by, "--agreed-by");
    check_text(in.reason, "--reason");
    bool any = std::any_of(c.deadlines.begin(), c.deadlines.end(),
                           [&](const CaseDeadline& d) { return d.open() && d.stage == c.stage; });
    if (!any)
      throw DataError(fmt::format("case {} has no open deadline at {} to extend", c.id, stage_name(p, c.stage)));
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Calendar cal = p.make_calendar();
    Timestamp now = clock_.now();
    Timestamp at = when(in.at, zone, now, last_change(c), "extension");
    CaseEvent e;
    e.type = "extend";
    e.at = at;
    e.entered_at = now;
    e.days = in.days;
    e.reason = in.reason;
    e.agreed_by = in.agreed_by;
    int64_t ev = insert_event(store_.db(), c, e);
    shift_deadlines(store_.db(), c, cal, c.stage, in.days, ev);
    chain_case(store_.db(), c.id);
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
    check_text(in.outcome, "--outcome (the written outcome statement)");
    check_utf8(in.agreed_by, "--agreed-by");
    check_utf8(in.learning, "--learning");
    check_utf8(in.delay_reason, "--delay-reason");
    if (in.check_back && (*in.check_back < 1 || *in.check_back > 1000))
      throw UsageError("--check-back takes a number of working days from 1 up");
    if (p.learning_required && in.learning.empty())
      throw UsageError(fmt::format("the {} policy requires learning points when a case is resolved{}: add "
                                   "--learning TEXT (it may say there are none)",
                                   p.id, p.learning_to.empty() ? "" : " (they go to " + p.learning_to + ")"));
    if (p.delay_reason_after && in.delay_reason.empty()) {
      Date limit = due_after(cal, zone.local_date(c.raised_at), *p.delay_reason_after).due;
      if (zone.local_date(at) > limit)
        throw UsageError(fmt::format("case {} took longer than {} to resolve, and the {} policy requires the "
                                     "reason to be recorded: add --delay-reason TEXT",
                                     c.id, p.delay_reason_after->text(), p.id));
    }
    auto& db = store_.db();
    close_deadlines(db, c, zone, std::nullopt, at, "resolve");
    CaseEvent e;
    e.type = "resolve";
    e.at = at;
    e.entered_at = now;
    e.from_stage = c.stage;
    e.outcome = in.outcome;
    e.agreed_by = in.agreed_by;
    e.learning = in.learning;
    e.delay_reason = in.delay_reason;
    insert_event(db, c, e);
    set_state(db, c.id, "resolved", c.stage, c.stage_started_at, std::nullopt, at);
    if (in.check_back) {
      // A follow-up asking whether the child's situation has improved;
      // 'esc record ID --kind check-back' closes it.
      Date start = zone.local_date(at);
      Date due = due_after(cal, start, Timescale{*in.check_back, false}).due;
      SQLite::Statement q(db, "INSERT INTO deadlines (uuid, case_id, stage, seq, action, timescale, counted_from, "
                              "met_by, start_date, original_due, due) VALUES (?, ?, ?, 0, ?, ?, 'case', 'check-back', ?, ?, ?)");
      q.bind(1, new_uuid());
      q.bind(2, c.id);
      q.bind(3, k_check_back_stage);
      q.bind(4, "Check back: has the child's situation improved since the resolution?");
      q.bind(5, Timescale{*in.check_back, false}.text());
      q.bind(6, start.iso());
      q.bind(7, due.iso());
      q.bind(8, due.iso());
      q.exec();
      out.notices.push_back(fmt::format("check back by {}: record it with 'esc record {} --kind check-back'",
                                        due.iso(), c.id));
    }
    if (!p.learning_to.empty() && !in.learning.empty())
      out.notices.push_back("refer the learning points to " + p.learning_to);
    if (!p.agreed_by.empty() && in.agreed_by.empty())
      out.warnings.push_back("the policy says the outcome is agreed by " + p.agreed_by +
                             "; --agreed-by was not given");
    chain_case(store_.db(), c.id);
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
  // time zone, so its own today and window: the query asks for the widest
  // window of them all, and each row is then held to its own case's.
  struct Window {
    const Policy* policy = nullptr;
    Calendar calendar;
    Date today, first, last;
  };
  std::map<std::string, Window> windows;
  std::optional<Date> first;
  Date last;
  {
    std::string sql = "SELECT DISTINCT policy_id, policy_sha256 FROM cases";
    if (!policy.empty()) sql += " WHERE policy_id = ?";
    SQLite::Statement q(store_.db(), sql);
    if (!policy.empty()) q.bind(1, policy);
    bool any = false;
    while (q.executeStep()) {
      Case key;
      key.policy_id = q.getColumn(0).getString();
      key.policy_sha256 = q.getColumn(1).getString();
      const Policy* raised_under = &policy_of(key);
      Window w{raised_under, raised_under->make_calendar(), {}, {}, {}};
      w.today = TimeZone::get(w.policy->time_zone).local_date(clock_.now());
      w.first = w.today;
      w.last = window.within < 0    ? w.today.prev()
               : window.within == 0 ? w.today
                                    : w.calendar.add_working_days(w.today, window.within).date;
      if (!any || w.last > last) last = w.last;
      if (window.from_today && (!first || w.first < *first)) first = w.first;
      any = true;
      windows.emplace(key.policy_sha256, std::move(w));
    }
    if (!any) return;
  }
  // The partial index on open deadlines by due date keeps closed cases out
  // of this query; paused and resolved cases are dropped by the join. The
  // window puts each case's deadlines together, the case with the oldest due
  // date first, so rows can be handed on as they come.
  std::string sql =
      "SELECT d.id, d.uuid, d.case_id, d.stage, d.action, d.due, c.policy_id, c.policy_sha256, c.child_ref, "
      "c.stage, r.name, r.agency, r.agency_type, k.name, k.agency, k.agency_type, "
      "min(d.due) OVER (PARTITION BY d.case_id) AS oldest "
      "FROM deadlines d INDEXED BY deadlines_open JOIN cases c ON c.id = d.case_id "
      "JOIN parties r ON r.case_id = d.case_id AND r.role = 'raiser' "
      "JOIN parties k ON k.case_id = d.case_id AND k.role = 'counterpart' "
      "WHERE d.done_at IS NULL AND d.due <= :last AND (c.status = 'open' OR d.stage < 0)";
  if (first) sql += " AND d.due >= :first";
  if (!policy.empty()) sql += " AND c.policy_id = :policy";
  sql += " ORDER BY oldest, d.case_id, d.due, d.stage, d.seq";
  // The hot path of cron jobs over large stores: the C API directly, with no
  // per-column objects.
  sqlite3* handle = store_.db().getHandle();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw IoError(fmt::format("cannot read the store: {}", sqlite3_errmsg(handle)));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> q(raw, sqlite3_finalize);
  std::string last_iso = last.iso(), first_iso = first ? first->iso() : std::string();
  sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":last"), last_iso.c_str(), -1, SQLITE_STATIC);
  if (first) sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":first"), first_iso.c_str(), -1, SQLITE_STATIC);
  if (!policy.empty())
    sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":policy"), policy.c_str(), -1, SQLITE_STATIC);
  auto text = [raw](int i, std::string& into) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
    into.assign(t ? t : "", t ? static_cast<size_t>(sqlite3_column_bytes(raw, i)) : 0);
  };
  std::string sha, row_sha, due;
  const Window* w = nullptr;
  DueItem it;
  it.raiser.role = "raiser";
  it.counterpart.role = "counterpart";
  int rc;
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    it.deadline_id = sqlite3_column_int64(raw, 0);
    text(1, it.deadline_uuid);
    it.case_id = sqlite3_column_int64(raw, 2);
    it.stage = sqlite3_column_int(raw, 3);
    text(4, it.action);
    text(5, due);
    it.due = Date::parse(due);
    text(6, it.policy_id);
    text(7, row_sha);
    text(8, it.child_ref);
    it.case_stage = sqlite3_column_int(raw, 9);
    text(10, it.raiser.name);
    text(11, it.raiser.agency);
    text(12, it.raiser.agency_type);
    text(13, it.counterpart.name);
    text(14, it.counterpart.agency);
    text(15, it.counterpart.agency_type);
    if (!w || sha != row_sha) {
      sha = row_sha;
      auto found = windows.find(sha);
      if (found == windows.end()) continue;  // a case raised since the windows were worked out
      w = &found->second;
    }
    if (it.due > w->last || (window.from_today && it.due < w->first)) continue;
    const Policy* p = w->policy;
    const Calendar* cal = &w->calendar;
    const Date today = w->today;
    it.today = today;
    // The whole-case limit and a check-back fall to whoever handles the
    // case's current (or last) stage.
    int handler_stage = it.stage <= 0 ? it.case_stage : it.stage;
    it.stage_title.clear();
    it.raiser_handler.clear();
    it.counterpart_handler.clear();
    if (const Stage* st = p->stage(handler_stage)) {
      it.stage_title = it.stage == 0 ? "Whole case" : it.stage < 0 ? "Check back after resolution" : st->title;
      it.raiser_handler = st->handler_for(it.raiser.agency_type);
      it.counterpart_handler = st->handler_for(it.counterpart.agency_type);
    }
    it.working_days_overdue = it.due < today ? cal->working_days_between(it.due.next(), today.next()) : 0;
    visit(it);
  }
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_BUSY) throw BusyError("the store stayed busy: try again");
    throw IoError(fmt::format("cannot read the store: {}", sqlite3_errmsg(handle)));
  }
}

bool Service::reminder_sent(int64_t deadline_id, const std::string& state) {
  SQLite::Statement q(store_.db(), "SELECT 1 FROM reminders_sent WHERE deadline_id = ? AND state = ? AND due = "
                                   "(SELECT due FROM deadlines WHERE id = ?)");
  q.bind(1, deadline_id);
  q.bind(2, state);
  q.bind(3, deadline_id);
  return q.executeStep();
}

void Service::mark_reminder_sent(int64_t deadline_id, const std::string& state) {
  store_.write([&] {
    SQLite::Statement q(store_.db(), "INSERT OR IGNORE INTO reminders_sent (deadline_id, state, due, sent_at) "
                                     "SELECT id, ?, due, ? FROM deadlines WHERE id = ?");
    q.bind(1, state);
    q.bind(2, secs(clock_.now()));
    q.bind(3, deadline_id);
    q.exec();
  });
}

std::vector<Case> Service::list(const ListFilter& f, bool with_records) {
  std::string sql = "SELECT id FROM cases WHERE 1";
  if (!f.all) sql += " AND status <> 'resolved'";
  if (!f.policy.empty()) sql += " AND policy_id = :policy";
  if (f.stage) sql += " AND stage = :stage";
  sql += " ORDER BY id";
  SQLite::Statement q(store_.db(), sql);
  if (!f.policy.empty()) q.bind(":policy", f.policy);
  if (f.stage) q.bind(":stage", *f.stage);
  std::vector<int64_t> ids;
  while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
  std::vector<Case> out;
  Timestamp now = clock_.now();
  for (int64_t id : ids) {
    Case c = load(id);
    if (f.overdue_only) {
      const TimeZone& zone = TimeZone::get(policy_of(c).time_zone);
      bool overdue = c.status == "open" && std::any_of(c.deadlines.begin(), c.deadlines.end(), [&](const auto& d) {
                       return d.open() && is_overdue(zone, d.due, now);
                     });
      if (!overdue) continue;
    }
    if (!with_records) c.records.clear();
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<CaseBrief> open_case_briefs(Store& store) {
  std::vector<CaseBrief> out;
  SQLite::Statement q(store.db(),
                      "SELECT id, policy_id, stage, category, status FROM cases WHERE status <> 'resolved' ORDER BY id");
  while (q.executeStep())
    out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                   q.getColumn(3).getString(), q.getColumn(4).getString()});
  return out;
}

}  // namespace esc
