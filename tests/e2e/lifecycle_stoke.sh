# Stoke-on-Trent: a case through all five stages across Christmas 2026, the
# jump to stage 3, halting across a bank holiday, an extension, records that
# meet deadlines, corrections, immediate risk and -q.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# py EXPR: a Python expression over the JSON in $out (bound to d). The
# interpreter is found once: a version-manager shim costs a lot per call.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# The deadlines of the case in $out: "stage:due:state:late" each, in order.
dls() { py '" ".join("%s:%s:%s:%s" % (x["stage"], x["due"], "done" if x["done_at"] else "open", x["late"]) for x in d["deadlines"])'; }
expect_fail() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -ne 0 ] || fail "$1: exit 0, expected an error"
}
FORM="Professionals Concerns Resolutions Notifications and Outcomes Form"
RAISE=(raise --policy stoke-on-trent --category childs-plan --summary "Disagree about the child's plan"
  --raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care)

# --- All five stages across Christmas 2026 ---------------------------------
# Bank holidays: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027.
ESC_NOW=2026-12-23T10:00 run "${RAISE[@]}" --child-ref C-1001 --nhs "943 476 5919" --dob 2015-03-04 -q
expect_rc 0 "raise a Stoke case on Wed 23 Dec 2026"
expect_eq "$out" "1" "-q prints only the id"
c=$out
ESC_NOW=2026-12-23T10:00 run show "$c" --json
expect_eq "$(py '[d["id"], d["status"], d["stage"], d["policy"]]')" "[1, 'open', 1, 'stoke-on-trent']" "a new case is open at stage 1"
expect_eq "$(dls)" "1:2026-12-24:open:None" "stage 1: 1 working day after Wed 23 Dec is Thu 24 Dec"
expect_eq "$(py '[d["child"]["nhs"], d["child"]["ref"]]')" "['9434765919', 'C-1001']" "the child is stored"

ESC_NOW=2026-12-24T23:30 run record "$c" --kind conversation --summary "Spoke on the phone" --channel phone
expect_rc 0 "a conversation late on the due day"
ESC_NOW=2026-12-24T23:40 run escalate "$c" --reason "No agreement between practitioners"
expect_rc 0 "escalate to stage 2 on Christmas Eve"
expect_not_out "$FORM" "no partnership form at stage 2"
ESC_NOW=2026-12-24T23:40 run show "$c" --json
expect_eq "$(py 'd["stage"]')" "2" "now at stage 2"
expect_eq "$(dls)" "1:2026-12-24:done:False 2:2026-12-29:open:None" \
  "conversation met on the due day; stage 2 due Tue 29 Dec (25, 26, 27, 28 skipped)"

ESC_NOW=2026-12-30T09:00 run record "$c" --kind conversation --summary "Managers spoke"
ESC_NOW=2026-12-30T09:00 run show "$c" --json
expect_eq "$(py 'd["deadlines"][1]["late"]')" "True" "a conversation the day after the due day is late"
ESC_NOW=2026-12-30T10:00 run escalate "$c" --reason "Managers could not agree"
expect_rc 0 "escalate to stage 3 on Wed 30 Dec"
expect_out "$FORM" "stage 3 names the partnership form"
ESC_NOW=2026-12-30T10:00 run show "$c" --json
expect_eq "$(py '" ".join(x["due"] for x in d["deadlines"] if x["stage"] == 3)')" "2026-12-31 2027-01-04 2027-01-04" \
  "stage 3: 1, 2, 2 working days from Wed 30 Dec (New Year's Day skipped)"

ESC_NOW=2026-12-30T11:00 run record "$c" --kind notification --to partnership --form pcrno --channel email \
  --summary "Stage 3 notified to SoTSCP"
expect_out "met: Notify SoTSCP for assurance and oversight" "the form sent to the partnership meets stage 3's notification"
ESC_NOW=2026-12-31T12:00 run record "$c" --kind conversation --summary "Heads of service spoke"
ESC_NOW=2027-01-04T15:00 run record "$c" --kind meeting --summary "Meeting held"
ESC_NOW=2027-01-05T09:00 run escalate "$c" --reason "Meeting did not resolve it"
expect_rc 0 "escalate to stage 4 on Tue 5 Jan 2027"
expect_out "$FORM" "stage 4 names the partnership form"
ESC_NOW=2027-01-05T09:00 run show "$c" --json
expect_eq "$(py '" ".join("%s:%s" % (x["due"], x["late"]) for x in d["deadlines"] if x["stage"] == 3)')" \
  "2026-12-31:False 2027-01-04:False 2027-01-04:True" "stage 3: two met in time, the unrecorded decision closed late by escalation"
expect_eq "$(py 'all(x["done_at"] for x in d["deadlines"] if x["stage"] == 3)')" "True" "leaving stage 3 closes its deadlines"
expect_eq "$(py '[x["due"] for x in d["deadlines"] if x["stage"] == 4]')" "['2027-01-12']" "stage 4: 5 working days from Tue 5 Jan"

ESC_NOW=2027-01-13T09:00 run escalate "$c" --reason "Senior leaders could not agree"
expect_rc 0 "escalate to stage 5"
expect_out "$FORM" "stage 5 names the partnership form"
ESC_NOW=2027-01-13T09:00 run show "$c" --json
expect_eq "$(py '[(x["due"], x["late"]) for x in d["deadlines"] if x["stage"] >= 4]')" "[('2027-01-12', True), ('2027-01-15', None)]" \
  "stage 4 closed late; stage 5 due 2 working days after Wed 13 Jan"
ESC_NOW=2027-01-14T09:00 run record "$c" --kind notification --to partnership --form pcrno --channel email \
  --summary "Form sent to SoTSCP"
expect_out "met: Refer to SoTSCP using the Professionals Concerns Resolutions Notifications and Outcomes Form" \
  "the referral with the form meets stage 5's notification too"
ESC_NOW=2027-01-14T09:00 run show "$c" --json
expect_eq "$(py 'd["deadlines"][-1]["late"]')" "False" "a notification meets the stage 5 referral"
ESC_NOW=2027-01-14T09:00 run escalate "$c" --reason "more"
expect_rc 65 "no stage after 5"
ESC_NOW=2027-01-15T09:00 run resolve "$c" --outcome "Plan agreed by all" --agreed-by "Both agencies"
expect_rc 0 "resolve at stage 5"
ESC_NOW=2027-01-15T09:00 run show "$c" --json
expect_eq "$(py '[d["status"], d["stage"]]')" "['resolved', 5]" "resolved at stage 5"
ESC_NOW=2027-01-15T10:00 run escalate "$c" --reason "It came back"
expect_rc 65 "a resolved case cannot be escalated"
ESC_NOW=2027-01-15T10:00 run show "$c" --json
expect_eq "$(py 'd["status"]')" "resolved" "still resolved after the refused escalation"

# --- Jump from stage 1 to stage 3 ----------------------------------------
ESC_NOW=2026-06-01T09:00 run "${RAISE[@]}" --child-ref C-1002 -q
j=$out
ESC_NOW=2026-06-01T11:00 run escalate "$j" --to 3 --reason "Serious: straight to heads of service"
expect_rc 0 "Stoke allows 1 -> 3"
expect_out "$FORM" "the jump names the partnership form"
ESC_NOW=2026-06-01T11:00 run show "$j" --json
expect_eq "$(py 'd["stage"]')" "3" "at stage 3 after the jump"
expect_eq "$(dls)" "1:2026-06-02:done:False 3:2026-06-02:open:None 3:2026-06-03:open:None 3:2026-06-03:open:None" \
  "stage 1 closed; stage 3 counted from Mon 1 Jun; no stage 2 deadline"
ESC_NOW=2026-06-01T11:00 run escalate "$j" --to 5 --reason "x"
expect_rc 65 "no jump from 3 to 5"
ESC_NOW=2026-06-02T09:00 run record "$j" --kind meeting --summary "Met early"
ESC_NOW=2026-06-02T09:00 run show "$j" --json
expect_eq "$(dls)" "1:2026-06-02:done:False 3:2026-06-02:open:None 3:2026-06-03:done:False 3:2026-06-03:open:None" \
  "a meeting meets the meeting deadline only"

# --- Halted across the summer bank holiday, then extended ----------------
# Fri 28 Aug is a working day, Mon 31 Aug the Summer bank holiday: halted on
# the 28th and resumed on Tue 1 Sep loses 1 working day.
ESC_NOW=2026-08-27T10:00 run "${RAISE[@]}" --child-ref C-1003 -q
p=$out
ESC_NOW=2026-08-27T11:00 run escalate "$p" --to 3 --reason "Serious"
ESC_NOW=2026-08-27T11:00 run show "$p" --json
expect_eq "$(py '[x["due"] for x in d["deadlines"] if x["stage"] == 3]')" "['2026-08-28', '2026-09-01', '2026-09-01']" "stage 3 from Thu 27 Aug"
ESC_NOW=2026-08-28T16:00 run pause "$p"
expect_rc 64 "halting needs a reason"
ESC_NOW=2026-08-28T16:00 run pause "$p" --reason "Head of service off sick"
expect_rc 0 "halt on Fri 28 Aug"
ESC_NOW=2026-09-01T08:00 run show "$p" --json
expect_eq "$(py 'd["status"]')" "paused" "status paused"
expect_eq "$(py '[x["overdue"] for x in d["deadlines"]]')" "[False, False, False, False]" "nothing overdue while halted"
ESC_NOW=2026-09-01T08:00 run escalate "$p" --reason "x"
expect_rc 65 "a halted case cannot be escalated"
ESC_NOW=2026-09-01T09:00 run resume "$p"
expect_rc 0 "resume on Tue 1 Sep"
ESC_NOW=2026-09-01T09:00 run show "$p" --json
expect_eq "$(py 'd["status"]')" "open" "open again"
expect_eq "$(py '[x["due"] for x in d["deadlines"] if x["stage"] == 3]')" "['2026-09-01', '2026-09-02', '2026-09-02']" \
  "resume moves each open deadline on by 1 working day"
ESC_NOW=2026-09-01T09:00 run resume "$p"
expect_rc 65 "an open case cannot be resumed"
ESC_NOW=2026-09-02T09:00 run show "$p" --json
expect_eq "$(py '[x["overdue"] for x in d["deadlines"] if x["stage"] == 3]')" "[True, False, False]" "overdue the day after due, not on the due day"
ESC_NOW=2026-09-02T09:30 run record "$p" --kind conversation --summary "Spoke at last"
ESC_NOW=2026-09-02T10:00 run extend "$p" --days 2 --reason "Meeting needs more notice"
expect_rc 64 "Stoke's extension needs --agreed-by"
ESC_NOW=2026-09-02T10:00 run show "$p" --json
expect_eq "$(py '[x["due"] for x in d["deadlines"] if x["stage"] == 3]')" "['2026-09-01', '2026-09-02', '2026-09-02']" "a refused extension changes nothing"
ESC_NOW=2026-09-02T10:00 run extend "$p" --days 2 --reason "Meeting needs more notice" --agreed-by "Both heads of service"
expect_rc 0 "extend by 2 working days"
ESC_NOW=2026-09-02T10:00 run show "$p" --json
expect_eq "$(dls)" "1:2026-08-28:done:False 3:2026-09-01:done:True 3:2026-09-04:open:None 3:2026-09-04:open:None" \
  "the met deadline stays; the open ones move from Wed 2 to Fri 4 Sep"
ESC_NOW=2026-09-02T10:00 run show "$p" --explain
expect_out "Summer bank holiday" "--explain names the bank holiday skipped"
expect_out "+2 working days" "--explain shows the extension"
expect_out "halted on Fri 2026-08-28, resumed on Tue 2026-09-01: +1 working day" "--explain dates the halt (28 Aug) and the resumption (1 Sep)"

# A record entered late but dated --at the due day is in time.
ESC_NOW=2026-07-06T09:00 run "${RAISE[@]}" --child-ref C-1006 -q
a=$out
ESC_NOW=2026-07-09T09:00 run record "$a" --kind conversation --summary "Spoke on Tuesday" --at 2026-07-07T16:00
expect_rc 0 "a record dated in the past"
ESC_NOW=2026-07-09T09:00 run show "$a" --json
expect_eq "$(dls)" "1:2026-07-07:done:False" "late is judged by --at, not by when it was entered"

# Halted on a Saturday, resumed after the bank holiday: no working day lost.
ESC_NOW=2026-08-28T10:00 run "${RAISE[@]}" --child-ref C-1004 -q
s=$out
ESC_NOW=2026-08-29T10:00 run pause "$s" --reason "Meeting cancelled"
ESC_NOW=2026-09-01T09:00 run resume "$s"
ESC_NOW=2026-09-01T09:00 run show "$s" --json
expect_eq "$(dls)" "1:2026-09-01:open:None" "halted Sat 29 Aug to Tue 1 Sep: due date unchanged"

# --- Immediate risk, and corrections -------------------------------------
ESC_NOW=2026-10-05T09:00 run "${RAISE[@]}" --child-ref C-1005 --risk immediate -q
expect_rc 0 "immediate risk still raises the case"
expect_err "IMMEDIATE RISK" "the emergency instruction is on stderr"
expect_err "Integrated Front Door" "the emergency instruction names the IFD"
expect_err "01782 235100" "and its number"
expect_eq "$(printf '%s' "$out" | grep -Ec '^[0-9]+$'),$(printf '%s\n' "$out" | wc -l)" "1,1" "-q with immediate risk: stdout is only the id"
r=$out
ESC_NOW=2026-10-05T09:00 run show "$r" --json
expect_eq "$(py 'd["risk"]')" "immediate" "the risk is recorded"

ESC_NOW=2026-10-05T10:00 run record "$r" --kind note --summary "Child seen at school on Friday" -q
expect_eq "$(printf '%s' "$out" | grep -Ec '^[0-9]+$')" "1" "record -q prints only the record id"
n=$out
ESC_NOW=2026-10-05T11:00 run record "$r" --kind correction --corrects "$n" --summary "Child seen at school on Thursday" -q
expect_rc 0 "a correction"
expect_eq "$out" "$((n + 1))" "the correction is a new record"
ESC_NOW=2026-10-05T11:00 run show "$r" --json
expect_eq "$(py '[(x["id"] - '"$n"', x["kind"], x["summary"], x["corrects"]) for x in d["records"]]')" \
  "[(0, 'note', 'Child seen at school on Friday', None), (1, 'correction', 'Child seen at school on Thursday', $n)]" \
  "the original record is unchanged"
ESC_NOW=2026-10-05T11:00 run log "$r"
expect_out "Child seen at school on Friday" "the log keeps the original"
expect_out "corrects #$n" "the log shows what the correction corrects"

# show, report and overdue give every deadline the same state.
expect_one_vocabulary 2026-01-05T12:00 2027-06-01T12:00

# show --json, the case report and the return agree on every duty, after the
# last step.
expect_duties_agree 2027-06-01T12:00
finish
