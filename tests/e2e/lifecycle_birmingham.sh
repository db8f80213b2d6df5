# Birmingham: no per-stage deadlines, a whole-case limit of 5 working days,
# routing by agency type (school + school or school + self-employed go from
# stage 1 straight to stage 5) and handlers by agency type.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# py EXPR: a Python expression over the JSON in $out (bound to d). The
# interpreter is found once: a version-manager shim costs a lot per call.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
dls() { py '" ".join("%s:%s:%s:%s" % (x["stage"], x["due"], "done" if x["done_at"] else "open", x["late"]) for x in d["deadlines"])'; }
handlers() { py '[p["handler"] for p in d["parties"]]'; }
# bham RAISER_TYPE COUNTERPART_TYPE REF: raise on Mon 18 May 2026, id in $id.
bham() {
  ESC_NOW=2026-05-18T09:00 run raise --policy birmingham --category risk-severity --summary "Severity of risk" \
    --raiser "Eve Fictional" --raiser-agency-type "$1" --counterpart "Finn Notreal" --counterpart-agency-type "$2" \
    --child-ref "$3" -q
  id=$out
}
HT="Head Teacher/Principal"
NDSL="Named or designated safeguarding lead or service manager"

# Case limit: 5 working days after Mon 18 May 2026, skipping the Spring bank
# holiday on Mon 25 May: 19, 20, 21, 22, 26 -> Tue 26 May.
bham school school C-3001
expect_rc 0 "raise school v school"
ss=$id
ESC_NOW=2026-05-18T09:00 run show "$ss" --json
expect_eq "$(dls)" "0:2026-05-26:open:None" "only the whole-case limit, due Tue 26 May"
expect_eq "$(py '[d["deadlines"][0]["counted_from"], d["next_due"]]')" "['case', '2026-05-26']" "counted from the case"
ESC_NOW=2026-05-19T09:00 run escalate "$ss" --reason "Schools disagree"
expect_rc 0 "escalate school v school"
expect_out "stage 5" "school v school goes to stage 5"
ESC_NOW=2026-05-19T09:00 run show "$ss" --json
expect_eq "$(py 'd["stage"]')" "5" "school v school: stage 1 -> 5"
expect_eq "$(py 'all(p["handler"].startswith("Board member from an uninvolved agency") for p in d["parties"])')" "True" "stage 5 handler"
expect_eq "$(dls)" "0:2026-05-26:open:None" "the case limit stays"
ESC_NOW=2026-05-19T09:00 run escalate "$ss" --reason "More"
expect_rc 65 "nothing after stage 5"

bham self-employed school C-3002
se=$id
ESC_NOW=2026-05-19T09:00 run escalate "$se" --reason "No agreement"
ESC_NOW=2026-05-19T09:00 run show "$se" --json
expect_eq "$(py 'd["stage"]')" "5" "self-employed v school: stage 1 -> 5"

# School v health: 1 -> 2, each party with its own handler.
bham school health C-3003
sh=$id
ESC_NOW=2026-05-18T09:00 run show "$sh" --json
expect_eq "$(handlers)" "['Manager/supervisor', 'Manager/supervisor']" "stage 1 handlers"
ESC_NOW=2026-05-19T09:00 run escalate "$sh" --reason "No agreement"
ESC_NOW=2026-05-19T09:00 run show "$sh" --json
expect_eq "$(py 'd["stage"]')" "2" "school v health: stage 1 -> 2"
expect_eq "$(handlers)" "['$HT', '$NDSL']" "stage 2: the Head Teacher for the school"
ESC_NOW=2026-05-19T10:00 run escalate "$sh" --reason "No agreement"
ESC_NOW=2026-05-19T10:00 run show "$sh" --json
expect_eq "$(handlers)" "['$HT', 'Second tier officer']" "stage 3: still the Head Teacher"
ESC_NOW=2026-05-19T11:00 run escalate "$sh" --reason "No agreement"
ESC_NOW=2026-05-19T11:00 run show "$sh" --json
expect_eq "$(handlers)" "['$HT', 'Chief officer']" "stage 4: still the Head Teacher"
ESC_NOW=2026-05-19T12:00 run escalate "$sh" --reason "No agreement"
ESC_NOW=2026-05-19T12:00 run show "$sh" --json
expect_eq "$(py 'd["stage"]')" "5" "stage 4 -> 5"
ESC_NOW=2026-05-27T09:00 run resolve "$sh" --outcome "Mediated agreement"
expect_rc 0 "resolve school v health (learning not required)"
ESC_NOW=2026-05-27T09:00 run show "$sh" --json
expect_eq "$(dls)" "0:2026-05-26:done:True" "resolving on Wed 27 May closes the case limit late"

# Health raising against a school: the order of the parties does not matter.
bham health school C-3004
hs=$id
ESC_NOW=2026-05-19T09:00 run escalate "$hs" --reason "No agreement"
ESC_NOW=2026-05-19T09:00 run show "$hs" --json
expect_eq "$(py 'd["stage"]')" "2" "health v school: stage 1 -> 2"
expect_eq "$(handlers)" "['$NDSL', '$HT']" "stage 2: the Head Teacher for the school"

# School v Children's Trust (social-care): Head of Service at stage 2,
# Assistant Director at 3, Executive Director at 4.
bham school social-care C-3005
sc=$id
ESC_NOW=2026-05-19T09:00 run escalate "$sc" --reason "No agreement"
ESC_NOW=2026-05-19T09:00 run show "$sc" --json
expect_eq "$(handlers)" "['$HT', \"Head of Service, Birmingham Children's Trust\"]" "stage 2: Head of Service"
ESC_NOW=2026-05-19T10:00 run escalate "$sc" --reason "No agreement"
ESC_NOW=2026-05-19T10:00 run show "$sc" --json
expect_eq "$(py 'd["parties"][1]["handler"]')" "Assistant Director, Birmingham Children's Trust" "stage 3: Assistant Director"
ESC_NOW=2026-05-19T11:00 run escalate "$sc" --reason "No agreement"
ESC_NOW=2026-05-19T11:00 run show "$sc" --json
expect_eq "$(py 'd["parties"][1]["handler"]')" "Executive Director for Children's Services, Birmingham Children's Trust" "stage 4: Executive Director"
ESC_NOW=2026-05-19T11:00 run escalate "$sc" --to 5 --reason "x"
expect_rc 0 "--to 5 from stage 4 is the next stage"
ESC_NOW=2026-05-26T17:00 run resolve "$sc" --outcome "Agreed at mediation"
ESC_NOW=2026-05-26T17:00 run show "$sc" --json
expect_eq "$(dls)" "0:2026-05-26:done:False" "resolved on the due day: the case limit is met in time"

# Overdue case limit: not on the due day, yes the day after.
ESC_NOW=2026-05-26T12:00 run show "$ss" --json
expect_eq "$(py 'd["deadlines"][0]["overdue"]')" "False" "not overdue on Tue 26 May"
ESC_NOW=2026-05-27T08:00 run show "$ss" --json
expect_eq "$(py 'd["deadlines"][0]["overdue"]')" "True" "overdue on Wed 27 May"
ESC_NOW=2026-05-27T08:00 run list --overdue --json
expect_eq "$(py 'sorted(c["id"] for c in d)')" "[$ss, $se, $hs]" "list --overdue: the three open cases"

# A jump the policy does not allow, pause and extension.
bham school health C-3006
x=$id
ESC_NOW=2026-05-18T10:00 run escalate "$x" --to 5 --reason "Straight to mediation"
expect_rc 65 "school v health cannot jump to stage 5"
ESC_NOW=2026-05-18T10:00 run show "$x" --json
expect_eq "$(py 'd["stage"]')" "1" "still at stage 1"
ESC_NOW=2026-05-18T10:00 run pause "$x" --reason "Sickness"
expect_rc 65 "Birmingham does not provide for pausing"
ESC_NOW=2026-05-18T10:00 run extend "$x" --days 2 --reason "x" --agreed-by "y"
expect_rc 65 "Birmingham does not provide for extensions"

# show, report and overdue give every deadline the same state.
expect_one_vocabulary 2026-01-05T12:00 2027-06-01T12:00

# show --json, the case report and the return agree on every duty, after the
# last step.
expect_duties_agree 2027-06-01T12:00
finish
