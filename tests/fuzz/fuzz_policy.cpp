// Fuzz target: the policy loader. Any input must either parse into a policy
// the engine can use or be refused with a PolicyError (or another esc::Error);
// anything else escaping, a crash or undefined behaviour is a bug.

#include <esc/calendar.hpp>
#include <esc/error.hpp>
#include <esc/examples.hpp>
#include <esc/policy.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// The loader refuses control characters: none may reach a terminal from an
// accepted policy (C0 but tab and newline, DEL, C1 as UTF-8; bidirectional
// overrides are allowed in policies). This is an independent copy of
// esc::is_terminal_control() on purpose: an oracle sharing the loader's code
// would share its bugs. Keep the two in step by hand.
void plain(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) std::abort();
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F)
      std::abort();
  }
}

void check_text(const esc::Policy& p) {
  for (const auto* s : {&p.id, &p.name, &p.partnership, &p.partnership_short, &p.version, &p.review_date,
                        &p.contact, &p.records_in, &p.emergency_text, &p.pause_term, &p.agreed_by, &p.learning_to})
    plain(*s);
  for (const auto& c : p.emergency_contacts) plain(c.name + c.phone + c.email + c.hours);
  for (const auto& c : p.categories) plain(c.id + c.label);
  for (const auto& s : p.stages) {
    plain(s.title + s.handler + s.expected_outcome);
    for (const auto& [type, role] : s.handlers) plain(type + role);
    for (const auto& d : s.deadlines) plain(d.action + d.clause);
    for (const auto& r : s.requires_) plain(r.action + r.to + r.clause);
  }
  for (const auto& d : p.duties) plain(d.duty.action + d.duty.to + d.duty.clause);
  for (const auto& e : p.examples) plain(e.name + e.clause);
  for (const auto& j : p.jumps) plain(j.note);
  for (const auto& r : p.routes) plain(r.note);
  for (const auto& [c, why] : p.channels_discouraged) plain(c + why);
  for (const auto& f : p.forms) {
    plain(f.id + f.name + f.appendix + f.send_to);
    for (const auto& fl : f.fields) plain(fl.id + fl.label + fl.source + fl.instruction);
  }
  for (const auto& c : p.closures) plain(c.name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(data), size};
  esc::Policy p;
  try {
    p = esc::parse_policy(text, "fuzz.toml");
  } catch (const esc::Error&) {
    return 0;
  }
  // What the loader promises of a policy it accepts.
  check_text(p);
  if (p.stages.empty() || !p.has_category("other"))
    std::abort();
  for (size_t i = 0; i < p.stages.size(); ++i) {
    const esc::Stage& s = p.stages[i];
    if (s.number != static_cast<int>(i) + 1 || p.stage(s.number) != &s) std::abort();
    (void)s.handler_for("school");
    (void)s.notifies_partnership();
    for (const auto& d : s.deadlines)
      if (d.timescale.text().empty() || !esc::Timescale::parse(d.timescale.text())) std::abort();
    for (const auto& r : s.requires_)
      if (r.form && !p.form(*r.form)) std::abort();
  }
  for (const auto& j : p.jumps)
    if (!p.stage(j.to)) std::abort();
  for (const auto& r : p.routes)
    if (!p.stage(r.from) || !p.stage(r.to) || r.from >= r.to) std::abort();
  // Its worked examples run without throwing, whatever they say: a step
  // esc would refuse or a date it cannot count is a failure, not an error.
  for (const auto& ex : p.examples)
    for (const auto& f : esc::run_example(p, ex))
      if (f.message().empty()) std::abort();
  // The working-day calendar with the policy's closures.
  try {
    esc::Calendar cal = p.make_calendar();
    if (!p.closures.empty()) (void)cal.is_working_day(p.closures.front().date);
  } catch (const esc::Error&) {
  }
  return 0;
}
