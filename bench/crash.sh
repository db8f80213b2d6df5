#!/usr/bin/env bash
# Crash test: esc is killed with SIGKILL at random moments while it writes;
# after every kill the store must verify and hold every write esc acknowledged.
#
#   bench/crash.sh [KILLS] [MAX_DELAY_MS]     (defaults 250 1000)
#
# A writer runs esc commands one after another (raise a case, then records
# and escalations on it, again and again) and appends each id to a log only
# after the command has exited 0. The writer runs in its own process group;
# after a random 0..MAX_DELAY_MS (one esc command takes some 40 to 150 ms,
# so a round sees several) the group is stopped with SIGSTOP (so the
# writer can neither log nor start another command) and then killed with
# SIGKILL, esc included, wherever esc happened to be. A round whose group had
# no esc process running is not counted as a kill. After each kill:
# `esc verify` must print ok, and every logged write must be in the store
# exactly as written (cases, records and escalation events, each also in the
# chain). A write killed after its commit but before the log line is an
# unacknowledged write, not a loss; those are counted separately.
#
# Prints the figures and exits non-zero when a write was lost, verify failed
# or an esc command failed by itself. Uses $ESC when set (the tests do),
# otherwise builds esc first.
set -euo pipefail
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
SOURCE_DIR=$(cd "$(dirname "$SELF")/.." && pwd)

# The check, shared with bench/concurrency.sh and bench/diskfull.sh
# (crash.sh --check STORE LOG): every write in LOG, one line each
#   case ID TOKEN           a raise, summary "Invented case TOKEN"
#   record ID CASE TOKEN    a record, summary "Invented note TOKEN"
#   escalate CASE STAGE     an escalation of CASE to STAGE
# is in the store as written, and in the chain. Prints "ACKED LOST UNACKED",
# UNACKED being the raises, records and escalations stored but not in LOG.
IFS= read -r -d '' CHECK_PY <<'EOF' || true
import sqlite3, sys
db, log = sys.argv[1], sys.argv[2]
with open(log) as f:
    data = f.read()
lines = data.split("\n")[:-1]  # a last line without its newline was cut by the kill: not acknowledged
try:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    def one(sql, *a):
        return con.execute(sql, a).fetchone()
    cases = {i: s for i, s in con.execute("SELECT id, summary FROM cases")}
except sqlite3.Error as e:
    if lines:
        print(f"cannot read the store: {e}", file=sys.stderr)
    print(len(lines), len(lines), 0)
    sys.exit(0)
lost = []
logged = {"case": set(), "record": set(), "event": set()}
def chained(entry, ref):
    return one("SELECT 1 FROM ledger WHERE entry = ? AND ref_id = ?", entry, ref) is not None
for line in lines:
    w = line.split(" ")
    if w[0] == "case":
        cid, tok = int(w[1]), w[2]
        logged["case"].add(cid)
        ok = cases.get(cid) == f"Invented case {tok}" and chained("case", cid)
    elif w[0] == "record":
        rid, cid, tok = int(w[1]), int(w[2]), w[3]
        r = one("SELECT case_id, summary FROM records WHERE id = ?", rid)
        ok = r == (cid, f"Invented note {tok}") and chained("record", rid)
        logged["record"].add(rid)
    elif w[0] == "escalate":
        cid, stage = int(w[1]), int(w[2])
        e = one("SELECT id FROM events WHERE case_id = ? AND type = 'escalate' AND to_stage = ?", cid, stage)
        c = one("SELECT stage FROM cases WHERE id = ?", cid)
        ok = e is not None and chained("event", e[0]) and c is not None and c[0] >= stage
        if e is not None:
            logged["event"].add(e[0])
    else:
        ok = False
    if not ok:
        lost.append(line)
for line in lost:
    print(f"LOST: {line}", file=sys.stderr)
stored = {"case": set(cases),
          "record": {i for (i,) in con.execute("SELECT id FROM records")},
          "event": {i for (i,) in con.execute("SELECT id FROM events WHERE type = 'escalate'")}}
print(len(lines), len(lost), sum(len(stored[k] - logged[k]) for k in stored))
EOF
if [ "${1:-}" = "--check" ]; then
  exec "$(python3 -c 'import sys; print(sys.executable)')" -I -S -c "$CHECK_PY" "$2" "$3"
fi

# --- the writer (run as: crash.sh --writer ROUND DIR), killed from outside ---
if [ "${1:-}" = "--writer" ]; then
  round=$2 dir=$3
  fail() { printf 'round %s: %s exited %s: %s\n' "$round" "$1" "$2" "$(tr '\n' ' ' <"$dir/stderr.$round")" >>"$dir/errors"; exit 1; }
  n=0
  while :; do
    n=$((n + 1))
    tok="r$round.$n"
    id=$("$ESC" raise --policy stoke-on-trent --category other --summary "Invented case $tok" \
      --raiser "Ola Fable" --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health \
      --child-ref "C-9$round" -q 2>"$dir/stderr.$round") || fail raise $?
    [[ $id =~ ^[0-9]+$ ]] || fail raise "0 but printed '$id'"
    echo "case $id $tok" >>"$dir/acked"
    stage=1
    for k in 1 2 3; do
      rid=$("$ESC" record "$id" --kind note --summary "Invented note $tok.$k" -q 2>"$dir/stderr.$round") || fail record $?
      [[ $rid =~ ^[0-9]+$ ]] || fail record "0 but printed '$rid'"
      echo "record $rid $id $tok.$k" >>"$dir/acked"
      "$ESC" escalate "$id" --reason "Crash reason $tok.$k" >/dev/null 2>"$dir/stderr.$round" || fail escalate $?
      stage=$((stage + 1))
      echo "escalate $id $stage" >>"$dir/acked"
    done
  done
fi

kills=${1:-250}
max_delay=${2:-1000}
. "$SOURCE_DIR/scripts/lib.sh"
esc_binary
PY=$(python3 -c 'import sys; print(sys.executable)')
dir=$(mktemp -d)
keep=0
cleanup() {
  if [ -n "${writer:-}" ]; then kill -KILL -- "-$writer" 2>/dev/null || true; fi
  if [ "$keep" -eq 0 ]; then rm -rf "$dir"; else echo "the store and logs are kept in $dir" >&2; fi
}
trap cleanup EXIT
export ESC HOME="$dir/home" ESC_DB="$dir/esc.db" ESC_POLICY_PATH="$SOURCE_DIR/policies" NO_COLOR=1
export ESC_NOW=2026-11-09T10:00
unset XDG_DATA_HOME
mkdir -p "$HOME"
: >"$dir/acked"


rand_sleep() { # a random 0..$1 ms
  local ms=$((RANDOM * 32768 + RANDOM))
  ms=$((ms % ($1 + 1)))
  sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
}
# running_esc PGID: an esc of the group has not exited (a zombie has: it finished).
running_esc() {
  local p st
  for p in $(pgrep -g "$1" -x esc 2>/dev/null); do
    st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
    [ -n "$st" ] && [ "$st" != Z ] && return 0
  done
  return 1
}
# alive PGID: some process of the group has not exited yet (zombies have:
# their files and locks are released).
alive() {
  local p st
  for p in $(pgrep -g "$1" 2>/dev/null); do
    st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) || continue
    [ "$st" != Z ] && return 0
  done
  return 1
}

hits=0 misses=0 verify_fail=0 lost=0 rounds=0 acked=0 unacked=0
t0=$SECONDS
while ((hits < kills)); do
  rounds=$((rounds + 1))
  setsid bash "$SELF" --writer "$rounds" "$dir" </dev/null &
  writer=$!
  rand_sleep "$max_delay"
  kill -STOP -- "-$writer" 2>/dev/null || true
  if running_esc "$writer"; then hits=$((hits + 1)); else misses=$((misses + 1)); fi
  kill -KILL -- "-$writer" 2>/dev/null || true
  wait "$writer" 2>/dev/null || true
  while alive "$writer"; do sleep 0.01; done
  writer=
  [ -s "$dir/errors" ] && break

  # The store must open and verify (unless the very first raise died before
  # creating it, when there is nothing to check).
  if [ -e "$ESC_DB" ] || [ -s "$dir/acked" ]; then
    vout=$("$ESC" verify 2>&1) && vrc=0 || vrc=$?
    if [ "$vrc" -ne 0 ] || [ "$vout" != ok ]; then
      verify_fail=$((verify_fail + 1))
      echo "round $rounds: esc verify exited $vrc: $vout" >&2
      keep=1
    fi
  fi
  read -r acked l unacked < <("$PY" -I -S -c "$CHECK_PY" "$ESC_DB" "$dir/acked")
  if [ "$l" -ne 0 ]; then
    echo "round $rounds: $l acknowledged writes missing" >&2
    ((l > lost)) && lost=$l
    keep=1
  fi
  if ((rounds % 25 == 0)); then echo "... $hits kills, $acked acknowledged writes, $lost lost" >&2; fi
done

errors=$(grep -c . "$dir/errors" 2>/dev/null || true)
[ -s "$dir/errors" ] && sed 's/^/esc error: /' "$dir/errors" >&2
cases=$(grep -c '^case ' "$dir/acked" || true)
records=$(grep -c '^record ' "$dir/acked" || true)
escalations=$(grep -c '^escalate ' "$dir/acked" || true)
echo "rounds: $rounds ($misses stopped between esc commands, not counted as kills)"
echo "kills: $hits"
echo "acknowledged writes: $acked ($cases raises, $records records, $escalations escalations)"
echo "unacknowledged but stored (killed after commit, before the acknowledgement): $unacked"
echo "lost writes: $lost"
echo "verify failures: $verify_fail"
echo "esc errors: ${errors:-0}"
echo "time: $((SECONDS - t0)) s"
[ "$lost" -eq 0 ] && [ "$verify_fail" -eq 0 ] && [ "${errors:-0}" -eq 0 ] && [ "$hits" -ge "$kills" ]
