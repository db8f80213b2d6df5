// One case: the written record.
#include <esc/report.hpp>

#include <esc/calendar.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "core/report/shared.hpp"

namespace esc {

using namespace report_detail;

// ---------------------------------------------------------------------------
// One case.

CaseReport build_case_report(const Case& c, const Policy& p, Timestamp now) {
  const TimeZone& zone = TimeZone::get(p.time_zone);
  CaseReport r;
  r.id = c.id;
  r.uuid = c.uuid;
  r.policy_id = c.policy_id;
  r.policy_name = p.name;
  r.policy_version = c.policy_version.empty() ? p.version : c.policy_version;
  r.partnership = p.partnership;
  r.contact = p.contact;
  r.records_in = p.records_in;
  r.learning_to = p.learning_to;
  r.time_zone = p.time_zone;
  r.stage_term = p.stage_term;
  r.pause_term = p.pause_term;
  r.status = c.status;
  r.stage = c.stage;
  r.stage_count = static_cast<int>(p.stages.size());
  if (const Stage* st = p.stage(c.stage)) r.stage_title = st->title;
  r.raised_at = c.raised_at;
  r.generated_at = now;
  r.category = c.category;
  r.category_label = category_label(p, c.category);
  r.summary = c.summary;
  r.requested_action = c.requested_action;
  r.risk = c.risk;
  r.child = c.child;
  r.raiser = c.raiser;
  r.counterpart = c.counterpart;

  // The stages, from the raise and escalate events.
  auto enter = [&](int number, Timestamp at) {
    ReportStage s;
    s.number = number;
    s.entered_at = at;
    if (const Stage* st = p.stage(number)) {
      s.title = st->title;
      s.raiser_handler = st->handler_for(c.raiser.agency_type);
      s.counterpart_handler = st->handler_for(c.counterpart.agency_type);
      s.expected_outcome = st->expected_outcome;
      s.notifies_partnership = st->notifies_partnership();
      s.partnership = st->partnership;
      for (const auto& req : st->requires_)
        if (req.form && std::find(s.forms.begin(), s.forms.end(), *req.form) == s.forms.end()) s.forms.push_back(*req.form);
    }
    r.stages.push_back(std::move(s));
  };
  for (const auto& e : c.events) {
    if (e.type == EventType::raise) {
      enter(e.to_stage.value_or(1), e.at);
    } else if (e.type == EventType::escalate || e.type == EventType::resolve) {
      if (r.stages.empty()) enter(e.from_stage.value_or(1), c.raised_at);
      ReportStage& last = r.stages.back();
      last.left_at = e.at;
      last.left_by = std::string(name(e.type));
      if (e.type == EventType::escalate) {
        last.left_to = e.to_stage;
        last.left_reason = e.reason;
        enter(e.to_stage.value_or(last.number + 1), e.at);
      }
    }
  }
  if (r.stages.empty()) enter(c.stage, c.raised_at);
  for (const auto& d : c.deadlines) {
    if (!d.arisen(zone, now)) continue;  // a delay reason not yet owed
    ReportDeadline rd{d, deadline_outcome(c, d, p, now)};
    if (!d.is_deadline()) {
      r.duties.push_back(std::move(rd));
      continue;
    }
    auto it = std::find_if(r.stages.begin(), r.stages.end(), [&](const ReportStage& s) { return s.number == d.stage; });
    if (d.scope == DeadlineScope::stage && it != r.stages.end()) it->deadlines.push_back(std::move(rd));
    else r.case_deadlines.push_back(std::move(rd));
  }

  // The chronology: every event and every record, oldest first (an event
  // before a record at the same instant, each in the order it was stored).
  for (const auto& e : c.events) {
    ChronologyEntry ch;
    ch.at = e.at;
    ch.kind = std::string(name(e.type));
    ch.with = e.agreed_by;
    ch.stage = e.from_stage.value_or(e.to_stage.value_or(0));
    if (zone.local_date(e.entered_at) > zone.local_date(e.at)) ch.entered_at = e.entered_at;
    const std::string term = p.stage_term;
    if (e.type == EventType::raise) {
      ch.stage = e.to_stage.value_or(1);
      ch.text = fmt::format("raised by {} ({}) with {} ({}): {}", c.raiser.name, c.raiser.agency_type,
                            c.counterpart.name, c.counterpart.agency_type, c.summary);
    } else if (e.type == EventType::escalate) {
      ch.text = fmt::format("escalated from {} {} to {} {}: {}", term, e.from_stage.value_or(0), term,
                            e.to_stage.value_or(0), e.reason);
    } else if (e.type == EventType::pause) {
      ch.text = p.pause_term + (e.reason.empty() ? "" : ": " + e.reason);
    } else if (e.type == EventType::resume) {
      int days = e.days.value_or(0);
      ch.text = fmt::format("resumed; open deadlines moved on {} working day{}{}", days, days == 1 ? "" : "s",
                            e.reason.empty() ? "" : ": " + e.reason);
    } else if (e.type == EventType::extend) {
      int days = e.days.value_or(0);
      ch.text = fmt::format("timescales extended by {} working day{}: {}", days, days == 1 ? "" : "s", e.reason);
    } else if (e.type == EventType::resolve) {
      ch.text = "resolved: " + e.outcome;
    } else {
      ch.text = e.reason;
    }
    r.chronology.push_back(std::move(ch));
  }
  for (const auto& rec : c.records) {
    ChronologyEntry ch;
    ch.at = rec.at;
    ch.kind = rec.kind;
    ch.record = rec.id;
    ch.stage = rec.stage;
    ch.channel = rec.channel;
    ch.with = rec.with;
    ch.text = rec.summary;
    // A reminder's record keeps its state and due date in the action
    // fields: it agrees nothing.
    const bool reminder = rec.kind == k_reminder_kind;
    if (!reminder) ch.action = rec.action, ch.action_due = rec.action_due;
    ch.corrects = rec.corrects;
    ch.to = rec.to;
    ch.form = rec.form;
    if (zone.local_date(rec.entered_at) > zone.local_date(rec.at)) ch.entered_at = rec.entered_at;
    r.chronology.push_back(std::move(ch));
    if (rec.kind == "plan") r.actions.push_back({rec.at, rec.id, rec.kind, rec.summary, ""});
    if (!rec.action.empty() && !reminder) r.actions.push_back({rec.at, rec.id, rec.kind, rec.action, rec.action_due});
  }
  std::stable_sort(r.chronology.begin(), r.chronology.end(),
                   [](const ChronologyEntry& a, const ChronologyEntry& b) { return a.at < b.at; });

  Calendar cal = p.make_calendar();
  Date raised = zone.local_date(c.raised_at);
  if (const CaseEvent* e = c.resolution()) {
    r.resolution = ReportResolution{e->at, e->from_stage.value_or(c.stage), e->outcome, e->agreed_by, e->learning,
                                    e->delay_reason};
    r.working_days = working_days_to(cal, raised, zone.local_date(e->at));
  } else {
    r.working_days = working_days_to(cal, raised, std::max(raised, zone.local_date(now)));
  }
  return r;
}

}  // namespace esc
