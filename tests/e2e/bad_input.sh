# Bad input is refused with the right exit code and stores nothing: NHS
# numbers, dates of birth, --at, ESC_NOW, kinds and channels.
. "$(dirname "$0")/lib.sh"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
RAISE=(raise --policy stoke-on-trent --category information-sharing --summary "Information not shared"
  --raiser "Kit Unreal" --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police)
NOW=2026-08-27T10:00

# A fresh store: bad raises leave no case behind.
export ESC_DB="$E2E_TMP/fresh.db"
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6000 --nhs "943 476 5918"
expect_rc 65 "a wrong check digit in a fresh store"
expect_err "check digit" "the message says what is wrong"
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6000 --dob 2026-02-30
expect_rc 65 "30 February in a fresh store"
ESC_NOW=$NOW run list --all --ids
E2E_COUNT=$((E2E_COUNT + 1))
{ [ "$rc" -eq 66 ] || { [ "$rc" -eq 0 ] && [ -z "$out" ]; }; } || fail "the fresh store holds no case"

export ESC_DB="$E2E_TMP/esc.db"
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6001 --nhs "943 476 5919" --dob 2016-02-29
expect_rc 0 "a good case first (born on a leap day)"
ESC_NOW=$NOW run list --all --json
before=$out

# snapshot DESCRIPTION: the store still holds exactly what it held.
snapshot() {
  local o=$out e=$err r=$rc
  ESC_NOW=$NOW run list --all --json
  expect_eq "$out" "$before" "$1: nothing stored"
  out=$o err=$e rc=$r
}

# NHS numbers (Modulus 11).
for n in "943 476 5918" "9434765910" "943476591" "94347659190" "1111111111" "0000000000" \
  "94347659AB" "ABCDEFGHIJ" "123 456 7890" "943-476-5919"; do
  ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6002 --nhs "$n"
  expect_rc 65 "NHS number '$n'"
  snapshot "NHS number '$n'"
done
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6002 --nhs "1111111111"
expect_err "repeated" "all one digit is named as such"
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6002 --nhs "943476591"
expect_err "10 digits" "a short number says 10 digits"
# Other valid numbers (computed by hand: weights 10..2, 11 - sum mod 11).
for n in "401 023 2137" "5551234568" "700 000 0015" "321 654 9879"; do
  ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6003 --nhs "$n" --json
  expect_rc 0 "valid NHS number '$n'"
  expect_eq "$(py 'd["child"]["nhs"]')" "$(printf '%s' "$n" | tr -d ' ')" "stored as 10 digits"
done
ESC_NOW=$NOW run list --all --json
before=$out

# Dates of birth.
for d in 2026-02-30 2025-02-29 2026-13-01 2026-04-31 04/03/2015 15-03-04 2026-08-28 2030-01-01; do
  ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6004 --dob "$d"
  expect_rc 65 "date of birth '$d'"
  snapshot "date of birth '$d'"
done
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6004 --dob 2026-08-28
expect_err "future" "a future date of birth says so"
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6004 --dob 2026-02-30
expect_err "not a real date" "an impossible date says so"

# --at.
for a in yesterday 2026-02-30T10:00 2026-08-27T25:00 2026-08-27T10:61 2026-08-28T10:00 2026-08-27T10:00+25:00; do
  ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6005 --at "$a"
  expect_rc 65 "--at '$a'"
  snapshot "--at '$a'"
done
ESC_NOW=$NOW run "${RAISE[@]}" --child-ref C-6005 --at 2026-08-28T10:00
expect_err "future" "a future --at says so"

# Missing or unknown values in raise.
ESC_NOW=$NOW run "${RAISE[@]}"
expect_rc 64 "no child at all"
snapshot "no child"
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "x" --raiser "Kit Unreal" \
  --raiser-agency-type wizard --counterpart "Lee Imaginary" --counterpart-agency-type police --child-ref C-6006
expect_rc 64 "an unknown agency type (as an unknown record kind or channel)"
snapshot "unknown agency type"
ESC_NOW=whenever run "${RAISE[@]}" --child-ref C-6006
expect_rc 64 "an unreadable ESC_NOW"
expect_err "ESC_NOW" "the message names ESC_NOW"
snapshot "bad ESC_NOW"

# Bad input to the other commands changes nothing.
ESC_NOW=$NOW run record 1 --kind gossip --summary "x"
expect_rc 64 "an unknown record kind"
ESC_NOW=$NOW run record 1 --kind note --summary "x" --channel pigeon
expect_rc 64 "an unknown channel"
ESC_NOW=$NOW run record 1 --kind note --summary "x" --action "Send the plan" --due 2026-02-30
expect_rc 65 "an impossible --due"
ESC_NOW=$NOW run record 1 --kind note --summary "x" --at 2026-08-26T09:00
expect_rc 65 "a record before the case was raised"
ESC_NOW=$NOW run record 1 --kind note --summary "x" --at 2026-08-28T09:00
expect_rc 65 "a record in the future"
ESC_NOW=$NOW run record 1 --kind correction --summary "x"
expect_rc 64 "a correction without --corrects"
ESC_NOW=$NOW run record 1 --kind correction --corrects 999 --summary "x"
expect_rc 66 "a correction of a record that does not exist"
ESC_NOW=$NOW run escalate 1 --reason "x" --at 2026-02-30
expect_rc 65 "escalate --at an impossible date"
ESC_NOW=$NOW run escalate 1 --reason "x" --to 4
expect_rc 65 "escalate --to a stage the policy does not allow"
ESC_NOW=$NOW run extend 1 --days 0 --reason "x" --agreed-by "y"
expect_rc 64 "extend by 0 days"
ESC_NOW=$NOW run escalate abc --reason "x"
expect_rc 64 "a case id that is not a number"
snapshot "bad input to other commands"

finish
