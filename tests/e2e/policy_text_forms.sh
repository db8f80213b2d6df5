# What the policies say that a user must see: the key contact, where records
# are kept, each stage's expected outcome and where learning points go, in
# esc policy show, esc show and the case report; the forms' own instructions
# and the mark of a form the seed does not reproduce; every action taken on
# Stoke-on-Trent's form, a jump's reason among them; and the partnership
# return counting only the stages the partnership itself handles.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# expect_order TEXT1 TEXT2 ...: the texts appear in $out in this order.
expect_order() {
  E2E_COUNT=$((E2E_COUNT + 1))
  local rest="$out" t
  for t in "$@"; do
    case "$rest" in
      *"$t"*) rest=${rest#*"$t"} ;;
      *) fail "'$t' is missing or out of order"; return ;;
    esac
  done
}
# py EXPR: a Python expression over the JSON in $out (bound to d).
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

NOTE="Reconstruction: fields as read from the policy's text; the partnership's own form may differ."
INSTRUCTION="(It is important that you provide information that details how you have made every effort to resolve this matter at a local level within Stages 1 & 2.)"
FORM="Professionals Concerns Resolutions Notifications and Outcomes Form"

# --- esc policy show -----------------------------------------------------------
run policy show generic
expect_rc 0 "policy show generic"
expect_out "records in:  My Concern (the details of the challenge and agreements reached also on the child's file)" \
  "generic: records are kept on My Concern"
expect_order "Stage 1: Professional to Professional Discussion" \
  "expected outcome: Resolution of the concern through professional discussion and agreement on the best course of action" \
  "Stage 4: Referral to Head of Safeguarding" "expected outcome: A record of the disagreement and any outstanding concerns"
expect_not_out "the partnership handles" "generic: no stage the partnership handles"

run policy show stoke-on-trent
expect_rc 0 "policy show stoke-on-trent"
expect_out "contact:     SoTSCP.Information@stoke.gov.uk" "Stoke's key contact"
expect_order "Stage 4: Senior Leader to Senior Leader" \
  "expected outcome: A final resolution, reached by the senior leaders writing to and meeting each other" \
  "Stage 5: Escalation to Safeguarding Children Partnership" \
  "expected outcome: The SoTSCP Executive takes action with both parties to resolve; if it cannot agree a way forward it involves an independent professional advisor" \
  "the partnership handles this stage itself"
E2E_COUNT=$((E2E_COUNT + 1))
[ "$(printf '%s\n' "$out" | grep -c 'the partnership handles this stage itself')" = 1 ] ||
  fail "Stoke: only stage 5 is the partnership's own"
expect_not_out "$NOTE" "Stoke's Appendix 2 is reproduced in its seed: no reconstruction mark"

run policy show warrington
expect_out "learning points go to: Warrington Safeguarding Children Board and Partnerships Manager, for consideration by the relevant WSCB subgroup" \
  "Warrington: where learning points go"
expect_out "contact:     Designated Senior Person: Mrs. A Norman" "Warrington's contact"

run policy show sefton
expect_order "Forms" "escalation-log: Agency Escalation Summary Log (Appendix 1)" "$NOTE" \
  "report-to-sscp: Report to SSCP (Appendix 2)" "$NOTE"
expect_order "Step 4: Urgent resolution required" "the partnership handles this step itself"

run policy show stoke-on-trent --json
expect_eq "$(py '[s["partnership"] for s in d["stages"]]')" "[False, False, False, False, True]" \
  "JSON: only Stoke's stage 5 is the partnership's own"
expect_eq "$(py '[f["instruction"] for f in d["forms"][0]["fields"] if f["id"] == "summary"][0]')" "$INSTRUCTION" \
  "JSON: the summary field's instruction, as the seed prints it"
expect_eq "$(py 'd["forms"][0]["reconstructed"]')" "False" "JSON: Stoke's form is its own"
run policy show sefton --json
expect_eq "$(py '[f["reconstructed"] for f in d["forms"]]')" "[True, True]" "JSON: both Sefton forms are reconstructions"
expect_eq "$(py '[s["partnership"] for s in d["stages"]]')" "[False, False, False, True]" "JSON: Sefton's step 4"
for p in birmingham warrington; do
  run policy show "$p" --json
  expect_eq "$(py '[s["number"] for s in d["stages"] if s["partnership"]]')" "[$([ $p = birmingham ] && echo 5 || echo 4)]" \
    "JSON: $p's own stage for the partnership"
done

# --- Stoke-on-Trent: actions taken and a jump ------------------------------------
ESC_NOW=2027-03-01T09:00 run raise --policy stoke-on-trent --category childs-plan --summary "Invented: the plan" \
  --raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school \
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care \
  --child-ref C-1 --child "Cara Invented" --dob 2015-03-04 --nhs "943 476 5919" --requested-action "Review the plan" -q
expect_rc 0 "raise a Stoke case"
a=$out
ESC_NOW=2027-03-01T10:00 run show "$a"
expect_out "expected outcome: A resolution clearly recorded and shared with everyone involved" "show: stage 1's expected outcome"
ESC_NOW=2027-03-01T11:00 run record "$a" --kind conversation --channel face-to-face --with "Bob Sample" --summary "Spoke; no agreement"
ESC_NOW=2027-03-01T14:00 run record "$a" --kind meeting --channel video --summary "Practitioners met"
ESC_NOW=2027-03-01T16:00 run record "$a" --kind decision --summary "Social care keeps its decision" \
  --action "Send the decision in writing" --due 2027-03-03
ESC_NOW=2027-03-02T09:00 run escalate "$a" --to 3 --reason "Invented: serious enough to go straight to Head of Service"
expect_rc 0 "jump to stage 3"
ESC_NOW=2027-03-02T11:00 run record "$a" --kind note --summary "Invented note, not an action"
ESC_NOW=2027-03-02T12:00 run record "$a" --kind conversation --channel phone --summary "Heads of service spoke"
ESC_NOW=2027-03-02T15:00 run record "$a" --kind notification --channel email --with "SoTSCP" --summary "Form sent to SoTSCP"
ESC_NOW=2027-03-03T10:00 run record "$a" --kind feedback --summary "Told the practitioner"

ESC_NOW=2027-03-03T12:00 run report "$a" --form pcrno
expect_rc 0 "the pcrno form"
expect_out "Actions Taken to Resolve the Professional Disagreement:
  2027-03-01 conversation, face-to-face, with Bob Sample: Spoke; no agreement
  2027-03-01 meeting, video: Practitioners met
  2027-03-01 decision: Social care keeps its decision
  2027-03-01 agreed action: Send the decision in writing (by 2027-03-03)
  2027-03-02 escalated from stage 1 to stage 3: Invented: serious enough to go straight to Head of Service
  2027-03-02 conversation, phone: Heads of service spoke
  2027-03-02 notification, email, with SoTSCP: Form sent to SoTSCP
  2027-03-03 feedback: Told the practitioner" "every action taken, the jump's reason among them"
expect_not_out "Invented note" "a note is not an action taken"
expect_not_out "Actions Taken to Resolve the Professional Disagreement: [missing]" "not missing"
expect_out "Summary of Concerns, including the specific difference/s which has resulted in utilising the Escalation process:
$INSTRUCTION
  Invented: the plan" "the form's instruction under its label, the value under it"
expect_not_out "$NOTE" "Stoke's own form is not marked a reconstruction"
ESC_NOW=2027-03-03T12:00 run report "$a" --form pcrno --format markdown
expect_out "## Summary of Concerns, including the specific difference/s which has resulted in utilising the Escalation process

*(It is important that you provide information" "Markdown: the instruction under the field's heading"
expect_out "escalated from stage 1 to stage 3: Invented: serious enough" "Markdown: the jump's reason"
ESC_NOW=2027-03-03T12:00 run report "$a" --form pcrno --format html
expect_out "<span class=\"instruction\">(It is important that you provide information that details how you have made every effort to resolve this matter at a local level within Stages 1 &amp; 2.)</span>" \
  "HTML: the instruction under the label"
expect_out "escalated from stage 1 to stage 3: Invented: serious enough" "HTML: the jump's reason"
ESC_NOW=2027-03-03T12:00 run report "$a" --form pcrno --json
expect_eq "$(py '[f["instruction"] for f in d["fields"] if f["id"] == "summary"][0]')" "$INSTRUCTION" "JSON: the instruction"
expect_eq "$(py '[f["value"].count(chr(10)) + 1 for f in d["fields"] if f["id"] == "actions-taken"][0]')" "8" \
  "JSON: eight actions taken"
expect_eq "$(py 'd["form"]["reconstructed"]')" "False" "JSON: not a reconstruction"
expect_eq "$(py '"actions-taken" in d["missing"]')" "False" "JSON: actions taken not missing"

# --- The case report: the policy's words ---------------------------------------
ESC_NOW=2027-03-03T12:00 run report "$a"
expect_out "key contact:    SoTSCP.Information@stoke.gov.uk" "the report gives the key contact"
expect_order "Stage 1: Practitioner to Practitioner" "expected outcome: A resolution clearly recorded" \
  "Stage 3: Senior Manager to Senior Manager" "partnership: NOT notified"
ESC_NOW=2027-03-03T12:00 run report "$a" --json
expect_eq "$(py 'd["policy"]["contact"]')" "SoTSCP.Information@stoke.gov.uk" "JSON: the contact"
expect_eq "$(py '[s["expected_outcome"] is not None for s in d["stages"]]')" "[True, False]" "JSON: stage 1's expected outcome; stage 3 has none"
expect_eq "$(py '[s["partnership"] for s in d["stages"]]')" "[False, False]" "JSON: neither stage is the partnership's own"

ESC_NOW=2027-03-01T09:00 run raise --policy generic --category other --summary "Invented: generic" \
  --raiser "Cy Example" --raiser-agency-type school --counterpart "Di Sample" --counterpart-agency-type health --child-ref G-1 -q
g=$out
ESC_NOW=2027-03-01T12:00 run show "$g"
expect_rc 0 "show a generic case"
expect_out "expected outcome: Resolution of the concern through professional discussion and agreement on the best course of action" \
  "show: the current stage's expected outcome"
expect_order "Records (0)" "to be kept in: My Concern"
for f in text markdown html json; do
  ESC_NOW=2027-03-01T12:00 run report "$g" --format $f
  expect_rc 0 "generic report as $f"
  expect_out "My Concern" "$f: where records must be kept"
  expect_out "Resolution of the concern through professional discussion" "$f: the stage's expected outcome"
done
ESC_NOW=2027-03-01T12:00 run report "$g"
expect_out "records in:     My Concern" "text: records in, aligned"
ESC_NOW=2027-03-01T12:00 run report "$g" --format html
expect_out "<dt>Records to be kept in</dt><dd>My Concern" "HTML: records, with its heading"
expect_out "<dt>Expected outcome</dt><dd>Resolution of the concern" "HTML: the expected outcome"

ESC_NOW=2027-03-01T09:00 run raise --policy warrington --category case-conference --summary "Invented: Warrington" \
  --raiser "Ed Example" --raiser-agency-type school --counterpart "Flo Sample" --counterpart-agency-type social-care --child-ref W-1 -q
w=$out
for f in text markdown html; do
  ESC_NOW=2027-03-01T12:00 run report "$w" --format $f
  expect_out "Warrington Safeguarding Children Board and Partnerships Manager, for consideration by the relevant WSCB subgroup" \
    "$f: where learning points go"
  expect_out "Designated Senior Person: Mrs. A Norman" "$f: the contact"
done
ESC_NOW=2027-03-01T12:00 run report "$w" --json
expect_out '"learning_to": "Warrington Safeguarding Children Board and Partnerships Manager' "JSON: learning_to"

# --- Sefton: both forms are reconstructions ------------------------------------
ESC_NOW=2027-03-01T09:00 run raise --policy sefton --category other --summary "Invented: Sefton" \
  --raiser "Gil Example" --raiser-agency "Early Help" --raiser-agency-type early-help \
  --counterpart "Hal Sample" --counterpart-agency "MASH" --counterpart-agency-type social-care --child "Kit Invented" -q
s=$out
ESC_NOW=2027-03-01T10:00 run record "$s" --kind plan --channel phone --summary "Plan: MASH to review" --action "Review" --due 2027-03-03
ESC_NOW=2027-03-02T10:00 run escalate "$s" --reason "Invented: no review"
ESC_NOW=2027-03-02T12:00 run report "$s" --form list
expect_eq "$out" "Agency Escalation Summary Log	escalation-log	Appendix 1	$NOTE
Report to SSCP	report-to-sscp	Appendix 2	$NOTE" "--form list marks both"
ESC_NOW=2027-03-02T12:00 run report "$s" --form list --json
expect_eq "$(py '[f["reconstructed"] for f in d]')" "[True, True]" "--form list --json marks both"
for form in escalation-log report-to-sscp; do
  ESC_NOW=2027-03-02T12:00 run report "$s" --form $form
  expect_order "(Appendix " "$NOTE" "Child: Kit Invented"
  for f in markdown html; do
    ESC_NOW=2027-03-02T12:00 run report "$s" --form $form --format $f
    expect_out "Reconstruction: fields as read from the policy" "$form as $f: marked a reconstruction"
  done
  ESC_NOW=2027-03-02T12:00 run report "$s" --form $form --json
  expect_eq "$(py 'd["form"]["reconstructed"]')" "True" "$form as JSON: reconstructed"
  expect_eq "$(py 'd["form"]["note"]')" "$NOTE" "$form as JSON: the note"
done
ESC_NOW=2027-03-02T12:00 run report "$s" --form escalation-log
expect_out "2027-03-01 plan, phone: Plan: MASH to review" "the plan, with its channel"
expect_out "2027-03-01 agreed action: Review (by 2027-03-03)" "the agreed action"
expect_out "2027-03-02 escalated from step 1 to step 2: Invented: no review" "the escalation, in the policy's word"

# --- The return: only the partnership's own stage counts -------------------------
# Case a is at stage 3 (the partnership is notified there); case b goes on
# to stage 5, which the partnership itself handles.
ESC_NOW=2027-03-01T09:00 run raise --policy stoke-on-trent --category other --summary "Invented: to stage 5" \
  --raiser "Ian Example" --raiser-agency-type school --counterpart "Jo Sample" --counterpart-agency-type health --child-ref C-2 -q
b=$out
for n in 2 3 4 5; do
  ESC_NOW=2027-03-0${n}T10:00 run escalate "$b" --reason "Invented: still no agreement"
  expect_rc 0 "case b to stage $n"
done
ESC_NOW=2027-03-05T12:00 run show "$b"
expect_out "the partnership handles this stage itself" "show: stage 5 is the partnership's own"
expect_out "expected outcome: The SoTSCP Executive takes action with both parties to resolve" "show: stage 5's expected outcome"
ESC_NOW=2027-03-05T12:00 run report "$b"
expect_out "the partnership handles this stage itself" "report: stage 5 is the partnership's own"
expect_out "partnership: NOT notified" "report: stage 5's notification is not recorded"
ESC_NOW=2027-03-05T12:00 run report --policy stoke-on-trent --format csv --table summary
expect_out "cases_raised,2" "two Stoke cases"
expect_out "reached_partnership_stage,1" "only the case at stage 5 reached the partnership's own stage"
ESC_NOW=2027-03-05T12:00 run report --policy stoke-on-trent --format csv --table stages
expect_out "stoke-on-trent,3,Senior Manager to Senior Manager,no,1,0,1" "stage 3 is not the partnership's stage"
expect_out "stoke-on-trent,4,Senior Leader to Senior Leader,no,0,0,0" "nor stage 4"
expect_out "stoke-on-trent,5,Escalation to Safeguarding Children Partnership (Exceptional Circumstances),yes,1,0,1" \
  "stage 5 is"
ESC_NOW=2027-03-05T12:00 run report --policy sefton --format csv --table stages
expect_out "sefton,3,Direct Head of Service to Head of Service Discussion,no," "Sefton's step 3 is not"
expect_out "sefton,4,Urgent resolution required - SSCP Independently Chaired Meeting,yes," "Sefton's step 4 is"
ESC_NOW=2027-03-05T12:00 run report --policy stoke-on-trent
expect_out "Reached a stage the partnership handles" "the return's words"
finish
