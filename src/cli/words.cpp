#include "cli/words.hpp"

#include <fmt/format.h>

namespace esc::cli {

std::string_view flag(Field f) {
  switch (f) {
    case Field::at: return "--at";
    case Field::clock: return "ESC_NOW";
    case Field::summary: return "--summary";
    case Field::raiser: return "--raiser";
    case Field::raiser_agency: return "--raiser-agency";
    case Field::counterpart: return "--counterpart";
    case Field::counterpart_agency: return "--counterpart-agency";
    case Field::requested_action: return "--requested-action";
    case Field::child: return "--child";
    case Field::child_ref: return "--child-ref";
    case Field::dob: return "--dob";
    case Field::nhs: return "--nhs";
    case Field::risk: return "--risk";
    case Field::reason: return "--reason";
    case Field::with: return "--with";
    case Field::action: return "--action";
    case Field::action_due: return "--due";
    case Field::corrects: return "--corrects";
    case Field::record_kind: return "--kind";
    case Field::days: return "--days";
    case Field::agreed_by: return "--agreed-by";
    case Field::outcome: return "--outcome";
    case Field::learning: return "--learning";
    case Field::delay_reason: return "--delay-reason";
    case Field::check_back: return "--check-back";
    case Field::to_stage: return "--to";
    case Field::channel: return "--channel";
    case Field::store: return "--db FILE or ESC_DB";
    case Field::to: return "--to";
    case Field::form: return "--form";
    case Field::duty: return "--duty";
    case Field::raiser_email: return "--raiser-email";
    case Field::counterpart_email: return "--counterpart-email";
    case Field::email: return "--email";
    case Field::name: return "--name";
    case Field::party: return "--party";
    case Field::stage: return "--stage";
    case Field::raiser_holder: return "--raiser-holder";
    case Field::counterpart_holder: return "--counterpart-holder";
  }
  return "";
}

std::string command(Remedy r, int64_t id) {
  switch (r) {
    case Remedy::none: return "";
    case Remedy::resume: return fmt::format("esc resume {}", id);
    case Remedy::resolve: return fmt::format("esc resolve {} --outcome TEXT", id);
    case Remedy::list_cases: return "'esc list --all' shows the cases";
    case Remedy::list_records: return fmt::format("'esc log {}' lists its records", id);
    case Remedy::list_policies: return "'esc policy list' shows them";
    case Remedy::record_check_back: return fmt::format("esc record {} --kind check-back --summary TEXT", id);
    case Remedy::record_decision: return fmt::format("esc record {} --kind decision (or feedback)", id);
    case Remedy::record_action: return fmt::format("esc record {} --kind KIND --summary TEXT", id);
    case Remedy::give_learning: return fmt::format("esc resolve {} --learning TEXT", id);
    case Remedy::write_anchor: return "write one with 'esc anchor FILE'";
    case Remedy::show_case: return fmt::format("'esc show {}' lists what it owes", id);
  }
  return "";
}

std::string in_words(const std::string& text, const Hint& hint) {
  std::string out = text;
  size_t named = 0;  // the fields the text names already
  if (hint.leads && !hint.fields.empty()) {
    std::string_view subject = noun(hint.fields[0]);
    if (text.compare(0, subject.size(), subject) == 0) {
      out = std::string(flag(hint.fields[0])) + text.substr(subject.size());
      named = 1;
    }
  }
  if (hint.fields.size() > named) {
    out += " (";
    for (size_t i = named; i < hint.fields.size(); ++i)
      out += fmt::format("{}{}", i > named ? ", " : "", flag(hint.fields[i]));
    out += ')';
  }
  if (hint.remedy != Remedy::none) out += ": " + command(hint.remedy, hint.case_id);
  return out;
}

}  // namespace esc::cli
