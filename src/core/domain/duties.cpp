// Duties worked out from the chained record (duties.hpp).
#include <esc/contacts.hpp>
#include <esc/deadline.hpp>
#include <esc/duties.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>

namespace esc {

namespace {

/// An event or a record, in the order the chain holds them.
struct Entry {
  int64_t order = 0;
  const CaseEvent* event = nullptr;
  const CaseRecord* record = nullptr;
};

int64_t order_of(int64_t chain_seq) { return chain_seq > 0 ? chain_seq : std::numeric_limits<int64_t>::max(); }

std::vector<Entry> entries_in_order(const Case& c) {
  std::vector<Entry> out;
  for (const auto& e : c.events) out.push_back({order_of(e.chain_seq), &e, nullptr});
  for (const auto& r : c.records) out.push_back({order_of(r.chain_seq), nullptr, &r});
  // Entries not yet chained (the one a command is adding) come last; ties
  // (never in a chained case) keep events before records, each by id.
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    if (a.order != b.order) return a.order < b.order;
    if ((a.event != nullptr) != (b.event != nullptr)) return a.event != nullptr;
    int64_t ia = a.event ? a.event->id : a.record->id, ib = b.event ? b.event->id : b.record->id;
    return ia < ib;
  });
  return out;
}

class Replay {
 public:
  Replay(const Policy& p, const Calendar& cal, const Case& c, std::optional<int> legacy_check_back)
      : p_(p), cal_(cal), zone_(TimeZone::get(p.time_zone)), c_(c), legacy_check_back_(legacy_check_back) {}

  std::vector<CaseDeadline> run() {
    for (const auto& en : entries_in_order(c_)) {
      if (en.event) event(*en.event);
      else record(*en.record);
    }
    return std::move(duties_);
  }

 private:
  const Policy& p_;
  const Calendar& cal_;
  const TimeZone& zone_;
  const Case& c_;
  std::optional<int> legacy_check_back_;
  std::vector<CaseDeadline> duties_;
  int stage_ = 1;
  Timestamp stage_started_{};
  bool resolved_ = false;
  std::optional<Timestamp> paused_at_;

  CaseDeadline& add(CaseDeadline d) {
    duties_.push_back(std::move(d));
    return duties_.back();
  }

  CaseDeadline timed_from_rule(const DeadlineRule& r, DeadlineScope scope, int stage, int seq, Timestamp at) {
    CaseDeadline d;
    d.kind = DutyKind::deadline;
    d.scope = scope;
    d.stage = scope == DeadlineScope::stage ? stage : 0;
    d.seq = seq;
    d.key = scope == DeadlineScope::stage ? fmt::format("s{}.d{}", stage, seq) : fmt::format("case.d{}", seq);
    d.action = r.action;
    d.clause = r.clause;
    d.timescale = r.timescale.text();
    d.counted_from = r.from == ClockFrom::stage ? "stage" : "case";
    d.met_by = r.met_by;
    d.in_writing = r.in_writing;
    d.start_date = zone_.local_date(r.from == ClockFrom::stage ? at : c_.raised_at);
    d.original_due = d.due = due_after(cal_, d.start_date, r.timescale).due;
    return d;
  }

  CaseDeadline from_requirement(const Requirement& r, DeadlineScope scope, int stage, std::string key, int seq,
                                Timestamp at) {
    CaseDeadline d;
    d.kind = r.kind;
    d.scope = scope;
    d.stage = scope == DeadlineScope::stage ? stage : 0;
    d.seq = seq;
    d.key = std::move(key);
    d.action = r.action;
    d.clause = r.clause;
    d.to = r.to;
    d.form = r.form;
    d.in_writing = r.in_writing;
    d.met_by = r.met_by();
    d.counted_from = "stage";
    d.start_date = zone_.local_date(at);
    if (r.timescale) {
      d.timescale = r.timescale->text();
      d.original_due = d.due = due_after(cal_, d.start_date, *r.timescale).due;
    } else {
      d.timed = false;
      d.timescale = "without delay";
      d.original_due = d.due = d.start_date;
    }
    return d;
  }

  void open_stage(int n, Timestamp at) {
    const Stage* s = p_.stage(n);
    if (!s) return;
    int seq = 0;
    for (const auto& r : s->deadlines) add(timed_from_rule(r, DeadlineScope::stage, n, seq++, at));
    // Requirements follow the deadlines in the stage's order: their seq runs on.
    int j = 0;
    for (const auto& r : s->requires_)
      add(from_requirement(r, DeadlineScope::stage, n, fmt::format("s{}.r{}", n, j++), seq++, at));
    int k = 0;
    for (const auto& pd : p_.duties) {
      if (pd.on == DutyOn::every_stage)
        add(from_requirement(pd.duty, DeadlineScope::stage, n, fmt::format("s{}.e{}", n, k), seq++, at));
      ++k;
    }
  }

  /// Closes an open duty as the case leaves it behind (an escalation or the
  /// resolution): a timed one is late when its day has passed, an untimed
  /// one never met was missed.
  void close_on_leaving(CaseDeadline& d, Timestamp at, ClosedBy by) {
    d.done_at = at;
    d.closed_by = by;
    d.late = d.timed ? !met_in_time(zone_, d.due, at) : (d.met_by.has_value());
  }

  void shift(CaseDeadline& d, const CaseEvent& e, int days) {
    DeadlineShift s;
    s.type = e.type;
    s.days = days;
    s.from_due = d.due;
    s.to_due = extend(cal_, d.due, days).due;
    s.at = e.at;
    s.reason = e.reason;
    s.event_id = e.id;
    d.due = s.to_due;
    d.shifts.push_back(std::move(s));
  }

  void event(const CaseEvent& e) {
    switch (e.type) {
      case EventType::raise: {
        stage_ = e.to_stage.value_or(1);
        stage_started_ = e.at;
        if (p_.case_limit) add(timed_from_rule(*p_.case_limit, DeadlineScope::whole_case, 0, 0, e.at));
        if (auto arises = delay_arises(p_, cal_, c_.raised_at)) {
          CaseDeadline d;
          d.kind = DutyKind::delay_reason;
          d.scope = DeadlineScope::whole_case;
          d.seq = 1;
          d.key = "delay";
          d.action = "Record the reason for the delay in resolving";
          d.clause = p_.delay_clause;
          d.timed = false;
          d.timescale = "without delay";
          d.counted_from = "case";
          d.met_by = "delay-reason";
          d.start_date = zone_.local_date(c_.raised_at);
          // An untimed duty's date is the day it arises.
          d.original_due = d.due = zone_.local_date(*arises);
          add(std::move(d));
        }
        open_stage(stage_, e.at);
        break;
      }
      case EventType::escalate: {
        int from = e.from_stage.value_or(stage_);
        for (auto& d : duties_)
          if (d.open() && d.scope == DeadlineScope::stage && d.stage == from) close_on_leaving(d, e.at, ClosedBy::escalate);
        stage_ = e.to_stage.value_or(stage_ + 1);
        stage_started_ = e.at;
        open_stage(stage_, e.at);
        break;
      }
      case EventType::pause:
        paused_at_ = e.at;
        break;
      case EventType::resume: {
        // Every open timed duty of the process moves by the working days it
        // was halted (an agreed action keeps the date the parties agreed).
        int days = e.days.value_or(0);
        if (days > 0)
          for (auto& d : duties_)
            if (d.open() && d.timed && d.kind != DutyKind::action) shift(d, e, days);
        paused_at_.reset();
        break;
      }
      case EventType::extend: {
        int days = e.days.value_or(0);
        if (days > 0)
          for (auto& d : duties_)
            if (d.open() && d.timed && d.scope == DeadlineScope::stage && d.stage == stage_) shift(d, e, days);
        break;
      }
      case EventType::resolve: {
        auto arises = delay_arises(p_, cal_, c_.raised_at);
        // Resolved before the delay reason arose: it was never owed.
        if (arises && e.at <= *arises)
          duties_.erase(std::remove_if(duties_.begin(), duties_.end(),
                                       [](const CaseDeadline& d) { return d.kind == DutyKind::delay_reason && d.open(); }),
                        duties_.end());
        for (auto& d : duties_) {
          if (!d.open()) continue;
          if (d.kind == DutyKind::delay_reason) {
            d.done_at = e.at;
            d.closed_by = ClosedBy::resolve;
            // Resolved after it arose: met by the reason the resolution
            // gives, missed without one.
            d.late = e.delay_reason.empty();
            continue;
          }
          // An agreed action is still owed after the resolution: the
          // parties agreed to do it, not to disagree about it.
          if (d.kind == DutyKind::action) {
            d.scope = DeadlineScope::after_resolution;
            continue;
          }
          close_on_leaving(d, e.at, ClosedBy::resolve);
        }
        resolved_ = true;
        std::optional<int> check_back = e.days ? e.days : legacy_check_back_;
        Date start = zone_.local_date(e.at);
        if (check_back && *check_back > 0) {
          CaseDeadline d;
          d.kind = DutyKind::check_back;
          d.scope = DeadlineScope::check_back;
          d.key = "check-back";
          d.action = "Check back: has the child's situation improved since the resolution?";
          d.timescale = Timescale{*check_back, false}.text();
          d.counted_from = "case";
          d.met_by = "check-back";
          d.start_date = start;
          d.original_due = d.due = due_after(cal_, start, Timescale{*check_back, false}).due;
          add(std::move(d));
        }
        int seq = 1;
        if (p_.learning_referral) {
          Requirement r;
          r.kind = DutyKind::learning_referral;
          r.action = "Refer the learning points to " + p_.learning_to;
          r.to = p_.learning_to;
          r.timescale = p_.learning_referral_timescale;
          r.clause = p_.learning_referral_clause;
          add(from_requirement(r, DeadlineScope::after_resolution, 0, "learning", seq++, e.at));
        }
        int k = 0;
        for (const auto& pd : p_.duties) {
          if (pd.on == DutyOn::resolve &&
              (pd.stages.empty() || std::find(pd.stages.begin(), pd.stages.end(), stage_) != pd.stages.end()))
            add(from_requirement(pd.duty, DeadlineScope::after_resolution, 0, fmt::format("z{}", k), seq++, e.at));
          ++k;
        }
        break;
      }
    }
  }

  bool in_reach(const CaseDeadline& d, const CaseRecord& r) const {
    if (!d.open()) return false;
    if (resolved_) return d.scope == DeadlineScope::check_back || d.scope == DeadlineScope::after_resolution;
    switch (d.scope) {
      case DeadlineScope::stage:
        // Something recorded as happening before the stage began belongs to
        // an earlier stage and meets none of this stage's duties.
        return d.stage == r.stage && r.at >= stage_started_;
      case DeadlineScope::whole_case: return true;
      default: return false;
    }
  }

  void meet(CaseDeadline& d, const CaseRecord& r, ClosedBy by) {
    d.done_at = r.at;
    d.closed_by = by;
    d.record_id = r.id;
    d.late = d.timed && by == ClosedBy::record && !met_in_time(zone_, d.due, r.at);
    if (by == ClosedBy::waiver) d.late = false;
    d.met_entered_at = r.entered_at;
  }

  void record(const CaseRecord& r) {
    if (r.kind == k_reminder_kind || r.kind == k_assign_kind || r.kind == "correction") return;
    if (!r.duty.empty()) {
      // A record naming a duty meets (or, a waiver, waives) that one only.
      for (auto& d : duties_) {
        if (d.key != r.duty || !d.open()) continue;
        if (r.kind == "waiver") meet(d, r, ClosedBy::waiver);
        else if (d.kind == DutyKind::action || record_meets(d, r)) meet(d, r, ClosedBy::record);
      }
    } else if (r.kind != "waiver") {
      // Otherwise it meets, of each kind of duty, the open one in reach due
      // first that it qualifies for.
      std::map<DutyKind, CaseDeadline*> best;
      for (auto& d : duties_) {
        if (d.kind == DutyKind::action || !in_reach(d, r) || !record_meets(d, r)) continue;
        auto& b = best[d.kind];
        auto rank = [](const CaseDeadline* x) { return std::make_tuple(!x->timed, x->due, x->scope != DeadlineScope::stage, x->seq); };
        if (!b || rank(&d) < rank(b)) b = &d;
      }
      for (auto& [kind, d] : best) meet(*d, r, ClosedBy::record);
    }
    // An agreed action with a due date is a duty of its own, met by a record
    // that names it.
    if (!r.action.empty() && !r.action_due.empty()) {
      CaseDeadline d;
      d.kind = DutyKind::action;
      d.scope = resolved_ ? DeadlineScope::after_resolution : DeadlineScope::whole_case;
      d.stage = 0;
      d.seq = 0;
      d.key = fmt::format("a{}", r.id);
      d.action = r.action;
      d.timescale = "agreed";
      d.counted_from = "case";
      d.met_by = "any";
      d.start_date = zone_.local_date(r.at);
      d.original_due = d.due = Date::parse(r.action_due);
      add(std::move(d));
    }
  }
};

}  // namespace

std::optional<Timestamp> delay_arises(const Policy& p, const Calendar& cal, Timestamp raised) {
  if (p.delay_reason_after_hours) return raised + std::chrono::hours(*p.delay_reason_after_hours);
  if (p.delay_reason_after) {
    const TimeZone& zone = TimeZone::get(p.time_zone);
    Date limit = due_after(cal, zone.local_date(raised), *p.delay_reason_after).due;
    // Past the end of the limit's day.
    return zone.from_local(limit.next(), 0, 0, 0) - std::chrono::seconds(1);
  }
  return std::nullopt;
}

bool in_writing(const CaseRecord& r) { return is_written_channel(r.channel) || !r.form.empty(); }

bool record_meets(const CaseDeadline& d, const CaseRecord& r, std::string* why_not) {
  if (!d.met_by || *d.met_by != r.kind) return false;
  auto no = [&](std::string why) {
    if (why_not) *why_not = std::move(why);
    return false;
  };
  if (d.in_writing && !in_writing(r))
    return no(r.channel.empty() ? "it must be in writing (email, letter or a form sent), and no channel was given"
                                : fmt::format("it must be in writing (email, letter or a form sent), not by {}",
                                              r.channel));
  if (d.to == k_to_partnership && r.to != k_to_partnership)
    return no("it is met only by a notification to the partnership");
  // "using the ... Form": the form named is the one to send.
  if (d.form && !d.form->empty() && r.form != *d.form)
    return no(r.form.empty() ? fmt::format("it is met only by sending the form {} (--form {})", *d.form, *d.form)
                             : fmt::format("it is met only by sending the form {}, not {}", *d.form, r.form));
  if (d.kind == DutyKind::inform && r.to == k_to_partnership)
    return no("a notification to the partnership does not inform anyone else");
  return true;
}

std::string what_meets(const CaseDeadline& d) {
  if (d.kind == DutyKind::action) return fmt::format("a record naming it ({})", d.key);
  // The whole case's limit is met by resolving the case; a stage's by
  // leaving it, by escalating or resolving.
  if (!d.met_by) return d.scope == DeadlineScope::stage ? "leaving the stage (escalating or resolving)" : "resolving the case";
  std::string out = fmt::format("a {} record", *d.met_by);
  if (d.to == k_to_partnership) out = "a notification to the partnership";
  else if (d.kind == DutyKind::inform && !d.to.empty()) out += " to " + d.to;
  if (d.form && !d.form->empty()) out += fmt::format(" sending the form {}", *d.form);
  else if (d.in_writing) out += ", in writing (email, letter or a form sent)";
  if (d.kind == DutyKind::delay_reason) out += ", or the reason given on resolving";
  return out;
}

std::vector<CaseDeadline> derive_duties(const Policy& p, const Calendar& cal, const Case& c,
                                        std::optional<int> legacy_check_back) {
  return Replay(p, cal, c, legacy_check_back).run();
}

CaseState derive_state(const Case& c) {
  CaseState s;
  s.stage_started_at = c.raised_at;
  for (const auto& en : entries_in_order(c)) {
    if (!en.event) continue;
    const CaseEvent& e = *en.event;
    switch (e.type) {
      case EventType::raise:
        s.stage = e.to_stage.value_or(1);
        s.stage_started_at = e.at;
        break;
      case EventType::escalate:
        s.stage = e.to_stage.value_or(s.stage + 1);
        s.stage_started_at = e.at;
        break;
      case EventType::pause:
        s.status = CaseStatus::paused;
        s.paused_at = e.at;
        break;
      case EventType::resume:
        s.status = CaseStatus::open;
        s.paused_at.reset();
        break;
      case EventType::extend: break;
      case EventType::resolve:
        s.status = CaseStatus::resolved;
        s.paused_at.reset();
        s.resolved_at = e.at;
        break;
    }
  }
  return s;
}

std::vector<std::string> compare_state(const Case& kept, const CaseState& s) {
  std::vector<std::string> out;
  auto opt_time = [](const std::optional<Timestamp>& t) { return t ? format_utc(*t) : std::string("none"); };
  auto differ = [&](const char* what, const std::string& a, const std::string& b) {
    if (a != b) out.push_back(fmt::format("its {} is kept as {}, worked out as {}", what, a, b));
  };
  differ("status", std::string(name(kept.status)), std::string(name(s.status)));
  differ("stage", std::to_string(kept.stage), std::to_string(s.stage));
  differ("stage start", format_utc(kept.stage_started_at), format_utc(s.stage_started_at));
  differ("pause", opt_time(kept.paused_at), opt_time(s.paused_at));
  differ("resolution time", opt_time(kept.resolved_at), opt_time(s.resolved_at));
  return out;
}

std::vector<std::string> compare_duties(const std::vector<CaseDeadline>& kept,
                                        const std::vector<CaseDeadline>& derived) {
  std::vector<std::string> out;
  std::map<std::string, const CaseDeadline*> by_key;
  for (const auto& d : kept) {
    if (by_key.count(d.key)) out.push_back(fmt::format("{}: kept twice", d.key));
    by_key[d.key] = &d;
  }
  auto opt_time = [](const std::optional<Timestamp>& t) { return t ? format_utc(*t) : std::string("none"); };
  for (const auto& w : derived) {
    auto it = by_key.find(w.key);
    if (it == by_key.end()) {
      out.push_back(fmt::format("{}: owed ({}) but not kept", w.key, w.action));
      continue;
    }
    const CaseDeadline& k = *it->second;
    by_key.erase(it);
    auto differ = [&](const char* what, const std::string& a, const std::string& b) {
      auto shown = [](const std::string& v) { return v.empty() ? std::string("(nothing)") : v; };
      if (a != b) out.push_back(fmt::format("{}: {} kept as {}, worked out as {}", w.key, what, shown(a), shown(b)));
    };
    differ("kind", std::string(name(k.kind)), std::string(name(w.kind)));
    auto scope = [](const CaseDeadline& d) {
      return d.scope == DeadlineScope::stage ? fmt::format("stage {}", d.stage) : std::string(name(d.scope));
    };
    differ("scope", scope(k), scope(w));
    differ("action", k.action, w.action);
    differ("clause", k.clause, w.clause);
    differ("timescale", k.timescale, w.timescale);
    differ("counted from", k.counted_from, w.counted_from);
    differ("form", k.form.value_or("-"), w.form.value_or("-"));
    differ("order", std::to_string(k.seq), std::to_string(w.seq));
    differ("timed", k.timed ? "yes" : "no", w.timed ? "yes" : "no");
    differ("start", k.start_date.iso(), w.start_date.iso());
    differ("first due date", k.original_due.iso(), w.original_due.iso());
    differ("due date", k.due.iso(), w.due.iso());
    differ("met by", k.met_by.value_or("-"), w.met_by.value_or("-"));
    differ("in writing", k.in_writing ? "yes" : "no", w.in_writing ? "yes" : "no");
    differ("recipient", k.to, w.to);
    differ("done", opt_time(k.done_at), opt_time(w.done_at));
    differ("closed by", k.closed_by ? std::string(name(*k.closed_by)) : "-",
           w.closed_by ? std::string(name(*w.closed_by)) : "-");
    differ("record", k.record_id ? std::to_string(*k.record_id) : "-", w.record_id ? std::to_string(*w.record_id) : "-");
    differ("late", k.late ? (*k.late ? "yes" : "no") : "-", w.late ? (*w.late ? "yes" : "no") : "-");
    differ("moves", std::to_string(k.shifts.size()), std::to_string(w.shifts.size()));
    for (size_t i = 0; i < std::min(k.shifts.size(), w.shifts.size()); ++i)
      differ("move", fmt::format("{} -> {}", k.shifts[i].from_due.iso(), k.shifts[i].to_due.iso()),
             fmt::format("{} -> {}", w.shifts[i].from_due.iso(), w.shifts[i].to_due.iso()));
    for (size_t i = 0; i < std::min(k.shifts.size(), w.shifts.size()); ++i)
      differ("move", fmt::format("+{} by event {}", k.shifts[i].days, k.shifts[i].event_id),
             fmt::format("+{} by event {}", w.shifts[i].days, w.shifts[i].event_id));
  }
  for (const auto& [key, d] : by_key) out.push_back(fmt::format("{}: kept ({}) but not owed", key, d->action));
  return out;
}

}  // namespace esc

namespace esc {

bool CaseDeadline::entered_late(const TimeZone& zone) const {
  return met_entered_at && done_at && closed_by == ClosedBy::record &&
         zone.local_date(*met_entered_at) > zone.local_date(*done_at);
}

bool CaseDeadline::arisen(const TimeZone& zone, Timestamp now) const {
  return kind != DutyKind::delay_reason || !open() || zone.local_date(now) >= due;
}

}  // namespace esc
