#pragma once
/// A reminder run's working lists: one small row per reminder (a duty, in
/// the state it is reminded of, to one recipient), which the store keeps
/// outside the record while a run reads, claims and orders its reminders
/// (CaseStore::add_slots), so that what a run holds in memory does not grow
/// with the number of reminders it sends.

#include <esc/date.hpp>
#include <esc/states.hpp>

#include <chrono>
#include <cstdint>
#include <tuple>

namespace esc {

/// One reminder as a run keeps it between reading the duties and writing
/// its message: enough to claim it, to put it in its message and to order
/// it there (the rest is read again when the message is written). Numbers
/// only: no name, address or text of a case.
struct ReminderSlot {
  int64_t deadline_id = 0;
  uint32_t seq = 0;       ///< its place in the reading (1, 2, ...)
  uint32_t case_seq = 0;  ///< its case's place in the reading (the oldest due date first)
  uint32_t message = 0;   ///< its message's place among the messages (in order of their first reminder)
  uint32_t email = 0;     ///< the recipient's address (the run's list of them), or k_no_email
  int32_t due_days = 0;   ///< the due date as read (days since 1970-01-01)
  uint16_t sending = 1;   ///< which sending of it this is (1: the first)
  uint16_t policy = 0;    ///< the policy text it was raised under (the run's list of them)
  uint8_t state_ : 2 = 0;  ///< a Reminder (state())
  uint8_t role_ : 1 = 0;   ///< a PartyRole (role())
  uint8_t timed : 1 = 1;
  uint8_t leads : 1 = 0;  ///< its message's first reminder as read: whose recipient it is addressed to
  uint8_t party : 1 = 0;  ///< sent to the party itself, named as in the case (no contact recorded for it)

  Date due() const { return Date{std::chrono::sys_days{std::chrono::days{due_days}}}; }
  Reminder state() const { return static_cast<Reminder>(state_); }
  PartyRole role() const { return static_cast<PartyRole>(role_); }
  void set(Reminder s, PartyRole r) {
    state_ = static_cast<uint8_t>(s);
    role_ = static_cast<uint8_t>(r);
  }
  /// How pressing it is in its case: 0 overdue, 1 due by a date, 2 owed
  /// without one.
  int urgency() const { return state() == Reminder::overdue ? 0 : timed ? 1 : 2; }
  /// Its place among the reminders to send: by message; in each message the
  /// cases as read (the oldest due date first); in each case the most
  /// pressing first (overdue, then due by a date, then owed without one),
  /// each by due date; the raiser's before the counterpart's; then as read.
  auto message_order() const { return std::make_tuple(message, case_seq, urgency(), due_days, role_ + 0, seq); }
  /// The flags (state, role, timed, leads, party) in one number, as a
  /// store keeps them, and back.
  int flags() const { return state_ | role_ << 2 | timed << 3 | leads << 4 | party << 5; }
  void set_flags(int f) {
    state_ = f & 3;
    role_ = (f >> 2) & 1;
    timed = (f >> 3) & 1;
    leads = (f >> 4) & 1;
    party = (f >> 5) & 1;
  }

  static constexpr uint32_t k_no_email = UINT32_MAX;
  static constexpr size_t k_most_policies = UINT16_MAX;
};

// Small: a run reads and writes them a thousand at a time.
static_assert(sizeof(ReminderSlot) <= 40);

/// A run's two lists: its reminders as read (in reading order), and those
/// it sends, grouped into messages (in message order).
enum class SlotList { read, send };

}  // namespace esc
