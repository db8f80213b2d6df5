#pragma once
// The messages esc remind sends: one per recipient per run, listing each
// case and duty with what to do, by when and the policy's words, as plain
// text (the default), JSON (scripts) or a whole e-mail (sendmail -t).

#include "cli/context.hpp"

#include <esc/reminder_list.hpp>
#include <esc/service.hpp>

#include <cstdint>
#include <functional>
#include <optional>
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


/// A reminder run's reminders: read once into the store's list of them
/// (read_reminders), claimed and grouped into messages in a second list
/// (group()), each message then written from the duties read again
/// (each_message). The run holds a thousand reminders at a time, the
/// addresses and the policy texts; the store keeps the rest (numbers only).
struct ReminderPlan {
  struct PolicyDay {
    std::string policy_id, sha256;
    Date today;
  };
  std::vector<std::string> emails;
  std::vector<PolicyDay> days;

  /// What claiming a reminder needs of its duty: its id, due date, policy
  /// and its case's today (not its case: a claim names the duty).
  DueItem probe(const ReminderSlot& s) const;
  /// The recipient as far as claims and deliveries tell them apart
  /// (Recipient::key): the address, else the party.
  Recipient recipient_key(const ReminderSlot& s) const;
  /// Puts the reminders read that `keep` keeps in messages, one per
  /// recipient, in order of each recipient's first reminder: one message
  /// per address; a party with no address known gets one per case. In each
  /// message the cases keep their order, and in each case the most pressing
  /// duty comes first (ReminderSlot::message_order). `keep` says which
  /// sending of a reminder this is, or nothing to leave it out; it is
  /// called in reading order, with no read of the store under way (it may
  /// write).
  void group(Service& service, const std::function<std::optional<int>(const ReminderSlot&)>& keep) const;
  /// Each reminder grouped, in message order (`f` may write to the store).
  void each_slot(Service& service, const std::function<void(const ReminderSlot&)>& f) const;
  /// Each message in turn, with its reminders as grouped (`write` may write
  /// to the store).
  void each_message(Service& service,
                    const std::function<void(const ReminderMessage&, const std::vector<ReminderSlot>&)>& write) const;
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
