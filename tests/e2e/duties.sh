# Duties end to end: each finding of the seeds' clause-by-clause reading,
# driven through the binary with its own example. Partnership notifications,
# in writing, untimed duties, the delay reason, agreed actions, Sefton's
# steps, the words shown, immediate risk and late entries.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# duty KEY FIELD: FIELD of the duty KEY in the case JSON in $out.
duty() { py "[x['$2'] for x in d['duties'] if x['key'] == '$1']"; }
# raise POLICY CHILD [ARGS...]: raises a case, leaving its id in $c.
raise() {
  local policy=$1 child=$2
  shift 2
  local category=other
  [ "$policy" = stoke-on-trent ] && category=childs-plan
  run raise --policy "$policy" --category "$category" --summary "Disagree about the plan" \
    --raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school \
    --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care \
    --child-ref "$child" -q "$@"
  expect_rc 0 "raise a $policy case"
  c=$out
}
NOTIFY_STOKE="Notify SoTSCP for assurance and oversight using the Professionals Concerns Resolutions Notifications and Outcomes Form"

# --- 1. Partnership notifications are tracked until made ----------------------
# Stoke stage 3: "SoTSCP must also be notified ... using the Professionals
# Concerns Resolutions Notifications and Outcomes Form".
ESC_NOW=2026-12-01T09:00 raise stoke-on-trent S-1
s=$c
ESC_NOW=2026-12-01T10:00 run escalate "$s" --to 3 --reason "Urgent: the child's plan is not safe"
expect_rc 0 "jump to stage 3"
ESC_NOW=2026-12-01T10:00 run show "$s" --json
expect_eq "$(duty s3.r0 state)" "['open']" "the stage 3 notification is an open duty"
expect_eq "$(duty s3.r0 due)" "[None]" "with no date"
expect_eq "$(duty s3.r0 form)" "['pcrno']" "naming its form"
ESC_NOW=2026-12-01T10:00 run show "$s"
expect_out "$NOTIFY_STOKE: no date: without delay" "show lists the notification"
expect_out "met by a notification to the partnership sending the form pcrno" "show says what meets it"
ESC_NOW=2026-12-01T10:00 run due
expect_out "owed: no date: without delay  [stage 3] $NOTIFY_STOKE" "due lists the notification"
ESC_NOW=2026-12-01T10:00 run remind
expect_out "  - $NOTIFY_STOKE
    owed now, without delay (since Tue 2026-12-01)
    [stage 3, duty s3.r0]" "remind lists the notification"
ESC_NOW=2026-12-09T10:00 run overdue
expect_not_out "$NOTIFY_STOKE" "an untimed notification is never overdue"
ESC_NOW=2026-12-01T10:00 run report "$s"
expect_out "partnership: NOT notified" "the report says the partnership was not notified"
expect_not_out "is notified at this stage" "and does not claim it is"
ESC_NOW=2026-12-01T11:00 run record "$s" --kind notification --to partnership --channel email --summary "Told SoTSCP"
expect_rc 0 "a notification without the form is recorded"
expect_err "not met: $NOTIFY_STOKE: it is met only by sending the form pcrno (--form pcrno)" "but does not meet a duty naming the form"
ESC_NOW=2026-12-01T11:05 run record "$s" --kind notification --to "Head of Service" --form pcrno --channel email --summary "Form to a manager"
expect_err "it is met only by a notification to the partnership" "a notification to someone else does not meet it"
ESC_NOW=2026-12-01T11:10 run record "$s" --kind notification --to partnership --form pcrno --channel email --summary "Form sent to SoTSCP" -q
expect_rc 0 "the form sent to the partnership"
n=$out
ESC_NOW=2026-12-01T11:10 run show "$s" --json
expect_eq "$(duty s3.r0 state)" "['met']" "the notification is met"
expect_eq "$(duty s3.r0 record)" "[$n]" "by that record"
ESC_NOW=2026-12-01T11:10 run report "$s"
expect_out "partnership: notified 2026-12-01 (record #$n), form pcrno" "the report names the record and the form"
ESC_NOW=2026-12-01T11:10 run due
expect_not_out "$NOTIFY_STOKE" "due no longer lists it"

# The other seeds' partnership duties exist: Sefton step 3, Warrington's
# report to the Chair, Birmingham stage 5's referral.
ESC_NOW=2026-12-01T09:00 raise sefton F-1
ESC_NOW=2026-12-01T10:00 run escalate "$c" --to 3 --reason "Urgent"
[ "$rc" -eq 0 ] || { ESC_NOW=2026-12-01T10:00 run escalate "$c" --reason "No agreement"; ESC_NOW=2026-12-01T10:00 run escalate "$c" --reason "No agreement"; }
ESC_NOW=2026-12-01T10:00 run show "$c" --json
expect_eq "$(py '[x["form"] for x in d["duties"] if x["stage"] == 3 and x["to"] == "partnership" and x["state"] == "open"]')" \
  "['report-to-sscp']" "Sefton step 3 owes the Report to SSCP"
ESC_NOW=2026-12-01T09:00 raise warrington W-1
for i in 1 2 3; do ESC_NOW=2026-12-01T10:00 run escalate "$c" --reason "No agreement"; done
ESC_NOW=2026-12-01T10:00 run show "$c" --json
expect_eq "$(py 'len([x for x in d["duties"] if x["to"] == "partnership" and x["state"] == "open"]) > 0')" "True" \
  "Warrington owes a report to the partnership"
ESC_NOW=2026-12-01T09:00 raise birmingham B-1
for i in 1 2 3 4; do ESC_NOW=2026-12-01T10:00 run escalate "$c" --reason "No agreement"; done
ESC_NOW=2026-12-01T10:00 run show "$c" --json
expect_eq "$(py 'd["stage"]')" "5" "Birmingham stage 5"
expect_eq "$(py 'len([x for x in d["duties"] if x["stage"] == 5 and x["to"] == "partnership" and x["state"] == "open"]) > 0')" "True" \
  "Birmingham stage 5 owes the referral to the partnership"

# --- 2. In writing is enforced -------------------------------------------------
# Stoke stage 3: the decision "communicated ... in writing within two working days".
ESC_NOW=2026-12-02T10:00 run record "$s" --kind decision --channel phone --summary "Decision given by phone"
expect_rc 0 "a decision by phone is recorded"
expect_err "not met: Communicate the decision in writing to relevant personnel in each agency: it must be in writing (email, letter or a form sent), not by phone" \
  "but does not meet the in-writing duty"
ESC_NOW=2026-12-02T10:00 run show "$s" --json
expect_eq "$(duty s3.d2 state)" "['open']" "the in-writing decision is still open"
ESC_NOW=2026-12-02T11:00 run record "$s" --kind decision --channel email --summary "Decision sent by email"
expect_out "met: Communicate the decision in writing to relevant personnel in each agency (due 2026-12-03)" "an email meets it"
ESC_NOW=2026-12-02T11:00 run show "$s" --json
expect_eq "$(duty s3.d2 state)" "['met']" "met in writing"

# --- 3. Duties with no timer: feedback, informing in writing, learning ----------
expect_eq "$(duty s3.e0 state)" "['open']" "Stoke: feedback to the raiser is owed at stage 3"
ESC_NOW=2026-12-02T12:00 run record "$s" --kind feedback --channel email --summary "Fed back to Ann"
expect_out "met: Give feedback to the practitioner who raised the original concern" "a feedback record meets it"
ESC_NOW=2026-12-01T09:00 raise stoke-on-trent S-2
ESC_NOW=2026-12-01T09:00 run show "$c" --json
expect_eq "$(duty s1.r0 state)" "['open']" "Stoke stage 1: inform the Lead Professional / IRO / Chair in writing"
expect_eq "$(duty s1.r0 in_writing)" "[True]" "in writing"
ESC_NOW=2026-12-01T09:30 run record "$c" --kind notification --to IRO --channel phone --summary "Rang the IRO"
expect_err "not by phone" "a phone call does not inform in writing"
ESC_NOW=2026-12-04T09:00 run due
expect_out "owed: no date: without delay  [stage 1] Give feedback to the practitioner who raised the original concern" \
  "due still lists an untimed duty days after it arose"
ESC_NOW=2026-12-01T09:40 run record "$c" --kind notification --to IRO --channel email --summary "Emailed the IRO"
expect_out "met: Where there is a Lead Professional / IRO / Chair of multi-agency meeting, inform them in writing" "an email does"
for p in birmingham generic; do
  ESC_NOW=2026-12-01T09:00 raise "$p" "${p:0:1}-2"
  ESC_NOW=2026-12-01T09:00 run show "$c" --json
  expect_eq "$(py 'sorted(set(x["kind"] for x in d["duties"] if x["stage"] == 1 and x["state"] == "open"))' | grep -c feedback)" "1" \
    "$p: feedback owed at stage 1"
  ESC_NOW=2026-12-01T10:00 run escalate "$c" --reason "No agreement"
  ESC_NOW=2026-12-01T10:00 run show "$c" --json
  expect_eq "$(py 'len([x for x in d["duties"] if x["stage"] == 2 and x["kind"] == "feedback" and x["state"] == "open"])')" "1" \
    "$p: and again at stage 2"
done
# Warrington: "any learning points should be identified and referred to the
# Warrington Safeguarding Children Board and Partnerships Manager".
ESC_NOW=2026-12-01T09:00 raise warrington W-2
ESC_NOW=2026-12-01T11:00 run resolve "$c" --outcome "Agreed" --learning "Phone first" --agreed-by "Both workers"
expect_rc 0 "resolve a Warrington case the same day"
expect_out "owed: Refer the learning points to Warrington Safeguarding Children Board and Partnerships Manager" \
  "resolving makes the learning referral owed"
ESC_NOW=2026-12-01T11:00 run due
expect_out "[after resolution] Refer the learning points" "due lists it"
ESC_NOW=2026-12-01T12:00 run record "$c" --kind learning-referral --channel email --summary "Sent to the WSCB"
expect_out "met: Refer the learning points" "a learning-referral record meets it"

# --- 4. Warrington's delay reason is owed once the case runs past a day --------
# Raised Mon 7 Dec 09:00: "If the matter takes longer than a day to resolve,
# the reasons for this should be recorded".
ESC_NOW=2026-12-07T09:00 raise warrington W-3
w=$c
ESC_NOW=2026-12-07T17:00 run show "$w" --json
expect_eq "$(duty delay state)" "[]" "no delay reason owed on the first day"
ESC_NOW=2026-12-08T10:00 run show "$w" --json
expect_eq "$(duty delay state)" "['open']" "owed once the case has run past a day"
ESC_NOW=2026-12-08T10:00 run due
expect_out "[whole case] Record the reason for the delay in resolving" "due lists the delay reason"
ESC_NOW=2026-12-08T16:00 run resolve "$w" --outcome "Agreed" --learning "None" --agreed-by "Both workers"
expect_rc 64 "resolving on Tue 16:00 needs a delay reason"
expect_err "took longer than a day to resolve" "and says why"
ESC_NOW=2026-12-08T16:00 run resolve "$w" --outcome "Agreed" --learning "None" --agreed-by "Both workers" --delay-reason "Waiting for the head"
expect_rc 0 "resolve --delay-reason still works"
ESC_NOW=2026-12-08T16:00 run show "$w" --json
expect_eq "$(duty delay state)" "['met']" "the reason given on resolving meets the duty"
ESC_NOW=2026-12-07T09:00 raise warrington W-4
ESC_NOW=2026-12-09T09:00 run record "$c" --kind delay-reason --summary "Worker on leave"
expect_out "met: Record the reason for the delay in resolving" "a delay-reason record meets it"
ESC_NOW=2026-12-09T10:00 run resolve "$c" --outcome "Agreed" --learning "None" --agreed-by "Both workers"
expect_rc 0 "then resolving needs no --delay-reason"

# --- 5. Agreed actions are tracked --------------------------------------------
ESC_NOW=2026-12-01T09:00 raise generic G-5
ESC_NOW=2026-12-01T10:00 run record "$c" --kind plan --action "Joint visit" --due 2026-12-03 --summary "Agreed a joint visit"
expect_rc 0 "a plan with an agreed action"
ESC_NOW=2026-12-01T10:00 run show "$c" --json
a=$(py '[x["key"] for x in d["duties"] if x["action"] == "Joint visit"][0]')
expect_eq "$(duty "$a" due)" "['2026-12-03']" "the action is due on the date agreed"
ESC_NOW=2026-12-02T09:00 run due
expect_out "due Thu 2026-12-03  [whole case] Joint visit" "due lists the action"
ESC_NOW=2026-12-02T09:00 run remind
expect_out "Joint visit" "remind lists the action"
ESC_NOW=2026-12-04T09:00 run overdue
expect_out "OVERDUE 1 working day: due Thu 2026-12-03  [whole case] Joint visit" "overdue lists it the day after"
ESC_NOW=2026-12-04T10:00 run record "$c" --kind conversation --duty "$a" --summary "Visited together"
expect_out "met: Joint visit" "a record naming the action meets it"
ESC_NOW=2026-12-04T10:00 run show "$c" --json
expect_eq "$(duty "$a" state)" "['met late']" "met a day late"
# An action agreed in the outcome, or still open when the case is resolved,
# is owed after the resolution.
ESC_NOW=2026-12-04T11:00 run record "$c" --kind plan --action "Review the plan together" --due 2026-12-10 --summary "Agreed a review"
ESC_NOW=2026-12-04T12:00 run resolve "$c" --outcome "Agreed a plan"
expect_rc 0 "resolve with an agreed action open"
expect_out "owed: Review the plan together (by 2026-12-10)" "resolving says the action is still owed"
ESC_NOW=2026-12-04T12:00 run record "$c" --kind note --action "Send the minutes" --due 2026-12-07 --summary "Minutes to follow" -q
m=a$out
ESC_NOW=2026-12-08T09:00 run overdue
expect_out "[after resolution] Send the minutes" "an action agreed after resolving is overdue the day after"
ESC_NOW=2026-12-08T09:00 run due --within 2
expect_out "[after resolution] Review the plan together" "the action open at resolution is still due"
ESC_NOW=2026-12-08T09:30 run record "$c" --kind note --duty "$m" --summary "Minutes sent"
expect_rc 0 "a record naming the action after resolving"
expect_out "met: Send the minutes" "meets it"

# --- 6. Sefton: learning points and the step 4 outcome report ------------------
ESC_NOW=2026-12-01T09:00 raise sefton F-6
ESC_NOW=2026-12-01T11:00 run resolve "$c" --outcome "Agreed between us"
expect_rc 0 "Sefton step 1 resolves without learning points"
ESC_NOW=2026-12-01T09:00 raise sefton F-7
f=$c
for i in 1 2 3; do ESC_NOW=2026-12-01T10:00 run escalate "$f" --reason "No agreement"; done
ESC_NOW=2026-12-01T10:00 run show "$f" --json
expect_eq "$(py 'd["stage"]')" "4" "Sefton step 4"
expect_eq "$(py '[x["key"] for x in d["duties"] if x["action"].startswith("Report the outcome of the SSCP meeting")]')" "[]" \
  "no outcome report before the meeting"
ESC_NOW=2026-12-03T10:00 run resolve "$f" --outcome "Meeting decided" --learning "Meet sooner" --agreed-by "SSCP chair"
expect_rc 0 "resolve at step 4"
ESC_NOW=2026-12-03T10:00 run show "$f" --json
expect_eq "$(py '[x["state"] for x in d["duties"] if x["action"].startswith("Report the outcome of the SSCP meeting")]')" "['open']" \
  "the outcome report is owed after the meeting resolves the case"

# --- 9. The words shown -------------------------------------------------------
# Halted on Wed 30 Dec 2026, resumed Mon 4 Jan 2027: --explain names both days.
ESC_NOW=2026-12-29T09:00 raise stoke-on-trent S-9
ESC_NOW=2026-12-30T10:00 run pause "$c" --reason "Head of Service away"
ESC_NOW=2027-01-04T09:00 run resume "$c" --reason "Head of Service back"
ESC_NOW=2027-01-04T09:00 run show "$c" --explain
expect_out "halted on Wed 2026-12-30, resumed on Mon 2027-01-04" "--explain dates the halt and the resumption"
ESC_NOW=2026-12-05T09:00 raise warrington W-9
ESC_NOW=2026-12-05T09:00 run show "$c" --explain
expect_out "on the same working day, due Mon 2026-12-07" "Warrington's same working day from a Saturday is Monday"
expect_not_out "within same working day" "not 'within same working day'"
ESC_NOW=2026-12-01T09:00 raise birmingham B-9
ESC_NOW=2026-12-01T09:00 run show "$c"
expect_out "Resolve the disagreement: due Tue 2026-12-08
      met by resolving the case" "the whole-case limit is met by resolving the case"
expect_not_out "met by leaving the stage" "not 'by leaving the stage'"
for p in sefton generic; do
  ESC_NOW=2026-12-01T09:00 raise "$p" "R-$p" --risk immediate
  expect_err "call the police on 999" "$p: immediate risk says to call 999"
  expect_err "children's social care front door" "$p: otherwise the front door"
done

# --- 10. Late entry is visible ------------------------------------------------
ESC_NOW=2026-12-01T09:00 raise stoke-on-trent S-10
ESC_NOW=2026-12-08T10:00 run record "$c" --kind feedback --channel email --summary "Told Ann" --at 2026-12-02T10:00 -q
r=$out
ESC_NOW=2026-12-08T10:00 run show "$c"
expect_out "met on Wed 2026-12-02, entered Tue 2026-12-08" "show: the duty was met by a late entry"
expect_out "entered late: entered 2026-12-08T10:00" "show: the record's two times"
ESC_NOW=2026-12-08T10:00 run log "$c"
expect_out "Told Ann [entered late: 2026-12-08T10:00" "log: both times"
ESC_NOW=2026-12-08T10:00 run log "$c" --json
expect_eq "$(py '[(x["at"][:10], x["entered_at"][:10], x["entered_late"]) for x in d if x["record"] == '"$r"']')" \
  "[('2026-12-02', '2026-12-08', True)]" "log --json: both times"
ESC_NOW=2026-12-08T10:00 run report "$c"
expect_out "met on 2026-12-02, entered 2026-12-08" "report: the duty met by a late entry"
ESC_NOW=2026-12-08T10:00 run show "$c" --json
expect_eq "$(duty s1.e0 entered_late)" "[True]" "show --json flags it"
ESC_NOW=2026-12-08T10:00 run report "$c" --json
expect_eq "$(py '[(x["at"][:10], x["entered_at"][:10]) for x in d["chronology"] if x["record"] == '"$r"']')" \
  "[('2026-12-02', '2026-12-08')]" "report --json: both times"

finish
