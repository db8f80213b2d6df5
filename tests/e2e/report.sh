# esc report ID: the written record of a case in every format, and the forms
# the policies name (Stoke-on-Trent's Appendix 2, Sefton's two), filled from
# cases driven through the matching stages, with missing fields on stderr.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

expect_not_err() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$err" in *"$1"*) fail "$2: stderr has '$1'" ;; esac
}
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

# --- Stoke-on-Trent: a case to stage 3, then resolved -----------------------
ESC_NOW=2026-12-23T10:00 run raise --policy stoke-on-trent --category childs-plan \
  --summary "Invented: disagree about the <plan> & its review" \
  --raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school \
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care \
  --child-ref C-1001 --child "Cara Invented" --nhs "943 476 5919" --dob 2015-03-04 \
  --requested-action "Review the plan at a meeting" -q
expect_rc 0 "raise a Stoke case"
c=$out
ESC_NOW=2026-12-24T11:00 run record "$c" --kind conversation --channel face-to-face --summary "Spoke; no agreement"
ESC_NOW=2026-12-24T15:00 run escalate "$c" --reason "No agreement between practitioners"
ESC_NOW=2026-12-30T09:00 run record "$c" --kind conversation --summary "Managers spoke"
ESC_NOW=2026-12-30T10:00 run escalate "$c" --reason "Managers could not agree"
expect_rc 0 "to stage 3, where the partnership form is required"

FORM="Professionals Concerns Resolutions Notifications and Outcomes Form"
ESC_NOW=2026-12-30T12:00 run report "$c" --form list
expect_rc 0 "--form list"
expect_eq "$out" "$FORM	pcrno	Appendix 2" "one line per form, its name first"

# The form at stage 3, before any response or resolution.
ESC_NOW=2026-12-30T12:00 run report "$c" --form pcrno
expect_rc 0 "a form with missing fields still exits 0"
expect_order "$FORM (Appendix 2)" "Send to: SoTSCP.Information@stoke.gov.uk" "Date: 2026-12-30" \
  "Name of Child: Cara Invented" "DOB: 2015-03-04" "NHS number: 943 476 5919" "Practitioner: Ann Example" \
  "Agency/Team: Hillside Primary" "Summary of Concerns" "Current Stage in the Escalation Process: Stage 3 of 5: Senior Manager to Senior Manager" \
  "Requested Action: Review the plan at a meeting" "Response: [missing]" "Resolution of Issues: [missing]" \
  "Actions Taken to Resolve the Professional Disagreement:" "2026-12-24 conversation, face-to-face: Spoke; no agreement" \
  "2026-12-24 escalated from stage 1 to stage 2: No agreement between practitioners" \
  "2026-12-30 conversation: Managers spoke" "2026-12-30 escalated from stage 2 to stage 3: Managers could not agree"
expect_err "esc: warning: pcrno: 'Response' is missing" "missing response listed on stderr"
expect_err "esc: warning: pcrno: 'Resolution of Issues' is missing: the case is not resolved: esc resolve $c --outcome TEXT" \
  "missing resolution listed with what to do"
expect_not_err "'Actions Taken to Resolve the Professional Disagreement' is missing" "the conversations and escalations are actions taken"
expect_not_err "'DOB' is missing" "a field with data is not listed"
expect_eq "$(printf '%s\n' "$err" | grep -c 'esc: warning:')" "2" "two missing fields, one warning each"

# By its name too, case-insensitively.
ESC_NOW=2026-12-30T12:00 run report "$c" --form "professionals concerns resolutions notifications and outcomes form"
expect_rc 0 "--form by the form's name"
expect_out "Name of Child: Cara Invented" "the same form"
ESC_NOW=2026-12-30T12:00 run report "$c" --form report-to-sscp
expect_rc 64 "a form of another policy"
expect_err "the stoke-on-trent policy has no form 'report-to-sscp': use one of pcrno ($FORM)" "the error lists the forms"

ESC_NOW=2026-12-31T10:00 run record "$c" --kind conversation --summary "Heads of service spoke"
# Stage 3's decision is "communicated ... in writing": by e-mail.
ESC_NOW=2027-01-04T10:00 run record "$c" --kind decision --channel email --summary "Decision: a review meeting will be held" \
  --action "Hold the review meeting" --due 2027-01-08
ESC_NOW=2027-01-05T10:00 run resolve "$c" --outcome "Review meeting agreed" --agreed-by "Both heads of service"
expect_rc 0 "resolve at stage 3"

ESC_NOW=2027-01-06T10:00 run report "$c" --form pcrno
expect_rc 0 "the form once resolved"
expect_eq "$err" "" "nothing missing once resolved"
expect_out "Response: 2027-01-04 decision: Decision: a review meeting will be held" "the decision is the response"
expect_out "Resolution of Issues: Review meeting agreed (agreed by Both heads of service)" "the outcome"
expect_out "  2027-01-04 decision, email: Decision: a review meeting will be held
  2027-01-04 agreed action: Hold the review meeting (by 2027-01-08)" "the decision and the action agreed on it"
expect_out "Stage 3 of 5: Senior Manager to Senior Manager (resolved on 2027-01-05)" "the stage it was resolved at"

ESC_NOW=2027-01-06T10:00 run report "$c" --form pcrno --format json
expect_rc 0 "form as JSON"
expect_out '"report": "form"' "JSON names the report"
expect_out '"missing": []' "nothing missing"
expect_order '"id": "date"' '"id": "child-name"' '"id": "dob"' '"id": "nhs-number"' '"id": "practitioner"' \
  '"id": "agency-team"' '"id": "summary"' '"id": "current-stage"' '"id": "requested-action"' '"id": "response"' \
  '"id": "resolution"' '"id": "actions-taken"'
ESC_NOW=2027-01-06T10:00 run report "$c" --form pcrno --format markdown
expect_rc 0 "form as Markdown"
expect_out "# $FORM (Appendix 2)" "Markdown heading"
expect_out "## Name of Child" "a field heading"
ESC_NOW=2027-01-06T10:00 run report "$c" --form pcrno --format html
expect_rc 0 "form as HTML"
expect_out "<dt>Name of Child</dt><dd>Cara Invented</dd>" "an HTML field"
expect_out "&lt;plan&gt; &amp; its review" "stored text is HTML-escaped"
expect_not_out "<plan>" "no raw stored markup"

# --- The written record ------------------------------------------------------
# Raised Wed 23 Dec 2026, resolved Tue 5 Jan 2027: 6 working days (24, 29, 30,
# 31 Dec, 4 and 5 Jan; Christmas, Boxing Day's substitute, New Year's Day and
# the weekends skipped). The stage 3 meeting, due Mon 4 Jan, was never held
# before resolving on the 5th: missed.
ESC_NOW=2027-01-06T10:00 run report "$c"
expect_rc 0 "the case report as text"
expect_order "Escalation record: case $c" "Parties" "raiser:         Ann Example, Hillside Primary (school)" \
  "Child" "reference:      C-1001" "NHS number:     943 476 5919" "Disagreement" "category:       Differences in opinion" \
  "requested:      Review the plan at a meeting" "Stages" "Stage 1: Practitioner to Practitioner" \
  "escalated to stage 2: No agreement between practitioners" "[met] Raise the matter with the fellow professional" \
  "Stage 2: Line Manager to Line Manager" "[met late] Line managers make contact" \
  "Stage 3: Senior Manager to Senior Manager" "partnership: NOT notified" \
  "[met] Senior manager contacts their agency equivalent" "[missed] Hold a meeting" "[met] Communicate the decision" \
  "Chronology (8)" "raise" "conversation #" "escalate" "resolve" "Actions agreed" "Hold the review meeting" \
  "Outcome" "resolved:       2027-01-05 10:00 at stage 3" "working days:   6 from raising to resolution" \
  "outcome:        Review meeting agreed" "agreed by:      Both heads of service"
ESC_NOW=2027-01-06T10:00 run report "$c" --format markdown
expect_rc 0 "Markdown"
expect_out "# Escalation record: case $c" "Markdown title"
expect_out "### Stage 3: Senior Manager to Senior Manager" "a stage heading"
expect_out "\\<plan\\> & its review" "Markdown escapes what would format"
expect_out "| Deadline | Timescale | Due | State | Done |" "deadline table"
ESC_NOW=2027-01-06T10:00 run report "$c" --json
expect_rc 0 "JSON"
expect_order '"report": "case"' '"id": '"$c" '"status": "resolved"' '"working_days": 6' '"child": {' \
  '"nhs": "9434765919"' '"stages": [' '"state": "met late"' '"chronology": [' '"actions": [' '"resolution": {' \
  '"outcome": "Review meeting agreed"'
ESC_NOW=2027-01-06T10:00 run report "$c" --format html
expect_rc 0 "HTML"
expect_out "<!DOCTYPE html>" "a page"
expect_out "@media print" "print styles"
expect_out "&lt;plan&gt; &amp; its review" "escaped"
expect_not_out "http://" "no URL"
expect_not_out "https://" "no URL"
expect_not_out "<script" "no script"

# --- Sefton: both forms ------------------------------------------------------
SEFTON=(raise --policy sefton --category other --summary "Invented: threshold decision"
  --raiser "Ivy Invented" --raiser-agency "Early Help Team" --raiser-agency-type early-help
  --counterpart "Jack Invented" --counterpart-agency "MASH" --counterpart-agency-type social-care --child "Kit Invented")
ESC_NOW=2027-02-01T09:00 run "${SEFTON[@]}" -q
s=$out
ESC_NOW=2027-02-02T10:00 run record "$s" --kind plan --channel phone --summary "Plan: MASH to review" --action "Review the decision" --due 2027-02-05
ESC_NOW=2027-02-03T10:00 run escalate "$s" --reason "Review not done"
expect_rc 0 "Sefton to step 2, where the summary log is required"
ESC_NOW=2027-02-03T12:00 run report "$s" --form list
expect_eq "$out" "Agency Escalation Summary Log	escalation-log	Appendix 1	Reconstruction: fields as read from the policy's text; the partnership's own form may differ.
Report to SSCP	report-to-sscp	Appendix 2	Reconstruction: fields as read from the policy's text; the partnership's own form may differ." \
  "Sefton's two forms, each marked a reconstruction"
ESC_NOW=2027-02-03T12:00 run report "$s" --form escalation-log
expect_rc 0 "the summary log at step 2"
expect_order "Agency Escalation Summary Log (Appendix 1)" "Date raised: 2027-02-01" "Child: Kit Invented" \
  "Agency raising the concern: Early Help Team" "Other agency: MASH" "Issue: Invented: threshold decision" \
  "Steps reached and dates:" "Step 1, Direct Professional to Professional Discussion: 2027-02-01 to 2027-02-03 (escalated to step 2)" \
  "Step 2, Direct Manager to Manager Discussion: 2027-02-03 (current)" \
  "Discussions and actions, with the mutually agreed plan of action:" "2027-02-02 plan, phone: Plan: MASH to review" \
  "2027-02-02 agreed action: Review the decision (by 2027-02-05)" \
  "Outcome: [missing]" "Learning points: [missing]"
expect_err "escalation-log: 'Outcome' is missing" "outcome listed"
expect_err "escalation-log: 'Learning points' is missing: learning points are recorded on resolving: esc resolve $s --learning TEXT" \
  "learning before resolution is listed missing"
ESC_NOW=2027-02-04T10:00 run escalate "$s" --reason "Managers could not agree"
expect_rc 0 "to step 3, where the report to SSCP is required"
ESC_NOW=2027-02-05T10:00 run resolve "$s" --outcome "Decision reviewed; assessment opened" --learning "Invented learning point"
ESC_NOW=2027-02-05T12:00 run report "$s" --form report-to-sscp
expect_rc 0 "the report to SSCP"
expect_eq "$err" "" "nothing missing"
expect_order "Report to SSCP (Appendix 2)" "Send to: SSCP (no address given in the text)" "Date: 2027-02-05" \
  "Date raised: 2027-02-01" "Child: Kit Invented" "Agency raising the concern: Early Help Team" "Other agency: MASH" \
  "Issue: Invented: threshold decision" "Current step: Step 3 of 4" "Steps reached and dates:" \
  "Step 3, Direct Head of Service to Head of Service Discussion: 2027-02-04 to 2027-02-05 (resolved)" \
  "Discussions and actions, with the mutually agreed plan of action:" \
  "2027-02-03 escalated from step 1 to step 2: Review not done" "2027-02-04 escalated from step 2 to step 3: Managers could not agree" \
  "Outcome: Decision reviewed; assessment opened" "Learning points: Invented learning point"
ESC_NOW=2027-02-05T12:00 run report "$s" --form "Agency Escalation Summary Log" --format html
expect_rc 0 "the log as HTML"
expect_out "<dt>Learning points</dt><dd>Invented learning point</dd>" "learning in the log"

# --- A policy with no forms, and usage errors --------------------------------
ESC_NOW=2027-02-05T12:00 run raise --policy generic --category other --summary "Invented" --raiser "A Person" \
  --raiser-agency-type school --counterpart "B Person" --counterpart-agency-type health --child-ref G-1 -q
g=$out
ESC_NOW=2027-02-05T12:00 run report "$g" --form list
expect_rc 0 "--form list on a policy with no forms"
expect_eq "$out" "" "no forms"
expect_err "names no forms" "said on stderr"
ESC_NOW=2027-02-05T12:00 run report "$g" --form pcrno
expect_rc 64 "a form on a policy with none"
expect_err "the generic policy names no forms" "says so"
ESC_NOW=2027-02-05T12:00 run report "$c" --table summary
expect_rc 64 "--table on a case report"
expect_err "--table is for the partnership return" "says why"
ESC_NOW=2027-02-05T12:00 run report "$c" --from 2027-01-01
expect_rc 64 "--from on a case report"
ESC_NOW=2027-02-05T12:00 run report "$c" --format csv
expect_rc 64 "CSV of a case"
ESC_NOW=2027-02-05T12:00 run report "$c" --format pdf
expect_rc 64 "an unknown format"
expect_err "--format takes text, markdown, json, html or csv" "lists the formats"
ESC_NOW=2027-02-05T12:00 run report 999
expect_rc 66 "no such case"
ESC_NOW=2027-02-05T12:00 run report --from 2027-02-01 --to 2027-01-31
expect_rc 64 "--to before --from"
expect_err "--to 2027-01-31 is before --from 2027-02-01: give a --to on or after 2027-02-01" "gives both dates and what to do"

# --- --form list for scripts -------------------------------------------------
ESC_NOW=2027-02-05T12:00 run report "$s" --form list --json
expect_rc 0 "--form list --json"
expect_order '[' '"id": "escalation-log"' '"name": "Agency Escalation Summary Log"' '"appendix": "Appendix 1"' \
  '"id": "report-to-sscp"' '"name": "Report to SSCP"' '"appendix": "Appendix 2"' ']'
expect_not_out "	" "no tab-separated text in the JSON"
ESC_NOW=2027-02-05T12:00 run report "$s" --form list --format json
expect_rc 0 "--form list --format json"
expect_out '"id": "escalation-log"' "the same array"
ESC_NOW=2027-02-05T12:00 run report "$g" --form list --json
expect_rc 0 "--form list --json on a policy with no forms"
expect_eq "$out" "[]" "an empty array"
expect_err "names no forms" "said on stderr"
for f in markdown html csv; do
  ESC_NOW=2027-02-05T12:00 run report "$s" --form list --format $f
  expect_rc 64 "--form list --format $f"
  expect_err "--form list prints text or JSON, not $f: use --format text, or --json" "says which formats it has"
  expect_eq "$out" "" "nothing on stdout with --format $f"
done

# --- esc show and esc report give a deadline the same state ------------------
# Stoke's stage 3 meeting, never held before resolving after its due date:
# "missed" in both.
ESC_NOW=2027-01-06T10:00 run show "$c"
expect_out "a meeting within 2 working days, due Mon 2027-01-04: missed" "show: the meeting missed, as the report says"
# Warrington's deadlines name no record: leaving the stage meets them, late
# here (due Mon 6 July, escalated Wed 8 July), in both.
ESC_NOW=2026-07-06T09:00 run raise --policy warrington --category case-conference --summary "Invented: whether to convene" \
  --raiser "Gus Pretend" --raiser-agency-type school --counterpart "Hana Invented" --counterpart-agency-type social-care \
  --child-ref W-1 -q
w=$out
ESC_NOW=2026-07-08T09:00 run escalate "$w" --reason "Invented: no agreement"
expect_rc 0 "escalate a Warrington case two days late"
ESC_NOW=2026-07-08T10:00 run show "$w"
expect_out "leaving the stage on the same working day, due Mon 2026-07-06: met late" "show: left late, met late"
expect_out "resolving the case within 5 working days, due Mon 2026-07-13: open" \
  "show: the whole-case limit is met by resolving the case, not by leaving a stage"
ESC_NOW=2026-07-08T10:00 run report "$w"
expect_out "within 5 working days of raising the case; met by resolving the case" "report: the same for the limit"
ESC_NOW=2026-07-08T10:00 run report "$w"
expect_out "[met late] Resolve between the workers" "report: met late too"
ESC_NOW=2026-07-08T10:00 run show "$w" --json
expect_order '"stage": 1,' '"closed_by": "escalate",' '"late": true,' '"overdue": false,' '"state": "met late",'
ESC_NOW=2026-07-08T10:00 run report "$w" --json
expect_order '"stages": [' '"deadlines": [' '"closed_by": "escalate",' '"state": "met late",'
finish
