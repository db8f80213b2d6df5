# Generic: four stages and no deadlines; plus what every policy shares:
# local dates whatever the machine's TZ, -q, list --json, unknown cases and
# categories.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# py EXPR: a Python expression over the JSON in $out (bound to d). The
# interpreter is found once: a version-manager shim costs a lot per call.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
RAISE=(raise --summary "The plan is not progressing"
  --raiser "Ivy Madeup" --raiser-agency "Oak Nursery" --raiser-agency-type early-help
  --counterpart "Jon Fakename" --counterpart-agency "Police CAIU" --counterpart-agency-type police)

ESC_NOW=2026-03-02T09:00 run "${RAISE[@]}" --policy generic --category plan-not-progressing --child-ref C-5001 -q
expect_rc 0 "raise a generic case"
expect_eq "$(printf '%s' "$out" | grep -Ec '^[0-9]+$'),$(printf '%s\n' "$out" | wc -l)" "1,1" "-q prints one line: the id"
c=$out
ESC_NOW=2026-03-02T09:00 run show "$c" --json
expect_eq "$(py '[d["status"], d["stage"], d["deadlines"], d["next_due"]]')" "['open', 1, [], None]" "stage 1, no deadlines"
expect_eq "$(py '[type(d["id"]).__name__, len(d["uuid"])]')" "['int', 36]" "id is an integer, uuid a UUID"
for s in 2 3 4; do
  ESC_NOW=2026-03-0${s}T09:00 run escalate "$c" --reason "Still not agreed"
  expect_rc 0 "escalate to stage $s"
done
ESC_NOW=2026-03-04T09:00 run show "$c" --json
expect_eq "$(py '[d["stage"], d["deadlines"], [e["to_stage"] for e in d["events"]]]')" "[4, [], [1, 2, 3, 4]]" "stage 4, still no deadlines"
ESC_NOW=2026-03-04T10:00 run escalate "$c" --reason "More"
expect_rc 65 "no stage after 4"
ESC_NOW=2026-03-04T10:00 run escalate "$c" --to 2 --reason "Back down"
expect_rc 65 "no escalating backwards"
ESC_NOW=2026-03-04T10:00 run pause "$c" --reason "Sickness"
expect_rc 65 "generic does not provide for pausing"
ESC_NOW=2026-03-05T10:00 run resolve "$c" --outcome "Agreed at stage 4"
expect_rc 0 "resolve"
ESC_NOW=2026-03-05T10:00 run show "$c" --json
expect_eq "$(py '[d["status"], d["resolved_at"]]')" "['resolved', '2026-03-05T10:00:00+00:00']" "resolved"
ESC_NOW=2026-03-05T11:00 run resolve "$c" --outcome "Again"
expect_rc 65 "a resolved case cannot be resolved again"

# Generic jumps are refused.
ESC_NOW=2026-03-05T11:00 run "${RAISE[@]}" --policy generic --category plan-not-progressing --child-ref C-5002 -q
g=$out
ESC_NOW=2026-03-05T11:00 run escalate "$g" --to 3 --reason "Urgent"
expect_rc 65 "generic has no jumps"

# list, list --all, list --json.
ESC_NOW=2026-03-06T09:00 run list --ids
expect_eq "$out" "$g" "list shows open cases only"
ESC_NOW=2026-03-06T09:00 run list --all --json
expect_rc 0 "list --all --json"
expect_eq "$(py '[(x["id"], x["status"], x["policy"]) for x in d]')" "[($c, 'resolved', 'generic'), ($g, 'open', 'generic')]" "list --json is an array of cases"

# Unknown things.
run show 999
expect_rc 66 "show of a case that does not exist"
run show 999 --json
expect_rc 66 "show --json of a case that does not exist"
ESC_NOW=2026-03-06T09:00 run escalate 999 --reason "x"
expect_rc 66 "escalate of a case that does not exist"
ESC_NOW=2026-03-06T09:00 run "${RAISE[@]}" --policy generic --category weather --child-ref C-5003
expect_rc 65 "an unknown category"
expect_err "weather" "the message names the category"
expect_err "risk-or-need" "the message lists the valid categories"
expect_err "assessment-outcome" "... all of them"
expect_err "other" "... and 'other'"
ESC_NOW=2026-03-06T09:00 run "${RAISE[@]}" --policy nowhere --category other --child-ref C-5003
expect_rc 66 "an unknown policy"
ESC_NOW=2026-03-06T09:00 run list --all --ids
expect_eq "$(printf '%s\n' "$out" | wc -l)" "2" "nothing was stored by the refused raises"

# The machine's TZ does not change the dates: 23:30 UTC on Mon 6 July 2026
# is 00:30 BST on Tue 7 July in London; Stoke's 1 working day is Wed 8 July.
ids=""
for tz in America/New_York Asia/Tokyo UTC; do
  TZ=$tz ESC_NOW=2026-07-06T23:30:00Z run "${RAISE[@]}" --policy stoke-on-trent --category childs-plan --child-ref C-5100 --json
  expect_rc 0 "raise under TZ=$tz"
  expect_eq "$(py '[d["raised_at"], d["deadlines"][0]["start"], d["deadlines"][0]["due"]]')" \
    "['2026-07-07T00:30:00+01:00', '2026-07-07', '2026-07-08']" "London dates under TZ=$tz"
  ids="$ids $(py 'd["id"]')"
done
# --at with an offset, under yet another TZ.
TZ=Asia/Tokyo ESC_NOW=2026-07-07T12:00 run "${RAISE[@]}" --policy stoke-on-trent --category childs-plan --child-ref C-5101 \
  --at 2026-07-06T19:30-04:00 --json
expect_eq "$(py '[d["raised_at"], d["deadlines"][0]["due"]]')" "['2026-07-07T00:30:00+01:00', '2026-07-08']" "--at with an offset"
# Winter: 23:30 UTC on Thu 31 Dec 2026 is still 31 Dec in London (GMT);
# 1 working day skips New Year's Day and the weekend: Mon 4 Jan 2027.
for tz in America/New_York Asia/Tokyo; do
  TZ=$tz ESC_NOW=2026-12-31T23:30:00Z run "${RAISE[@]}" --policy stoke-on-trent --category childs-plan --child-ref C-5102 --json
  expect_eq "$(py '[d["raised_at"], d["deadlines"][0]["due"]]')" "['2026-12-31T23:30:00+00:00', '2027-01-04']" "winter dates under TZ=$tz"
done
# overdue is judged by London's date too: due Wed 8 July; at 23:30 UTC on
# Wed 8 July it is already Thu 9 July in London.
set -- $ids
TZ=America/Los_Angeles ESC_NOW=2026-07-08T22:30:00Z run show "$1" --json
expect_eq "$(py 'd["deadlines"][0]["overdue"]')" "False" "23:30 BST on the due day: not overdue"
TZ=America/Los_Angeles ESC_NOW=2026-07-08T23:30:00Z run show "$1" --json
expect_eq "$(py 'd["deadlines"][0]["overdue"]')" "True" "00:30 BST the next day: overdue"
# and so is lateness: a conversation at 23:30 UTC on Wed 8 July is late.
TZ=Asia/Tokyo ESC_NOW=2026-07-08T23:30:00Z run record "$2" --kind conversation --summary "Spoke just after midnight"
TZ=Asia/Tokyo ESC_NOW=2026-07-08T23:30:00Z run show "$2" --json
expect_eq "$(py '[d["deadlines"][0]["done_at"], d["deadlines"][0]["late"]]')" "['2026-07-09T00:30:00+01:00', True]" "late by London's date"
TZ=America/New_York ESC_NOW=2026-07-08T22:30:00Z run record "$3" --kind conversation --summary "Spoke just before midnight"
TZ=America/New_York ESC_NOW=2026-07-08T22:30:00Z run show "$3" --json
expect_eq "$(py 'd["deadlines"][0]["late"]')" "False" "in time at 23:30 BST on the due day"

# show, report and overdue give every deadline the same state.
expect_one_vocabulary 2026-01-05T12:00 2027-06-01T12:00

# show --json, the case report and the return agree on every duty, after the
# last step.
expect_duties_agree 2027-06-01T12:00
finish
