# Reminders sent exactly once: a run that cannot write marks nothing sent,
# simultaneous runs and killed runs neither double nor lose a reminder, a
# moved due date is a new reminder, an overdue duty is reminded again after
# --repeat working days and not before, and --dry-run claims nothing.
# (bench/remind.sh runs the simultaneous and killed runs at scale.)
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); r=[dict(x, to=m['to']) for m in d for x in m['reminders']] if isinstance(d, list) else []; print($1)"; }
# Three Stoke cases raised Mon 30 Nov: on Mon 7 Dec each owes an overdue
# stage 1 deadline and untimed duties.
for i in 1 2 3; do
  ESC_NOW=2026-11-30T10:00 run raise --policy stoke-on-trent --category other --summary "Invented case $i" \
    --raiser "Ola Fable" --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health \
    --child-ref "C-90$i" -q
  expect_rc 0 "raise case $i"
done
# The store as raised, before any reminder: each part below starts from it.
cp "$ESC_DB" "$E2E_TMP/fresh.db"
export ESC_NOW=2026-12-07T09:00
run remind --new-only --dry-run --json
expect_rc 0 "--dry-run"
n=$(py 'len(r)')
expect_true "there are reminders to send ($n)" [ "$n" -ge 6 ]
run remind --new-only --dry-run --json
expect_eq "$(py 'len(r)')" "$n" "--dry-run claims and remembers nothing"

# --- A run that cannot write marks nothing sent ------------------------------
if [ -w /dev/full ]; then
  "$ESC" remind --new-only >/dev/full 2>"$E2E_TMP/full.err" && rc=0 || rc=$?
  out="" err=$(cat "$E2E_TMP/full.err")
  expect_rc 74 "remind --new-only to a full device exits 74"
  expect_err "none was marked sent" "and says nothing was marked sent"
  run remind --new-only --json
  expect_eq "$(py 'len(r)')" "$n" "the next run sends every reminder"
  run remind --new-only --json
  expect_eq "$(py 'len(r)')" "0" "and the run after sends none"
else
  skip_part "no /dev/full to write to"
fi

# --- Simultaneous runs: each reminder once ----------------------------------
raise_fresh() { rm -f "$ESC_DB" "$ESC_DB-wal" "$ESC_DB-shm"; cp "$E2E_TMP/fresh.db" "$ESC_DB"; }
# The command appends "case key state party" for each reminder in the
# message (its JSON on stdin) and pauses, so that the runs overlap.
cat >"$E2E_TMP/send.py" <<'PYEOF'
import json, sys
m = json.load(sys.stdin)
sys.stdout.write("".join("%s %s %s %s\n" % (x["case"], x["key"], x["state"], m["to"]["party"]) for x in m["reminders"]))
PYEOF
SEND="sleep 0.02; \"$PY\" -I -S \"$E2E_TMP/send.py\" >>\"\$LOG\""
export LOG="$E2E_TMP/sent.log"
tally() { sort "$LOG" | uniq -c | awk '{n++; d += $1 - 1} END {print n + 0, d + 0}'; }
for i in 1 2 3; do
  raise_fresh
  rm -f "$LOG"
  "$ESC" remind --new-only --format json --exec "$SEND" >/dev/null 2>&1 &
  a=$!
  "$ESC" remind --new-only --format json --exec "$SEND" >/dev/null 2>&1 &
  b=$!
  wait "$a"
  ra=$?
  wait "$b"
  rb=$?
  expect_eq "$ra $rb" "0 0" "pair $i: both runs succeed"
  expect_eq "$(tally)" "$n 0" "pair $i: every reminder sent once, none twice"
done
run verify
expect_eq "$rc:$out" "0:ok" "the store verifies after simultaneous runs"

# --- A run killed mid-send: the next run sends what it did not ---------------
for i in 1 2 3; do
  raise_fresh
  rm -f "$LOG"
  setsid "$ESC" remind --new-only --format json --exec "$SEND" >/dev/null 2>&1 &
  p=$!
  sleep 0.1
  kill -KILL -- "-$p" 2>/dev/null
  wait "$p" 2>/dev/null
  run remind --new-only --format json --exec "$SEND"
  expect_rc 0 "kill $i: the clean run succeeds"
  read -r distinct doubled < <(tally)
  expect_eq "$distinct" "$n" "kill $i: every reminder delivered"
  expect_true "kill $i: at most the one in flight sent twice ($doubled)" [ "$doubled" -le 1 ]
done

# --- A moved due date is a new reminder --------------------------------------
# Case 2's stage 1 deadline (due Tue 1 Dec) is reminded overdue on Mon 7 Dec
# by a run whose command is slow; an extension agreed while it sends moves
# the deadline on. The reminder delivered is remembered for the date it was
# sent for, so the new date is reminded when it passes.
raise_fresh
rm -f "$LOG"
"$ESC" remind --new-only --format json --exec "sleep 1; $SEND" >/dev/null 2>&1 &
p=$!
sleep 0.3
ESC_NOW=2026-12-07T09:00 run extend 2 --days 10 --reason "Head of service away" --agreed-by "Both heads"
expect_rc 0 "an extension agreed during the reminder run"
wait "$p"
expect_eq "$?" "0" "the run succeeds"
ESC_NOW=2026-12-07T09:00 run show 2 --json
due=$(py '[x["due"] for x in d["duties"] if x["key"] == "s1.d0"][0]')
expect_true "the deadline moved on ($due)" [ "$due" \> 2026-12-07 ]
grep -q "^2 s1.d0 overdue raiser$" "$LOG"
expect_eq "$?" "0" "the old date was reminded overdue"
after=$("$PY" -c "import datetime,sys; print((datetime.date.fromisoformat(sys.argv[1]) + datetime.timedelta(days=1)).isoformat())" "$due")
ESC_NOW=${after}T09:00 run remind --new-only --repeat 0 --json
expect_eq "$(py '[(x["due"], x["state"], x["sending"]) for x in r if x["to"]["party"] == "raiser" and x["key"] == "s1.d0" and x["case"] == 2]')" \
  "[('$due', 'overdue', 1)]" "the new date is reminded when it passes"

# --- Overdue: reminded again after --repeat working days ---------------------
raise_fresh
run remind --new-only --json
expect_eq "$(py '[x["sending"] for x in r if x["to"]["party"] == "raiser" and x["key"] == "s1.d0" and x["case"] == 1]')" "[1]" "Mon 7 Dec: the overdue deadline, first sending"
ESC_NOW=2026-12-09T09:00 run remind --new-only --repeat 3 --json
expect_eq "$(py '[x["sending"] for x in r if x["to"]["party"] == "raiser" and x["key"] == "s1.d0" and x["case"] == 1]')" "[]" "Wed 9 Dec: not again before 3 working days"
ESC_NOW=2026-12-10T09:00 run remind --new-only --repeat 3 --json
expect_eq "$(py '[x["sending"] for x in r if x["to"]["party"] == "raiser" and x["key"] == "s1.d0" and x["case"] == 1]')" "[2]" "Thu 10 Dec, 3 working days on: the second sending"
ESC_NOW=2026-12-10T09:00 run remind --new-only --repeat 3
expect_not_out "Raise the matter" "and not twice the same day"
ESC_NOW=2026-12-15T09:00 run remind --new-only --repeat 3
expect_out "Reminder 3 (sent 2 times before)." "the third says how often it was sent"
ESC_NOW=2026-12-21T09:00 run remind --new-only --repeat 0 --json
expect_eq "$(py '[x for x in r if x["to"]["party"] == "raiser" and x["key"] == "s1.d0" and x["case"] == 1]')" "[]" "--repeat 0: never again"
run verify
expect_eq "$rc:$out" "0:ok" "the store verifies"

finish
