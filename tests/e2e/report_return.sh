# esc report (no ID): the partnership return. A store full of invented
# personal data: none of it may appear in any format or any CSV table; the
# figures are the ones the cases make; the period and policy filters; errors.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

# Every distinctive invented datum that goes into the store.
PERSONAL=("Zephyrine Quillfeather" "Octavius Brambleworth" "Marigold Thistlewick" "Peregrine Ashcombe"
  "Quillfeather Academy" "Brambleworth Clinic" "Ashcombe Constabulary Unit" "ZQX-77341" "ZQX-88452"
  "9434765919" "943 476 5919" "4010232137" "2016-07-19" "2014-11-02"
  "lantern-shaped" "heron-coloured" "kingfisher" "otter-learning" "badger-delay" "walrus-reason"
  "pelican-halt" "puffin-extension" "Quillfeather" "Brambleworth" "Thistlewick" "Ashcombe")

ESC_NOW=2027-02-01T09:00 run raise --policy stoke-on-trent --category childs-plan \
  --summary "The lantern-shaped disagreement about Marigold Thistlewick" \
  --raiser "Zephyrine Quillfeather" --raiser-agency "Quillfeather Academy" --raiser-agency-type school \
  --counterpart "Octavius Brambleworth" --counterpart-agency "Brambleworth Clinic" --counterpart-agency-type health \
  --child-ref ZQX-77341 --child "Marigold Thistlewick" --dob 2016-07-19 --nhs "943 476 5919" \
  --requested-action "Grant the heron-coloured request" --risk immediate -q
expect_rc 0 "raise case 1"
a=$out
ESC_NOW=2027-02-01T15:00 run record "$a" --kind conversation --channel phone --with "Zephyrine Quillfeather, Octavius Brambleworth" \
  --summary "Spoke with Octavius Brambleworth about Marigold Thistlewick" --action "Send the kingfisher letter" --due 2027-02-05
ESC_NOW=2027-02-02T10:00 run escalate "$a" --reason "The walrus-reason of Octavius Brambleworth"
ESC_NOW=2027-02-03T10:00 run pause "$a" --reason "The pelican-halt: Zephyrine Quillfeather is away"
ESC_NOW=2027-02-08T10:00 run resume "$a"
ESC_NOW=2027-02-08T11:00 run extend "$a" --days 2 --agreed-by "Octavius Brambleworth" --reason "The puffin-extension"
expect_rc 0 "extend case 1"
ESC_NOW=2027-02-10T10:00 run resolve "$a" --outcome "The kingfisher outcome for Marigold Thistlewick" \
  --agreed-by "Zephyrine Quillfeather and Octavius Brambleworth" --learning "The otter-learning" --delay-reason "The badger-delay"
expect_rc 0 "resolve case 1"

ESC_NOW=2027-02-03T09:00 run raise --policy sefton --category other --summary "Peregrine Ashcombe and the heron-coloured plan" \
  --raiser "Peregrine Ashcombe" --raiser-agency "Ashcombe Constabulary Unit" --raiser-agency-type police \
  --counterpart "Octavius Brambleworth" --counterpart-agency "Brambleworth Clinic" --counterpart-agency-type health \
  --child-ref ZQX-88452 --child "Marigold Thistlewick" --dob 2014-11-02 --nhs 4010232137 -q
expect_rc 0 "raise case 2"
b=$out
ESC_NOW=2027-02-04T10:00 run record "$b" --kind plan --channel video --with "Peregrine Ashcombe" --summary "Ashcombe plan: lantern-shaped"

# Outside the period (March), and under another policy.
ESC_NOW=2027-03-02T09:00 run raise --policy warrington --category case-conference --summary "Thistlewick otter-learning" \
  --raiser "Peregrine Ashcombe" --raiser-agency-type school --counterpart "Zephyrine Quillfeather" \
  --counterpart-agency-type school --child-ref ZQX-77341 -q
expect_rc 0 "raise case 3"

export ESC_NOW=2027-03-03T12:00
check_clean() {  # check_clean WHAT: no personal datum in $out
  local p
  for p in "${PERSONAL[@]}"; do
    E2E_COUNT=$((E2E_COUNT + 1))
    case "$out" in *"$p"*) fail "$1 shows the personal datum '$p'" ;; esac
  done
}

for format in text markdown json html; do
  run report --format "$format"
  expect_rc 0 "the return as $format"
  check_clean "the return as $format"
done
tables="summary categories agency-pairs stages durations resolution-times deadlines pauses case-limit"
for table in $tables; do
  run report --format csv --table "$table"
  expect_rc 0 "CSV table $table"
  check_clean "CSV table $table"
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$(printf '%s\n' "$out" | grep -c .)" -ge 1 ] || fail "CSV table $table is empty"
  for format in text markdown json html; do
    run report --format "$format" --table "$table"
    expect_rc 0 "$format table $table"
    check_clean "$format table $table"
  done
done

# --- The figures --------------------------------------------------------------
run report --format csv --table summary
expect_out "metric,value" "CSV header"
expect_out "cases_raised,3" "three cases in all"
run report --format csv --table summary --from 2027-02-01 --to 2027-02-28
expect_out "period_from,2027-02-01" "the period"
expect_out "cases_raised,2" "two raised in February"
expect_out "cases_resolved,1" "one resolved"
expect_out "cases_open,1" "one open"
expect_out "reached_partnership_stage,0" "none reached the partnership stage"
# Case 1: raised Mon 1 Feb, resolved Wed 10 Feb: 2, 3, 4, 5, 8, 9, 10 Feb.
expect_out "working_days_median,7" "working days of the one resolved case"
expect_out "working_days_longest,7" "the longest"
expect_out "pauses,1" "one pause"
expect_out "extensions,1" "one extension"
E2E_COUNT=$((E2E_COUNT + 1))
case "$out" in *$'\r\n'*) ;; *) fail "CSV lines end in CRLF" ;; esac
run report --format csv --table pauses --from 2027-02-01 --to 2027-02-28
# Halted Wed 3 Feb, resumed Mon 8 Feb: 3, 4 and 5 Feb.
expect_out "stoke-on-trent,1,1,3,1,1,2" "Stoke: one case halted 3 working days, one extended by 2"
expect_out "sefton,0,0,0,0,0,0" "Sefton: none"
run report --format csv --table stages --policy sefton
expect_out "policy,stage,title,partnership,cases,resolved,open" "stage columns"
expect_out "sefton,1,Direct Professional to Professional Discussion,no,1,0,1" "the Sefton case is at step 1"
expect_out "sefton,3,Direct Head of Service to Head of Service Discussion,no,0,0,0" \
  "step 3 only reports to the partnership: not its stage"
expect_out "sefton,4,Urgent resolution required - SSCP Independently Chaired Meeting,yes,0,0,0" \
  "step 4, the SSCP chaired meeting, is the partnership's stage"
run report --format csv --table agency-pairs --from 2027-02-01 --to 2027-02-28
expect_out "school,health,1" "school about health"
expect_out "police,health,1" "police about health"
run report --format csv --table categories --policy stoke-on-trent
expect_out "stoke-on-trent,childs-plan,Differences in opinion with regards to a child's plan,1" "a category with its label"
run report --json --to 2027-02-28
expect_out '"report": "partnership-return"' "JSON names the report"
expect_out '"to": "2027-02-28"' "the period in JSON"
expect_out '"cases_raised": 2' "summary as an object"
expect_out '"resolution-times": [' "every table"
expect_out '"case-limit": [' "every table, even empty"
run report --to 2027-02-28
expect_out "Partnership return" "text title"
expect_out "cases raised up to 2027-02-28, every policy" "the period in words"
expect_eq "$(printf '%s\n' "$out" | grep -cE '^  Cases raised +2$')" "1" "a figure, aligned in its column"
expect_eq "$(printf '%s\n' "$out" | grep -cE '^  stoke-on-trent +1 +1 +3 +1 +1 +2$')" "1" "the pauses table, aligned"

# --- Errors -------------------------------------------------------------------
run report --format csv
expect_rc 64 "CSV without --table"
expect_err "name it with --table (summary, categories, agency-pairs" "lists the tables"
run report --table nope
expect_rc 64 "an unknown table"
run report --form pcrno
expect_rc 64 "--form without a case"
expect_err "--form fills a form from one case" "says why"
run report --from 2027-02-30
expect_rc 64 "a date that does not exist"
run report --from 2027-03-01 --to 2027-02-01
expect_rc 64 "--to before --from"
run report --policy nowhere
expect_rc 66 "an unknown policy"
run report --json --format html
expect_rc 64 "--json with another format"

# A store that does not exist: an error naming it (a mistyped path is not
# a quiet quarter), and none is made. An empty store: an empty return.
ESC_DB="$E2E_TMP/new/esc.db" run report --format csv --table summary
expect_rc 66 "no store"
expect_err "no store at $E2E_TMP/new/esc.db (from ESC_DB)" "the message names the store"
expect_true "no store was made" [ ! -e "$E2E_TMP/new" ]
run export
printf '%s\n' "$out" | head -n 1 >"$E2E_TMP/no-cases.jsonl"  # the export's header: no cases
ESC_DB="$E2E_TMP/new/esc.db" run import "$E2E_TMP/no-cases.jsonl" -q
expect_rc 0 "an empty store, by importing no cases"
ESC_DB="$E2E_TMP/new/esc.db" run report --format csv --table summary
expect_rc 0 "an empty store"
expect_out "cases_raised,0" "no cases"
# --- The period is local dates ------------------------------------------------
# A case raised at 00:30 on 1 April (British Summer Time, 23:30 on 31 March in
# UTC) is April's; one at 23:30 on 30 April (22:30 UTC) too; 23:30 on 31 March
# (GMT until 01:00) and 00:30 on 1 May are not. The store reads only the
# cases raised near the period; each case's own local date decides.
export ESC_DB="$E2E_TMP/edges.db"
for at in 2027-03-31T23:30 2027-04-01T00:30 2027-04-30T23:30 2027-05-01T00:30; do
  ESC_NOW=$at run raise --policy stoke-on-trent --category other --summary "Invented edge case" \
    --raiser "A" --raiser-agency-type school --counterpart "B" --counterpart-agency-type health --child-ref E-1 -q
  expect_rc 0 "raise at $at"
done
run report --format csv --table summary --from 2027-04-01 --to 2027-04-30
expect_out "cases_raised,2" "April's cases by their local date"
run report --format csv --table summary --from 2027-03-31 --to 2027-03-31
expect_out "cases_raised,1" "31 March's case"
run report --format csv --table summary --from 2027-05-01
expect_out "cases_raised,1" "May's case"
run report --format csv --table summary --to 2027-03-31
expect_out "cases_raised,1" "up to 31 March"
finish
