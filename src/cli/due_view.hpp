#pragma once
// Printing reminders (overdue and due-soon deadlines), shared by esc overdue,
// esc due and esc remind.

#include "cli/context.hpp"

#include <esc/service.hpp>

#include <fmt/format.h>

#include <vector>

namespace esc::cli {

nlohmann::ordered_json due_item_json(const DueItem& it, Reminder state);
/// Prints reminders as they come: one block per case, one line per
/// deadline; nothing at all for none.
class DuePrinter {
 public:
  DuePrinter(const Context& ctx, bool json) : ctx_(ctx), json_(json) {}
  ~DuePrinter();
  void add(const DueItem& it, Reminder state);
  /// Ends the output (the JSON array's bracket); called by the destructor too.
  void finish();
  size_t count() const { return count_; }

 private:
  void flush();
  const Context& ctx_;
  bool json_;
  bool finished_ = false;
  size_t count_ = 0;
  int64_t current_ = -1;
  fmt::memory_buffer out_;
};

}  // namespace esc::cli
