#!/usr/bin/env bash
# Reminders exactly once: simultaneous runs and runs killed mid-send.
#
#   bench/remind.sh [PAIRS] [KILLS] [CASES]     (defaults 100 200 10)
#
# Builds a store whose cases owe due duties (CASES cases under Stoke-on-Trent's
# policy, raised a week before the clock, so each owes an overdue stage 1
# deadline and untimed duties; each party has its own address, so each run
# sends one message per party per case), then, each time on a fresh copy of it:
#  - PAIRS times, starts two `esc remind --new-only --exec CMD` at once, CMD
#    appending each reminder in the message it was given to a log (after a short pause, so the
#    runs overlap): counts the reminders delivered twice and those never
#    delivered;
#  - KILLS times, starts one such run in its own process group and kills the
#    group with SIGKILL after a random 0-400 ms, then runs a clean
#    `remind --new-only --exec CMD`: counts the reminders never delivered, and
#    those delivered twice (a reminder in flight at the kill, whose CMD ran
#    but whose delivery was not yet recorded, is sent again: counted apart).
# Afterwards `esc verify` must print ok on every copy.
#
# Prints the figures and exits non-zero if any reminder was lost, any was
# doubled by the simultaneous runs, more were doubled after a kill than were in
# flight at it, or a store failed to verify. Uses $ESC when set (the tests do),
# otherwise builds esc first.
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pairs=${1:-100}
kills=${2:-200}
cases=${3:-10}
. "$SOURCE_DIR/scripts/lib.sh"
esc_binary
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export HOME="$dir/home" ESC_POLICY_PATH="$SOURCE_DIR/policies" NO_COLOR=1 ESC_NOW=2026-12-07T09:00
unset XDG_DATA_HOME ESC_DB
mkdir -p "$HOME"
clean="$dir/clean.db"
for i in $(seq "$cases"); do
  ESC_NOW=2026-11-30T10:00 "$ESC" --db "$clean" raise --policy stoke-on-trent --category other \
    --summary "Invented case $i" --raiser "Ola Fable" --raiser-agency-type school \
    --counterpart "Pia Myth" --counterpart-agency-type health --child-ref "C-9$i" \
    --raiser-email "ola$i@example.org" --counterpart-email "pia$i@example.org" -q >/dev/null
done
expected=$("$ESC" --db "$clean" remind --new-only --dry-run --json |
  python3 -c 'import json,sys; print(sum(len(m["reminders"]) for m in json.load(sys.stdin)))')
messages=$("$ESC" --db "$clean" remind --new-only --dry-run --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
echo "store: $cases cases owing $expected reminders in $messages messages (one per recipient) at $ESC_NOW"

# CMD: appends "case key state recipient" for each reminder in the message it
# is given (as JSON on its stdin).
cat >"$dir/send.py" <<'PY'
import json, sys
m = json.load(sys.stdin)
sys.stdout.write("".join("%s %s %s %s\n" % (x["case"], x["key"], x["state"], m["to"]["email"]) for x in m["reminders"]))
PY
send="sleep 0.01; python3 -I -S \"$dir/send.py\" >>\"\$LOG\""

# tally LOG: "delivered distinct doubled"
tally() {
  python3 - "$1" <<'PY'
import collections, sys
lines = open(sys.argv[1]).read().split("\n") if __import__("os").path.exists(sys.argv[1]) else []
c = collections.Counter(l for l in lines if l)
print(sum(c.values()), len(c), sum(n - 1 for n in c.values()))
PY
}

# fresh NAME: a copy of the clean store at $dir/NAME.db, with an empty log
# $dir/NAME.log; sets db and log.
fresh() {
  db="$dir/$1.db" log="$dir/$1.log"
  rm -f "$db" "$db-wal" "$db-shm" "$log"
  cp "$clean" "$db"
}

bad_verify=0
pair_lost=0 pair_doubled=0
start=$EPOCHREALTIME
for i in $(seq "$pairs"); do
  fresh pair
  LOG=$log "$ESC" --db "$db" remind --new-only --format json --exec "$send" >/dev/null 2>&1 &
  a=$!
  LOG=$log "$ESC" --db "$db" remind --new-only --format json --exec "$send" >/dev/null 2>&1 &
  b=$!
  wait "$a" || true
  wait "$b" || true
  read -r delivered distinct doubled < <(tally "$log")
  pair_lost=$((pair_lost + expected - distinct))
  pair_doubled=$((pair_doubled + doubled))
  v=$("$ESC" --db "$db" verify 2>&1) || true
  [ "$v" = ok ] || { bad_verify=$((bad_verify + 1)); echo "a store failed to verify: $v" >&2; }
done
pair_secs=$(python3 -c "print(round($EPOCHREALTIME - $start, 1))")
echo "simultaneous pairs: $pairs pairs x $expected reminders: lost $pair_lost, doubled $pair_doubled ($pair_secs s)"

kill_lost=0 kill_doubled=0 in_flight=0
start=$EPOCHREALTIME
for i in $(seq "$kills"); do
  fresh kill
  LOG=$log setsid "$ESC" --db "$db" remind --new-only --format json --exec "$send" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 400)))"
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  # What the killed run delivered and recorded, and what it delivered but
  # had not recorded (in flight): its CMD ran, its delivery is not in the store.
  before=$(tally "$log" | cut -d' ' -f2)
  recorded=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT count(*) FROM records WHERE kind = 'reminder' AND coalesce(channel, '') <> 'claimed'\").fetchone()[0])" "$db")
  in_flight=$((in_flight + before - recorded))
  LOG=$log "$ESC" --db "$db" remind --new-only --format json --exec "$send" >/dev/null 2>&1 || true
  read -r delivered distinct doubled < <(tally "$log")
  kill_lost=$((kill_lost + expected - distinct))
  kill_doubled=$((kill_doubled + doubled))
  v=$("$ESC" --db "$db" verify 2>&1) || true
  [ "$v" = ok ] || { bad_verify=$((bad_verify + 1)); echo "a store failed to verify: $v" >&2; }
done
kill_secs=$(python3 -c "print(round($EPOCHREALTIME - $start, 1))")
echo "killed runs: $kills kills, then a clean run: lost $kill_lost, doubled $kill_doubled, in flight at a kill $in_flight ($kill_secs s)"
echo "stores that failed to verify: $bad_verify"
[ "$pair_lost" -eq 0 ] && [ "$pair_doubled" -eq 0 ] && [ "$kill_lost" -eq 0 ] &&
  [ "$kill_doubled" -le "$in_flight" ] && [ "$bad_verify" -eq 0 ]
