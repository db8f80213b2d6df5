// The core's own names for the fields its errors are about.
#include <esc/error.hpp>

namespace esc {

std::string_view noun(Field f) {
  switch (f) {
    case Field::at: return "the time";
    case Field::clock: return "the clock";
    case Field::summary: return "the summary";
    case Field::raiser: return "the raiser's name";
    case Field::raiser_agency: return "the raiser's agency";
    case Field::counterpart: return "the counterpart's name";
    case Field::counterpart_agency: return "the counterpart's agency";
    case Field::requested_action: return "the requested action";
    case Field::child: return "the child's name";
    case Field::child_ref: return "the child's reference";
    case Field::dob: return "the child's date of birth";
    case Field::nhs: return "the child's NHS number";
    case Field::risk: return "the risk";
    case Field::reason: return "the reason";
    case Field::with: return "who it was with";
    case Field::action: return "the agreed action";
    case Field::action_due: return "the action's due date";
    case Field::corrects: return "the record it corrects";
    case Field::record_kind: return "the kind of record";
    case Field::days: return "the number of working days";
    case Field::agreed_by: return "who agreed it";
    case Field::outcome: return "the outcome statement";
    case Field::learning: return "the learning points";
    case Field::delay_reason: return "the reason for the delay";
    case Field::check_back: return "the check-back";
    case Field::to_stage: return "the stage to go to";
    case Field::channel: return "the channel";
    case Field::store: return "the store";
    case Field::to: return "the recipient";
    case Field::form: return "the form";
    case Field::duty: return "the duty";
    case Field::raiser_email: return "the raiser's e-mail address";
    case Field::counterpart_email: return "the counterpart's e-mail address";
    case Field::email: return "the e-mail address";
    case Field::name: return "the name";
    case Field::party: return "the party";
    case Field::stage: return "the stage";
    case Field::raiser_holder: return "who holds the stage for the raiser";
    case Field::counterpart_holder: return "who holds the stage for the counterpart";
  }
  return "the input";
}

}  // namespace esc
