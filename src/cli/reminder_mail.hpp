#pragma once
// The messages esc remind sends: one per recipient per run, listing each
// case and duty with what to do, by when and the policy's words, as plain
// text (the default), JSON (scripts) or a whole e-mail (sendmail -t).

#include "cli/context.hpp"

#include <esc/service.hpp>

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

/// The reminders grouped by recipient, in order of each recipient's first
/// reminder: one message per address; a party with no address known gets
/// one per case.
std::vector<ReminderMessage> group_by_recipient(const std::vector<Reminding>& all);

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
