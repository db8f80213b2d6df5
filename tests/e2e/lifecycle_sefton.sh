# Sefton: four steps due 2, 4, 6 and 11 working days from raising, across
# Easter 2026; no jumps; e-mail discouraged; the meeting's outcome reported
# to the SSCP at step 4; learning points optional.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# py EXPR: a Python expression over the JSON in $out (bound to d). The
# interpreter is found once: a version-manager shim costs a lot per call.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
dls() { py '" ".join("%s:%s:%s:%s" % (x["stage"], x["due"], "done" if x["done_at"] else "open", x["late"]) for x in d["deadlines"])'; }
expect_fail() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -ne 0 ] || fail "$1: exit 0, expected an error"
}
RAISE=(raise --policy sefton --category other --summary "Whether the referral meets the threshold"
  --raiser "Cara Invent" --raiser-agency "Seaview High" --raiser-agency-type school
  --counterpart "Dev Madeup" --counterpart-agency "Community Health" --counterpart-agency-type health)

# Working days after Wed 1 Apr 2026 (Good Friday 3 Apr and Easter Monday 6
# Apr skipped): 1 Thu 2, 2 Tue 7, 3 Wed 8, 4 Thu 9, 5 Fri 10, 6 Mon 13,
# 7 Tue 14, 8 Wed 15, 9 Thu 16, 10 Fri 17, 11 Mon 20.
ESC_NOW=2026-04-01T10:00 run "${RAISE[@]}" --child-ref C-2001 -q
expect_rc 0 "raise a Sefton case on Wed 1 Apr 2026"
c=$out
ESC_NOW=2026-04-01T10:00 run show "$c" --json
expect_eq "$(dls)" "1:2026-04-07:open:None" "step 1: 2 working days after 1 Apr is Tue 7 Apr"
expect_eq "$(py 'd["raised_at"]')" "2026-04-01T10:00:00+01:00" "raised in BST"

# No jump from step 1 to step 3: refused, nothing changed.
before=$out
ESC_NOW=2026-04-02T09:00 run escalate "$c" --to 3 --reason "Urgent"
expect_rc 65 "Sefton has no jumps"
expect_err "nothing was changed" "the refusal says nothing changed"
ESC_NOW=2026-04-01T10:00 run show "$c" --json
expect_eq "$out" "$before" "the case is exactly as before the refused jump"

# E-mail is discouraged: a warning, but the record is kept and meets step 1.
ESC_NOW=2026-04-02T09:30 run record "$c" --kind plan --summary "Plan agreed by e-mail" --channel email
expect_rc 0 "an e-mailed plan is recorded"
expect_err "warning" "e-mail gives a warning"
expect_err "e-mail is not recommended" "the warning quotes the policy"
ESC_NOW=2026-04-02T09:30 run show "$c" --json
expect_eq "$(py '[(x["kind"], x["channel"]) for x in d["records"]]')" "[('plan', 'email')]" "the e-mail record is stored"
expect_eq "$(dls)" "1:2026-04-07:done:False" "the plan meets step 1"

ESC_NOW=2026-04-08T10:00 run escalate "$c" --reason "The plan was not followed"
expect_rc 0 "escalate to step 2"
expect_out "Agency Escalation Summary Log" "step 2 asks for the summary log"
ESC_NOW=2026-04-08T10:00 run show "$c" --json
expect_eq "$(py '[d["stage"], d["deadlines"][-1]["start"], d["deadlines"][-1]["due"]]')" "[2, '2026-04-01', '2026-04-09']" \
  "step 2 counts 4 working days from raising, not from the step's start"

# Overdue: not on the due day, yes the day after.
ESC_NOW=2026-04-09T23:59 run show "$c" --json
expect_eq "$(py 'd["deadlines"][-1]["overdue"]')" "False" "not overdue at the end of the due day"
ESC_NOW=2026-04-10T00:01 run show "$c" --json
expect_eq "$(py 'd["deadlines"][-1]["overdue"]')" "True" "overdue just after midnight on the next day"
ESC_NOW=2026-04-10T00:01 run list --overdue --ids
expect_eq "$out" "$c" "list --overdue shows the case"
ESC_NOW=2026-04-09T12:00 run list --overdue --ids
expect_eq "$out" "" "list --overdue is empty on the due day"

ESC_NOW=2026-04-10T09:00 run escalate "$c" --reason "Managers did not agree"
expect_rc 0 "escalate to step 3"
expect_out "Report to SSCP" "step 3 reports to the SSCP"
ESC_NOW=2026-04-10T09:00 run show "$c" --json
expect_eq "$(dls)" "1:2026-04-07:done:False 2:2026-04-09:done:True 3:2026-04-13:open:None" \
  "step 2 closed late by escalating; step 3 due Mon 13 Apr (6 working days)"
ESC_NOW=2026-04-13T22:00 run record "$c" --kind plan --summary "Heads of service agreed a plan"
ESC_NOW=2026-04-14T09:00 run escalate "$c" --to 4 --reason "Urgent resolution required"
expect_rc 0 "--to the next step is allowed"
ESC_NOW=2026-04-14T09:00 run show "$c" --json
expect_eq "$(dls)" "1:2026-04-07:done:False 2:2026-04-09:done:True 3:2026-04-13:done:False 4:2026-04-20:open:None" \
  "plan at 22:00 on the due day is in time; step 4 due Mon 20 Apr (11 working days)"
ESC_NOW=2026-04-15T09:00 run escalate "$c" --reason "More"
expect_rc 65 "no step after 4"
ESC_NOW=2026-04-20T16:00 run record "$c" --kind decision --summary "Final and binding decision"
ESC_NOW=2026-04-20T16:00 run show "$c" --json
expect_eq "$(py 'd["deadlines"][-1]["late"]')" "False" "a decision meets step 4"

ESC_NOW=2026-04-21T10:00 run resolve "$c" --outcome "Decision communicated to all" --learning "Phone first" --agreed-by "SSCP chair"
expect_rc 0 "resolve with learning points"
ESC_NOW=2026-04-21T10:00 run show "$c" --json
expect_eq "$(py '[d["status"], d["resolution"]["learning"]]')" "['resolved', 'Phone first']" "resolved with its learning"
expect_eq "$(py '[x["state"] for x in d["duties"] if x["action"].startswith("Report the outcome of the SSCP meeting")]')" "['open']" \
  "resolving at step 4 opens the outcome report to the SSCP"

# Step 4: "Outcome of the meeting should be reported to the SSCP using the
# Report to SSCP": owed once the meeting has resolved the case, and met only
# by a notification to the partnership sending that form.
ESC_NOW=2026-04-21T11:00 run record "$c" --kind notification --to partnership --channel email \
  --summary "Outcome sent to the SSCP"
expect_rc 0 "a notification without the form is recorded"
expect_err "it is met only by sending the form report-to-sscp" "but it does not meet a duty naming the form"
ESC_NOW=2026-04-21T12:00 run record "$c" --kind notification --to partnership --form report-to-sscp \
  --summary "Outcome of the meeting reported to the SSCP"
expect_rc 0 "the outcome reported to the SSCP"
expect_out "met: Report the outcome of the SSCP meeting to the SSCP" "the report meets step 4's duty"

# A second case raised on Thu 2 Apr: 2 working days is Wed 8 Apr.
ESC_NOW=2026-04-02T15:00 run "${RAISE[@]}" --child-ref C-2002 -q
c2=$out
ESC_NOW=2026-04-02T15:00 run show "$c2" --json
expect_eq "$(dls)" "1:2026-04-08:open:None" "raised Thu 2 Apr: step 1 due Wed 8 Apr"
ESC_NOW=2026-04-03T10:00 run escalate "$c2" --reason "No reply"
ESC_NOW=2026-04-03T10:00 run show "$c2" --json
expect_eq "$(dls)" "1:2026-04-08:done:False 2:2026-04-10:open:None" "escalated on Good Friday: step 2 still due Fri 10 Apr"

ESC_NOW=2026-04-03T10:00 run pause "$c2" --reason "Sickness"
expect_rc 65 "Sefton does not provide for pausing"
ESC_NOW=2026-04-03T10:00 run extend "$c2" --days 1 --reason "x" --agreed-by "y"
expect_rc 65 "Sefton does not provide for extensions"
# Learning points only "may" be recorded (at a Step 3 meeting): resolving at
# step 2 does without them.
ESC_NOW=2026-04-07T10:00 run resolve "$c2" --outcome "Managers agreed a plan"
expect_rc 0 "resolve without learning points"
ESC_NOW=2026-04-07T10:00 run show "$c2" --json
expect_eq "$(py '[d["status"], d["resolution"]["learning"]]')" "['resolved', None]" "resolved, no learning points"

# show, report and overdue give every deadline the same state.
expect_one_vocabulary 2026-01-05T12:00 2027-06-01T12:00

# show --json, the case report and the return agree on every duty, after the
# last step.
expect_duties_agree 2027-06-01T12:00

# Sefton names no emergency contact: immediate risk still says what to do
# (in a store of its own, beside the one the checks above count).
ESC_DB="$E2E_TMP/risk.db" ESC_NOW=2026-04-01T10:05 run "${RAISE[@]}" --child-ref C-2009 --risk immediate -q
expect_rc 0 "immediate risk under Sefton raises the case"
expect_err "IMMEDIATE RISK" "the emergency text is on stderr"
expect_err "call the police on 999" "with no contact in the policy, it says to call 999"
expect_err "children's social care front door" "and otherwise the front door"

finish
