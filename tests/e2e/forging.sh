# Forged derived state: the copy of each case's duties (deadlines, their
# moves in deadline_shifts), the reminders sent (chained records of kind
# 'reminder') and the case's current state, edited, inserted and deleted
# behind esc's back with sqlite3 (triggers and indexes dropped first where
# they stand in the way). esc verify names the forged case every time (exit
# 65). An export whose copy of the duties disagrees with its events is
# imported with the duties worked out again, and the import says so; an
# export whose events were edited is refused.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 is not installed"
export ESC_DB="$E2E_TMP/esc.db"
# The clock for everything after the cases are made.
LATER=2026-07-20T08:00

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
q() { sqlite3 -cmd '.timeout 15000' "$ESC_DB" "$1"; }
PARTIES=(--raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care)
# raise POLICY CATEGORY REF: raised on Mon 6 July 2026 at 09:00; its id in $out.
raise() {
  ESC_NOW=2026-07-06T09:00 run raise --policy "$1" --category "$2" --summary "Invented disagreement $3" \
    "${PARTIES[@]}" --child-ref "$3" -q
  expect_rc 0 "raise $3 ($1)"
}

# --- A store of cases in varied states --------------------------------------
# A, Stoke-on-Trent: stage 1 met in time, feedback given, escalated (the
# written notice to the Lead Professional closed by the escalation, late),
# halted and resumed, extended: stage 2's deadline moved twice, then missed.
raise stoke-on-trent childs-plan C-8001
cA=$out
ESC_NOW=2026-07-06T14:00 run record "$cA" --kind conversation --channel phone --summary "Spoke the same day" -q
rA1=$out
ESC_NOW=2026-07-07T10:00 run record "$cA" --kind feedback --summary "Told the raiser" -q
rA2=$out
ESC_NOW=2026-07-08T10:00 run escalate "$cA" --reason "No agreement"
expect_rc 0 "A escalated"
ESC_NOW=2026-07-08T16:00 run pause "$cA" --reason "Line manager off sick"
ESC_NOW=2026-07-10T09:00 run resume "$cA"
expect_rc 0 "A resumed"
ESC_NOW=2026-07-10T10:00 run extend "$cA" --days 2 --reason "Meeting needs notice" --agreed-by "Both line managers"
expect_rc 0 "A extended"

# B, Stoke-on-Trent: stage 1 met late, then halted (still halted).
raise stoke-on-trent childs-plan C-8002
cB=$out
ESC_NOW=2026-07-09T11:00 run record "$cB" --kind conversation --summary "Spoke at last" -q
rB1=$out
ESC_NOW=2026-07-10T09:00 run pause "$cB" --reason "Awaiting a strategy meeting"
expect_rc 0 "B halted"

# C, Warrington: escalated the same day, resolved the next with a delay
# reason and learning points (a learning referral owed).
raise warrington case-conference C-8003
cC=$out
ESC_NOW=2026-07-06T15:00 run escalate "$cC" --reason "Workers could not agree"
ESC_NOW=2026-07-07T11:00 run resolve "$cC" --outcome "Conference to be convened" --agreed-by "Both managers" \
  --delay-reason "Manager on leave" --learning "Share the threshold guidance"
expect_rc 0 "C resolved"

# D, Birmingham: nothing done; its whole-case limit (Mon 13 July) missed.
raise birmingham risk-severity C-8004
cD=$out

# E, Stoke-on-Trent: met, resolved with a check-back (due Fri 10 July, missed).
raise stoke-on-trent childs-plan C-8005
cE=$out
ESC_NOW=2026-07-06T12:00 run record "$cE" --kind conversation --summary "Agreed on the phone" -q
ESC_NOW=2026-07-07T11:00 run resolve "$cE" --outcome "Agreed a plan" --agreed-by "Both practitioners" --check-back 3
expect_rc 0 "E resolved with a check-back"

# The reminder run: each reminder sent is remembered as a record.
ESC_NOW=$LATER run remind --new-only --json
expect_rc 0 "remind --new-only"
expect_eq "$(py 'len(d) > 0')" "True" "there is something to remind of"
ESC_NOW=$LATER run remind --new-only --json
expect_eq "$rc:$(py 'len(d)')" "0:0" "a second run sends nothing: the first was remembered"
n_reminders=$(q "SELECT count(*) FROM records WHERE kind = 'reminder'")
expect_true "the reminders sent are records ($n_reminders)" [ "$n_reminders" -gt 0 ]

# The states the forgeries start from.
dl() { q "SELECT coalesce(done_at, '-') || ':' || coalesce(late, '-') || ':' || due FROM deadlines WHERE case_id = $1 AND key = '$2'"; }
expect_eq "$(dl "$cA" s1.d0)" "$(q "SELECT at FROM records WHERE id = $rA1"):0:2026-07-07" "A: stage 1 met in time"
expect_eq "$(dl "$cA" s2.d0)" "-:-:2026-07-15" "A: stage 2 open, moved from 9 to 15 July"
expect_eq "$(q "SELECT count(*) FROM deadline_shifts s JOIN deadlines d ON d.id = s.deadline_id WHERE d.case_id = $cA")" \
  "2" "A: two moves kept (the resumption and the extension)"
expect_eq "$(dl "$cB" s1.d0)" "$(q "SELECT at FROM records WHERE id = $rB1"):1:2026-07-07" "B: stage 1 met late"
expect_eq "$(q "SELECT status FROM cases WHERE id = $cB")" "paused" "B: halted"
expect_eq "$(q "SELECT status FROM cases WHERE id = $cC")" "resolved" "C: resolved"
expect_eq "$(dl "$cD" case.d0)" "-:-:2026-07-13" "D: the whole-case limit open, due 13 July"
expect_eq "$(dl "$cE" check-back)" "-:-:2026-07-10" "E: the check-back open, due 10 July"
ESC_NOW=$LATER run overdue --json
expect_eq "$(py 'sorted({(x["case"], x["key"]) for x in d if x["state"] == "overdue" and x["due"]})')" \
  "$(printf "[(%s, 's2.d0'), (%s, 'case.d0'), (%s, 'check-back')]" "$cA" "$cD" "$cE")" \
  "overdue: A's stage 2, D's case limit, E's check-back"

ESC_NOW=$LATER run verify
expect_rc 0 "verify the store esc made"
expect_eq "$out" "ok" "verify prints ok"
expect_eq "$err" "" "nothing on stderr"
clean="$E2E_TMP/clean.db"
cp "$ESC_DB" "$clean"

# --- Forgeries, each on a fresh copy of the clean store ---------------------
# forge NAME CASES SQL [TEXT...]: a copy of the clean store, every trigger
# dropped, SQL applied (it must change some row); esc verify must
# exit 65 (one failed check if not), say so on stderr, name exactly the cases
# CASES ("1 4") and print each TEXT.
n_forged=0
DROP_TRIGGERS=$(q "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'")
# Every row a forgery here touches, to tell that it changed something.
ROWS="SELECT * FROM cases ORDER BY id; SELECT * FROM deadlines ORDER BY id;
  SELECT * FROM deadline_shifts ORDER BY deadline_id, seq, event_id; SELECT * FROM records ORDER BY id;"
CLEAN_ROWS=$(q "$ROWS")
forge() {
  local name=$1 cases=$2 sql=$3
  shift 3
  n_forged=$((n_forged + 1))
  local copy="$E2E_TMP/forged-$n_forged.db" rows line named=""
  cp "$clean" "$copy"  # private, as the clean store is
  rows=$(sqlite3 -bail "$copy" "PRAGMA synchronous = OFF; BEGIN; $DROP_TRIGGERS
$sql;
COMMIT; $ROWS") || rows=failed
  out="" err=""
  expect_true "$name: the sqlite3 statement changed the copy" [ "$rows" != failed -a "$rows" != "$CLEAN_ROWS" ] || return 0
  ESC_NOW=$LATER run --db "$copy" verify
  expect_rc 65 "$name: verify fails"
  [ "$rc" -eq 65 ] || return 0
  expect_err "failed verification" "$name: stderr says the store failed verification"
  # The cases named at the start of a line, each once, in order of number.
  local -a lines seen=()
  mapfile -t lines <<<"$out"
  for line in "${lines[@]}"; do
    [[ $line =~ ^case\ ([0-9]+):\  ]] && seen[${BASH_REMATCH[1]}]=1
  done
  named="${!seen[*]}"
  expect_eq "$named" "$cases" "$name: the cases named"
  local t
  for t in "$@"; do expect_out "$t" "$name: named"; done
}
duty() { printf "case_id = %s AND key = '%s'" "$1" "$2"; }
DIS="the duties kept disagree with its record"

# The copy of the duties (table deadlines): every column worked out from the
# record.
forge "a met deadline's time moved" "$cA" \
  "UPDATE deadlines SET done_at = done_at + 60 WHERE $(duty "$cA" s1.d0)" "case $cA: $DIS: s1.d0: done kept as"
forge "a met deadline reopened" "$cA" \
  "UPDATE deadlines SET done_at = NULL, closed_by = NULL, record_id = NULL, late = NULL WHERE $(duty "$cA" s1.d0)" \
  "case $cA: $DIS: s1.d0: done kept as none"
forge "a late deadline made in time" "$cB" \
  "UPDATE deadlines SET late = 0 WHERE $(duty "$cB" s1.d0)" "case $cB: $DIS: s1.d0: late kept as no, worked out as yes"
forge "a late deadline's lateness cleared" "$cB" \
  "UPDATE deadlines SET late = NULL WHERE $(duty "$cB" s1.d0)" "case $cB: $DIS: s1.d0: late kept as -"
forge "a missed case limit marked met" "$cD" \
  "UPDATE deadlines SET done_at = 1783342800, closed_by = 'record', record_id = NULL, late = 0 WHERE $(duty "$cD" case.d0)" \
  "case $cD: $DIS: case.d0: done kept as"
forge "a missed stage deadline marked met by a record" "$cA" \
  "UPDATE deadlines SET done_at = 1784000000, closed_by = 'record', record_id = $rA2, late = 0 WHERE $(duty "$cA" s2.d0)" \
  "case $cA: $DIS: s2.d0: done kept as"
forge "a missed deadline's due date put off" "$cD" \
  "UPDATE deadlines SET due = '2026-07-31' WHERE $(duty "$cD" case.d0)" \
  "case $cD: $DIS: case.d0: due date kept as 2026-07-31, worked out as 2026-07-13"
forge "a first due date changed" "$cA" \
  "UPDATE deadlines SET original_due = '2026-07-10' WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0: first due date kept as"
forge "a start date changed" "$cA" \
  "UPDATE deadlines SET start_date = '2026-07-07' WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0: start kept as"
forge "what closed a deadline changed" "$cA" \
  "UPDATE deadlines SET closed_by = 'escalate' WHERE $(duty "$cA" s1.d0)" "case $cA: $DIS: s1.d0: closed by kept as escalate"
forge "the record that met a deadline changed" "$cA" \
  "UPDATE deadlines SET record_id = $rA2 WHERE $(duty "$cA" s1.d0)" "case $cA: $DIS: s1.d0: record kept as $rA2"
forge "what meets a deadline changed" "$cA" \
  "UPDATE deadlines SET met_by = 'meeting' WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0: met by kept as meeting"
forge "a duty's action reworded" "$cC" \
  "UPDATE deadlines SET action = 'Nothing to do' WHERE $(duty "$cC" case.d0)" "case $cC: $DIS: case.d0: action kept as Nothing to do"
forge "a duty's kind changed" "$cA" \
  "UPDATE deadlines SET kind = 'inform' WHERE $(duty "$cA" s2.e0)" "case $cA: $DIS: s2.e0: kind kept as inform"
forge "an untimed duty made timed" "$cD" \
  "UPDATE deadlines SET timed = 1 WHERE $(duty "$cD" s1.e0)" "case $cD: $DIS: s1.e0: timed kept as yes"
forge "a written duty made unwritten" "$cA" \
  "UPDATE deadlines SET in_writing = 0 WHERE $(duty "$cA" s1.r0)" "case $cA: $DIS: s1.r0: in writing kept as no"
forge "a duty's recipient changed" "$cA" \
  "UPDATE deadlines SET recipient = 'Nobody' WHERE $(duty "$cA" s1.r0)" "case $cA: $DIS: s1.r0: recipient kept as Nobody"
forge "a deadline moved to another stage" "$cA" \
  "UPDATE deadlines SET stage = 3 WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0: scope kept as stage 3"
forge "a duty's key renamed" "$cA" \
  "UPDATE deadlines SET key = 's1.d9' WHERE $(duty "$cA" s1.d0)" \
  "case $cA: $DIS: s1.d0: owed" "case $cA: $DIS: s1.d9: kept"
forge "a deadline moved to another case" "$cB $cD" \
  "UPDATE deadlines SET case_id = $cB WHERE $(duty "$cD" case.d0)" \
  "case $cB: $DIS: case.d0: kept (Resolve the disagreement) but not owed" "case $cD: $DIS: case.d0: owed"
forge "an owed duty deleted" "$cD" \
  "DELETE FROM deadlines WHERE $(duty "$cD" s1.e0)" "case $cD: $DIS: s1.e0: owed"
forge "a deadline that was moved deleted" "$cA" \
  "DELETE FROM deadlines WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0: owed"
forge "a missed deadline deleted" "$cD" \
  "DELETE FROM deadlines WHERE $(duty "$cD" case.d0)" "case $cD: $DIS: case.d0: owed"
COLS="stage, seq, action, timescale, counted_from, met_by, start_date, original_due, due, done_at, closed_by, record_id,
  late, kind, timed, in_writing, recipient, form, clause"
forge "a deadline inserted, a copy of another under a new key" "$cD" \
  "INSERT INTO deadlines (uuid, case_id, key, $COLS) SELECT '00000000-0000-4000-8000-00000000d001', case_id, 'case.d7',
     $COLS FROM deadlines WHERE $(duty "$cD" case.d0)" "case $cD: $DIS: case.d7: kept"
forge "a deadline inserted under the same key (its index dropped)" "$cD" \
  "DROP INDEX deadlines_key; INSERT INTO deadlines (uuid, case_id, key, $COLS)
     SELECT '00000000-0000-4000-8000-00000000d002', case_id, key, $COLS FROM deadlines WHERE $(duty "$cD" case.d0)" \
  "case $cD: $DIS: case.d0: kept twice"
forge "a met deadline copied into another case" "$cB" \
  "INSERT INTO deadlines (uuid, case_id, key, $COLS) SELECT '00000000-0000-4000-8000-00000000d003', $cB, 'case.d0',
     $COLS FROM deadlines WHERE $(duty "$cC" case.d0)" "case $cB: $DIS: case.d0: kept"
forge "a check-back's due date put off" "$cE" \
  "UPDATE deadlines SET due = '2026-07-24' WHERE $(duty "$cE" check-back)" "case $cE: $DIS: check-back: due date kept as 2026-07-24"
forge "a check-back marked done" "$cE" \
  "UPDATE deadlines SET done_at = 1783690000, closed_by = 'record', late = 0 WHERE $(duty "$cE" check-back)" \
  "case $cE: $DIS: check-back: done kept as"
forge "a check-back deleted" "$cE" \
  "DELETE FROM deadlines WHERE $(duty "$cE" check-back)" "case $cE: $DIS: check-back: owed"
forge "an owed learning referral marked done" "$cC" \
  "UPDATE deadlines SET done_at = 1783418400, closed_by = 'record' WHERE $(duty "$cC" learning)" \
  "case $cC: $DIS: learning: done kept as"
# Columns of the copy that nothing lists, but that are worked out from the
# policy and exported: a copy that disagrees with the record is still forged.
forge "a deadline's timescale changed" "$cA" \
  "UPDATE deadlines SET timescale = '9 working days' WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0"
forge "what a deadline is counted from changed" "$cA" \
  "UPDATE deadlines SET counted_from = 'case' WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0"
forge "a duty's clause changed" "$cD" \
  "UPDATE deadlines SET clause = 'Invented clause' WHERE $(duty "$cD" case.d0)" "case $cD: $DIS: case.d0"
forge "a duty given a form" "$cA" \
  "UPDATE deadlines SET form = 'invented-form' WHERE $(duty "$cA" s1.r0)" "case $cA: $DIS: s1.r0"
forge "a duty's place in its stage changed" "$cA" \
  "UPDATE deadlines SET seq = 7 WHERE $(duty "$cA" s2.d0)" "case $cA: $DIS: s2.d0"
# A check-back for a case resolved without one, just as esc would keep it:
# what the record owes must not be read from the copy being checked.
forge "a check-back inserted into a case resolved without one" "$cC" \
  "INSERT INTO deadlines (uuid, case_id, key, $COLS) SELECT '00000000-0000-4000-8000-00000000d004', $cC, key, $COLS
     FROM deadlines WHERE $(duty "$cE" check-back)" "case $cC: $DIS: check-back"

# The moves of the duties (table deadline_shifts).
shift_of() { printf "deadline_id = (SELECT id FROM deadlines WHERE %s) AND seq = %s" "$(duty "$1" "$2")" "$3"; }
resume=$(q "SELECT id FROM events WHERE case_id = $cA AND type = 'resume'")
extend=$(q "SELECT id FROM events WHERE case_id = $cA AND type = 'extend'")
forge "a move's new due date changed" "$cA" \
  "UPDATE deadline_shifts SET to_due = '2026-07-14' WHERE $(shift_of "$cA" s2.d0 1)" \
  "case $cA: event $resume" "case $cA: $DIS: s2.d0: move kept as 2026-07-09 -> 2026-07-14"
forge "a move's old due date changed" "$cA" \
  "UPDATE deadline_shifts SET from_due = '2026-07-14' WHERE $(shift_of "$cA" s2.d0 2)" "case $cA: event $extend"
forge "a move's days changed" "$cA" \
  "UPDATE deadline_shifts SET days = 5 WHERE $(shift_of "$cA" s2.d0 2)" "case $cA: event $extend"
forge "a move credited to another event" "$cA" \
  "UPDATE deadline_shifts SET event_id = $extend WHERE $(shift_of "$cA" s2.d0 1)" "case $cA: event $resume"
forge "the extension's move deleted" "$cA" \
  "DELETE FROM deadline_shifts WHERE $(shift_of "$cA" s2.d0 2)" \
  "case $cA: event $extend" "case $cA: $DIS: s2.d0: moves kept as 1, worked out as 2"
forge "every move deleted" "$cA" \
  "DELETE FROM deadline_shifts" "case $cA: event $resume" "case $cA: event $extend"
forge "a third move inserted" "$cA" \
  "INSERT INTO deadline_shifts (deadline_id, event_id, seq, days, from_due, to_due)
     SELECT deadline_id, event_id, 3, 2, '2026-07-15', '2026-07-17' FROM deadline_shifts WHERE $(shift_of "$cA" s2.d0 2)" \
  "case $cA: event $extend" "case $cA: $DIS: s2.d0: moves kept as 3, worked out as 2"
forge "a move given to another duty of the case" "$cA" \
  "UPDATE deadline_shifts SET deadline_id = (SELECT id FROM deadlines WHERE $(duty "$cA" s2.e0)) WHERE $(shift_of "$cA" s2.d0 2)" \
  "case $cA: event $extend" "case $cA: $DIS: s2.e0: moves kept as 1, worked out as 0"
forge "a move of another case's event given to a missed deadline" "$cA $cD" \
  "INSERT INTO deadline_shifts (deadline_id, event_id, seq, days, from_due, to_due)
     VALUES ((SELECT id FROM deadlines WHERE $(duty "$cD" case.d0)), $extend, 1, 5, '2026-07-13', '2026-07-20')" \
  "case $cA: event $extend" "case $cD: $DIS: case.d0: moves kept as 1, worked out as 0"

# The reminders sent: chained records of kind 'reminder'.
rem() { q "SELECT id FROM records WHERE case_id = $1 AND kind = 'reminder' AND duty = '$2' AND action = '$3' AND coalesce(channel, '') <> 'claimed' ORDER BY id LIMIT 1"; }
remA=$(rem "$cA" s2.d0 overdue)
remD=$(rem "$cD" case.d0 overdue)
remE=$(rem "$cE" check-back overdue)
expect_true "the overdue reminders of A, D and E were recorded ($remA, $remD, $remE)" \
  [ -n "$remA" -a -n "$remD" -a -n "$remE" ]
forge "a reminder's due date changed (so it would be sent again)" "$cA" \
  "UPDATE records SET action_due = '2026-07-14' WHERE id = $remA" "case $cA: record $remA"
forge "a reminder's state changed" "$cD" \
  "UPDATE records SET action = 'due-soon' WHERE id = $remD" "case $cD: record $remD"
forge "a reminder moved to another duty" "$cE" \
  "UPDATE records SET duty = 's1.d0' WHERE id = $remE" "case $cE: record $remE"
forge "a reminder's time changed" "$cD" \
  "UPDATE records SET at = at - 86400, entered_at = entered_at - 86400 WHERE id = $remD" "case $cD: record $remD"
forge "a reminder deleted" "$cD" \
  "DELETE FROM records WHERE id = $remD" "case $cD: record $remD" "was removed"
forge "every reminder deleted" \
  "$(q "SELECT group_concat(case_id, ' ') FROM (SELECT DISTINCT case_id FROM records WHERE kind = 'reminder' ORDER BY case_id)")" \
  "DELETE FROM records WHERE kind = 'reminder'" "case $cA: record $remA" "case $cD: record $remD" "case $cE: record $remE"
forge "a reminder inserted (so a real one would not be sent)" "$cB" \
  "INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, summary, action, action_due, duty)
     VALUES ('00000000-0000-4000-8000-00000000e001', $cB, 1, 1784530800, 1784530800, 'reminder',
     'overdue reminder: Raise the matter with the fellow professional', 'overdue', '2026-07-07', 's1.d0')" \
  "is not in the chain: inserted outside esc"

# The case's current state, kept beside its events.
forge "a halted case resumed" "$cB" \
  "UPDATE cases SET status = 'open', paused_at = NULL WHERE id = $cB" "case $cB: $DIS: its status is kept as open"
forge "an open case's halt invented" "$cD" \
  "UPDATE cases SET paused_at = 1783522800 WHERE id = $cD" "case $cD: $DIS: its pause is kept as"
forge "a stage's start moved" "$cA" \
  "UPDATE cases SET stage_started_at = stage_started_at + 86400 WHERE id = $cA" "case $cA: $DIS: its stage start is kept as"
forge "a resolution backdated" "$cC" \
  "UPDATE cases SET resolved_at = resolved_at - 86400 WHERE id = $cC" "case $cC: $DIS: its resolution time is kept as"
# The copy marked to be worked out again, so that an esc would quietly
# rewrite it: verify checks it as it is, names the case and the mark.
forge "a duty deleted, the copy marked stale" "$cD" \
  "UPDATE meta SET value = 'stale' WHERE name = 'duties'; DELETE FROM deadlines WHERE $(duty "$cD" case.d0)" \
  "case $cD: $DIS" "marks its copy of what cases owe to be worked out again"
expect_true "at least 15 forgeries tried ($n_forged)" [ "$n_forged" -ge 15 ]

# The clean store is untouched by all of this.
ESC_NOW=$LATER run verify
expect_eq "$rc:$out" "0:ok" "the clean store still verifies"

# --- Import: derived state worked out again, never copied --------------------
ESC_NOW=$LATER run export -o "$E2E_TMP/clean.jsonl"
expect_rc 0 "export the clean store"
# edit_export IN OUT PYTHON: OUT is IN with PYTHON run on each case line
# (its JSON object bound to c, its id to cid; the case ids as A, B, C, D, E).
edit_export() {
  "$PY" -I -S - "$1" "$2" "$cA" "$cB" "$cC" "$cD" "$cE" "$3" <<'PY'
import json, sys
src, dst, A, B, C, D, E, code = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:8]), sys.argv[8]
lines = []
with open(src) as f:
    for line in f:
        o = json.loads(line)
        if o.get("type") == "case":
            c, cid = o, o["case"]["id"]
            exec(code)
        lines.append(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n")
with open(dst, "w") as f:
    f.writelines(lines)
PY
}

# A plain round trip: nothing worked out again, nothing said about it.
ESC_NOW=$LATER run --db "$E2E_TMP/plain.db" import "$E2E_TMP/clean.jsonl"
expect_rc 0 "import the untouched export"
expect_eq "$err" "" "an untouched export: nothing worked out again"
expect_out "5 cases added" "all five cases added"

# The copy of the duties forged in the file, the events left as they were.
edit_export "$E2E_TMP/clean.jsonl" "$E2E_TMP/duties.jsonl" '
for d in c["deadlines"]:
    if cid == D and d["key"] == "case.d0":   # the missed case limit: met in time, and later
        d.update(done_at=1783342800, closed_by="record", late=0, due="2026-07-31")
    if cid == B and d["key"] == "s1.d0":     # the late stage 1: in time
        d["late"] = 0
    if cid == E and d["key"] == "check-back":
        d["due"] = "2026-07-24"
'
expect_true "the edited export differs from the clean one" [ "$(cksum <"$E2E_TMP/clean.jsonl")" != "$(cksum <"$E2E_TMP/duties.jsonl")" ]
ESC_NOW=$LATER run --db "$E2E_TMP/imported.db" import "$E2E_TMP/duties.jsonl"
expect_rc 0 "an export whose copy of the duties was forged is imported"
expect_out "5 cases added" "all five cases added"
for c in "$cB" "$cD" "$cE"; do
  expect_err "esc: case $c: what it owes was worked out again from its record (" "the import says case $c's duties were worked out again"
done
expect_err "case $cD: what it owes was worked out again from its record (case.d0: due date kept as 2026-07-31, worked out as 2026-07-13" \
  "and says what differed"
expect_eq "$(printf '%s\n' "$err" | sed -n 's/^esc: case \([0-9]*\): what it owes was worked out again.*/\1/p' | tr '\n' ' ' | sed 's/ $//')" \
  "$cB $cD $cE" "only the forged cases are worked out again"
ESC_NOW=$LATER run --db "$E2E_TMP/imported-json.db" import --json "$E2E_TMP/duties.jsonl"
expect_rc 0 "import --json"
expect_eq "$(py '[int(x.split(":")[0].split()[1]) for x in d["recomputed"]]')" "[$cB, $cD, $cE]" \
  "import --json lists the cases worked out again under recomputed"
for c in "$cA" "$cB" "$cC" "$cD" "$cE"; do
  expect_eq "$(ESC_NOW=$LATER "$ESC" --db "$E2E_TMP/imported.db" show "$c" --json)" \
    "$(ESC_NOW=$LATER "$ESC" show "$c" --json)" "case $c imported shows as in the store it came from"
done
ESC_NOW=$LATER run --db "$E2E_TMP/imported.db" show "$cD" --json
expect_eq "$(py '[(x["due"], x["done_at"], x["late"], x["state"]) for x in d["deadlines"] if x["key"] == "case.d0"]')" \
  "[('2026-07-13', None, None, 'overdue')]" "D's case limit: due 13 July, not met, overdue, as its events say"
ESC_NOW=$LATER run --db "$E2E_TMP/imported.db" show "$cB" --json
expect_eq "$(py '[x["late"] for x in d["deadlines"] if x["key"] == "s1.d0"]')" "[True]" "B's stage 1: met late, as its records say"
expect_eq "$(sqlite3 "$E2E_TMP/imported.db" "SELECT coalesce(done_at, '-') || ':' || coalesce(late, '-') || ':' || due
  FROM deadlines WHERE $(duty "$cD" case.d0)")" "-:-:2026-07-13" "the imported store keeps the copy worked out, not the file's"
expect_eq "$(sqlite3 "$E2E_TMP/imported.db" "SELECT due FROM deadlines WHERE $(duty "$cE" check-back)")" \
  "2026-07-10" "E's check-back kept as worked out"
ESC_NOW=$LATER run --db "$E2E_TMP/imported.db" verify
expect_eq "$rc:$out" "0:ok" "the imported store verifies"

# Columns of the copy worked out from the policy are not copied either.
edit_export "$E2E_TMP/clean.jsonl" "$E2E_TMP/clause.jsonl" '
for d in c["deadlines"]:
    if cid == D and d["key"] == "case.d0":
        d.update(timescale="9 working days", clause="Invented clause")
'
ESC_NOW=$LATER run --db "$E2E_TMP/clause.db" import "$E2E_TMP/clause.jsonl"
expect_rc 0 "an export with a forged timescale and clause is imported"
expect_eq "$(sqlite3 "$E2E_TMP/clause.db" "SELECT timescale || ' | ' || clause FROM deadlines WHERE $(duty "$cD" case.d0)")" \
  "$(q "SELECT timescale || ' | ' || clause FROM deadlines WHERE $(duty "$cD" case.d0)")" \
  "the imported copy has the timescale and clause worked out, not the file's"
expect_err "case $cD: what it owes was worked out again" "and the import says so"

# Events, moves and the case's state edited in the file: the chain does not
# match; nothing is imported, no store is made.
# refused NAME PYTHON TEXT: the export edited by PYTHON is refused with TEXT.
refused() {
  local db="$E2E_TMP/refused-$1.db"
  edit_export "$E2E_TMP/clean.jsonl" "$E2E_TMP/refused-$1.jsonl" "$2"
  ESC_NOW=$LATER run --db "$db" import "$E2E_TMP/refused-$1.jsonl"
  expect_rc 65 "$1: the import is refused"
  expect_err "its hashes do not match" "$1: the message says the hashes do not match"
  expect_err "$3" "$1: the message names it"
  expect_err "nothing was imported" "$1: and that nothing was imported"
  expect_true "$1: no store was made" [ ! -e "$db" ]
}
esc_ev=$(q "SELECT id FROM events WHERE case_id = $cA AND type = 'escalate'")
refused escalation-stage '
for e in c["events"]:
    if cid == A and e["type"] == "escalate":
        e["to_stage"] = 3
' "case $cA: event $esc_ev"
res_ev=$(q "SELECT id FROM events WHERE case_id = $cC AND type = 'resolve'")
refused resolution-time '
for e in c["events"]:
    if cid == C and e["type"] == "resolve":
        e["at"] += 86400
' "case $cC: event $res_ev"
refused status '
if cid == D:
    c["case"].update(status="resolved", resolved_at=1783342800)
' "case $cD: its current state (stage 1, resolved) does not match its chained events (stage 1, open)"
refused move '
if cid == A:
    c["deadline_shifts"][-1]["to_due"] = "2026-07-20"
' "case $cA: event $extend"
refused reminder '
for r in c["records"]:
    if cid == D and r["kind"] == "reminder" and r["action"] == "overdue" and r.get("channel") != "claimed":
        r["action_due"] = "2026-07-20"
' "case $cD: record $remD"

finish
