// The forms a policy names, filled from a case.
#include <esc/report.hpp>

#include <esc/calendar.hpp>
#include <esc/deadline.hpp>
#include <esc/error.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>

#include "core/report/shared.hpp"

namespace esc {

using namespace report_detail;

// ---------------------------------------------------------------------------
// Forms.

std::vector<const FilledField*> FilledForm::missing() const {
  std::vector<const FilledField*> out;
  for (const auto& f : fields)
    if (f.missing()) out.push_back(&f);
  return out;
}

const Form& find_form(const Policy& p, std::string_view name) {
  for (const auto& f : p.forms)
    if (f.id == name || lower(f.name) == lower(name)) return f;
  if (p.forms.empty())
    throw UsageError(fmt::format("the {} policy names no forms, so there is no form '{}'", p.id, name));
  std::string list;
  for (const auto& f : p.forms) list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", f.id, f.name);
  throw UsageError(fmt::format("the {} policy has no form '{}': use one of {}", p.id, name, list));
}

FilledForm fill_form(const CaseReport& r, const Form& f) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  FilledForm out;
  out.id = f.id;
  out.name = f.name;
  out.appendix = f.appendix;
  out.send_to = f.send_to;
  out.reconstructed = f.reconstructed;
  out.policy_id = r.policy_id;
  out.partnership = r.partnership;
  out.case_id = r.id;
  out.date = zone.local_date(r.generated_at);
  const std::string term = capital(r.stage_term);
  const std::string hand = ": fill it in by hand";

  for (const auto& field : f.fields) {
    FilledField ff{field.id, field.label, field.source, field.instruction, {}, {}};
    auto& v = ff.value;
    auto one = [&](const std::string& s) {
      if (!s.empty()) v.push_back(s);
    };
    const std::string& s = field.source;
    if (s == "date") {
      one(out.date.iso());
    } else if (s == "raised_date") {
      one(zone.local_date(r.raised_at).iso());
    } else if (s == "child.name") {
      one(r.child.name);
      ff.hint = {"the case was raised without the child's name" + hand, {{Field::child}}};
    } else if (s == "child.ref") {
      one(r.child.ref);
      ff.hint = {"the case was raised without the child's reference" + hand, {{Field::child_ref}}};
    } else if (s == "child.dob") {
      one(r.child.dob);
      ff.hint = {"the case was raised without the child's date of birth" + hand, {{Field::dob}}};
    } else if (s == "child.nhs") {
      one(nhs_spaced(r.child.nhs));
      ff.hint = {"the case was raised without the child's NHS number" + hand, {{Field::nhs}}};
    } else if (s == "raiser.name") {
      one(r.raiser.name);
    } else if (s == "raiser.agency") {
      one(r.raiser.agency);
      ff.hint = {"the case was raised without the raiser's agency" + hand, {{Field::raiser_agency}}};
    } else if (s == "raiser.agency_type") {
      one(r.raiser.agency_type);
    } else if (s == "counterpart.name") {
      one(r.counterpart.name);
    } else if (s == "counterpart.agency") {
      one(r.counterpart.agency);
      ff.hint = {"the case was raised without the counterpart's agency" + hand, {{Field::counterpart_agency}}};
    } else if (s == "counterpart.agency_type") {
      one(r.counterpart.agency_type);
    } else if (s == "category") {
      one(r.category_label);
    } else if (s == "summary") {
      one(r.summary);
    } else if (s == "stage") {
      std::string line = fmt::format("{} {} of {}: {}", term, r.stage, r.stage_count, r.stage_title);
      if (r.resolution) line += fmt::format(" (resolved on {})", zone.local_date(r.resolution->at).iso());
      one(line);
    } else if (s == "stage_history") {
      for (const auto& st : r.stages) {
        std::string line = fmt::format("{} {}, {}: {}", term, st.number, st.title, zone.local_date(st.entered_at).iso());
        if (st.left_at) {
          line += " to " + zone.local_date(*st.left_at).iso();
          line += st.left_by == "resolve" ? " (resolved)" : fmt::format(" (escalated to {} {})", r.stage_term, st.left_to.value_or(0));
        } else {
          line += " (current)";
        }
        one(line);
      }
    } else if (s == "handlers") {
      for (const auto& st : r.stages)
        one(fmt::format("{} {}: {} ({}): {}; {} ({}): {}", term, st.number, r.raiser.name, r.raiser.agency_type,
                        st.raiser_handler, r.counterpart.name, r.counterpart.agency_type, st.counterpart_handler));
    } else if (s == "requested_action") {
      one(r.requested_action);
      ff.hint = {"the case was raised without a requested action" + hand, {{Field::requested_action}}};
    } else if (s == "response") {
      for (const auto& e : r.chronology)
        if (e.record && (e.kind == "decision" || e.kind == "feedback"))
          one(fmt::format("{} {}: {}", zone.local_date(e.at).iso(), e.kind, e.text));
      ff.hint = {"no decision or feedback is recorded", {{}, Remedy::record_decision, r.id}};
    } else if (s == "resolution") {
      if (r.resolution)
        one(r.resolution->outcome + (r.resolution->agreed_by.empty() ? "" : " (agreed by " + r.resolution->agreed_by + ")"));
      ff.hint = {"the case is not resolved", {{}, Remedy::resolve, r.id}};
    } else if (s == "actions") {
      // Every action taken to resolve it, oldest first: each record of
      // something done (not a note, a correction or a check-back), with its
      // channel and who took part; each escalation with its reason, so that
      // a jump says why; and each action agreed on any record, with its due
      // date.
      static const std::set<std::string> taken{"conversation", "meeting",      "decision",
                                               "plan",         "notification", "feedback"};
      for (const auto& e : r.chronology) {
        const std::string day = zone.local_date(e.at).iso();
        if (e.record) {
          if (taken.count(e.kind))
            one(fmt::format("{} {}{}{}: {}", day, e.kind, e.channel.empty() ? "" : ", " + e.channel,
                            e.with.empty() ? "" : ", with " + e.with, e.text));
          if (!e.action.empty())
            one(fmt::format("{} agreed action: {}{}", day, e.action, e.action_due.empty() ? "" : " (by " + e.action_due + ")"));
        } else if (e.kind == name(EventType::escalate)) {
          one(fmt::format("{} {}", day, e.text));
        }
      }
      ff.hint = {"nothing done to resolve it is recorded (no conversation, meeting, decision, plan, notification, "
                 "feedback, agreed action or escalation)",
                 {{}, Remedy::record_action, r.id}};
    } else if (s == "learning") {
      if (r.resolution) one(r.resolution->learning);
      ff.hint = r.resolution ? Notice{"the case was resolved without learning points" + hand}
                             : Notice{"learning points are recorded on resolving", {{}, Remedy::give_learning, r.id}};
    } else if (s == "chronology") {
      for (const auto& e : r.chronology)
        one(fmt::format("{} {}{}: {}", local_minute(zone, e.at), e.kind, e.record ? fmt::format(" #{}", *e.record) : "",
                        e.text));
    } else if (s == "delay_reasons") {
      for (const auto& e : r.chronology) {
        if (e.record) continue;
        if (e.kind == "pause" || e.kind == "extend") one(fmt::format("{}: {}", zone.local_date(e.at).iso(), e.text));
      }
      if (r.resolution && !r.resolution->delay_reason.empty())
        one(fmt::format("{}: delay: {}", zone.local_date(r.resolution->at).iso(), r.resolution->delay_reason));
      ff.hint = Notice{"no pause, extension or delay reason is recorded"};
    }
    if (!ff.missing()) ff.hint = {};
    out.fields.push_back(std::move(ff));
  }
  return out;
}

}  // namespace esc
