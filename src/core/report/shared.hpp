#pragma once
// What the case report, the forms and the partnership return share, inside
// the core: labels and the facts of a case they all count.

#include <esc/case.hpp>
#include <esc/policy.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>

namespace esc::report_detail {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

inline std::string category_label(const Policy& p, const std::string& id) {
  for (const auto& c : p.categories)
    if (c.id == id) return c.label.empty() ? c.id : c.label;
  return id;
}

/// The highest stage a case reached: stages only move forward, so the
/// current one, unless an escalation went further.
inline int highest_stage(const Case& c) {
  int h = c.stage;
  for (const auto& e : c.events)
    if (e.to_stage) h = std::max(h, *e.to_stage);
  return h;
}

/// The first stage the partnership itself handles (`partnership = true`),
/// if any: reaching it, or a later stage, is reaching the partnership's
/// stage. A stage at which the partnership is only notified does not count,
/// and a policy text without the key (one pinned before it was added) has
/// no such stage.
inline std::optional<int> partnership_stage(const Policy& p) {
  for (const auto& s : p.stages)
    if (s.partnership) return s.number;
  return std::nullopt;
}


}  // namespace esc::report_detail
