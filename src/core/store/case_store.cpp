// The SQLite store's side of CaseStore: every statement the lifecycle rules
// need, and nothing of the rules themselves.
#include <esc/crypto.hpp>
#include <esc/error.hpp>
#include <esc/ledger.hpp>
#include <esc/store.hpp>

#include "core/store/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

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
void bind_text_or_null(SQLite::Statement& q, int i, const std::string& v) {
  if (v.empty()) q.bind(i);
  else q.bind(i, v);
}

/// A word the store holds, as the vocabulary's value (states.hpp); a word it
/// does not know is a store this esc cannot read.
template <typename E>
E known(std::optional<E> value, const char* what, const std::string& word) {
  if (!value) throw DataError(fmt::format("the store holds an unknown {} '{}'", what, word));
  return *value;
}

/// SQLite's errors become esc's at this edge. Inside a unit of work they
/// pass on as they are, for Store::write to roll back and name ("nothing was
/// changed"); a read outside one is named by throw_store_error().
template <typename F>
auto guarded(sqlite3* handle, const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    if (!sqlite3_get_autocommit(handle)) throw;
    throw_store_error(e, path);
  }
}

}  // namespace

std::optional<std::string> Store::policy_text(const std::string& sha256) {
  return guarded(db_->getHandle(), path_, [&]() -> std::optional<std::string> {
    Prepared q_use(*db_, "SELECT text FROM policy_texts WHERE sha256 = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, sha256);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

void Store::keep_policy_text(const PolicyText& t) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "INSERT OR IGNORE INTO policy_texts (sha256, policy_id, version, text, loaded_from) "
                         "VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement& q = *q_use;
    q.bind(1, t.sha256);
    q.bind(2, t.policy_id);
    q.bind(3, t.version);
    q.bind(4, t.text);
    q.bind(5, t.loaded_from);
    q.exec();
  });
}

std::optional<Case> Store::load_case(int64_t id) {
  return guarded(db_->getHandle(), path_, [&]() -> std::optional<Case> {
    auto& db = *db_;
    Prepared q_use(db,
                   "SELECT c.id, c.uuid, c.policy_id, c.policy_sha256, p.version, c.category, c.summary, "
                   "c.requested_action, c.risk, c.child_ref, c.child_name, c.child_dob, c.child_nhs, "
                   "c.raised_at, c.entered_at, c.status, c.stage, c.stage_started_at, c.paused_at, "
                   "c.resolved_at FROM cases c JOIN policy_texts p ON p.sha256 = c.policy_sha256 "
                   "WHERE c.id = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
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
    c.status = known(case_status_named(col_text(q, 15)), "case status", col_text(q, 15));
    c.stage = q.getColumn(16).getInt();
    c.stage_started_at = from_secs(q.getColumn(17).getInt64());
    if (auto v = col_opt_int(q, 18)) c.paused_at = from_secs(*v);
    if (auto v = col_opt_int(q, 19)) c.resolved_at = from_secs(*v);

    Prepared pq_use(db, "SELECT role, name, agency, agency_type FROM parties WHERE case_id = ?");
    SQLite::Statement& pq = *pq_use;
    pq.bind(1, id);
    while (pq.executeStep()) {
      Party p{known(party_role_named(col_text(pq, 0)), "party role", col_text(pq, 0)), col_text(pq, 1),
              col_text(pq, 2), col_text(pq, 3)};
      (p.role == PartyRole::raiser ? c.raiser : c.counterpart) = p;
    }

    Prepared eq_use(db, "SELECT e.id, e.uuid, e.type, e.at, e.entered_at, e.from_stage, e.to_stage, e.reason, "
                        "e.agreed_by, e.days, e.outcome, e.learning, e.delay_reason, l.case_seq FROM events e "
                        "LEFT JOIN ledger l ON l.entry = 'event' AND l.ref_id = e.id "
                        "WHERE e.case_id = ? ORDER BY e.at, e.id");
    SQLite::Statement& eq = *eq_use;
    eq.bind(1, id);
    while (eq.executeStep()) {
      CaseEvent e;
      e.id = eq.getColumn(0).getInt64();
      e.uuid = col_text(eq, 1);
      e.type = known(event_type_named(col_text(eq, 2)), "event type", col_text(eq, 2));
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
      e.chain_seq = col_opt_int(eq, 13).value_or(0);
      c.events.push_back(std::move(e));
    }
    std::map<int64_t, const CaseEvent*> by_id;
    for (const auto& e : c.events) by_id[e.id] = &e;

    Prepared rq_use(db, "SELECT r.id, r.uuid, r.stage, r.at, r.entered_at, r.kind, r.channel, r.with_names, "
                        "r.summary, r.action, r.action_due, r.corrects, r.recipient, r.form, r.duty, l.case_seq "
                        "FROM records r LEFT JOIN ledger l ON l.entry = 'record' AND l.ref_id = r.id "
                        "WHERE r.case_id = ? ORDER BY r.at, r.id");
    SQLite::Statement& rq = *rq_use;
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
      r.to = col_text(rq, 12);
      r.form = col_text(rq, 13);
      r.duty = col_text(rq, 14);
      r.chain_seq = col_opt_int(rq, 15).value_or(0);
      c.records.push_back(std::move(r));
    }

    Prepared dq_use(db, "SELECT id, uuid, stage, seq, action, timescale, counted_from, met_by, start_date, "
                        "original_due, due, done_at, closed_by, record_id, late, key, kind, timed, in_writing, "
                        "recipient, form, clause FROM deadlines WHERE case_id = ? ORDER BY id");
    SQLite::Statement& dq = *dq_use;
    dq.bind(1, id);
    std::map<int64_t, size_t> index;
    while (dq.executeStep()) {
      CaseDeadline d;
      d.id = dq.getColumn(0).getInt64();
      d.uuid = col_text(dq, 1);
      d.scope = scope_of_stored(dq.getColumn(2).getInt());
      d.stage = d.scope == DeadlineScope::stage ? dq.getColumn(2).getInt() : 0;
      d.seq = dq.getColumn(3).getInt();
      d.action = col_text(dq, 4);
      d.timescale = col_text(dq, 5);
      d.counted_from = col_text(dq, 6);
      if (!dq.getColumn(7).isNull()) d.met_by = col_text(dq, 7);
      d.start_date = Date::parse(col_text(dq, 8));
      d.original_due = Date::parse(col_text(dq, 9));
      d.due = Date::parse(col_text(dq, 10));
      if (auto v = col_opt_int(dq, 11)) d.done_at = from_secs(*v);
      if (!dq.getColumn(12).isNull())
        d.closed_by = known(closed_by_named(col_text(dq, 12)), "way of closing a deadline", col_text(dq, 12));
      d.record_id = col_opt_int(dq, 13);
      if (auto v = col_opt_int(dq, 14)) d.late = *v != 0;
      d.key = col_text(dq, 15);
      d.kind = known(duty_kind_named(col_text(dq, 16)), "kind of duty", col_text(dq, 16));
      d.timed = dq.getColumn(17).getInt() != 0;
      d.in_writing = dq.getColumn(18).getInt() != 0;
      d.to = col_text(dq, 19);
      if (!dq.getColumn(20).isNull()) d.form = col_text(dq, 20);
      d.clause = col_text(dq, 21);
      index[d.id] = c.deadlines.size();
      c.deadlines.push_back(std::move(d));
    }
    Prepared sq_use(db, "SELECT s.deadline_id, s.event_id, s.days, s.from_due, s.to_due FROM deadline_shifts s "
                        "JOIN deadlines d ON d.id = s.deadline_id WHERE d.case_id = ? "
                        "ORDER BY s.deadline_id, s.seq");
    SQLite::Statement& sq = *sq_use;
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
      s.event_id = sq.getColumn(1).getInt64();
      s.days = sq.getColumn(2).getInt();
      s.from_due = Date::parse(col_text(sq, 3));
      s.to_due = Date::parse(col_text(sq, 4));
      c.deadlines[it->second].shifts.push_back(std::move(s));
    }
    return c;
  });
}

int64_t Store::add_case(const Case& c, Timestamp entered_at) {
  return guarded(db_->getHandle(), path_, [&] {
    auto& db = *db_;
    Prepared q_use(db, "INSERT INTO cases (uuid, policy_id, policy_sha256, category, summary, requested_action, "
                       "risk, child_ref, child_name, child_dob, child_nhs, raised_at, entered_at, status, stage, "
                       "stage_started_at) VALUES (:uuid, :policy, :sha, :cat, :summary, :req, :risk, :ref, "
                       ":name, :dob, :nhs, :at, :entered, 'open', :stage, :started)");
    SQLite::Statement& q = *q_use;
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
    q.bind(":at", secs(c.raised_at));
    q.bind(":entered", secs(entered_at));
    q.bind(":stage", c.stage);
    q.bind(":started", secs(c.stage_started_at));
    q.exec();
    int64_t id = db.getLastInsertRowid();
    Prepared pq_use(db, "INSERT INTO parties (case_id, role, name, agency, agency_type) VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement& pq = *pq_use;
    for (const Party* party : {&c.raiser, &c.counterpart}) {
      pq.reset();
      pq.bind(1, id);
      pq.bind(2, std::string(name(party->role)));
      pq.bind(3, party->name);
      bind_text_or_null(pq, 4, party->agency);
      pq.bind(5, party->agency_type);
      pq.exec();
    }
    return id;
  });
}

int64_t Store::add_event(int64_t case_id, const CaseEvent& e) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_,
                   "INSERT INTO events (uuid, case_id, type, at, entered_at, from_stage, to_stage, reason, "
                   "agreed_by, days, outcome, learning, delay_reason) VALUES (:uuid, :case, :type, :at, "
                   ":entered, :from, :to, :reason, :agreed, :days, :outcome, :learning, :delay)");
    SQLite::Statement& q = *q_use;
    q.bind(":uuid", e.uuid);
    q.bind(":case", case_id);
    q.bind(":type", std::string(name(e.type)));
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
    return db_->getLastInsertRowid();
  });
}

int64_t Store::add_record(int64_t case_id, const CaseRecord& r) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, channel, with_names, "
                         "summary, action, action_due, corrects, recipient, form, duty) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement& q = *q_use;
    q.bind(1, r.uuid);
    q.bind(2, case_id);
    q.bind(3, r.stage);
    q.bind(4, secs(r.at));
    q.bind(5, secs(r.entered_at));
    q.bind(6, r.kind);
    bind_text_or_null(q, 7, r.channel);
    bind_text_or_null(q, 8, r.with);
    q.bind(9, r.summary);
    bind_text_or_null(q, 10, r.action);
    bind_text_or_null(q, 11, r.action_due);
    if (r.corrects) q.bind(12, *r.corrects); else q.bind(12);
    bind_text_or_null(q, 13, r.to);
    bind_text_or_null(q, 14, r.form);
    bind_text_or_null(q, 15, r.duty);
    q.exec();
    return db_->getLastInsertRowid();
  });
}

int64_t Store::add_deadline(int64_t case_id, const CaseDeadline& d) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_,
                   "INSERT INTO deadlines (uuid, case_id, stage, seq, action, timescale, counted_from, met_by, "
                   "start_date, original_due, due, key, kind, timed, in_writing, recipient, form, clause) "
                   "VALUES (:uuid, :case, :stage, :seq, :action, :ts, :from, :met, :start, :due, :due, :key, "
                   ":kind, :timed, :writing, :to, :form, :clause)");
    SQLite::Statement& q = *q_use;
    q.bind(":uuid", d.uuid);
    q.bind(":case", case_id);
    q.bind(":stage", stored_stage(d.scope, d.stage));
    q.bind(":seq", d.seq);
    q.bind(":action", d.action);
    q.bind(":ts", d.timescale);
    q.bind(":from", d.counted_from);
    if (d.met_by) q.bind(":met", *d.met_by); else q.bind(":met");
    q.bind(":start", d.start_date.iso());
    q.bind(":due", d.original_due.iso());
    q.bind(":key", d.key);
    q.bind(":kind", std::string(name(d.kind)));
    q.bind(":timed", d.timed ? 1 : 0);
    q.bind(":writing", d.in_writing ? 1 : 0);
    bind_text_or_null(q, ":to", d.to);
    if (d.form) q.bind(":form", *d.form); else q.bind(":form");
    bind_text_or_null(q, ":clause", d.clause);
    q.exec();
    return db_->getLastInsertRowid();
  });
}

void Store::close_deadline(int64_t deadline_id, Timestamp at, ClosedBy closed_by, bool late,
                           std::optional<int64_t> record_id) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared u_use(*db_, "UPDATE deadlines SET done_at = ?, closed_by = ?, late = ?, record_id = ? WHERE id = ?");
    SQLite::Statement& u = *u_use;
    u.bind(1, secs(at));
    u.bind(2, std::string(name(closed_by)));
    u.bind(3, late ? 1 : 0);
    if (record_id) u.bind(4, *record_id); else u.bind(4);
    u.bind(5, deadline_id);
    u.exec();
  });
}

void Store::move_deadline(int64_t deadline_id, int64_t event_id, int days, Date from, Date to) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared u_use(*db_, "UPDATE deadlines SET due = ? WHERE id = ?");
    SQLite::Statement& u = *u_use;
    u.bind(1, to.iso());
    u.bind(2, deadline_id);
    u.exec();
    // Its place among the deadline's moves, kept explicitly: the order they
    // were made in is part of what the chain covers.
    Prepared s_use(*db_, "INSERT INTO deadline_shifts (deadline_id, event_id, seq, days, from_due, to_due) "
                         "SELECT :deadline, :event, COALESCE(MAX(seq), 0) + 1, :days, :from, :to "
                         "FROM deadline_shifts WHERE deadline_id = :deadline");
    SQLite::Statement& s = *s_use;
    s.bind(":deadline", deadline_id);
    s.bind(":event", event_id);
    s.bind(":days", days);
    s.bind(":from", from.iso());
    s.bind(":to", to.iso());
    s.exec();
  });
}

void Store::rewrite_deadline(const CaseDeadline& d) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared u_use(*db_, "UPDATE deadlines SET stage = :stage, seq = :seq, action = :action, timescale = :ts, "
                         "counted_from = :from, met_by = :met, start_date = :start, original_due = :first, "
                         "due = :due, done_at = :done, closed_by = :by, record_id = :record, late = :late, "
                         "key = :key, kind = :kind, timed = :timed, in_writing = :writing, recipient = :to, "
                         "form = :form, clause = :clause WHERE id = :id");
    SQLite::Statement& u = *u_use;
    u.bind(":stage", stored_stage(d.scope, d.stage));
    u.bind(":seq", d.seq);
    u.bind(":action", d.action);
    u.bind(":ts", d.timescale);
    u.bind(":from", d.counted_from);
    if (d.met_by) u.bind(":met", *d.met_by); else u.bind(":met");
    u.bind(":start", d.start_date.iso());
    u.bind(":first", d.original_due.iso());
    u.bind(":due", d.due.iso());
    if (d.done_at) u.bind(":done", secs(*d.done_at)); else u.bind(":done");
    if (d.closed_by) u.bind(":by", std::string(name(*d.closed_by))); else u.bind(":by");
    if (d.record_id) u.bind(":record", *d.record_id); else u.bind(":record");
    if (d.late) u.bind(":late", *d.late ? 1 : 0); else u.bind(":late");
    u.bind(":key", d.key);
    u.bind(":kind", std::string(name(d.kind)));
    u.bind(":timed", d.timed ? 1 : 0);
    u.bind(":writing", d.in_writing ? 1 : 0);
    bind_text_or_null(u, ":to", d.to);
    if (d.form) u.bind(":form", *d.form); else u.bind(":form");
    bind_text_or_null(u, ":clause", d.clause);
    u.bind(":id", d.id);
    u.exec();
  });
}

void Store::drop_deadline(int64_t deadline_id) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared u_use(*db_, "DELETE FROM deadlines WHERE id = ? AND NOT EXISTS "
                         "(SELECT 1 FROM deadline_shifts WHERE deadline_id = deadlines.id)");
    SQLite::Statement& u = *u_use;
    u.bind(1, deadline_id);
    u.exec();
  });
}

void Store::set_case_state(int64_t case_id, CaseStatus status, int stage, Timestamp stage_started_at,
                           std::optional<Timestamp> paused_at, std::optional<Timestamp> resolved_at) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared u_use(*db_, "UPDATE cases SET status = ?, stage = ?, stage_started_at = ?, paused_at = ?, "
                         "resolved_at = ? WHERE id = ?");
    SQLite::Statement& u = *u_use;
    u.bind(1, std::string(name(status)));
    u.bind(2, stage);
    u.bind(3, secs(stage_started_at));
    if (paused_at) u.bind(4, secs(*paused_at)); else u.bind(4);
    if (resolved_at) u.bind(5, secs(*resolved_at)); else u.bind(5);
    u.bind(6, case_id);
    u.exec();
  });
}

void Store::seal_case(int64_t case_id) {
  guarded(db_->getHandle(), path_, [&] { chain_case(*db_, case_id); });
}

std::vector<std::pair<std::string, std::string>> Store::policies_in_use(const std::string& policy_id) {
  return guarded(db_->getHandle(), path_, [&] {
    // Every text kept is one a case was raised under (kept with its first
    // case, in the same transaction): the small table, not every case.
    std::string sql = "SELECT policy_id, sha256 FROM policy_texts";
    if (!policy_id.empty()) sql += " WHERE policy_id = ?";
    Prepared q_use(*db_, sql);
    SQLite::Statement& q = *q_use;
    if (!policy_id.empty()) q.bind(1, policy_id);
    std::vector<std::pair<std::string, std::string>> out;
    while (q.executeStep()) out.emplace_back(q.getColumn(0).getString(), q.getColumn(1).getString());
    return out;
  });
}

namespace {

// The columns of an open duty's row, as visit_open_deadlines and
// deadline_row read them (d: the duty, c: its case, r and k: its parties).
constexpr const char* k_deadline_row_columns =
    "d.id, d.uuid, d.case_id, d.stage, d.action, d.due, c.policy_id, c.policy_sha256, c.child_ref, "
    "c.stage, r.name, r.agency, r.agency_type, k.name, k.agency, k.agency_type, d.key, d.kind, d.timed, "
    "coalesce(d.clause, '')";

/// Reads the current row (k_deadline_row_columns) into `row`, reusing its
/// strings: `text(i, into)` and `integer(i)` read column i.
template <class Text, class Integer>
void read_deadline_row(Text text, Integer integer, OpenDeadlineRow& row, std::string& scratch) {
  row.raiser.role = PartyRole::raiser;
  row.counterpart.role = PartyRole::counterpart;
  row.deadline_id = integer(0);
  text(1, row.deadline_uuid);
  row.case_id = integer(2);
  row.scope = scope_of_stored(static_cast<int>(integer(3)));
  row.stage = row.scope == DeadlineScope::stage ? static_cast<int>(integer(3)) : 0;
  text(4, row.action);
  text(5, scratch);
  row.due = Date::parse(scratch);
  text(6, row.policy_id);
  text(7, row.policy_sha256);
  text(8, row.child_ref);
  row.case_stage = static_cast<int>(integer(9));
  text(10, row.raiser.name);
  text(11, row.raiser.agency);
  text(12, row.raiser.agency_type);
  text(13, row.counterpart.name);
  text(14, row.counterpart.agency);
  text(15, row.counterpart.agency_type);
  text(16, row.key);
  text(17, scratch);
  row.kind = duty_kind_named(scratch).value_or(DutyKind::deadline);
  row.timed = integer(18) != 0;
  text(19, row.clause);
}

}  // namespace

void Store::visit_open_deadlines(std::optional<Date> first, Date last, const std::string& policy_id,
                                 bool with_untimed, const std::function<void(const OpenDeadlineRow&)>& visit) {
  // The partial index on open deadlines by due date keeps closed cases out
  // of this query; paused and resolved cases are dropped by the join. Each
  // case's deadlines come together, the case with the oldest due date first,
  // so rows can be handed on as they come.
  std::string filter = "d.done_at IS NULL AND d.due <= :last AND (c.status = 'open' OR d.stage < 0)";
  // (An untimed duty's date is the day it arose: it is listed from then on,
  // every day until it is met.)
  if (first) filter += " AND (d.due >= :first OR d.timed = 0)";
  if (!with_untimed) filter += " AND d.timed = 1";
  if (!policy_id.empty()) filter += " AND c.policy_id = :policy";
  // The duties in the window with each case's oldest timed due date; their
  // ids in that order; then their rows. The window is chosen from two
  // indexes alone (both cover what it reads: the open duties' dates, and
  // each case's state and policy), not from the rows.
  //
  // Only the ids and their keys are sorted (a few dozen bytes a duty, not
  // the whole row with its names), and nothing is kept in a table of its
  // own: SQLite sorts within a bounded memory and spills the rest to a
  // temporary file, so what the query holds does not grow with the store.
  // The sorted ids ("keys", kept whole by LIMIT -1, without which SQLite
  // drops a subquery's ORDER BY in a join) are the outer loop, the CROSS
  // JOINs keeping them there, so the rows come in their order with no
  // second sort. tests/due_query_test.cpp holds the order to the plain
  // ORDER BY over every row, and the plan to sorts of the ids alone.
  std::string sql =
      "WITH keys AS (SELECT id, case_id FROM (SELECT d.id, d.case_id, d.due, d.stage, d.seq, "
      "min(CASE WHEN d.timed = 1 THEN d.due ELSE '9999-12-31' END) OVER (PARTITION BY d.case_id) AS oldest "
      "FROM deadlines d INDEXED BY deadlines_open JOIN cases c INDEXED BY cases_state ON c.id = d.case_id WHERE " +
      filter + ") ORDER BY oldest, case_id, due, stage, seq LIMIT -1) "
      "SELECT " + std::string(k_deadline_row_columns) + " "
      "FROM keys x CROSS JOIN deadlines d ON d.id = x.id CROSS JOIN cases c ON c.id = x.case_id "
      "CROSS JOIN parties r ON r.case_id = x.case_id AND r.role = 'raiser' "
      "CROSS JOIN parties k ON k.case_id = x.case_id AND k.role = 'counterpart'";
  // The hot path of cron jobs over large stores: the C API directly, with no
  // per-column objects.
  sqlite3* handle = db_->getHandle();
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw IoError(fmt::format("cannot read the store: {}", sqlite3_errmsg(handle)));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> q(raw, sqlite3_finalize);
  std::string last_iso = last.iso(), first_iso = first ? first->iso() : std::string();
  sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":last"), last_iso.c_str(), -1, SQLITE_STATIC);
  if (first) sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":first"), first_iso.c_str(), -1, SQLITE_STATIC);
  if (!policy_id.empty())
    sqlite3_bind_text(raw, sqlite3_bind_parameter_index(raw, ":policy"), policy_id.c_str(), -1, SQLITE_STATIC);
  OpenDeadlineRow row;
  std::string scratch;
  int rc;
  auto text = [raw](int i, std::string& into) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(raw, i));
    into.assign(t ? t : "", t ? static_cast<size_t>(sqlite3_column_bytes(raw, i)) : 0);
  };
  auto integer = [raw](int i) { return sqlite3_column_int64(raw, i); };
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    read_deadline_row(text, integer, row, scratch);
    visit(row);
  }
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_BUSY) throw BusyError("the store stayed busy: try again");
    throw IoError(fmt::format("cannot read the store: {}", sqlite3_errmsg(handle)));
  }
}

std::optional<OpenDeadlineRow> Store::deadline_row(int64_t deadline_id) {
  return guarded(db_->getHandle(), path_, [&]() -> std::optional<OpenDeadlineRow> {
    Prepared q_use(*db_, "SELECT " + std::string(k_deadline_row_columns) +
                             " FROM deadlines d JOIN cases c ON c.id = d.case_id "
                             "JOIN parties r ON r.case_id = d.case_id AND r.role = 'raiser' "
                             "JOIN parties k ON k.case_id = d.case_id AND k.role = 'counterpart' WHERE d.id = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, deadline_id);
    if (!q.executeStep()) return std::nullopt;
    OpenDeadlineRow row;
    std::string scratch;
    read_deadline_row([&q](int i, std::string& into) { into = q.getColumn(i).getString(); },
                      [&q](int i) { return q.getColumn(i).getInt64(); }, row, scratch);
    return row;
  });
}

bool Store::reminder_sent(int64_t deadline_id, Reminder state) {
  return guarded(db_->getHandle(), path_, [&] {
    // A reminder sent is a chained record naming the duty, its state and the
    // due date it was sent for: a moved due date is reminded afresh.
    // (A claim, channel "claimed", is not a delivery.)
    Prepared q_use(*db_, "SELECT 1 FROM deadlines d JOIN records r ON r.case_id = d.case_id AND r.duty = d.key "
                         "AND r.kind = 'reminder' AND r.action = ? AND r.action_due = d.due "
                         "AND coalesce(r.channel, '') <> 'claimed' WHERE d.id = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, std::string(name(state)));
    q.bind(2, deadline_id);
    return q.executeStep();
  });
}

std::vector<ReminderMark> Store::reminder_marks(int64_t deadline_id, Reminder state, const std::string& to) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "SELECT r.at, coalesce(r.channel, '') = 'claimed', coalesce(r.with_names, '') "
                         "FROM deadlines d JOIN records r ON r.case_id = d.case_id AND r.duty = d.key "
                         "AND r.kind = 'reminder' AND r.action = ? AND r.action_due = d.due "
                         "AND coalesce(r.recipient, '') IN ('', ?) "
                         "WHERE d.id = ? ORDER BY r.at, r.id");
    SQLite::Statement& q = *q_use;
    q.bind(1, std::string(name(state)));
    q.bind(2, to);
    q.bind(3, deadline_id);
    std::vector<ReminderMark> out;
    while (q.executeStep())
      out.push_back({from_secs(q.getColumn(0).getInt64()), q.getColumn(1).getInt() != 0, q.getColumn(2).getString()});
    return out;
  });
}

void Store::claim_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& claimant,
                           const std::string& to) {
  add_reminder(deadline_id, state, due, at, "claimed", claimant, to);
}

void Store::mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& to) {
  add_reminder(deadline_id, state, due, at, "", "", to);
}

namespace {

// A reminder run's lists, in the connection's own temporary database: never
// in the store's file, gone when esc ends. Their rows hold numbers only
// (ids, places, dates). `send` is kept in its order (its key), so reading
// it in order sorts nothing.
constexpr const char* k_slot_tables[] = {
    "CREATE TEMP TABLE IF NOT EXISTS reminder_read (seq INTEGER PRIMARY KEY, deadline_id INTEGER NOT NULL, "
    "case_seq INTEGER NOT NULL, message INTEGER NOT NULL, email INTEGER NOT NULL, due_days INTEGER NOT NULL, "
    "sending INTEGER NOT NULL, policy INTEGER NOT NULL, flags INTEGER NOT NULL, urgency INTEGER NOT NULL, "
    "role INTEGER NOT NULL)",
    "CREATE TEMP TABLE IF NOT EXISTS reminder_send (message INTEGER NOT NULL, case_seq INTEGER NOT NULL, "
    "urgency INTEGER NOT NULL, due_days INTEGER NOT NULL, role INTEGER NOT NULL, seq INTEGER NOT NULL, "
    "deadline_id INTEGER NOT NULL, email INTEGER NOT NULL, sending INTEGER NOT NULL, policy INTEGER NOT NULL, "
    "flags INTEGER NOT NULL, PRIMARY KEY (message, case_seq, urgency, due_days, role, seq)) WITHOUT ROWID"};

const char* slot_table(SlotList list) { return list == SlotList::read ? "temp.reminder_read" : "temp.reminder_send"; }

}  // namespace

namespace {

/// The lists live in SQLite's temporary storage, not in the store: a failure
/// there (a full or unwritable temporary directory) says so.
template <typename F>
auto in_temporary_storage(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    throw IoError(fmt::format("cannot keep the reminder run's list in SQLite's temporary storage (in SQLITE_TMPDIR or "
                              "TMPDIR, else /var/tmp, /usr/tmp or /tmp): {}",
                              e.what()));
  }
}

}  // namespace

void Store::clear_slots(SlotList list) {
  in_temporary_storage([&] {
    // A small cache: the lists are written in order and read in order, and
    // what does not fit waits in a temporary file, not in memory.
    db_->exec("PRAGMA temp.cache_size = -256");
    for (const char* sql : k_slot_tables) db_->exec(sql);
    db_->exec(fmt::format("DELETE FROM {}", slot_table(list)));
  });
}

void Store::add_slots(SlotList list, const std::vector<ReminderSlot>& slots) {
  sqlite3* handle = db_->getHandle();
  // One savepoint for the lot: a transaction of the temporary database
  // alone when none is open, part of the open one (a read) otherwise.
  const bool alone = sqlite3_get_autocommit(handle) != 0;
  in_temporary_storage([&] {
    db_->exec("SAVEPOINT slots");
    try {
      Prepared q_use(*db_, fmt::format("INSERT INTO {} (seq, deadline_id, case_seq, message, email, due_days, "
                                       "sending, policy, flags, urgency, role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       slot_table(list)));
      SQLite::Statement& q = *q_use;
      for (const auto& s : slots) {
        q.bind(1, static_cast<int64_t>(s.seq));
        q.bind(2, s.deadline_id);
        q.bind(3, static_cast<int64_t>(s.case_seq));
        q.bind(4, static_cast<int64_t>(s.message));
        q.bind(5, static_cast<int64_t>(s.email));
        q.bind(6, s.due_days);
        q.bind(7, s.sending);
        q.bind(8, s.policy);
        q.bind(9, s.flags());
        q.bind(10, s.urgency());
        q.bind(11, static_cast<int>(s.role_));
        q.exec();
        q.reset();
      }
      db_->exec("RELEASE slots");  // (alone: the commit, which may fail too)
    } catch (...) {
      // None of the lot is kept, and the connection is as it was: out of
      // any transaction when it was, else in the one it was in.
      if (alone) {
        if (!sqlite3_get_autocommit(handle)) sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
      } else {
        sqlite3_exec(handle, "ROLLBACK TO slots; RELEASE slots", nullptr, nullptr, nullptr);
      }
      throw;
    }
  });
}

std::vector<ReminderSlot> Store::slots_after(SlotList list, const ReminderSlot* after, size_t n) {
  return in_temporary_storage([&] {
    const char* columns = "seq, deadline_id, case_seq, message, email, due_days, sending, policy, flags";
    std::string sql =
        list == SlotList::read
            ? fmt::format("SELECT {} FROM temp.reminder_read WHERE seq > ? ORDER BY seq LIMIT ?", columns)
            : fmt::format("SELECT {} FROM temp.reminder_send WHERE (message, case_seq, urgency, due_days, role, seq) "
                          "> (?, ?, ?, ?, ?, ?) ORDER BY message, case_seq, urgency, due_days, role, seq LIMIT ?",
                          columns);
    Prepared q_use(*db_, sql);
    SQLite::Statement& q = *q_use;
    int i = 1;
    if (list == SlotList::read) {
      q.bind(i++, static_cast<int64_t>(after ? after->seq : 0));
    } else if (after) {
      auto [message, case_seq, urgency, due_days, role, seq] = after->message_order();
      for (int64_t v : {int64_t{message}, int64_t{case_seq}, int64_t{urgency}, int64_t{due_days}, int64_t{role},
                        int64_t{seq}})
        q.bind(i++, v);
    } else {
      for (int k = 0; k < 6; ++k) q.bind(i++, int64_t{-1} << 40);  // before every row
    }
    q.bind(i, static_cast<int64_t>(n));
    std::vector<ReminderSlot> out;
    out.reserve(n);
    while (q.executeStep()) {
      ReminderSlot s;
      s.seq = static_cast<uint32_t>(q.getColumn(0).getInt64());
      s.deadline_id = q.getColumn(1).getInt64();
      s.case_seq = static_cast<uint32_t>(q.getColumn(2).getInt64());
      s.message = static_cast<uint32_t>(q.getColumn(3).getInt64());
      s.email = static_cast<uint32_t>(q.getColumn(4).getInt64());
      s.due_days = q.getColumn(5).getInt();
      s.sending = static_cast<uint16_t>(q.getColumn(6).getInt());
      s.policy = static_cast<uint16_t>(q.getColumn(7).getInt());
      s.set_flags(q.getColumn(8).getInt());
      out.push_back(s);
    }
    return out;
  });
}

std::vector<CaseRecord> Store::records_of_kind(int64_t case_id, std::string_view kind) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "SELECT id, stage, at, entered_at, kind, coalesce(with_names, ''), summary, "
                         "coalesce(recipient, '') FROM records WHERE case_id = ? AND kind = ? ORDER BY at, id");
    SQLite::Statement& q = *q_use;
    q.bind(1, case_id);
    q.bind(2, std::string(kind));
    std::vector<CaseRecord> out;
    while (q.executeStep()) {
      CaseRecord r;
      r.id = q.getColumn(0).getInt64();
      r.stage = q.getColumn(1).getInt();
      r.at = from_secs(q.getColumn(2).getInt64());
      r.entered_at = from_secs(q.getColumn(3).getInt64());
      r.kind = q.getColumn(4).getString();
      r.with = q.getColumn(5).getString();
      r.summary = q.getColumn(6).getString();
      r.to = q.getColumn(7).getString();
      out.push_back(std::move(r));
    }
    return out;
  });
}

void Store::add_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& channel,
                         const std::string& claimant, const std::string& to) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "SELECT d.case_id, d.key, d.due, d.action, c.stage FROM deadlines d "
                         "JOIN cases c ON c.id = d.case_id WHERE d.id = ?");
    SQLite::Statement& q = *q_use;
    q.bind(1, deadline_id);
    if (!q.executeStep()) throw InternalError(fmt::format("no duty {} to remind of", deadline_id));
    int64_t case_id = q.getColumn(0).getInt64();
    CaseRecord r;
    r.uuid = new_uuid();
    r.stage = q.getColumn(4).getInt();
    r.at = r.entered_at = at;
    r.kind = std::string(k_reminder_kind);
    r.duty = q.getColumn(1).getString();
    r.action = std::string(name(state));
    r.action_due = due.iso();
    r.summary = fmt::format("{} reminder{}{}: {}", name(state), channel == "claimed" ? " claimed" : "",
                            to.empty() ? std::string() : " to " + to, q.getColumn(3).getString());
    r.channel = channel;
    r.with = claimant;
    r.to = to;
    q.reset();
    add_record(case_id, r);
    chain_case(*db_, case_id);
  });
}

bool Store::duties_stale(std::string_view derivation) {
  return guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "SELECT value FROM meta WHERE name = 'duties'");
    SQLite::Statement& q = *q_use;
    return q.executeStep() && q.getColumn(0).getString() != derivation;
  });
}

void Store::duties_refreshed(std::string_view derivation) {
  guarded(db_->getHandle(), path_, [&] {
    Prepared q_use(*db_, "UPDATE meta SET value = :v WHERE name = 'duties'");
    SQLite::Statement& q = *q_use;
    q.bind(":v", std::string(derivation));
    q.exec();
  });
}

void Store::visit_case_lines(const CaseQuery& f, const std::function<void(const CaseLine&)>& visit) {
  guarded(db_->getHandle(), path_, [&] {
    // One pass over the cases; each case's earliest open deadline through
    // the index on deadlines by case.
    std::string sql =
        "SELECT c.id, c.policy_id, c.policy_sha256, c.stage, c.status, c.child_ref, k.name, k.agency, "
        "k.agency_type, (SELECT d.due || ' ' || d.action FROM deadlines d WHERE d.case_id = c.id AND d.done_at IS NULL "
        "AND d.timed = 1 ORDER BY d.due, d.seq LIMIT 1), (SELECT d.due || ' ' || d.action FROM deadlines d "
        "WHERE d.case_id = c.id AND d.done_at IS NULL AND d.timed = 0 ORDER BY d.due, d.seq LIMIT 1) "
        "FROM cases c JOIN parties k ON k.case_id = c.id AND k.role = 'counterpart' WHERE 1";
    if (!f.all) sql += " AND c.status <> 'resolved'";
    if (!f.policy.empty()) sql += " AND c.policy_id = :policy";
    if (f.stage) sql += " AND c.stage = :stage";
    sql += " ORDER BY c.id";
    Prepared q_use(*db_, sql);
    SQLite::Statement& q = *q_use;
    if (!f.policy.empty()) q.bind(":policy", f.policy);
    if (f.stage) q.bind(":stage", *f.stage);
    CaseLine line;
    line.counterpart.role = PartyRole::counterpart;
    while (q.executeStep()) {
      line.id = q.getColumn(0).getInt64();
      line.policy_id = col_text(q, 1);
      line.policy_sha256 = col_text(q, 2);
      line.stage = q.getColumn(3).getInt();
      line.status = known(case_status_named(col_text(q, 4)), "case status", col_text(q, 4));
      line.child_ref = col_text(q, 5);
      line.counterpart.name = col_text(q, 6);
      line.counterpart.agency = col_text(q, 7);
      line.counterpart.agency_type = col_text(q, 8);
      // "YYYY-MM-DD action": the date, then what is owed.
      auto due_and_action = [&](int col, std::optional<Date>& due, std::string& action) {
        due.reset();
        action.clear();
        if (q.getColumn(col).isNull()) return;
        std::string v = col_text(q, col);
        due = Date::parse(v.substr(0, 10));
        if (v.size() > 11) action = v.substr(11);
      };
      due_and_action(9, line.next_due, line.next_due_action);
      due_and_action(10, line.next_untimed, line.next_untimed_action);
      visit(line);
    }
  });
}

std::vector<int64_t> Store::case_ids(const CaseQuery& f) {
  return guarded(db_->getHandle(), path_, [&] {
    std::string sql = "SELECT id FROM cases WHERE 1";
    if (!f.all) sql += " AND status <> 'resolved'";
    if (!f.policy.empty()) sql += " AND policy_id = :policy";
    if (f.stage) sql += " AND stage = :stage";
    if (f.raised_from) sql += " AND raised_at >= :from";
    if (f.raised_before) sql += " AND raised_at < :before";
    sql += " ORDER BY id";
    Prepared q_use(*db_, sql);
    SQLite::Statement& q = *q_use;
    if (!f.policy.empty()) q.bind(":policy", f.policy);
    if (f.stage) q.bind(":stage", *f.stage);
    if (f.raised_from) q.bind(":from", secs(*f.raised_from));
    if (f.raised_before) q.bind(":before", secs(*f.raised_before));
    std::vector<int64_t> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    return ids;
  });
}

std::vector<CaseBrief> Store::open_case_briefs() {
  return guarded(db_->getHandle(), path_, [&] {
    std::vector<CaseBrief> out;
    Prepared q_use(*db_,
                   "SELECT id, policy_id, stage, category, status FROM cases WHERE status <> 'resolved' "
                   "ORDER BY id");
    SQLite::Statement& q = *q_use;
    while (q.executeStep())
      out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt(),
                     q.getColumn(3).getString(),
                     known(case_status_named(q.getColumn(4).getString()), "case status", q.getColumn(4).getString())});
    return out;
  });
}

}  // namespace esc
