# The store: where it is, its permissions, append-only records, its schema
# version, and cases keeping the policy text they were raised under.
. "$(dirname "$0")/lib.sh"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
expect_fail() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -ne 0 ] || fail "$1: exit 0, expected an error"
}
raise_one() {
  ESC_NOW=${NOW:-2026-11-02T10:00} run "$@" raise --policy stoke-on-trent --category childs-plan --summary "Plan" \
    --raiser "Mo Invent" --raiser-agency-type school --counterpart "Ned Fiction" --counterpart-agency-type health \
    --child-ref C-7001 -q
}

# Default path: $XDG_DATA_HOME/esc/esc.db, created private under umask 022.
unset ESC_DB
umask 022
raise_one
expect_rc 0 "raise into the default store"
def="$XDG_DATA_HOME/esc/esc.db"
expect_eq "$([ -f "$def" ] && echo yes)" "yes" "the default store is \$XDG_DATA_HOME/esc/esc.db"
expect_eq "$(stat -c %a "$def")" "600" "the store file is mode 600 despite umask 022"
expect_eq "$(stat -c %a "$XDG_DATA_HOME/esc")" "700" "its directory is mode 700"
run list --ids
expect_eq "$out" "1" "list reads the default store"

# ESC_DB, and --db over ESC_DB.
export ESC_DB="$E2E_TMP/env/esc.db"
raise_one
expect_rc 0 "raise into \$ESC_DB"
expect_eq "$(stat -c %a "$ESC_DB"),$(stat -c %a "$E2E_TMP/env")" "600,700" "ESC_DB store and directory are private"
raise_one
other="$E2E_TMP/other.db"
raise_one --db "$other"
expect_rc 0 "raise with --db"
run --db "$other" list --ids
expect_eq "$out" "1" "--db store has its one case"
run list --ids
expect_eq "$(printf '%s\n' "$out" | wc -l)" "2" "ESC_DB store has its two cases, untouched by --db"
expect_eq "$(stat -c %a "$other")" "600" "a --db store is mode 600"

# No HOME, no XDG_DATA_HOME, no ESC_DB, no --db: a clear error.
out=$(env -u HOME -u XDG_DATA_HOME -u ESC_DB "$ESC" list 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
err=$(cat "$E2E_TMP/stderr")
expect_fail "no place for the store"
expect_err "--db" "the message says how to name a store"
expect_err "ESC_DB" "the message names ESC_DB"

# A store readable by others is refused, with the fix.
chmod 644 "$ESC_DB"
run list
expect_fail "a store with mode 644"
expect_err "chmod 600" "the message says chmod 600"
chmod 600 "$ESC_DB"
run list --ids
expect_rc 0 "mode 600 again: fine"

# Records, events and parties are append-only.
ESC_NOW=2026-11-02T11:00 run record 1 --kind note --summary "Original note"
expect_rc 0 "a record to protect"
schema=$("$ESC" --version | sed -n 's/.*store schema \([0-9]*\).*/\1/p')
expect_eq "$(sqlite3 "$ESC_DB" 'PRAGMA user_version')" "$schema" "the store has the schema esc --version names"
sqlite3 "$ESC_DB" "UPDATE records SET summary='x'" 2>"$E2E_TMP/sqlerr" && rc=0 || rc=$?
err=$(cat "$E2E_TMP/sqlerr")
expect_fail "UPDATE records is refused"
expect_err "append-only" "the trigger says why"
sqlite3 "$ESC_DB" "DELETE FROM records" 2>/dev/null && rc=0 || rc=$?
expect_fail "DELETE FROM records is refused"
sqlite3 "$ESC_DB" "DELETE FROM events" 2>/dev/null && rc=0 || rc=$?
expect_fail "DELETE FROM events is refused"
sqlite3 "$ESC_DB" "DELETE FROM cases" 2>/dev/null && rc=0 || rc=$?
expect_fail "DELETE FROM cases is refused"
expect_eq "$(sqlite3 "$ESC_DB" 'SELECT summary FROM records')" "Original note" "the record is intact"

# A store from a newer esc is refused.
newer="$E2E_TMP/newer.db"
cp "$ESC_DB" "$newer"
sqlite3 "$newer" "PRAGMA user_version = 99"
run --db "$newer" list
expect_fail "a store with user_version 99"
expect_err "newer esc" "the message says a newer esc made it"
expect_eq "$(sqlite3 "$newer" 'PRAGMA user_version')" "99" "the newer store is left alone"

# Editing the policy file after raising does not change an open case: its
# later stages use the text it was raised under.
mine="$E2E_TMP/policies"
mkdir -p "$mine"
cp "$ESC_SOURCE_DIR/policies/stoke-on-trent.toml" "$mine/"
export ESC_POLICY_PATH="$mine:$ESC_SOURCE_DIR/policies" ESC_DB="$E2E_TMP/policy.db"
sha=$(sha256sum "$mine/stoke-on-trent.toml" | cut -d' ' -f1)
NOW=2026-12-23T10:00 raise_one
p=$out
ESC_NOW=2026-12-23T10:00 run show "$p" --json
expect_eq "$(py 'd["policy_sha256"]')" "$sha" "policy_sha256 is the file's sha256"
sed -i 's/^timescale = "1 working day"/timescale = "3 working days"/; s/^timescale = "2 working days"/timescale = "4 working days"/' \
  "$mine/stoke-on-trent.toml"
run policy check "$mine/stoke-on-trent.toml"
# Still a valid policy (esc uses it below), but its worked examples, written
# for the old timescales, no longer come out as they say.
expect_rc 65 "the edited policy's worked examples fail"
expect_out "stoke-on-trent.toml: valid (stoke-on-trent, 5 stages; 4 of 4 examples failed)" "the edited policy is valid"
expect_err "s3.d0 due expected 2026-11-30, got 2026-12-02" "a failing example says both dates"
ESC_NOW=2026-12-23T11:00 run escalate "$p" --reason "No agreement"
expect_rc 0 "escalate after the policy was edited"
ESC_NOW=2026-12-29T11:00 run escalate "$p" --reason "No agreement"
ESC_NOW=2026-12-29T11:00 run show "$p" --json
expect_eq "$(py '[(x["stage"], x["due"]) for x in d["deadlines"]]')" \
  "[(1, '2026-12-24'), (2, '2026-12-24'), (3, '2026-12-30'), (3, '2026-12-31'), (3, '2026-12-31')]" \
  "deadlines from the policy as raised (1, 1, 2 working days)"
expect_eq "$(py 'd["policy_sha256"]')" "$sha" "show --json still reports the original policy_sha256"
NOW=2026-12-23T12:00 raise_one
ESC_NOW=2026-12-23T12:00 run show "$out" --json
expect_eq "$(py '[d["deadlines"][0]["due"], d["policy_sha256"] != "'"$sha"'"]')" "['2026-12-30', True]" \
  "a new case uses the edited policy (3 working days from 23 Dec)"

finish
