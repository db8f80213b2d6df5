# Warrington: the same working day at each stage, a case limit of 5 working
# days, a delay reason once a day has passed since raising, learning points
# required and then referred to the Partnerships Manager.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# py EXPR: a Python expression over the JSON in $out (bound to d). The
# interpreter is found once: a version-manager shim costs a lot per call.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
dls() { py '" ".join("%s:%s:%s:%s" % (x["stage"], x["due"], "done" if x["done_at"] else "open", x["late"]) for x in sorted(d["deadlines"], key=lambda x: (x["stage"], x["due"])))'; }
expect_fail() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -ne 0 ] || fail "$1: exit 0, expected an error"
}
# warr NOW REF: raise at NOW, id in $id.
warr() {
  ESC_NOW=$1 run raise --policy warrington --category case-conference --summary "Whether to convene a conference" \
    --raiser "Gus Pretend" --raiser-agency-type school --counterpart "Hana Invented" --counterpart-agency-type social-care \
    --child-ref "$2" -q
  id=$out
}

# Raised on Saturday 4 July 2026: same working day is Mon 6 July; the case
# limit is 5 working days after Saturday: 6, 7, 8, 9, 10 -> Fri 10 July.
warr 2026-07-04T10:00 C-4001
expect_rc 0 "raise on a Saturday"
c=$id
ESC_NOW=2026-07-04T10:00 run show "$c" --json
expect_eq "$(dls)" "0:2026-07-10:open:None 1:2026-07-06:open:None" "stage 1 due Mon 6 July; case limit Fri 10 July"

ESC_NOW=2026-07-06T23:59 run show "$c" --json
expect_eq "$(py '[x["overdue"] for x in d["deadlines"] if x["stage"] == 1]')" "[False]" "not overdue at 23:59 on the due day"
ESC_NOW=2026-07-07T00:00 run show "$c" --json
expect_eq "$(py '[x["overdue"] for x in d["deadlines"] if x["stage"] == 1]')" "[True]" "overdue at midnight after the due day"
expect_eq "$(py '[x["overdue"] for x in d["deadlines"] if x["stage"] == 0]')" "[False]" "the case limit is not yet overdue"
ESC_NOW=2026-07-07T00:00 run list --overdue --ids
expect_eq "$out" "$c" "list --overdue"
# A conversation does not meet a deadline that names no record.
ESC_NOW=2026-07-06T09:00 run record "$c" --kind conversation --summary "Workers spoke"
ESC_NOW=2026-07-06T09:00 run show "$c" --json
expect_eq "$(dls)" "0:2026-07-10:open:None 1:2026-07-06:open:None" "a record does not close a deadline without met_by"

ESC_NOW=2026-07-06T15:00 run escalate "$c" --reason "Workers could not agree"
expect_rc 0 "escalate to stage 2 on Monday"
ESC_NOW=2026-07-06T15:00 run show "$c" --json
expect_eq "$(dls)" "0:2026-07-10:open:None 1:2026-07-06:done:False 2:2026-07-06:open:None" "stage 1 closed in time; stage 2 due the same day"
ESC_NOW=2026-07-06T15:00 run escalate "$c" --to 4 --reason "Policy issue"
expect_rc 65 "Warrington has no jumps"
ESC_NOW=2026-07-06T15:00 run pause "$c" --reason "Sickness"
expect_rc 65 "Warrington does not provide for pausing"

# Resolving on Tue 7 July, more than a day after raising on the Saturday: a
# delay reason and learning points are needed.
ESC_NOW=2026-07-07T11:00 run resolve "$c" --outcome "Conference to be convened" --learning "None"
expect_fail "a late resolution needs --delay-reason"
expect_err "--delay-reason" "the message names --delay-reason"
ESC_NOW=2026-07-07T11:00 run resolve "$c" --outcome "Conference to be convened" --delay-reason "Manager on leave"
expect_fail "resolution needs --learning"
expect_err "--learning" "the message names --learning"
ESC_NOW=2026-07-07T11:00 run show "$c" --json
expect_eq "$(py 'd["status"]')" "open" "still open"
ESC_NOW=2026-07-07T11:00 run resolve "$c" --outcome "Conference to be convened" --delay-reason "Manager on leave" \
  --learning "Escalate the same day" --agreed-by "Both managers"
expect_rc 0 "resolve with a delay reason and learning"
expect_out "owed: Refer the learning points to Warrington Safeguarding Children Board and Partnerships Manager" \
  "the learning referral is owed after resolving"
ESC_NOW=2026-07-07T11:00 run show "$c" --json
expect_eq "$(dls)" "0:2026-07-10:done:False 1:2026-07-06:done:False 2:2026-07-06:done:True" \
  "resolving closes stage 2 (late) and the case limit (in time)"
expect_eq "$(py '[d["resolution"]["delay_reason"], d["resolution"]["learning"]]')" "['Manager on leave', 'Escalate the same day']" "reasons kept"
ESC_NOW=2026-07-07T12:00 run escalate "$c" --reason "Came back"
expect_rc 65 "a resolved case cannot be escalated"

ESC_NOW=2026-07-07T12:00 run record "$c" --kind learning-referral --summary "Learning points sent to the Partnerships Manager"
expect_rc 0 "the learning points are referred"
expect_out "met: Refer the learning points" "the referral meets the duty"

# "Longer than a day" is time elapsed, weekends included: raised on a
# Saturday and resolved on the Monday needs a reason, though within one
# working day; raised on Monday at 09:00, resolved that afternoon, it does
# not.
warr 2026-07-04T11:00 C-4002
ESC_NOW=2026-07-06T16:00 run resolve "$id" --outcome "Agreed between workers" --learning "None"
expect_rc 64 "a delay reason is needed once a day has passed, weekend or not"
expect_err "--delay-reason" "the message names --delay-reason"
warr 2026-07-06T09:00 C-4006
ESC_NOW=2026-07-06T16:00 run resolve "$id" --outcome "Agreed between workers" --learning "None"
expect_rc 0 "no delay reason needed within the day"

# All four stages on Wed 8 July: each due the same day; stage 4 reports to
# the WSCB Chair; no stage after 4.
warr 2026-07-08T09:00 C-4003
w=$id
for s in 2 3 4; do
  ESC_NOW=2026-07-08T1$s:00 run escalate "$w" --reason "Not resolved"
  expect_rc 0 "escalate to stage $s"
done
expect_out "WSCB Chair" "stage 4 reports to the WSCB Chair"
ESC_NOW=2026-07-08T15:00 run show "$w" --json
expect_eq "$(dls)" "0:2026-07-15:open:None 1:2026-07-08:done:False 2:2026-07-08:done:False 3:2026-07-08:done:False 4:2026-07-08:open:None" \
  "each stage due the same working day; case limit Wed 15 July"
ESC_NOW=2026-07-08T15:00 run escalate "$w" --reason "More"
expect_rc 65 "no stage after 4"

# Raised on the Summer bank holiday (Mon 31 Aug 2026): same working day is
# Tue 1 Sep; the case limit 1, 2, 3, 4, 7 Sep -> Mon 7 Sep.
warr 2026-08-31T10:00 C-4004
ESC_NOW=2026-08-31T10:00 run show "$id" --json
expect_eq "$(dls)" "0:2026-09-07:open:None 1:2026-09-01:open:None" "raised on a bank holiday"

# A local copy of the policy that allows halting and extending: resuming
# moves the whole-case limit too; extending moves only the current stage's.
mkdir -p "$E2E_TMP/pol"
sed -e '/^\[pause\]/,/^$/s/allowed = false/allowed = true/' -e '/^\[extension\]/,/^$/s/allowed = false/allowed = true/' \
  "$ESC_SOURCE_DIR/policies/warrington.toml" >"$E2E_TMP/pol/warrington.toml"
export ESC_POLICY_PATH="$E2E_TMP/pol:$ESC_SOURCE_DIR/policies"
warr 2026-09-01T09:00 C-4005
h=$id
ESC_NOW=2026-09-01T09:00 run show "$h" --json
expect_eq "$(dls)" "0:2026-09-08:open:None 1:2026-09-01:open:None" "raised Tue 1 Sep: case limit Tue 8 Sep"
ESC_NOW=2026-09-01T11:00 run pause "$h" --reason "Meeting cancelled"
expect_rc 0 "the local copy allows pausing"
ESC_NOW=2026-09-03T10:00 run list --overdue --ids
expect_eq "$(printf '%s\n' "$out" | grep -cx "$h")" "0" "a paused case is not listed as overdue"
ESC_NOW=2026-09-03T11:00 run resume "$h"
ESC_NOW=2026-09-03T11:00 run show "$h" --json
expect_eq "$(dls)" "0:2026-09-10:open:None 1:2026-09-03:open:None" "halted Tue 1 to Thu 3 Sep: 2 working days added to both"
ESC_NOW=2026-09-03T12:00 run extend "$h" --days 1 --reason "Manager away" --agreed-by "Both managers"
ESC_NOW=2026-09-03T12:00 run show "$h" --json
expect_eq "$(dls)" "0:2026-09-10:open:None 1:2026-09-04:open:None" "extending moves the stage deadline, not the case limit"

# show, report and overdue give every deadline the same state.
expect_one_vocabulary 2026-01-05T12:00 2027-06-01T12:00

# show --json, the case report and the return agree on every duty, after the
# last step.
expect_duties_agree 2027-06-01T12:00
finish
