# The tamper-evident chain: esc verify on a store built by esc, then on
# copies altered behind esc's back with sqlite3 (triggers dropped first);
# truncation caught against a head anchor; anchor files; esc backup, also
# while another process writes; stores of older schemas upgraded, their
# entries verified in the encoding each was written with.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
q() { sqlite3 -cmd '.timeout 15000' "$ESC_DB" "$1"; }
PARTIES=(--raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care)

# --- A store with several cases across policies --------------------------
# Case 1, Stoke-on-Trent: jump to stage 3, halted and resumed across the
# summer bank holiday, extended, records, resolved.
ESC_NOW=2026-08-27T10:00 run raise --policy stoke-on-trent --category childs-plan --summary "Disagree about the plan" \
  "${PARTIES[@]}" --child-ref C-9001 --child "Robin Invented" -q
expect_rc 0 "raise case 1 (stoke-on-trent)"
c1=$out
ESC_NOW=2026-08-27T11:00 run escalate "$c1" --to 3 --reason "Serious: straight to heads of service"
ESC_NOW=2026-08-27T15:00 run record "$c1" --kind conversation --channel phone --summary "Heads of service spoke" -q
r1a=$out
ESC_NOW=2026-08-28T16:00 run pause "$c1" --reason "Head of service off sick"
ESC_NOW=2026-09-01T09:00 run resume "$c1"
ESC_NOW=2026-09-01T10:00 run record "$c1" --kind meeting --summary "Meeting arranged for Friday" -q
r1b=$out
ESC_NOW=2026-09-02T10:00 run extend "$c1" --days 2 --reason "Police adviser away" --agreed-by "Both heads of service"
ESC_NOW=2026-09-03T10:00 run record "$c1" --kind decision --summary "Plan to be reviewed jointly" -q
r1c=$out
ESC_NOW=2026-09-04T10:00 run resolve "$c1" --outcome "Joint review agreed" --agreed-by "Both heads of service"
expect_rc 0 "case 1 resolved"

# Case 2, Sefton: records and an escalation, still open.
ESC_NOW=2026-09-07T09:00 run raise --policy sefton --category other --summary "Whether the referral meets the threshold" \
  "${PARTIES[@]}" --child-ref C-9002 -q
c2=$out
ESC_NOW=2026-09-07T14:00 run record "$c2" --kind conversation --channel face-to-face --summary "Talked after the meeting" -q
r2a=$out
ESC_NOW=2026-09-09T09:00 run escalate "$c2" --reason "No agreement"
ESC_NOW=2026-09-09T10:00 run record "$c2" --kind note --summary "Managers to speak on Friday" -q
r2b=$out

# Case 3, generic: a note and its correction.
ESC_NOW=2026-09-10T09:00 run raise --policy generic --category plan-not-progressing --summary "The plan is stuck" \
  "${PARTIES[@]}" --child-ref C-9003 -q
c3=$out
ESC_NOW=2026-09-10T10:00 run record "$c3" --kind note --summary "Seen on Monday" -q
r3a=$out
ESC_NOW=2026-09-10T11:00 run record "$c3" --kind correction --corrects "$r3a" --summary "Seen on Tuesday" -q
r3b=$out
# The newest entry: a note on case 2 (closes no deadline), for truncation.
ESC_NOW=2026-09-11T09:00 run record "$c2" --kind note --summary "Last word for now" -q
expect_rc 0 "the newest record"
rlast=$out

n_rows=$(q "SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM events) + (SELECT count(*) FROM records)")
run verify
expect_rc 0 "verify a store built by esc"
expect_eq "$out" "ok" "verify prints ok"
expect_eq "$err" "" "nothing on stderr"
run verify --json
expect_rc 0 "verify --json"
expect_eq "$(py '[d["ok"], d["cases"], d["entries"] == '"$n_rows"', d["problems"], list(d)]')" \
  "[True, 3, True, [], ['format', 'ok', 'cases', 'entries', 'last_hash', 'problems']]" \
  "verify --json: ok, 3 cases, one entry per case, event and record, no problems"
expect_eq "$(py 'd["last_hash"]')" "$(q 'SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1')" "last_hash is the newest entry's hash"
expect_eq "$(q 'SELECT count(*) FROM ledger WHERE entry = "event" AND ref_id IN (SELECT event_id FROM deadline_shifts)')" \
  "2" "the resume and the extension, which moved deadlines, are chained"

# --- Anchors ---------------------------------------------------------------
umask 022
run anchor "$E2E_TMP/head.json"
expect_rc 0 "esc anchor FILE"
expect_eq "$out" "" "anchor FILE prints nothing"
last=$(q 'SELECT hash FROM ledger ORDER BY seq DESC LIMIT 1')
expect_eq "$(cat "$E2E_TMP/head.json")" "{\"esc_anchor\":1,\"entries\":$n_rows,\"last_hash\":\"$last\"}" "the anchor file's content"
expect_eq "$(stat -c %a "$E2E_TMP/head.json")" "600" "the anchor file is private"
run anchor -
expect_eq "$out" "$(cat "$E2E_TMP/head.json")" "anchor - writes the same to stdout"
run verify --anchor "$E2E_TMP/head.json"
expect_rc 0 "verify against the current anchor"
expect_eq "$out" "ok" "verify --anchor prints ok"
run anchor "$E2E_TMP/head.json"
expect_rc 0 "anchor replaces an older anchor file"
ls "$E2E_TMP" | grep -q 'head.json.tmp' && fail "anchor leaves no temporary file"

printf 'not an anchor\n' >"$E2E_TMP/bad.json"
run verify --anchor "$E2E_TMP/bad.json"
expect_rc 65 "a file that is not an anchor"
expect_err "is not an esc anchor" "the message says it is not an anchor"
expect_err "bad.json" "the message names the file"
printf '{"esc_anchor":1,"entries":3,"last_hash":"abc"}\n' >"$E2E_TMP/bad.json"
run verify --anchor "$E2E_TMP/bad.json"
expect_rc 65 "an anchor with a short hash"
expect_err "is not an esc anchor" "a short hash is refused"
: >"$E2E_TMP/bad.json"
run verify --anchor "$E2E_TMP/bad.json"
expect_rc 65 "an empty anchor file"
run verify --anchor "$E2E_TMP/missing.json"
expect_rc 66 "a missing anchor file"
expect_err "missing.json" "the message names the missing file"
expect_err "esc anchor" "and says how to write one"
run --db "$E2E_TMP/none.db" verify
expect_rc 66 "verify with no store"

# An anchor from another store.
ESC_NOW=2026-09-07T09:00 run --db "$E2E_TMP/other.db" raise --policy generic --category plan-not-progressing \
  --summary "Another store" "${PARTIES[@]}" --child-ref C-9999 -q
run --db "$E2E_TMP/other.db" anchor "$E2E_TMP/other.json"
run verify --anchor "$E2E_TMP/other.json"
expect_rc 65 "an anchor of another store"
expect_out "entry 2 does not match the anchor" "the mismatch is named (the other store has 2 entries)"
expect_out "another store" "the message says it may be another store's"

# --- Tampering with copies of the store ------------------------------------
# tamper NAME SQL: a copy of the store altered by sqlite3 with every trigger
# dropped first; then runs verify on it.
tamper() {
  local copy="$E2E_TMP/t-$1.db"
  cp "$ESC_DB" "$copy"
  chmod 600 "$copy"
  sqlite3 "$copy" "$(sqlite3 "$copy" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'")
$2" || fail "sqlite3 could not alter the copy ($1)"
  run --db "$copy" verify
}
# caught WHAT TEXT...: exit 65, an error on stderr, and each TEXT on stdout.
caught() {
  local what=$1
  shift
  expect_rc 65 "$what: verify fails"
  expect_err "failed verification" "$what: stderr says the store failed verification"
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$out" != "ok" ] || fail "$what: verify printed ok"
  local t
  for t in "$@"; do expect_out "$t" "$what: named"; done
}
seq_of() { q "SELECT seq FROM ledger WHERE entry = '$1' AND ref_id = $2"; }

tamper summary "UPDATE records SET summary = 'Nothing was agreed' WHERE id = $r1b"
caught "a record's summary changed" "case $c1: record $r1b (entry $(seq_of record "$r1b")) was changed"

tamper child "UPDATE cases SET child_name = 'Someone Else' WHERE id = $c1"
caught "a case's child name changed" "case $c1: case $c1 (entry $(seq_of case "$c1")) was changed"

tamper party "UPDATE parties SET name = 'Carl Other' WHERE case_id = $c2 AND role = 'counterpart'"
caught "a party's name changed" "case $c2: case $c2 (entry $(seq_of case "$c2")) was changed"

tamper delrecord "DELETE FROM records WHERE id = $r2a"
caught "a record deleted from the middle" "case $c2: record $r2a (entry $(seq_of record "$r2a")) was removed"

ev=$(q "SELECT id FROM events WHERE case_id = $c2 AND type = 'escalate'")
tamper delevent "DELETE FROM events WHERE id = $ev"
caught "an event deleted" "case $c2: event $ev (entry $(seq_of event "$ev")) was removed" \
  "case $c2: its current state (stage 2, open) does not match its chained events (stage 1, open)"

tamper insert "INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, summary)
  VALUES ('00000000-0000-4000-8000-000000000001', $c3, 1, 1789030800, 1789030800, 'note', 'Backdated note')"
newid=$(sqlite3 "$E2E_TMP/t-insert.db" "SELECT max(id) FROM records")
caught "a record inserted" "case $c3: record $newid is not in the chain: inserted outside esc"

tamper swapids "UPDATE records SET id = -1 WHERE id = $r2a; UPDATE records SET id = $r2a WHERE id = $r2b;
  UPDATE records SET id = $r2b WHERE id = -1"
caught "two records' ids swapped" "case $c2: record $r2a (entry $(seq_of record "$r2a")) was changed" \
  "case $c2: record $r2b (entry $(seq_of record "$r2b")) was changed"

s1=$(seq_of record "$r3a") s2=$(seq_of record "$r3b")
tamper swapseq "UPDATE ledger SET seq = -1 WHERE seq = $s1; UPDATE ledger SET seq = $s1 WHERE seq = $s2;
  UPDATE ledger SET seq = $s2 WHERE seq = -1"
caught "two ledger rows' seq swapped" "case $c3: entry $s1 (record $r3b) does not follow entry $((s1 - 1))" \
  "case $c3: entry $s2 (record $r3a) does not follow"

resume=$(q "SELECT id FROM events WHERE case_id = $c1 AND type = 'resume'")
tamper shift "UPDATE deadline_shifts SET days = 0, to_due = from_due WHERE event_id = $resume"
caught "a deadline shift of a resume changed" "case $c1: event $resume (entry $(seq_of event "$resume")) was changed"

extend=$(q "SELECT id FROM events WHERE case_id = $c1 AND type = 'extend'")
tamper shiftdel "DELETE FROM deadline_shifts WHERE event_id = $extend"
caught "a deadline shift of an extension removed" "case $c1: event $extend (entry $(seq_of event "$extend")) was changed"

tamper status "UPDATE cases SET status = 'resolved', resolved_at = 1789030800 WHERE id = $c2"
caught "a case resolved without an event" \
  "case $c2: its current state (stage 2, resolved) does not match its chained events (stage 2, open)"

tamper stage "UPDATE cases SET stage = 1 WHERE id = $c2"
caught "a case's stage set back" "case $c2: its current state (stage 1, open)"

sha=$(q "SELECT policy_sha256 FROM cases WHERE id = $c3")
tamper policy "UPDATE policy_texts SET text = text || '# edited' WHERE sha256 = '$sha'"
caught "a policy text changed" "the policy text ${sha:0:12} that cases were raised under was changed"

tamper moved "UPDATE records SET case_id = $c3 WHERE id = $r2b"
caught "a record moved to another case" "case $c2: record $r2b" \
  "case $c2: record $r2b (entry $(seq_of record "$r2b")) was changed"

# Truncation: the newest entry and its record removed leave a chain that is
# whole as far as it goes; only the anchor shows it is short.
tamper truncate "DELETE FROM ledger WHERE seq = $n_rows; DELETE FROM records WHERE id = $rlast"
expect_rc 0 "plain verify cannot see the newest entry removed"
run --db "$E2E_TMP/t-truncate.db" verify --anchor "$E2E_TMP/head.json"
caught "truncation, against the anchor" \
  "the chain has $((n_rows - 1)) entries but the anchor has $n_rows: the newest were removed"
run --db "$E2E_TMP/t-truncate.db" verify --anchor "$E2E_TMP/head.json" --json
expect_rc 65 "truncation: verify --json fails too"
expect_eq "$(py '[d["ok"], d["entries"], len(d["problems"])]')" "[False, $((n_rows - 1)), 1]" \
  "verify --json: ok false, the entries left, one problem"
expect_eq "$(py '"truncated" in d["problems"][0]')" "True" "the problem names the truncation"

# A ledger row removed from the middle.
tamper ledgergap "DELETE FROM ledger WHERE seq = $s1"
caught "a ledger entry removed from the middle" "entries $s1 to $s1 of the chain are missing" \
  "case $c3: record $r3a is not in the chain"

# The original is untouched by all of this.
run verify --anchor "$E2E_TMP/head.json"
expect_eq "$rc:$out" "0:ok" "the original store still verifies"

# --- Backup ------------------------------------------------------------------
run backup "$E2E_TMP/backup.db"
expect_rc 0 "esc backup FILE"
expect_out "backed up 3 cases ($n_rows chain entries)" "backup says what it copied"
expect_out "verify ok" "backup says the copy verified"
expect_eq "$(stat -c %a "$E2E_TMP/backup.db")" "600" "the backup is mode 600 despite umask 022"
expect_eq "$(ls "$E2E_TMP" | grep -c 'backup.db.tmp')" "0" "no temporary file left"
# One self-contained file, not written to after the copy: no -wal beside it
# (looked for before sqlite3 opens it), and journal mode DELETE.
expect_eq "$(ls "$E2E_TMP" | grep -c '^backup.db-')" "0" "no -wal, -shm or -journal beside the backup"
expect_eq "$(sqlite3 "$E2E_TMP/backup.db" 'pragma journal_mode')" "delete" "the backup is in journal mode delete"
expect_eq "$(ls "$E2E_TMP" | grep -c '^backup.db-')" "0" "still no -wal beside the backup"
run --db "$E2E_TMP/backup.db" verify --anchor "$E2E_TMP/head.json"
expect_eq "$rc:$out" "0:ok" "the backup verifies against the store's anchor"
orig=$(ESC_NOW=2026-09-11T12:00 "$ESC" list --all --json)
copy=$(ESC_NOW=2026-09-11T12:00 "$ESC" --db "$E2E_TMP/backup.db" list --all --json)
expect_eq "$copy" "$orig" "the backup lists the same cases"
expect_eq "$(ESC_NOW=2026-09-11T12:00 "$ESC" --db "$E2E_TMP/backup.db" log "$c1")" \
  "$(ESC_NOW=2026-09-11T12:00 "$ESC" log "$c1")" "the backup has the same chronology"
before=$(sha256sum "$E2E_TMP/backup.db")
run backup "$E2E_TMP/backup.db"
expect_rc 73 "backup refuses an existing file"
expect_err "never overwrites" "the message says why"
expect_eq "$(sha256sum "$E2E_TMP/backup.db")" "$before" "the existing file is untouched"
run backup "$E2E_TMP/no-such-dir/backup.db"
expect_rc 73 "backup into a missing directory"
run backup -q "$E2E_TMP/quiet.db"
expect_eq "$rc:$out" "0:" "backup -q prints nothing"

# A backup of a store that does not verify is kept, as evidence, and fails.
run --db "$E2E_TMP/t-summary.db" backup "$E2E_TMP/evidence.db"
expect_rc 65 "a backup of a tampered store fails"
expect_err "does not verify" "the message says the copy does not verify"
expect_err "record $r1b" "and names the first problem"
expect_eq "$(stat -c %a "$E2E_TMP/evidence.db" 2>/dev/null)" "600" "the copy is kept, private"
expect_eq "$(ls "$E2E_TMP" | grep -c '^evidence.db-')" "0" "no -wal beside the kept copy"
expect_eq "$(sqlite3 "$E2E_TMP/evidence.db" 'pragma journal_mode')" "delete" "the kept copy is in journal mode delete"
run --db "$E2E_TMP/evidence.db" verify
expect_rc 65 "the kept copy fails verification like the store"

# A backup while another process raises cases in a loop.
: >"$E2E_TMP/stop"
(
  i=0
  while [ -f "$E2E_TMP/stop" ] && [ $i -lt 2000 ]; do
    i=$((i + 1))
    ESC_NOW=2026-09-14T09:00 "$ESC" raise --policy generic --category plan-not-progressing --summary "Busy $i" \
      "${PARTIES[@]}" --child-ref "C-95$i" -q >/dev/null 2>>"$E2E_TMP/writer.err" || echo "raise $i: exit $?" >>"$E2E_TMP/writer.err"
    ESC_NOW=2026-09-14T09:30 "$ESC" record "$c2" --kind note --summary "Busy note $i" -q >/dev/null 2>>"$E2E_TMP/writer.err" ||
      echo "record $i: exit $?" >>"$E2E_TMP/writer.err"
  done
) &
writer=$!
# Let the writer get going, then back up twice while it runs.
for _ in $(seq 50); do
  [ "$(q 'SELECT count(*) FROM cases')" -gt 5 ] && break
  sleep 0.1
done
run backup "$E2E_TMP/busy1.db"
expect_rc 0 "backup while another process writes"
run backup "$E2E_TMP/busy2.db"
expect_rc 0 "a second backup while another process writes"
run verify
expect_rc 0 "verify while another process writes"
rm -f "$E2E_TMP/stop"
wait "$writer"
expect_eq "$(cat "$E2E_TMP/writer.err")" "" "the writer's raises and records all succeeded"
for b in busy1 busy2; do
  run --db "$E2E_TMP/$b.db" verify --json
  expect_eq "$rc:$(py 'd["ok"]')" "0:True" "the backup taken while writing ($b) verifies"
  expect_eq "$(py 'd["cases"] > 5')" "True" "the backup ($b) has the cases raised so far"
done
E2E_COUNT=$((E2E_COUNT + 1))
[ "$(sqlite3 "$E2E_TMP/busy1.db" 'SELECT count(*) FROM cases')" -lt "$(q 'SELECT count(*) FROM cases')" ] ||
  fail "the writer was still writing after the first backup"
run verify --anchor "$E2E_TMP/head.json"
expect_eq "$rc:$out" "0:ok" "the store verifies after the writer, and still reaches the old anchor"
expect_eq "$(stat -c %a "$E2E_TMP/busy1.db")" "600" "a backup taken while writing is mode 600"

# --- Older stores upgraded -----------------------------------------------------
# tests/data/store-schema3.sql is a store written by the esc before the chain
# covered values (schema 3, encoding 1); see tests/data/make-store-schema3.sh.
schema=$("$ESC" --version | sed -n 's/.*store schema \([0-9]*\).*/\1/p')
fixture="$ESC_SOURCE_DIR/tests/data/store-schema3.sql"
old3="$E2E_TMP/old3.db"
sqlite3 "$old3" <"$fixture"
chmod 600 "$old3"
expect_eq "$(sqlite3 "$old3" 'PRAGMA user_version')" "3" "a store at schema 3"
n_old=$(sqlite3 "$old3" 'SELECT count(*) FROM ledger')
orig3=$(ESC_NOW=2026-12-01T12:00 "$ESC" --db "$old3" list --all --json)
expect_eq "$(sqlite3 "$old3" 'PRAGMA user_version')" "$schema" "any command upgrades it"
run --db "$old3" verify
expect_eq "$rc:$out" "0:ok" "a schema 3 store is upgraded and verifies"
expect_eq "$(sqlite3 "$old3" 'SELECT count(*) FROM ledger WHERE encoding = 1')" "$n_old" \
  "its entries keep the encoding they were written with"
expect_eq "$(sqlite3 "$old3" 'SELECT count(*) FROM deadline_shifts WHERE seq < 1')" "0" "every deadline shift has its place"
ESC_NOW=2026-12-01T12:00 run --db "$old3" raise --policy generic --category other --summary "After the upgrade" \
  "${PARTIES[@]}" --child-ref C-9901 -q
expect_rc 0 "a case raised in the upgraded store"
run --db "$old3" verify
expect_eq "$rc:$out" "0:ok" "old and new entries verify together"
expect_eq "$(sqlite3 "$old3" 'SELECT min(seq) FROM ledger WHERE encoding = 2')" "$((n_old + 1))" \
  "new entries are in the new encoding, after the old"
cp "$old3" "$E2E_TMP/old3-tampered.db"
r_old=$(sqlite3 "$old3" "SELECT min(ref_id) FROM ledger WHERE entry = 'record' AND encoding = 1")
c_old=$(sqlite3 "$old3" "SELECT case_id FROM records WHERE id = $r_old")
s_old=$(sqlite3 "$old3" "SELECT seq FROM ledger WHERE entry = 'record' AND ref_id = $r_old")
sqlite3 "$E2E_TMP/old3-tampered.db" "DROP TRIGGER records_no_update; UPDATE records SET summary = 'Changed' WHERE id = $r_old"
run --db "$E2E_TMP/old3-tampered.db" verify
caught "an entry of encoding 1 changed after the upgrade" "case $c_old: record $r_old (entry $s_old) was changed"
cp "$old3" "$E2E_TMP/old3-tampered2.db"
sqlite3 "$E2E_TMP/old3-tampered2.db" "DROP TRIGGER cases_fixed; UPDATE cases SET summary = 'Changed' WHERE summary = 'After the upgrade'"
run --db "$E2E_TMP/old3-tampered2.db" verify
caught "an entry of encoding 2 changed in an upgraded store" "was changed"
run --db "$old3" export -o "$E2E_TMP/old3.jsonl"
expect_rc 0 "the upgraded store exports"
run --db "$E2E_TMP/old3-copy.db" import "$E2E_TMP/old3.jsonl"
expect_rc 0 "and its export imports into a new store"
expect_eq "$(sqlite3 "$E2E_TMP/old3-copy.db" 'SELECT group_concat(hash) FROM (SELECT hash FROM ledger ORDER BY seq)')" \
  "$(sqlite3 "$old3" 'SELECT group_concat(hash) FROM (SELECT hash FROM ledger ORDER BY seq)')" \
  "with the same hashes, each entry in the encoding it had"
run --db "$old3" backup "$E2E_TMP/old3-backup.db"
expect_rc 0 "the upgraded store backs up, verified"

# A store at schema 2, from before the chain: chained on upgrade, in the
# current encoding.
old="$E2E_TMP/old.db"
sqlite3 "$old" <"$fixture"
chmod 600 "$old"
sqlite3 "$old" "DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete; DROP TABLE ledger; PRAGMA user_version = 2"
expect_eq "$(sqlite3 "$old" 'PRAGMA user_version')" "2" "a store at schema 2"
run --db "$old" verify
expect_rc 0 "a schema 2 store is upgraded and verifies"
expect_eq "$out" "ok" "verify of the upgraded store prints ok"
expect_eq "$(sqlite3 "$old" 'PRAGMA user_version')" "$schema" "the store is at the current schema"
expect_eq "$(sqlite3 "$old" 'SELECT count(*) FROM ledger')" "$n_old" "every case, event and record is chained"
expect_eq "$(sqlite3 "$old" 'SELECT count(*) FROM ledger WHERE encoding <> 2')" "0" "in the current encoding"
expect_eq "$(sqlite3 "$old" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger%'")" "2" \
  "the chain's triggers are there"
ESC_NOW=2026-12-01T12:00 run --db "$old" list --all --json
expect_eq "$out" "$orig3" "the upgraded store lists the same cases"
r1a=$(sqlite3 "$old" "SELECT min(id) FROM records")
c1a=$(sqlite3 "$old" "SELECT case_id FROM records WHERE id = $r1a")
sqlite3 "$old" "DROP TRIGGER records_no_update; UPDATE records SET summary = 'Changed after the upgrade' WHERE id = $r1a"
run --db "$old" verify
expect_rc 65 "a change after the upgrade is caught"
expect_out "case $c1a: record $r1a" "and named"

finish
