#pragma once
// The messages esc remind sends: one per recipient per run, listing each
// case and duty with what to do, by when and the policy's words, as plain
// text (the default), JSON (scripts) or a whole e-mail (sendmail -t).

#include "cli/context.hpp"

#include <esc/service.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

namespace esc::cli {

/// One reminder: a duty, in the state it is reminded of, to one recipient.
struct Reminding {
  DueItem item;
  Reminder state = Reminder::owed;
  Recipient to;
  int sending = 1;  ///< which sending of it this is (1: the first)
};

/// What one recipient is sent in one run, in the order the duties came.
struct ReminderMessage {
  Recipient to;
  std::vector<const Reminding*> items;
};


/// One reminder as a run keeps it between reading the duties and writing
/// its message: enough to claim it, to put it in its message and to order
/// it there (the rest is read again when the message is written).
struct ReminderSlot {
  int64_t deadline_id = 0;
  uint32_t case_seq = 0;   ///< its case's place in the reading (the oldest due date first)
  uint32_t message = 0;    ///< the message's place among the messages (group())
  uint32_t email = 0;      ///< the recipient's address (ReminderPlan::emails), or k_no_email
  int32_t due_days = 0;    ///< the due date as read (days since 1970-01-01)
  uint16_t sending = 1;
  uint16_t place = 0;      ///< its place among its case's reminders as read
  uint16_t policy = 0;     ///< the policy text it was raised under (ReminderPlan::days)
  uint8_t state_ : 2 = 0;  ///< a Reminder (state())
  uint8_t role_ : 1 = 0;   ///< a PartyRole (role())
  uint8_t timed : 1 = 1;
  uint8_t leads : 1 = 0;   ///< the message's first reminder as read: whose recipient it is addressed to
  uint8_t party : 1 = 0;   ///< sent to the party itself, named as in the case (no contact recorded for it)

  Date due() const { return Date{std::chrono::sys_days{std::chrono::days{due_days}}}; }
  Reminder state() const { return static_cast<Reminder>(state_); }
  PartyRole role() const { return static_cast<PartyRole>(role_); }
  void set(Reminder s, PartyRole r) {
    state_ = static_cast<uint8_t>(s);
    role_ = static_cast<uint8_t>(r);
  }
  static constexpr uint32_t k_no_email = UINT32_MAX;
  static constexpr size_t k_most_policies = UINT16_MAX;
};

using ReminderSlots = std::deque<ReminderSlot>;

// Kept small: a partnership's run holds one for every reminder.
static_assert(sizeof(ReminderSlot) <= 32);

/// A reminder run's reminders, read once (read_reminders), then grouped
/// into messages (group()), each message written from the duties read again
/// (each_message).
struct ReminderPlan {
  struct PolicyDay {
    std::string policy_id, sha256;
    Date today;
  };
  ReminderSlots slots;  ///< (no copy while it grows)
  std::vector<std::string> emails;
  std::vector<PolicyDay> days;

  /// What claiming a reminder needs of its duty: its id, due date, policy
  /// and its case's today (not its case: a claim names the duty).
  DueItem probe(const ReminderSlot& s) const;
  /// The recipient as far as claims and deliveries tell them apart
  /// (Recipient::key): the address, else the party.
  Recipient recipient_key(const ReminderSlot& s) const;
  /// Puts the slots in messages, one per recipient, in order of each
  /// recipient's first reminder: one message per address; a party with no
  /// address known gets one per case. In each message the cases keep their
  /// order, and in each case the most pressing duty comes first.
  void group();
  /// Each message in turn, with the slots it holds.
  void each_message(Service& service,
                    const std::function<void(const ReminderMessage&, ReminderSlots::const_iterator,
                                             ReminderSlots::const_iterator)>& write) const;
};

/// Every duty due within `within` working days (and every one overdue or
/// owed without a date), once for each recipient.
ReminderPlan read_reminders(Service& service, int within);

enum class MessageFormat { text, json, mail };

/// "esc: 3 duties owed on 2 cases, 1 overdue".
std::string message_subject(const ReminderMessage& m);
/// The plain-text body.
std::string message_text(const ReminderMessage& m);
/// The message as JSON (the format's version first).
nlohmann::ordered_json message_json(const ReminderMessage& m);
/// The message in `f`: text, JSON, or a whole e-mail with its headers.
std::string message_body(const ReminderMessage& m, MessageFormat f);

}  // namespace esc::cli
