#include "cli/reminder_mail.hpp"

#include "cli/due_view.hpp"

#include <esc/error.hpp>
#include <esc/report.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

namespace esc::cli {

using json = nlohmann::ordered_json;

namespace {

/// How many reminders a run holds at a time.
constexpr size_t k_batch = 1024;

/// Each slot of `list` in its order, a batch at a time: `f` sees a batch
/// with no read of the store under way.
void each_batch(Service& service, SlotList list, const std::function<void(const std::vector<ReminderSlot>&)>& f) {
  std::optional<ReminderSlot> last;
  for (;;) {
    auto batch = service.slots_after(list, last ? &*last : nullptr, k_batch);
    if (batch.empty()) return;
    last = batch.back();
    f(batch);
    if (batch.size() < k_batch) return;
  }
}

}  // namespace

ReminderPlan read_reminders(Service& service, int within) {
  ReminderPlan plan;
  std::unordered_map<std::string, uint32_t> email_of;
  int64_t current = -1;
  uint32_t case_seq = 0, seq = 0;
  std::vector<ReminderSlot> batch;
  batch.reserve(k_batch);
  service.clear_slots(SlotList::read);
  // On one snapshot, the list written as it is read.
  service.read([&] {
    service.visit_deadlines_due({within, false}, "", [&](const DueItem& it) {
      if (it.case_id != current) {
        current = it.case_id;
        ++case_seq;
      }
      size_t day = 0;
      while (day < plan.days.size() && plan.days[day].sha256 != it.policy_sha256) ++day;
      if (day == plan.days.size()) {
        if (day >= ReminderSlot::k_most_policies)
          throw DataError(fmt::format("the store's due duties were raised under more than {} policy texts, more than "
                                      "one reminder run can keep apart: report this to esc's maintainers",
                                      ReminderSlot::k_most_policies));
        plan.days.push_back({it.policy_id, it.policy_sha256, it.today});
      }
      Reminder state = !it.timed ? Reminder::owed : it.due < it.today ? Reminder::overdue : Reminder::due_soon;
      for (const auto& to : service.recipients_of(it)) {
        ReminderSlot s;
        s.deadline_id = it.deadline_id;
        s.seq = ++seq;
        s.case_seq = case_seq;
        s.due_days = static_cast<int32_t>(it.due.days().time_since_epoch().count());
        s.set(state, to.role);
        s.policy = static_cast<uint16_t>(day);
        s.timed = it.timed;
        // (With no address and no holder, recipient_for names the party.)
        s.party = to.email.empty() && !to.holder;
        if (!to.email.empty()) {
          auto [at, added] = email_of.try_emplace(to.email, static_cast<uint32_t>(plan.emails.size()));
          if (added) plan.emails.push_back(to.email);
          s.email = at->second;
        } else {
          s.email = ReminderSlot::k_no_email;
        }
        batch.push_back(s);
        if (batch.size() == k_batch) {
          service.add_slots(SlotList::read, batch);
          batch.clear();
        }
      }
    });
    service.add_slots(SlotList::read, batch);
  });
  return plan;
}

DueItem ReminderPlan::probe(const ReminderSlot& s) const {
  DueItem it;
  it.deadline_id = s.deadline_id;
  it.due = s.due();
  it.timed = s.timed;
  it.policy_id = days[s.policy].policy_id;
  it.policy_sha256 = days[s.policy].sha256;
  it.today = days[s.policy].today;
  return it;
}

Recipient ReminderPlan::recipient_key(const ReminderSlot& s) const {
  Recipient to;
  to.role = s.role();
  if (s.email != ReminderSlot::k_no_email) to.email = emails[s.email];
  return to;
}

void ReminderPlan::group(Service& service, const std::function<std::optional<int>(const ReminderSlot&)>& keep) const {
  // A person by their address; a party with no address known only within
  // its own case (two cases' raisers are two people). Messages come in the
  // order of their first reminder kept; each case's reminders were read
  // together. The send list keeps them in message order.
  std::vector<uint32_t> message_of_email(emails.size(), UINT32_MAX);
  uint32_t messages = 0, seq = 0;
  uint32_t party_message[2] = {UINT32_MAX, UINT32_MAX};
  std::vector<ReminderSlot> kept;
  kept.reserve(k_batch);
  service.clear_slots(SlotList::send);
  each_batch(service, SlotList::read, [&](const std::vector<ReminderSlot>& batch) {
    kept.clear();
    for (ReminderSlot s : batch) {
      auto sending = keep(s);
      if (!sending) continue;
      s.sending = static_cast<uint16_t>(std::clamp(*sending, 1, 65535));
      if (s.case_seq != seq) {
        seq = s.case_seq;
        party_message[0] = party_message[1] = UINT32_MAX;
      }
      uint32_t& m = s.email != ReminderSlot::k_no_email ? message_of_email[s.email]
                                                         : party_message[s.role() == PartyRole::raiser ? 0 : 1];
      s.leads = m == UINT32_MAX;
      if (s.leads) m = messages++;
      s.message = m;
      kept.push_back(s);
    }
    service.add_slots(SlotList::send, kept);
  });
}

void ReminderPlan::each_slot(Service& service, const std::function<void(const ReminderSlot&)>& f) const {
  each_batch(service, SlotList::send, [&](const std::vector<ReminderSlot>& batch) {
    for (const auto& s : batch) f(s);
  });
}

void ReminderPlan::each_message(
    Service& service,
    const std::function<void(const ReminderMessage&, const std::vector<ReminderSlot>&)>& write) const {
  std::vector<ReminderSlot> slots;
  std::vector<Reminding> items;
  auto flush = [&] {
    if (slots.empty()) return;
    items.clear();
    ReminderMessage m;
    for (const auto& s : slots) {
      auto it = service.due_item(s.deadline_id);
      if (!it) continue;  // (a duty is never deleted once owed)
      // Its due date as it was read (and claimed), its recipient as read again.
      it->due = s.due();
      Recipient who = recipient_key(s);
      if (s.party)
        who.name = s.role() == PartyRole::raiser ? it->raiser.name : it->counterpart.name;
      else
        for (auto& r : service.recipients_of(*it))
          if (r.role == s.role() && r.email == who.email) who = std::move(r);
      if (s.leads) m.to = who;
      items.push_back({std::move(*it), s.state(), std::move(who), s.sending});
    }
    if (!items.empty()) {
      for (const auto& r : items) m.items.push_back(&r);
      write(m, slots);
    }
    slots.clear();
  };
  // A message's reminders come together; one may span two batches.
  each_batch(service, SlotList::send, [&](const std::vector<ReminderSlot>& batch) {
    for (const auto& s : batch) {
      if (!slots.empty() && slots.front().message != s.message) flush();
      slots.push_back(s);
    }
  });
  flush();
}

namespace {

std::string plural(size_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string day(Date d) { return d.weekday_name().substr(0, 3) + " " + d.iso(); }

/// Whom the message is for, in words.
std::string addressee(const Recipient& to) {
  if (to.email.empty())
    return fmt::format("the {}'s side: {} (no e-mail address known)", name(to.role), safe(to.name));
  return safe(format_contact(to.name, to.email));
}

const Party& party_of(const DueItem& it, PartyRole role) { return role == PartyRole::raiser ? it.raiser : it.counterpart; }
const std::string& handler_of(const DueItem& it, PartyRole role) {
  return role == PartyRole::raiser ? it.raiser_handler : it.counterpart_handler;
}

std::string when_text(const Reminding& r) {
  const DueItem& it = r.item;
  if (!it.timed) return fmt::format("owed now, without delay (since {})", day(it.due));
  if (r.state == Reminder::overdue)
    return it.working_days_overdue == 0
               ? fmt::format("OVERDUE: was due by the end of {}", day(it.due))
               : fmt::format("OVERDUE {}: was due by the end of {}",
                             plural(static_cast<size_t>(it.working_days_overdue), "working day", "working days"),
                             day(it.due));
  if (it.due == it.today) return fmt::format("due today, {}", day(it.due));
  return fmt::format("due by the end of {}", day(it.due));
}

}  // namespace

std::string message_subject(const ReminderMessage& m) {
  std::set<int64_t> cases;
  size_t overdue = 0;
  for (const auto* r : m.items) {
    cases.insert(r->item.case_id);
    if (r->state == Reminder::overdue) ++overdue;
  }
  return fmt::format("esc: {} owed on {}{}", plural(m.items.size(), "duty", "duties"),
                     plural(cases.size(), "case", "cases"), overdue ? fmt::format(", {} overdue", overdue) : "");
}

std::string message_text(const ReminderMessage& m) {
  fmt::memory_buffer b;
  auto o = std::back_inserter(b);
  fmt::format_to(o, "To {}.\n", addressee(m.to));
  fmt::format_to(o, "{}, as of {}.\n", message_subject(m).substr(5), day(m.items.front()->item.today));
  int64_t current = -1;
  PartyRole current_role = m.to.role;
  for (const auto* r : m.items) {
    const DueItem& it = r->item;
    if (it.case_id != current || r->to.role != current_role) {
      current = it.case_id;
      current_role = r->to.role;
      const Party& p = party_of(it, r->to.role);
      fmt::format_to(o, "\nCase {} (child ref {}), {} policy, {} {}{}\n", it.case_id,
                     it.child_ref.empty() ? "-" : safe(it.child_ref), safe(it.policy_id), safe(it.stage_term),
                     it.case_stage, it.stage_title.empty() ? "" : ": " + safe(it.stage_title));
      fmt::format_to(o, "  For the {} ({}, {}){}\n", name(r->to.role), safe(p.agency.empty() ? p.name : p.agency),
                     safe(p.agency_type),
                     handler_of(it, r->to.role).empty() ? "" : ", held by the " + safe(handler_of(it, r->to.role)));
    }
    fmt::format_to(o, "  - {}\n", safe(it.action));
    fmt::format_to(o, "    {}\n", when_text(*r));
    fmt::format_to(o, "    [{}, duty {}]\n", safe(stage_label(it.stage_term, it.scope, it.stage)), safe(it.key));
    if (!it.clause.empty()) fmt::format_to(o, "    Policy: {}\n", safe(it.clause));
    if (r->sending > 1)
      fmt::format_to(o, "    Reminder {} (sent {} before).\n", r->sending,
                     r->sending == 2 ? std::string("once") : fmt::format("{} times", r->sending - 1));
  }
  fmt::format_to(o, "\nRecord what was done with 'esc record CASE --duty KEY ...'; 'esc show CASE' lists what a case "
                    "owes.\n");
  if (m.to.email.empty())
    fmt::format_to(o, "Reminders reach a person once an address is known: 'esc assign CASE --party {} --email "
                      "ADDRESS'.\n",
                   name(m.to.role));
  fmt::format_to(o, "This message names children by reference only.\n");
  return fmt::to_string(b);
}

json message_json(const ReminderMessage& m) {
  json j;
  j["to"] = {{"party", m.to.role},
             {"name", m.to.name},
             {"email", m.to.email.empty() ? json(nullptr) : json(m.to.email)},
             {"holder", m.to.holder}};
  j["subject"] = message_subject(m);
  j["reminders"] = json::array();
  for (const auto* r : m.items) {
    auto it = due_item_json(r->item, r->state);
    it["sending"] = r->sending;  // 1 the first time this reminder is sent to this recipient, 2 the second, ...
    j["reminders"].push_back(std::move(it));
  }
  return versioned(std::move(j));
}

std::string message_body(const ReminderMessage& m, MessageFormat f) {
  switch (f) {
    case MessageFormat::json:
      return message_json(m).dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    case MessageFormat::mail: {
      // Headers sendmail -t reads: the address only (validated: no line
      // breaks, commas or brackets), an ASCII subject.
      std::string head;
      if (!m.to.email.empty()) head += "To: " + m.to.email + "\n";
      head += "Subject: " + message_subject(m) + "\n";
      head += "Auto-Submitted: auto-generated\n";
      head += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n\n";
      return head + message_text(m);
    }
    case MessageFormat::text: break;
  }
  return message_text(m);
}

}  // namespace esc::cli
