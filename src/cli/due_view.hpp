#pragma once
// Printing reminders (overdue and due-soon deadlines), shared by esc overdue,
// esc due and esc remind.

#include "cli/context.hpp"

#include <esc/service.hpp>

#include <vector>

namespace esc::cli {

nlohmann::ordered_json due_item_json(const DueItem& it, const std::string& state);
/// One block per case, one line per deadline; nothing for an empty list.
void print_due_items(const Context& ctx, const std::vector<DueItem>& items, Date today);

}  // namespace esc::cli
