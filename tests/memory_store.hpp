#pragma once
// A second implementation of CaseStore, in memory, for the lifecycle rules'
// unit tests: the rules run against it as they do against the SQLite store,
// which shows they need nothing of the store beyond its interface. A unit of
// work that throws leaves the store as it was (the whole state is copied
// first), as a transaction would.

#include <esc/case_store.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace esc::test {

class MemoryStore : public CaseStore {
 public:
  void write(const std::function<void()>& f) override {
    State before = s_;
    try {
      f();
    } catch (...) {
      s_ = std::move(before);
      throw;
    }
  }
  std::optional<std::string> policy_text(const std::string& sha256) override {
    auto it = s_.texts.find(sha256);
    if (it == s_.texts.end()) return std::nullopt;
    return it->second.text;
  }
  void keep_policy_text(const PolicyText& t) override { s_.texts.emplace(t.sha256, t); }
  std::optional<Case> load_case(int64_t id) override {
    auto it = s_.cases.find(id);
    if (it == s_.cases.end()) return std::nullopt;
    Case c = it->second;
    c.policy_version = s_.texts.at(c.policy_sha256).version;
    auto by_time = [](const auto& a, const auto& b) { return std::tie(a.at, a.id) < std::tie(b.at, b.id); };
    std::sort(c.events.begin(), c.events.end(), by_time);
    std::sort(c.records.begin(), c.records.end(), by_time);
    return c;
  }
  int64_t add_case(const Case& c, Timestamp entered_at) override {
    Case stored = c;
    stored.id = ++s_.last_case;
    stored.entered_at = entered_at;
    stored.status = CaseStatus::open;
    stored.deadlines.clear();
    stored.events.clear();
    stored.records.clear();
    s_.cases.emplace(stored.id, stored);
    return stored.id;
  }
  int64_t add_event(int64_t case_id, const CaseEvent& e) override {
    CaseEvent stored = e;
    stored.id = ++s_.last_event;
    s_.cases.at(case_id).events.push_back(stored);
    return stored.id;
  }
  int64_t add_record(int64_t case_id, const CaseRecord& r) override {
    CaseRecord stored = r;
    stored.id = ++s_.last_record;
    s_.cases.at(case_id).records.push_back(stored);
    return stored.id;
  }
  int64_t add_deadline(int64_t case_id, const CaseDeadline& d) override {
    CaseDeadline stored = d;
    stored.id = ++s_.last_deadline;
    stored.due = stored.original_due;
    stored.met_entered_at.reset();
    stored.done_at.reset();
    stored.closed_by.reset();
    stored.record_id.reset();
    stored.late.reset();
    stored.shifts.clear();
    s_.cases.at(case_id).deadlines.push_back(stored);
    return stored.id;
  }
  void close_deadline(int64_t deadline_id, Timestamp at, ClosedBy closed_by, bool late,
                      std::optional<int64_t> record_id) override {
    CaseDeadline& d = deadline(deadline_id);
    d.done_at = at;
    d.closed_by = closed_by;
    d.late = late;
    d.record_id = record_id;
  }
  void move_deadline(int64_t deadline_id, int64_t event_id, int days, Date from, Date to) override {
    CaseDeadline& d = deadline(deadline_id);
    DeadlineShift s;
    for (const auto& [id, c] : s_.cases)
      for (const auto& e : c.events)
        if (e.id == event_id) {
          s.type = e.type;
          s.at = e.at;
          s.reason = e.reason;
        }
    s.event_id = event_id;
    s.days = days;
    s.from_due = from;
    s.to_due = to;
    d.shifts.push_back(s);
    d.due = to;
  }
  void rewrite_deadline(const CaseDeadline& d) override {
    CaseDeadline& kept = deadline(d.id);
    auto shifts = kept.shifts;
    auto uuid = kept.uuid;
    kept = d;
    kept.shifts = shifts;
    kept.uuid = uuid;
    kept.met_entered_at.reset();
  }
  void drop_deadline(int64_t deadline_id) override {
    for (auto& [cid, c] : s_.cases)
      c.deadlines.erase(std::remove_if(c.deadlines.begin(), c.deadlines.end(),
                                       [&](const CaseDeadline& d) { return d.id == deadline_id && d.shifts.empty(); }),
                        c.deadlines.end());
  }
  void set_case_state(int64_t case_id, CaseStatus status, int stage, Timestamp stage_started_at,
                      std::optional<Timestamp> paused_at, std::optional<Timestamp> resolved_at) override {
    Case& c = s_.cases.at(case_id);
    c.status = status;
    c.stage = stage;
    c.stage_started_at = stage_started_at;
    c.paused_at = paused_at;
    c.resolved_at = resolved_at;
  }
  void seal_case(int64_t case_id) override {
    ++s_.sealed[case_id];
    // The chain's order: the case's entries in the order they were added.
    Case& c = s_.cases.at(case_id);
    std::vector<int64_t*> unsealed;
    for (auto& e : c.events)
      if (e.chain_seq == 0) unsealed.push_back(&e.chain_seq);
    for (auto& r : c.records)
      if (r.chain_seq == 0) unsealed.push_back(&r.chain_seq);
    for (auto* seq : unsealed) *seq = ++s_.chained[case_id];
  }
  std::vector<std::pair<std::string, std::string>> policies_in_use(const std::string& policy_id) override {
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& [id, c] : s_.cases)
      if (policy_id.empty() || c.policy_id == policy_id) seen.emplace(c.policy_id, c.policy_sha256);
    return {seen.begin(), seen.end()};
  }
  void visit_open_deadlines(std::optional<Date> first, Date last, const std::string& policy_id, bool with_untimed,
                            const std::function<void(const OpenDeadlineRow&)>& visit) override {
    std::vector<OpenDeadlineRow> rows;
    for (const auto& [id, c] : s_.cases) {
      if (!policy_id.empty() && c.policy_id != policy_id) continue;
      for (const auto& d : c.deadlines) {
        if (!d.open() || d.due > last || (first && d.due < *first) || (!with_untimed && !d.timed)) continue;
        if (c.status != CaseStatus::open && d.scope != DeadlineScope::check_back &&
            d.scope != DeadlineScope::after_resolution)
          continue;
        rows.push_back({d.id, d.uuid, c.id, c.policy_id, c.policy_sha256, c.child.ref, c.stage, d.scope, d.stage,
                        d.key, d.kind, d.timed, d.action, d.clause, d.due, c.raiser, c.counterpart});
      }
    }
    // Grouped by case, the case with the oldest due date first.
    std::map<int64_t, Date> oldest;
    for (const auto& r : rows)
      if (!oldest.count(r.case_id) || r.due < oldest[r.case_id]) oldest[r.case_id] = r.due;
    std::sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      // As the SQLite store orders them: by the stage number it keeps.
      int sa = stored_stage(a.scope, a.stage), sb = stored_stage(b.scope, b.stage);
      return std::tie(oldest[a.case_id], a.case_id, a.due, sa) < std::tie(oldest[b.case_id], b.case_id, b.due, sb);
    });
    for (const auto& r : rows) visit(r);
  }
  void read(const std::function<void()>& f) override { f(); }
  std::optional<OpenDeadlineRow> deadline_row(int64_t deadline_id) override {
    for (const auto& [id, c] : s_.cases)
      for (const auto& d : c.deadlines)
        if (d.id == deadline_id)
          return OpenDeadlineRow{d.id,     d.uuid,   c.id,   c.policy_id, c.policy_sha256, c.child.ref,
                                 c.stage,  d.scope,  d.stage, d.key,      d.kind,          d.timed,
                                 d.action, d.clause, d.due,   c.raiser,   c.counterpart};
    return std::nullopt;
  }
  // A reminder sent is a record of kind "reminder", as in the SQLite store.
  bool reminder_sent(int64_t deadline_id, Reminder state) override {
    for (const auto& [cid, c] : s_.cases)
      for (const auto& d : c.deadlines)
        if (d.id == deadline_id)
          return std::any_of(c.records.begin(), c.records.end(), [&](const CaseRecord& r) {
            return r.kind == k_reminder_kind && r.duty == d.key && r.action == name(state) &&
                   r.action_due == d.due.iso() && r.channel != "claimed";
          });
    return false;
  }
  std::vector<ReminderMark> reminder_marks(int64_t deadline_id, Reminder state, const std::string& to) override {
    std::vector<ReminderMark> out;
    for (const auto& [cid, c] : s_.cases)
      for (const auto& d : c.deadlines)
        if (d.id == deadline_id)
          for (const auto& r : c.records)
            if (r.kind == k_reminder_kind && r.duty == d.key && r.action == name(state) && r.action_due == d.due.iso() &&
                (r.to.empty() || r.to == to))
              out.push_back({r.at, r.channel == "claimed", r.with});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
  }
  void claim_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& claimant,
                      const std::string& to) override {
    add_reminder(deadline_id, state, due, at, "claimed", claimant, to);
  }
  void mark_reminder_sent(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& to) override {
    add_reminder(deadline_id, state, due, at, "", "", to);
  }
  std::vector<CaseRecord> records_of_kind(int64_t case_id, std::string_view kind) override {
    std::vector<CaseRecord> out;
    auto it = s_.cases.find(case_id);
    if (it == s_.cases.end()) return out;
    for (const auto& r : it->second.records)
      if (r.kind == kind) out.push_back(r);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at < b.at; });
    return out;
  }
  void add_reminder(int64_t deadline_id, Reminder state, Date due, Timestamp at, const std::string& channel,
                    const std::string& claimant, const std::string& to) {
    for (auto& [cid, c] : s_.cases)
      for (const auto& d : c.deadlines)
        if (d.id == deadline_id) {
          CaseRecord r;
          r.stage = c.stage;
          r.at = r.entered_at = at;
          r.kind = std::string(k_reminder_kind);
          r.duty = d.key;
          r.action = std::string(name(state));
          r.action_due = due.iso();
          r.summary = std::string(name(state)) + " reminder" + (channel == "claimed" ? " claimed" : "") +
                      (to.empty() ? "" : " to " + to) + ": " + d.action;
          r.channel = channel;
          r.with = claimant;
          r.to = to;
          add_record(cid, r);
          seal_case(cid);
          return;
        }
  }
  // A run's lists, apart from the record (not rolled back with it).
  void clear_slots(SlotList list) override { slots_[static_cast<int>(list)].clear(); }
  void add_slots(SlotList list, const std::vector<ReminderSlot>& slots) override {
    auto& to = slots_[static_cast<int>(list)];
    to.insert(to.end(), slots.begin(), slots.end());
  }
  std::vector<ReminderSlot> slots_after(SlotList list, const ReminderSlot* after, size_t n) override {
    auto all = slots_[static_cast<int>(list)];
    auto key = [list](const ReminderSlot& s) {
      return list == SlotList::read ? std::make_tuple(0u, 0u, 0, 0, 0, s.seq) : s.message_order();
    };
    std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
    std::vector<ReminderSlot> out;
    // (As the SQLite store: the reading order starts after seq 0.)
    ReminderSlot first;
    for (const auto& s : all)
      if ((after ? key(*after) < key(s) : list == SlotList::send || key(first) < key(s)) && out.size() < n)
        out.push_back(s);
    return out;
  }
  bool duties_stale(std::string_view) override { return false; }
  void duties_refreshed(std::string_view) override {}
  void visit_case_lines(const CaseQuery& q, const std::function<void(const CaseLine&)>& visit) override {
    for (int64_t id : case_ids(q)) {
      const Case& c = s_.cases.at(id);
      CaseLine line{c.id, c.policy_id, c.policy_sha256, c.stage, c.status, c.child.ref, c.counterpart, c.next_due()};
      visit(line);
    }
  }
  std::vector<int64_t> case_ids(const CaseQuery& q) override {
    std::vector<int64_t> ids;
    for (const auto& [id, c] : s_.cases)
      if ((q.all || c.status != CaseStatus::resolved) && (q.policy.empty() || c.policy_id == q.policy) &&
          (!q.stage || c.stage == *q.stage) && (!q.raised_from || c.raised_at >= *q.raised_from) &&
          (!q.raised_before || c.raised_at < *q.raised_before))
        ids.push_back(id);
    return ids;
  }
  std::vector<CaseBrief> open_case_briefs() override {
    std::vector<CaseBrief> out;
    for (const auto& [id, c] : s_.cases)
      if (c.status != CaseStatus::resolved) out.push_back({c.id, c.policy_id, c.stage, c.category, c.status});
    return out;
  }

  /// How many units of work sealed something into case `id`'s chain.
  int seals(int64_t id) const { return s_.sealed.count(id) ? s_.sealed.at(id) : 0; }

 private:
  CaseDeadline& deadline(int64_t id) {
    for (auto& [cid, c] : s_.cases)
      for (auto& d : c.deadlines)
        if (d.id == id) return d;
    throw std::out_of_range("no deadline " + std::to_string(id));
  }
  struct State {
    std::map<std::string, PolicyText> texts;
    std::map<int64_t, Case> cases;
    std::map<int64_t, int> sealed;
    std::map<int64_t, int64_t> chained;
    int64_t last_case = 0, last_event = 0, last_record = 0, last_deadline = 0;
  };
  State s_;
  std::vector<ReminderSlot> slots_[2];
};

}  // namespace esc::test
