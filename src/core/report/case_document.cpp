// The case report as a document: each line worded here, once.
#include <esc/case_document.hpp>

#include <esc/duties.hpp>
#include <esc/text.hpp>

#include <fmt/format.h>

namespace esc {

namespace {

/// A field whose heading is its label capitalised, unless given.
DocField field(std::string label, std::string value, std::string heading = {}) {
  if (heading.empty()) heading = capital(label);
  return {std::move(label), std::move(value), std::move(heading)};
}

std::string deadline_what(const CaseReport& r, const CaseDeadline& d) {
  std::string from = d.scope == DeadlineScope::check_back ? "the resolution" : d.counted_from == "case" ? "raising the case" : "the start of the " + r.stage_term;
  return fmt::format("{} {} {}; met by {}", within_phrase(d.timescale), within_joiner(d.timescale), from,
                     d.met_by                               ? "a " + *d.met_by + " record"
                     : d.scope == DeadlineScope::whole_case ? std::string("resolving the case")
                                                            : "leaving the " + r.stage_term);
}

std::string deadline_done(const TimeZone& zone, const CaseDeadline& d) {
  if (!d.done_at) return "";
  std::string how = !d.closed_by                          ? ""
                    : *d.closed_by == ClosedBy::record   ? "recorded"
                    : *d.closed_by == ClosedBy::waiver   ? "waived"
                    : *d.closed_by == ClosedBy::escalate ? "escalated"
                                                         : "resolved";
  std::string out = fmt::format("{} {}", how, local_minute(zone, *d.done_at));
  if (d.record_id) out += fmt::format(" (record #{})", *d.record_id);
  // A late entry says so: met on the day it happened, entered days later.
  if (d.entered_late(zone))
    out += fmt::format("; met on {}, entered {}", zone.local_date(*d.done_at).iso(),
                       zone.local_date(*d.met_entered_at).iso());
  return out;
}

/// What a duty other than a deadline asks, and what meets it.
std::string duty_what(const CaseDeadline& d) {
  std::string when = d.timed ? within_phrase(d.timescale) + " (due " + d.due.iso() + ")" : "without delay";
  return fmt::format("{}; met by {}", when, what_meets(d));
}

/// The duties other than deadlines: notifications, feedback, informing in
/// writing, a delay reason, a learning referral, agreed actions.
DocTable duty_table(const CaseReport& r, const TimeZone& zone, const std::vector<const ReportDeadline*>& duties,
                    bool label_scope) {
  DocTable t{{{"Duty"}, {"What meets it"}, {"State", true, true}, {"Done"}}, {}};
  for (const auto* rd : duties) {
    const CaseDeadline& d = rd->deadline;
    std::string lead = label_scope ? capital(stage_label(r.stage_term, d)) + ": " : "";
    std::string what = duty_what(d), done = deadline_done(zone, d);
    DocRow row;
    row.cells = {lead + d.action, what, std::string(name(rd->outcome)), done};
    row.line = fmt::format("{}[{}] {}", lead, name(rd->outcome), d.action);
    row.details = {what + (done.empty() ? "" : "; " + done)};
    row.outcome = rd->outcome;
    t.rows.push_back(std::move(row));
  }
  return t;
}

/// "3 Dec 2026 (record #7), form pcrno" or "NOT notified", for a duty to
/// notify the partnership.
std::string notified_text(const TimeZone& zone, const CaseReport& r, const ReportDeadline& rd) {
  const CaseDeadline& d = rd.deadline;
  if (rd.outcome == DeadlineOutcome::waived) return "not notified: waived" + (d.record_id ? fmt::format(" (record #{})", *d.record_id) : "");
  if (!d.done_at || d.closed_by != ClosedBy::record) return "NOT notified";
  std::string out = fmt::format("notified {}", zone.local_date(*d.done_at).iso());
  if (d.record_id) out += fmt::format(" (record #{})", *d.record_id);
  for (const auto& e : r.chronology)
    if (e.record && d.record_id && *e.record == *d.record_id && !e.form.empty()) out += ", form " + e.form;
  if (d.entered_late(zone)) out += fmt::format(", entered {}", zone.local_date(*d.met_entered_at).iso());
  return out;
}

std::string shift_text(const TimeZone& zone, const CaseReport& r, const DeadlineShift& s) {
  // The date is the resumption's or the extension's, not the pause's.
  return fmt::format("{} on {}{}: +{} working day{}, {} -> {}", s.type == EventType::resume ? "resumed" : "extended",
                     zone.local_date(s.at).iso(), s.type == EventType::resume ? " after being " + r.pause_term : "", s.days, s.days == 1 ? "" : "s", s.from_due.iso(), s.to_due.iso());
}

std::string status_line(const CaseReport& r, const TimeZone& zone) {
  if (r.resolution)
    return fmt::format("resolved at {} {} of {} on {}", r.stage_term, r.resolution->stage, r.stage_count,
                       zone.local_date(r.resolution->at).iso());
  return fmt::format("{} at {} {} of {}: {}", r.status == CaseStatus::paused ? r.pause_term : std::string(name(r.status)), r.stage_term, r.stage,
                     r.stage_count, r.stage_title);
}

std::string stage_span(const TimeZone& zone, const CaseReport& r, const ReportStage& s) {
  std::string line = "from " + local_minute(zone, s.entered_at);
  if (!s.left_at) return line + " (current)";
  line += " to " + local_minute(zone, *s.left_at);
  if (s.left_by == "resolve") return line + ", resolved";
  return line + fmt::format(", escalated to {} {}", r.stage_term, s.left_to.value_or(0));
}

/// The deadlines of a stage, or those of the whole case (`label_stage`: each
/// says which: "Whole case", "Check back").
DocTable deadline_table(const CaseReport& r, const TimeZone& zone, const std::vector<ReportDeadline>& deadlines,
                        bool label_stage) {
  DocTable t{{{"Deadline"}, {"Timescale"}, {"Due", true}, {"State", true, true}, {"Done"}}, {}};
  for (const auto& [d, outcome] : deadlines) {
    std::string lead = label_stage ? capital(stage_label(r.stage_term, d)) + ": " : "";
    std::string what = deadline_what(r, d), done = deadline_done(zone, d);
    DocRow row;
    row.cells = {lead + d.action, what, d.due.iso(), std::string(name(outcome)), done};
    row.line = fmt::format("{}[{}] {}", lead, name(outcome), d.action);
    row.details = {fmt::format("{}; due {}{}", what, d.due.iso(), done.empty() ? "" : "; " + done)};
    for (const auto& s : d.shifts) row.notes.push_back(shift_text(zone, r, s));
    row.outcome = outcome;
    t.rows.push_back(std::move(row));
  }
  return t;
}

DocSection stages_section(const CaseReport& r, const TimeZone& zone) {
  DocSection out{capital(r.stage_term) + "s"};
  for (const auto& s : r.stages) {
    DocSection stage{fmt::format("{} {}: {}", capital(r.stage_term), s.number, s.title)};
    stage.keep_together = true;
    stage.fields = {field("", stage_span(zone, r, s) + (s.left_reason.empty() ? "" : ": " + s.left_reason), "When"),
                    field("handled by: ",
                          fmt::format("{} for the raiser ({}); {} for the counterpart ({})", s.raiser_handler,
                                      r.raiser.agency_type, s.counterpart_handler, r.counterpart.agency_type),
                          "Handled by")};
    if (!s.expected_outcome.empty())
      stage.fields.push_back(field("expected outcome: ", s.expected_outcome, "Expected outcome"));
    if (s.partnership)
      stage.fields.push_back(field("the partnership ", "handles this " + r.stage_term + " itself", "Partnership"));
    std::vector<const ReportDeadline*> duties;
    for (const auto& rd : r.duties)
      if (rd.deadline.scope == DeadlineScope::stage && rd.deadline.stage == s.number) duties.push_back(&rd);
    // Whether the partnership was notified, as the record shows it (not as
    // the policy says it should be).
    for (const auto* rd : duties)
      if (rd->deadline.to == k_to_partnership)
        stage.fields.push_back(field("partnership: ", notified_text(zone, r, *rd), "Partnership notified"));
    if (!s.deadlines.empty()) stage.tables.push_back(deadline_table(r, zone, s.deadlines, false));
    if (!duties.empty()) stage.tables.push_back(duty_table(r, zone, duties, false));
    out.subsections.push_back(std::move(stage));
  }
  std::vector<const ReportDeadline*> case_duties;
  for (const auto& rd : r.duties)
    if (rd.deadline.scope != DeadlineScope::stage) case_duties.push_back(&rd);
  if (!r.case_deadlines.empty() || !case_duties.empty()) {
    DocSection whole{"Whole case"};
    whole.run_in = true;
    if (!r.case_deadlines.empty()) whole.tables.push_back(deadline_table(r, zone, r.case_deadlines, true));
    if (!case_duties.empty()) whole.tables.push_back(duty_table(r, zone, case_duties, true));
    out.subsections.push_back(std::move(whole));
  }
  return out;
}

DocSection chronology_section(const TimeZone& zone, const std::vector<ChronologyEntry>& entries) {
  DocSection out{"Chronology"};
  out.counted = true;
  DocTable t{{{"When", true}, {"What"}, {"Who"}, {"Record", true}}, {}};
  for (const auto& e : entries) {
    std::string extra;
    if (!e.action.empty()) extra += "action: " + e.action + (e.action_due.empty() ? "" : " by " + e.action_due);
    if (e.corrects) extra += (extra.empty() ? "" : "; ") + fmt::format("corrects record #{}", *e.corrects);
    auto add = [&](const std::string& part) { extra += (extra.empty() ? "" : "; ") + part; };
    if (!e.to.empty()) add("to " + e.to);
    if (!e.form.empty()) add("form " + e.form);
    if (e.entered_at) add("entered late, on " + local_minute(zone, *e.entered_at));
    DocRow row;
    row.cells = {local_minute(zone, e.at),
                 e.kind + (e.channel.empty() ? "" : ", " + e.channel) + ": " + e.text + (extra.empty() ? "" : " (" + extra + ")"),
                 e.with, e.record ? fmt::format("#{}", *e.record) : ""};
    row.line = local_minute(zone, e.at) + "  " + e.kind;
    if (e.record) row.line += fmt::format(" #{}", *e.record);
    if (!e.channel.empty()) row.line += ", " + e.channel;
    if (!e.with.empty()) row.line += (e.record ? ", with " : ", agreed by ") + e.with;
    row.details = {e.text};
    if (!extra.empty()) row.details.push_back(extra);
    t.rows.push_back(std::move(row));
  }
  out.tables.push_back(std::move(t));
  return out;
}

DocSection outcome_section(const CaseReport& r, const TimeZone& zone) {
  DocSection out{"Outcome"};
  if (!r.resolution) {
    out.fields = {field("current", status_line(r, zone)),
                  field("working days", fmt::format("{} since raising (not resolved)", r.working_days))};
    if (!r.learning_to.empty()) out.fields.push_back(field("learning to", r.learning_to, "Learning points go to"));
    return out;
  }
  const ReportResolution& res = *r.resolution;
  out.fields = {field("resolved", fmt::format("{} at {} {}", local_minute(zone, res.at), r.stage_term, res.stage)),
                field("working days", fmt::format("{} from raising to resolution", r.working_days)),
                field("outcome", res.outcome), field("agreed by", res.agreed_by),
                field("learning", res.learning, "Learning points")};
  if (!r.learning_to.empty()) out.fields.push_back(field("learning to", r.learning_to, "Learning points go to"));
  if (!res.delay_reason.empty()) out.fields.push_back(field("delay reason", res.delay_reason));
  return out;
}

}  // namespace

CaseDocument case_document(const CaseReport& r) {
  const TimeZone& zone = TimeZone::get(r.time_zone);
  CaseDocument doc;
  doc.title = fmt::format("Escalation record: case {}", r.id);
  doc.case_id = r.id;
  doc.uuid = r.uuid;
  doc.made = local_minute(zone, r.generated_at);
  doc.about = {field("policy", fmt::format("{} ({}), {}", r.policy_name, r.policy_id, r.policy_version)),
               field("partnership", r.partnership)};
  if (!r.contact.empty()) doc.under_policy.push_back(field("key contact", r.contact));
  if (!r.records_in.empty()) doc.under_policy.push_back(field("records in", r.records_in, "Records to be kept in"));
  doc.fields = {field("status", status_line(r, zone)), field("report made", doc.made)};

  doc.sections.push_back({"Parties", {field("raiser", party_line(r.raiser)), field("counterpart", party_line(r.counterpart))}});
  doc.sections.push_back({"Child",
                          {field("reference", r.child.ref), field("name", r.child.name), field("date of birth", r.child.dob),
                           field("NHS number", nhs_spaced(r.child.nhs))}});
  DocSection disagreement{"Disagreement",
                          {field("raised", local_minute(zone, r.raised_at)),
                           field("category", r.category_label + " (" + r.category + ")"), field("summary", r.summary),
                           field("requested", r.requested_action, "Requested action")}};
  if (!r.risk.empty()) disagreement.fields.push_back(field("risk", r.risk));
  doc.sections.push_back(std::move(disagreement));
  doc.sections.push_back(stages_section(r, zone));
  doc.sections.push_back(chronology_section(zone, r.chronology));

  DocSection actions{"Actions agreed"};
  actions.items.emplace();
  for (const auto& a : r.actions)
    actions.items->push_back(fmt::format("{} {} #{}: {}{}", zone.local_date(a.at).iso(), a.kind, a.record, a.text,
                                         a.due.empty() ? "" : " (by " + a.due + ")"));
  doc.sections.push_back(std::move(actions));
  doc.sections.push_back(outcome_section(r, zone));
  return doc;
}

}  // namespace esc
