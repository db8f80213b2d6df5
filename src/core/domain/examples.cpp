// Worked examples run against the rules (examples.hpp).
#include <esc/duties.hpp>
#include <esc/error.hpp>
#include <esc/examples.hpp>
#include <esc/report.hpp>
#include <esc/service.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <string_view>

namespace esc {

std::string ExampleFailure::message() const {
  std::string head = fmt::format("example \"{}\" (line {})", example, line);
  if (what == "step") return fmt::format("{}: the step at line {} {}", head, at_line, actual);
  if (what == "error") return fmt::format("{}: {}", head, actual);
  if (what == "exists") return fmt::format("{}: {} expected, got no such duty ({})", head, duty, actual);
  if (what == "absent") return fmt::format("{}: {} expected absent, got {}", head, duty, actual);
  return fmt::format("{}: {} {} expected {}, got {}", head, duty, what, expected, actual);
}

namespace {

/// A step esc would refuse, or one that cannot be read: why, in words that
/// follow "the step at line N".
struct Refused {
  int line = 0;
  std::string why;
  bool step = true;  ///< false: the example itself (its raised or now time)
};

class Runner {
 public:
  Runner(const Policy& p, const Example& ex)
      : p_(p), ex_(ex), cal_(p.make_calendar()), zone_(TimeZone::get(p.time_zone)) {}

  std::vector<ExampleFailure> run() {
    std::vector<ExampleFailure> out;
    try {
      raise();
      for (const auto& s : ex_.steps) step(s);
    } catch (const Refused& r) {
      out.push_back(failure(r.line, "", r.step ? "step" : "error", "", r.why));
      return out;
    }
    try {
      auto duties = derive_duties(p_, cal_, c_);
      c_.deadlines = duties;
      for (const auto& x : ex_.expect) compare(x, duties, out);
    } catch (const Error& e) {
      // A date past the calendar's years, say: the example cannot be run.
      out.clear();
      out.push_back(failure(ex_.line, "", "error", "", fmt::format("cannot be worked out: {}", e.what())));
    }
    return out;
  }

 private:
  const Policy& p_;
  const Example& ex_;
  Calendar cal_;
  const TimeZone& zone_;
  Case c_;
  Timestamp now_{};
  Timestamp last_change_{};
  int64_t seq_ = 0;
  int64_t event_id_ = 0;
  int64_t record_id_ = 0;

  ExampleFailure failure(int at_line, std::string duty, std::string what, std::string expected,
                         std::string actual) const {
    return {ex_.name, ex_.line, at_line, std::move(duty), std::move(what), std::move(expected), std::move(actual)};
  }

  /// A step's time (`what` "at"), or the example's own ("raised", "now").
  Timestamp time(const std::string& text, int line, const char* what) const {
    const bool step = std::string_view(what) == "at";
    try {
      return parse_timestamp(text, zone_);
    } catch (const Error& e) {
      throw Refused{line,
                    step ? fmt::format("is at '{}', which is not a time: {}", text, e.what())
                         : fmt::format("its {} time '{}' is not a time: {}", what, text, e.what()),
                    step};
    }
  }

  void raise() {
    Timestamp raised = time(ex_.raised, ex_.line, "raised");
    now_ = ex_.now.empty() ? raised + std::chrono::days(365) : time(ex_.now, ex_.line, "now");
    if (now_ < raised) throw Refused{ex_.line, "its now comes before the case was raised", false};
    c_.id = 1;
    c_.policy_id = p_.id;
    c_.category = "other";
    c_.summary = ex_.name;
    c_.raiser = {PartyRole::raiser, "Raiser", "", ex_.raiser};
    c_.counterpart = {PartyRole::counterpart, "Counterpart", "", ex_.counterpart};
    c_.raised_at = c_.entered_at = c_.stage_started_at = raised;
    CaseEvent e;
    e.type = EventType::raise;
    e.at = raised;
    e.to_stage = 1;
    add_event(std::move(e));
  }

  void add_event(CaseEvent e) {
    e.id = ++event_id_;
    e.chain_seq = ++seq_;
    e.entered_at = e.at;
    last_change_ = std::max(last_change_, e.at);
    c_.events.push_back(std::move(e));
    CaseState s = derive_state(c_);
    c_.status = s.status;
    c_.stage = s.stage;
    c_.stage_started_at = s.stage_started_at;
    c_.paused_at = s.paused_at;
    c_.resolved_at = s.resolved_at;
  }

  /// The duties as the case stands; a step they cannot be worked out for
  /// is refused.
  std::vector<CaseDeadline> duties(int line) const {
    try {
      return derive_duties(p_, cal_, c_);
    } catch (const Error& e) {
      throw Refused{line, fmt::format("leaves a case whose duties cannot be worked out: {}", e.what())};
    }
  }

  static std::string open_keys(const std::vector<CaseDeadline>& ds) {
    std::string keys;
    for (const auto& d : ds)
      if (d.open()) keys += (keys.empty() ? "" : ", ") + d.key;
    return keys.empty() ? "none" : keys;
  }

  std::string stage_words() const { return fmt::format("{} {}", p_.stage_term, c_.stage); }

  void step(const ExampleStep& s) {
    Timestamp at = time(s.at, s.line, "at");
    if (at > now_)
      throw Refused{s.line, fmt::format("is at {}, after the example's now ({}): esc records what has happened",
                                        s.at, zone_.format(now_))};
    const bool resolved = c_.status == CaseStatus::resolved;
    if (s.action != "record") {
      // An event cannot come before what the case already holds.
      if (at < last_change_)
        throw Refused{s.line, fmt::format("({}) is at {}, before the case's last change at {}", s.action, s.at,
                                          zone_.format(last_change_))};
      if (resolved) throw Refused{s.line, fmt::format("({}) comes after the case was resolved", s.action)};
    }
    CaseEvent e;
    e.at = at;
    if (s.action == "escalate") {
      if (c_.status == CaseStatus::paused)
        throw Refused{s.line, fmt::format("(escalate) comes while the case is {}: resume it first", p_.pause_term)};
      bool routed = false;
      int to = 0;
      try {
        to = next_stage(p_, c_, s.to_stage, routed);
      } catch (const Error& err) {
        throw Refused{s.line, fmt::format("(escalate) is refused: {}", err.what())};
      }
      e.type = EventType::escalate;
      e.from_stage = c_.stage;
      e.to_stage = to;
      e.reason = "escalated (worked example)";
      add_event(std::move(e));
    } else if (s.action == "pause") {
      if (!p_.pause_allowed) throw Refused{s.line, "(pause): the policy does not provide for pausing a case"};
      if (c_.status == CaseStatus::paused) throw Refused{s.line, fmt::format("(pause): the case is already {}", p_.pause_term)};
      e.type = EventType::pause;
      e.reason = "paused (worked example)";
      add_event(std::move(e));
    } else if (s.action == "resume") {
      if (c_.status != CaseStatus::paused)
        throw Refused{s.line, fmt::format("(resume): the case is not {}", p_.pause_term)};
      e.type = EventType::resume;
      // As esc resume counts them: the working days d with
      // pause date <= d < resume date.
      e.days = cal_.working_days_between(zone_.local_date(*c_.paused_at), zone_.local_date(at));
      add_event(std::move(e));
    } else if (s.action == "extend") {
      if (!p_.extension_allowed) throw Refused{s.line, "(extend): the policy does not provide for extending timescales"};
      if (c_.status == CaseStatus::paused)
        throw Refused{s.line, fmt::format("(extend) comes while the case is {}: resume it first", p_.pause_term)};
      if (s.days < 1) throw Refused{s.line, "(extend): an extension is a number of working days from 1 up"};
      auto ds = duties(s.line);
      bool any = std::any_of(ds.begin(), ds.end(), [&](const CaseDeadline& d) {
        return d.open() && d.scope == DeadlineScope::stage && d.stage == c_.stage;
      });
      if (!any) throw Refused{s.line, fmt::format("(extend): there is no open deadline at {} to extend", stage_words())};
      e.type = EventType::extend;
      e.days = s.days;
      e.reason = "extended (worked example)";
      e.agreed_by = "the parties";
      add_event(std::move(e));
    } else if (s.action == "resolve") {
      if (p_.learning_required && s.learning.empty())
        throw Refused{s.line, "(resolve): the policy requires learning points: give learning = \"...\""};
      if (s.days < 0 || s.days > 1000)
        throw Refused{s.line, "(resolve): a check-back is a number of working days from 1 up"};
      if (auto arises = delay_arises(p_, cal_, c_.raised_at); arises && at > *arises && s.delay_reason.empty()) {
        auto ds = duties(s.line);
        bool owed = std::any_of(ds.begin(), ds.end(),
                                [](const CaseDeadline& d) { return d.kind == DutyKind::delay_reason && d.open(); });
        if (owed)
          throw Refused{s.line, "(resolve): the case took long enough that the policy requires the reason for the "
                                "delay: give delay_reason = \"...\""};
      }
      e.type = EventType::resolve;
      e.from_stage = c_.stage;
      e.outcome = "resolved (worked example)";
      e.learning = s.learning;
      e.delay_reason = s.delay_reason;
      if (s.days > 0) e.days = s.days;
      add_event(std::move(e));
    } else {
      record(s, at, resolved);
    }
  }

  void record(const ExampleStep& s, Timestamp at, bool resolved) {
    if (at < c_.raised_at)
      throw Refused{s.line, fmt::format("(record) is at {}, before the case was raised", s.at)};
    // The kinds esc accepts on a resolved case.
    static const std::vector<std::string> k_after_resolution{"note", "feedback", "check-back", "notification",
                                                             "learning-referral", "waiver"};
    if (resolved && std::find(k_after_resolution.begin(), k_after_resolution.end(), s.kind) == k_after_resolution.end())
      throw Refused{s.line, fmt::format("(record {}) comes after the case was resolved, which takes only a note, "
                                        "feedback, check-back, notification, learning referral or waiver",
                                        s.kind)};
    if (s.kind == "correction")
      throw Refused{s.line, "(record correction): a correction names the record it corrects, which an example cannot"};
    if (!s.form.empty() && !p_.form(s.form))
      throw Refused{s.line, fmt::format("(record) names the form '{}', which the policy does not define", s.form)};
    if (s.kind == "waiver" && s.meets.empty())
      throw Refused{s.line, "(record waiver): a waiver names the duty it waives: give meets = \"KEY\""};
    if (!s.action_due.empty() && s.action_text.empty())
      throw Refused{s.line, "(record): a due date goes with an agreed action: give action = \"...\""};
    CaseRecord r;
    r.stage = c_.stage;
    r.at = r.entered_at = at;
    r.kind = s.kind;
    r.channel = s.channel;
    r.summary = fmt::format("{} (worked example)", s.kind);
    r.to = s.to;
    r.form = s.form;
    r.duty = s.meets;
    r.action = s.action_text;
    if (!s.action_due.empty()) {
      try {
        r.action_due = Date::parse(s.action_due).iso();
      } catch (const Error& e) {
        throw Refused{s.line, fmt::format("(record): action_due: {}", e.what())};
      }
    }
    if (!s.meets.empty()) {
      auto ds = duties(s.line);
      auto it = std::find_if(ds.begin(), ds.end(), [&](const CaseDeadline& d) { return d.key == s.meets; });
      if (it == ds.end())
        throw Refused{s.line, fmt::format("(record) names the duty '{}', which the case does not owe (open: {})",
                                          s.meets, open_keys(ds))};
      if (!it->open())
        throw Refused{s.line, fmt::format("(record) names the duty {} ({}), which is already {}", it->key, it->action,
                                          it->closed_by == ClosedBy::waiver ? "waived" : "closed")};
      std::string why;
      if (s.kind != "waiver" && it->kind != DutyKind::action && !record_meets(*it, r, &why))
        throw Refused{s.line, fmt::format("(record {}) cannot meet {} ({}): {}", s.kind, it->key, it->action,
                                          why.empty() ? "it is met by " + what_meets(*it) : why)};
    }
    r.id = ++record_id_;
    r.chain_seq = ++seq_;
    c_.records.push_back(std::move(r));
  }

  void compare(const ExampleExpect& x, const std::vector<CaseDeadline>& duties, std::vector<ExampleFailure>& out) const {
    auto it = std::find_if(duties.begin(), duties.end(), [&](const CaseDeadline& d) { return d.key == x.duty; });
    if (it == duties.end()) {
      if (x.absent) return;
      std::string keys;
      for (const auto& d : duties) keys += (keys.empty() ? "" : ", ") + d.key;
      out.push_back(failure(x.line, x.duty, "exists", "", "the case owes " + (keys.empty() ? "nothing" : keys)));
      return;
    }
    const CaseDeadline& d = *it;
    const std::string state{name(deadline_outcome(c_, d, p_, now_))};
    const std::string due = d.timed ? d.due.iso() : "none";
    if (x.absent) {
      out.push_back(failure(x.line, x.duty, "absent", "", fmt::format("'{}' ({}, due {})", d.action, state, due)));
      return;
    }
    if (x.due) {
      // A duty without a date: "none" says so; a date is the day it arose
      // (for a delay reason, the day the reason falls due).
      if (!d.timed && *x.due != "none") {
        if (*x.due != d.due.iso())
          out.push_back(failure(x.line, x.duty, "due", *x.due, d.due.iso() + " (without delay, from that day)"));
      } else if (*x.due != due) {
        out.push_back(failure(x.line, x.duty, "due", *x.due, due));
      }
    }
    if (x.state && *x.state != state) out.push_back(failure(x.line, x.duty, "state", *x.state, state));
  }
};

}  // namespace

std::vector<ExampleFailure> run_example(const Policy& p, const Example& ex) { return Runner(p, ex).run(); }

}  // namespace esc
