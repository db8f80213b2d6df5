# esc overdue, due and remind, as cron and scripts use them.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"
py() { "$PY" -I -S -c "$@"; }

raise() { # raise POLICY AT -> case id
  ESC_NOW=$2 "$ESC" raise --policy "$1" --category other --summary "Invented disagreement" \
    --raiser "Ann Teacher" --raiser-agency-type school --counterpart "Bob Worker" \
    --counterpart-agency-type social-care --child-ref "C-$RANDOM" -q
}

# No store: an error naming it, never silence (tests/e2e/missing_store.sh
# has the rest), and none is made.
ESC_NOW=2026-12-23T10:00 run overdue
expect_rc 66 "overdue with no store"
expect_err "no store at $ESC_DB (from ESC_DB)" "the error names the store"
expect_true "overdue made no store" [ ! -e "$ESC_DB" ]
# An empty store (an import of no cases makes one): silent, exit 0, empty
# JSON array.
ESC_DB="$E2E_TMP/seed.db" raise generic 2026-12-23T10:00 >/dev/null
ESC_DB="$E2E_TMP/seed.db" "$ESC" export | head -n 1 >"$E2E_TMP/no-cases.jsonl"
run import "$E2E_TMP/no-cases.jsonl" -q
expect_rc 0 "an empty store"
ESC_NOW=2026-12-23T10:00 run overdue
expect_rc 0 "overdue on an empty store"
expect_eq "$out$err" "" "overdue prints nothing when nothing is overdue"
ESC_NOW=2026-12-23T10:00 run overdue --json
expect_eq "$(printf '%s' "$out" | py 'import json,sys; print(json.load(sys.stdin))')" "[]" "overdue --json is an empty array"

stoke=$(raise stoke-on-trent 2026-12-23T10:00)      # stage 1 due Thu 24 Dec
sefton=$(raise sefton 2026-12-23T10:00)             # step 1 due Tue 29 Dec
paused=$(raise stoke-on-trent 2026-12-23T10:00)
ESC_NOW=2026-12-23T11:00 run pause "$paused" --reason "Practitioner off sick"
resolved=$(raise stoke-on-trent 2026-12-23T10:00)
ESC_NOW=2026-12-23T12:00 run resolve "$resolved" --outcome "Agreed" --check-back 3
expect_out "check back by 2026-12-30" "resolve --check-back schedules a follow-up 3 working days on (24, 29, 30 December)"
met=$(raise stoke-on-trent 2026-12-23T10:00)
ESC_NOW=2026-12-23T12:00 run record "$met" --kind conversation --summary "Spoke"

# Not overdue on its due day (even at 23:59 London time) ...
ESC_NOW=2026-12-24T23:59 run overdue
expect_rc 0 "nothing overdue on the due day"
expect_eq "$out" "" "overdue is silent on the due day"
# ... overdue the next working day, by one working day.
ESC_NOW=2026-12-29T08:00 run overdue --json
expect_rc 1 "overdue exits 1 when something is overdue"
cases=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(str(d["case"]) for d in json.load(sys.stdin)))')
expect_eq "$cases" "$stoke" "only the open, unmet, unpaused deadline is overdue"
wd=$(printf '%s' "$out" | py 'import json,sys; d=json.load(sys.stdin)[0]; print(d["working_days_overdue"], d["due"], d["stage_title"], len(d["handlers"]), d["policy"])')
expect_eq "$wd" "1 2026-12-24 Practitioner to Practitioner 2 stoke-on-trent" "on Tuesday 29 December a deadline due on the 24th is one working day overdue"
ESC_NOW=2026-12-31T08:00 run overdue --json
wd=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(str(d["case"])+":"+str(d["working_days_overdue"]) for d in json.load(sys.stdin)))')
expect_eq "$wd" "$stoke:3 $sefton:2 $resolved:1" "working days overdue, oldest case first, the check-back included"
ESC_NOW=2026-12-31T08:00 run overdue --policy sefton
expect_out "Case $sefton" "overdue --policy filters"
expect_out "  sefton  step 1: " "Sefton's case heading says step, its word for a stage"
expect_out "[step 1] " "and so does its deadline line"
case "$out" in *"[stage "*) fail "overdue --policy sefton: says stage, not step" ;; esac
case "$out" in *"Case $stoke"*) fail "overdue --policy shows another policy" ;; esac

# due: today and the next N working days; the check-back shows.
ESC_NOW=2026-12-29T08:00 run due --within 2 --json
# (Duties owed without delay are listed too, with due null: the dated ones here.)
due=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(str(d["case"])+"@"+d["due"] for d in json.load(sys.stdin) if d["due"]))')
expect_eq "$due" "$sefton@2026-12-29 $resolved@2026-12-30" "due --within 2 from Tuesday 29 December"

# remind --new-only: once per deadline and state.
ESC_NOW=2026-12-29T08:00 run remind --new-only --json
# (Timed deadlines; the duties owed without a date are reminded too, once:
# each open Stoke case's stage 1 written notice and feedback to the raiser,
# and the Sefton case's written follow-up at step 1.)
# (Each message holds the reminders to one recipient; a duty both parties owe
# is in two messages, counted once here.)
timed() { py 'import json,sys; d={(x["case"], x["key"], x["due"]) for m in json.load(sys.stdin) for x in m["reminders"]}; print(sum(1 for x in d if x[2] is not None), sum(1 for x in d if x[2] is None))'; }
n1=$(printf '%s' "$out" | timed)
ESC_NOW=2026-12-29T08:15 run remind --new-only --json
n2=$(printf '%s' "$out" | timed)
expect_eq "$n1 / $n2" "3 5 / 0 0" "remind --new-only twice: the second run sends nothing"
# The Sefton deadline goes from due-soon to overdue: a new state, a new reminder.
ESC_NOW=2026-12-30T08:00 run remind --new-only --json
states=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(sorted({str(d["case"])+":"+d["state"] for m in json.load(sys.stdin) for d in m["reminders"]})))')
expect_eq "$states" "$sefton:overdue" "a deadline that becomes overdue is reminded again"

# --exec gets one message per recipient (JSON on stdin with --format json)
# and its first, most pressing reminder's fields in the environment.
sink="$E2E_TMP/sink"
ESC_NOW=2026-12-30T08:00 run remind --format json --exec "cat > \"$sink.\$ESC_CASE.json\"; echo \"\$ESC_CASE \$ESC_STAGE \$ESC_DUE \$ESC_STATE \$ESC_ACTION\" >> \"$sink.env\""
expect_rc 0 "remind --exec"
expect_eq "$(grep "^$sefton .* overdue " "$sink.env" | sort -u)" "$sefton 1 2026-12-29 overdue Acknowledgement and mutually agreed plan of action, including timescales" "--exec variables"
got=$(py 'import json,sys; d=json.load(open(sys.argv[1]))["reminders"][0]; print(d["case"], d["state"])' "$sink.$sefton.json")
expect_eq "$got" "$sefton overdue" "--exec JSON on stdin"
# A failing command is reported and does not stop the others.
ESC_NOW=2026-12-30T08:00 run remind --exec "test \"\$ESC_CASE\" != $stoke && echo \$ESC_CASE >> \"$sink.ok\""
expect_rc 74 "a failing --exec makes remind fail"
expect_err "about case $stoke (" "the failed message names its case"
expect_eq "$out" "" "stdout stays clean"
grep -q "^$sefton\$" "$sink.ok" || fail "the other reminders still ran after a failure"

# A due date moved by an extension is reminded afresh.
moved=$(raise stoke-on-trent 2026-12-30T09:00)   # stage 1 due Thu 31 December
ESC_NOW=2026-12-30T09:30 run remind --new-only --json
before=$(printf '%s' "$out" | py 'import json,sys; print(len({d["key"] for m in json.load(sys.stdin) for d in m["reminders"] if d["case"] == int(sys.argv[1]) and d["due"]}))' "$moved")
ESC_NOW=2026-12-30T10:00 run extend "$moved" --days 1 --agreed-by "Both practitioners" --reason "Awaiting a report"
ESC_NOW=2026-12-30T10:30 run remind --new-only --within 2 --json
after=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(sorted({d["due"] for m in json.load(sys.stdin) for d in m["reminders"] if d["case"] == int(sys.argv[1]) and d["due"]})))' "$moved")
expect_eq "$before $after" "1 2027-01-04" "after an extension the new due date is reminded again"
ESC_NOW=2026-12-30T10:30 run overdue --policy nowhere
expect_rc 66 "overdue --policy with an unknown id"

# The check-back is closed by a check-back record.
ESC_NOW=2027-01-04T09:00 run record "$resolved" --kind check-back --summary "Assessment done; situation improved"
expect_out "met: Check back" "a check-back record closes the follow-up"
ESC_NOW=2027-01-04T09:00 run overdue --json
case "$out" in *"\"case\": $resolved,"*) fail "a closed check-back is still overdue" ;; esac

# The crontab line from the README, under cron's bare environment.
out=$(env -i PATH=/usr/bin:/bin ESC_DB="$ESC_DB" ESC_NOW=2026-12-30T07:00 "$ESC" remind --new-only </dev/null 2>&1) && rc=0 || rc=$?
err=""
expect_rc 0 "remind under env -i"
out=$(env -i PATH=/usr/bin:/bin ESC_DB="$ESC_DB" ESC_NOW=2026-12-31T07:00 TZ=Pacific/Auckland "$ESC" overdue </dev/null 2>&1) && rc=0 || rc=$?
expect_rc 1 "overdue under env -i"
case "$out" in *$'\033'*) fail "colour under cron" ;; esac
expect_out "OVERDUE" "overdue text under cron"
out=$(env -i PATH=/usr/bin:/bin "$ESC" overdue </dev/null 2>&1) && rc=0 || rc=$?
expect_rc 78 "no HOME and no ESC_DB is a clear error"
expect_out "ESC_DB" "the error says what to set"

# All five policies: superseded (escalated) deadlines leave, the new stage's
# come due; generic has no timescales, so nothing is ever overdue.
export ESC_DB="$E2E_TMP/five.db"
for pol in stoke-on-trent generic warrington birmingham sefton; do
  id=$(raise $pol 2026-11-23T09:00)
  eval "case_$(echo $pol | tr - _)=$id"
done
ESC_NOW=2026-11-24T09:00 run escalate "$case_warrington" --reason "Not resolved the same day"
ESC_NOW=2026-11-24T10:00 run overdue
expect_rc 0 "Tuesday: Stoke's deadline is due today, not overdue; Warrington's stage 1 was superseded"
expect_eq "$out" "" "nothing printed"
ESC_NOW=2026-11-25T10:00 run overdue --json
got=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(sorted("%s:%s:%s" % (d["policy"], d["stage"], d["due"]) for d in json.load(sys.stdin))))')
expect_eq "$got" "stoke-on-trent:1:2026-11-24 warrington:2:2026-11-24" "Wednesday: Stoke stage 1 and Warrington stage 2 (stage 1 superseded); Sefton step 1 is due today"
ESC_NOW=2026-12-01T10:00 run overdue --json
got=$(printf '%s' "$out" | py 'import json,sys; print(" ".join(sorted("%s:%s" % (d["policy"], d["stage"]) for d in json.load(sys.stdin))))')
expect_eq "$got" "birmingham:0 sefton:1 stoke-on-trent:1 warrington:0 warrington:2" "a week on: the whole-case limits of Birmingham and Warrington too"
case "$got" in *generic*) fail "generic has no timescales" ;; esac

# The crontab line exactly as README gives it, with cron's HOME and PATH.
line=$(grep -E '^30 7 \* \* 1-5' "$ESC_SOURCE_DIR/README.md" | sed -E 's/^([^ ]+ +){5}//')
expect_eq "${line:0:6}" "ESC_DB" "README has the crontab line"
mkdir -p "$E2E_TMP/cronhome/.local/share/esc" "$E2E_TMP/cronbin"
chmod 700 "$E2E_TMP/cronhome/.local/share/esc"
cp "$E2E_TMP/five.db" "$E2E_TMP/cronhome/.local/share/esc/esc.db"
ln -s "$ESC" "$E2E_TMP/cronbin/esc"
# A sendmail that keeps each message it is given, with its arguments.
mkdir -p "$E2E_TMP/cronmail"
cat >"$E2E_TMP/cronbin/sendmail" <<EOF
#!/bin/sh
f=\$(mktemp "$E2E_TMP/cronmail/msg.XXXXXX")
{ printf 'ARGS: %s\n' "\$*"; cat; } >"\$f"
EOF
chmod +x "$E2E_TMP/cronbin/sendmail"
out=$(env -i HOME="$E2E_TMP/cronhome" PATH="$E2E_TMP/cronbin:/usr/bin:/bin" SHELL=/bin/sh ESC_NOW=2026-12-01T07:30 \
      /bin/sh -c "$line" </dev/null 2>&1) && rc=0 || rc=$?
expect_rc 0 "the README crontab line runs under env -i"
expect_eq "$out" "" "and prints nothing: the messages went to sendmail"
expect_true "the crontab line mailed what is overdue" grep -q "OVERDUE" "$E2E_TMP"/cronmail/msg.*


finish
