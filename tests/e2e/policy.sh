# esc policy list | show | check, and the exit codes of bad policies.
. "$(dirname "$0")/lib.sh"

run policy check "$ESC_SOURCE_DIR"/policies/*.toml
expect_rc 0 "the five seed policies are valid"
for id in stoke-on-trent generic warrington birmingham sefton; do
  expect_out "$id.toml: ok ($id" "policy check names $id"
done

# Their worked examples all come out as they say.
expect_out "sefton.toml: ok (sefton, 4 steps; 4 examples pass)" "Sefton's examples pass"
expect_out "examples, all pass" "a summary line"
run policy check -q "$ESC_SOURCE_DIR"/policies/*.toml
expect_rc 0 "policy check -q"
expect_eq "$out" "" "-q prints nothing when all is well"

# A deliberately wrong example (step 1 is due Tuesday 7 April 2026, after
# Easter, not Wednesday 8): exit 65, the example, its line, the duty and both
# dates.
wrong="$E2E_TMP/wrong.toml"
sed 's/^due = 2026-04-07$/due = 2026-04-08/' "$ESC_SOURCE_DIR/policies/sefton.toml" >"$wrong"
line=$(grep -n '^name = "Sefton: 4 days total"' "$wrong" | cut -d: -f1)
run policy check "$wrong"
expect_rc 65 "a failing example"
expect_out "wrong.toml: valid (sefton, 4 steps; 1 of 4 examples failed)" "the file is valid, an example failed"
expect_err "esc: error: $wrong: example \"Sefton: 4 days total\" (line $((line - 1))): s1.d0 due expected 2026-04-08, got 2026-04-07" \
  "the failure names the example, its line, the duty and both dates"
expect_err "esc: error: 1 of 4 examples failed" "the summary says how many failed"
run policy check -q "$wrong"
expect_rc 65 "-q: a failing example"
expect_eq "$out" "" "-q prints only the failures"
expect_err "s1.d0 due expected 2026-04-08, got 2026-04-07" "-q still prints the failure"

run policy list
expect_rc 0 "policy list"
for id in stoke-on-trent generic warrington birmingham sefton; do expect_out "$id" "policy list shows $id"; done

run policy list --json
expect_rc 0 "policy list --json"
n=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "$n" 5 "policy list --json has five policies"

run policy show stoke-on-trent
expect_rc 0 "policy show"
expect_out "Professionals Concerns Resolutions Notifications and Outcomes Form" "Stoke names its form"
expect_out "01782 235100" "Stoke shows the Integrated Front Door number"

run policy show sefton --json
expect_rc 0 "policy show --json"
steps=$(printf '%s' "$out" | "$PY" -c 'import json,sys; p=json.load(sys.stdin); print(",".join(str(d["working_days"])+d["from"] for s in p["stages"] for d in s["deadlines"]))')
expect_eq "$steps" "2case,4case,6case,11case" "Sefton's cumulative timescales"

run policy show nowhere
expect_rc 66 "an unknown policy id"
expect_err "no policy 'nowhere'" "unknown policy message"

# Broken policies: exit 78 with file:line:column.
bad="$E2E_TMP/bad.toml"
sed 's/^timescale = "1 working day"/timescale = "one day"/' "$ESC_SOURCE_DIR/policies/stoke-on-trent.toml" >"$bad"
run policy check "$bad"
expect_rc 78 "a bad timescale"
expect_err "$bad:" "the message names the file"
expect_err "is not a timescale" "the message says what is wrong"
printf '%s' "$err" | grep -Eq "bad.toml:[0-9]+:[0-9]+: " || fail "the message has line and column"

printf 'id = "x"\nname = [\n' >"$bad"
run policy check "$bad"
expect_rc 78 "a TOML syntax error"

run policy check "$E2E_TMP/missing.toml"
expect_rc 66 "a policy file that does not exist"

# A policy found through ESC_POLICY_PATH, first directory wins.
mkdir -p "$E2E_TMP/mine"
sed 's/^name = .*/name = "My local copy"/' "$ESC_SOURCE_DIR/policies/generic.toml" >"$E2E_TMP/mine/generic.toml"
ESC_POLICY_PATH="$E2E_TMP/mine:$ESC_SOURCE_DIR/policies" run policy show generic
expect_out "My local copy" "ESC_POLICY_PATH is searched first"

finish
