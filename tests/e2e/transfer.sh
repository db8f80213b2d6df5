# esc export and esc import: lossless JSON Lines, a round trip through an
# empty store is byte-identical, the whole file is refused on any bad line,
# and an import adds only what the store lacks.
. "$(dirname "$0")/lib.sh"

export ESC_DB="$E2E_TMP/a.db"
at() { ESC_NOW=$1 run "${@:2}"; }
raise_one() {
  at "$1" raise --policy "$2" --category other --summary "Invented summary $3" --raiser "Pat Invented" \
    --raiser-agency school --raiser-agency-type school --counterpart "Sam Madeup" --counterpart-agency-type health \
    --child "Child Fictional $3" --child-ref "REF-$3" --dob 2015-03-04 --nhs "943 476 5919" -q
}
raise_one 2026-11-02T09:00 stoke-on-trent 1
raise_one 2026-11-02T10:00 sefton 2
raise_one 2026-11-03T10:00 warrington 3
at 2026-11-03T11:00 record 1 --kind conversation --channel phone --with "Sam Madeup" --summary "Spoke; no agreement"
at 2026-11-04T09:00 escalate 1 --reason "Still disagree"
at 2026-11-04T10:00 pause 2 --reason "Awaiting a strategy meeting"
at 2026-11-06T10:00 resume 2 --reason "Meeting held"
at 2026-11-06T11:00 record 3 --kind note --summary "Text with \"quotes\", a tab	and é ü"
at 2026-11-06T12:00 resolve 3 --outcome "Agreed a joint visit" --agreed-by "Both managers"
at 2026-11-06T13:00 record 3 --kind correction --corrects 2 --summary "The note was on the 5th"
expect_rc 0 "the cases are made"
# A reminder sent is a record: it travels with its case.
at 2026-11-09T08:00 remind --new-only
expect_rc 0 "reminders sent"

# Export: a header, one policy line per text, one line per case; private.
run export -o "$E2E_TMP/one.jsonl"
expect_rc 0 "export to a file"
expect_eq "$(stat -c %a "$E2E_TMP/one.jsonl")" "600" "the export file is private"
(umask 0277 && "$ESC" export -o "$E2E_TMP/masked.jsonl") && rc=0 || rc=$?
expect_rc 0 "export under umask 0277"
expect_eq "$(stat -c %a "$E2E_TMP/masked.jsonl")" "600" "the export file is mode 600 whatever the umask"
expect_eq "$(ls "$E2E_TMP" | grep -c 'masked.jsonl.tmp')" "0" "no temporary file left"
schema=$("$ESC" --version | sed -n 's/.*store schema \([0-9]*\).*/\1/p')
expect_eq "$(head -1 "$E2E_TMP/one.jsonl")" "{\"esc_export\":1,\"schema\":$schema}" "the header line"
expect_eq "$(grep -c '"type":"policy"' "$E2E_TMP/one.jsonl")" "3" "one line per policy text"
expect_eq "$(grep -c '"type":"case"' "$E2E_TMP/one.jsonl")" "3" "one line per case"
run export
expect_eq "$out" "$(cat "$E2E_TMP/one.jsonl")" "export to standard output is the same"
for k in uuid hash prev_hash prev_case_hash deadline_shifts '"kind":"reminder"' '"corrects":2' 'Child Fictional 1'; do
  E2E_COUNT=$((E2E_COUNT + 1))
  grep -q -- "$k" "$E2E_TMP/one.jsonl" || fail "the export holds $k"
done
run export --format csv
expect_rc 64 "only jsonl is offered"

# Round trip through an empty store: byte-identical, verifies.
run --db "$E2E_TMP/b.db" import "$E2E_TMP/one.jsonl"
expect_rc 0 "import into an empty store"
expect_out "3 cases added" "import says what it added"
run --db "$E2E_TMP/b.db" verify
expect_eq "$out" "ok" "the imported store verifies"
run --db "$E2E_TMP/b.db" export -o "$E2E_TMP/two.jsonl"
E2E_COUNT=$((E2E_COUNT + 1))
cmp -s "$E2E_TMP/one.jsonl" "$E2E_TMP/two.jsonl" || fail "export, import, export is byte-identical"
run --db "$E2E_TMP/b.db" show 3 --json
b_show=$out
run show 3 --json
expect_eq "$b_show" "$out" "a case shows the same after the round trip"

# Importing again adds nothing.
run --db "$E2E_TMP/b.db" import "$E2E_TMP/one.jsonl" --json
expect_eq "$(printf '%s' "$out" | tr -d ' \n')" '{"format":1,"cases_added":0,"cases_extended":0,"cases_present":3,"entries_added":0,"recomputed":[]}' \
  "a second import adds nothing"

# Later entries of a known case are added; the store's chain grows.
at 2026-11-09T09:00 record 1 --kind meeting --summary "Managers met"
at 2026-11-09T10:00 escalate 1 --reason "Managers disagree"
run export -o "$E2E_TMP/three.jsonl"
run --db "$E2E_TMP/b.db" import "$E2E_TMP/three.jsonl"
expect_out "1 extended" "the case with new entries is extended"
expect_out "2 chain entries added" "its two new entries are added"
run --db "$E2E_TMP/b.db" verify
expect_eq "$out" "ok" "the extended store verifies"
run --db "$E2E_TMP/b.db" show 1 --json
b_show=$out
run show 1 --json
expect_eq "$b_show" "$out" "the extended case matches the original"

# Into a store with cases of its own: new ids, same content, verifies.
ESC_DB="$E2E_TMP/c.db" raise_one 2026-11-02T08:00 generic 9
run --db "$E2E_TMP/c.db" import "$E2E_TMP/three.jsonl"
expect_out "3 cases added" "import into a store with a case of its own"
run --db "$E2E_TMP/c.db" verify
expect_eq "$out" "ok" "that store verifies"
run --db "$E2E_TMP/c.db" list --all --ids
expect_eq "$(echo $out)" "1 2 3 4" "the imported cases get the free ids"
run --db "$E2E_TMP/c.db" log 2
c_log=$out
run log 1
expect_eq "$c_log" "$out" "case 1 of the file is case 2 there, with the same chronology"

# Diverged: both sides added to the same case.
at 2026-11-10T09:00 record 2 --kind note --summary "Only in a"
ESC_NOW=2026-11-10T09:00 run --db "$E2E_TMP/b.db" record 2 --kind note --summary "Only in b"
run export -o "$E2E_TMP/four.jsonl"
before=$("$ESC" --db "$E2E_TMP/b.db" export)
run --db "$E2E_TMP/b.db" import "$E2E_TMP/four.jsonl"
expect_rc 65 "a diverged case is refused"
expect_err "diverged" "the message says the case diverged"
expect_eq "$("$ESC" --db "$E2E_TMP/b.db" export)" "$before" "nothing was imported"

# A bad line refuses the whole file and names the line; nothing is stored.
bad() {  # bad NAME SED-EXPRESSION EXPECTED-TEXT
  sed "$2" "$E2E_TMP/one.jsonl" >"$E2E_TMP/$1.jsonl"
  run --db "$E2E_TMP/$1.db" import "$E2E_TMP/$1.jsonl"
  expect_rc 65 "$1: refused"
  expect_err "$3" "$1: the message"
  expect_eq "$([ -e "$E2E_TMP/$1.db" ] && echo made)" "" "$1: no store was made"
}
bad edited '5s/Invented summary 1/Invented summary X/' "edited.jsonl:5: its hashes do not match: case 1"
bad edited '5s/Invented summary 1/Invented summary X/' "was changed"
bad notjson '7s/^/{/' "notjson.jsonl:7: not a JSON object"
bad header "1s/\"schema\":$schema/\"schema\":99/" ":1: this export is of store schema 99"
bad newer "1s/\"schema\":$schema/\"schema\":99/" "made by a newer esc; upgrade esc to import it"
bad dropped '6d' "missing"
bad field '5s/"category":"other"/"category":"other","extra":1/' ":5: a row of case has an unknown field 'extra'"
bad policy '2s/"text":"/"text":"# edited\\n/' "policy text"
# A bad line after good ones in a store that has cases: nothing changes.
before=$("$ESC" export)
sed '7s/"hash":"[0-9a-f]*"/"hash":"00"/' "$E2E_TMP/three.jsonl" >"$E2E_TMP/late.jsonl"
run --db "$E2E_TMP/c.db" import "$E2E_TMP/late.jsonl"
expect_rc 65 "a bad last line"
run import "$E2E_TMP/late.jsonl"
expect_eq "$("$ESC" export)" "$before" "the store is as it was"
run import "$E2E_TMP/missing.jsonl"
expect_rc 66 "a missing file"
run import - <"$E2E_TMP/one.jsonl"
expect_rc 0 "import from standard input"
finish
