#!/usr/bin/env bash
# Concurrency test: several processes use one store at once, each mixing
# raise, record, escalate and overdue, for a fixed time.
#
#   bench/concurrency.sh [PROCESSES] [SECONDS]     (defaults 8 60)
#
# The store does not exist at the start: the first raises race to create it.
# Each process picks its next command at random (raise 2 in 10, record 4 in
# 10, escalate 2 in 10, overdue 2 in 10); escalations go to cases that process
# raised (only below the policy's last stage, so every command is one the
# policy allows), records half the time to one of those and half the time to
# case 1, which all the processes share. Any exit other than 0 (or 1 from
# overdue, which means something is overdue), or anything on stderr, is an
# error surfaced to the user. Afterwards `esc verify` must print ok, the store
# must hold exactly the writes that were acknowledged, still be mode 600
# (after the race to create it), and its case ids (as `esc list` gives them)
# must run from 1 without a gap.
#
# Prints the operations done by kind, the slowest of each, the errors, the
# verification, the records on the shared case, the store's mode and its case
# ids, and exits non-zero unless there were no errors, the store verifies,
# nothing is missing or extra, the mode is 600 and the ids have no gap. Uses
# $ESC when set (the tests do), otherwise builds esc first.
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
procs=${1:-8}
duration=${2:-60}
. "$SOURCE_DIR/scripts/lib.sh"
esc_binary
dir=$(mktemp -d)
keep=0
cleanup() {
  if [ "$keep" -eq 0 ]; then rm -rf "$dir"; else echo "the store and logs are kept in $dir" >&2; fi
}
trap cleanup EXIT
export HOME="$dir/home" ESC_DB="$dir/esc.db" ESC_POLICY_PATH="$SOURCE_DIR/policies" NO_COLOR=1
unset XDG_DATA_HOME ESC_NOW
mkdir -p "$HOME"
raised_at=2026-11-09T10:00   # every write; overdue looks five weeks later
checked_at=2026-12-14T09:00

# worker P END: runs commands until the clock passes END (epoch seconds).
worker() {
  local p=$1 end=$2 op rc t0 ms id rid i n=0 tok
  local -a ids=() stages=() open=()
  local -A count=([raise]=0 [record]=0 [escalate]=0 [overdue]=0) slow=([raise]=0 [record]=0 [escalate]=0 [overdue]=0)
  local acked="$dir/acked.$p" errors="$dir/errors.$p" err="$dir/stderr.$p"
  while ((EPOCHSECONDS < end)); do
    case $((RANDOM % 10)) in
      0 | 1) op=raise ;;
      2 | 3 | 4 | 5) op=record ;;
      6 | 7) op=escalate ;;
      *) op=overdue ;;
    esac
    ((${#ids[@]} > 0)) || op=raise
    open=()
    if [ "$op" = escalate ]; then
      for i in "${!ids[@]}"; do ((stages[i] < 5)) && open+=("$i"); done
      ((${#open[@]} > 0)) || op=raise
    fi
    n=$((n + 1))
    tok="p$p.$n"
    t0=${EPOCHREALTIME/./}
    case $op in
      raise)
        id=$(ESC_NOW=$raised_at "$ESC" raise --policy stoke-on-trent --category other --summary "Invented case $tok" \
          --raiser "Ola Fable" --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health \
          --child-ref "C-7$p$n" -q 2>"$err") && rc=0 || rc=$?
        if [ "$rc" -eq 0 ] && [[ $id =~ ^[0-9]+$ ]]; then
          ids+=("$id") stages+=(1)
          echo "case $id $tok" >>"$acked"
        fi
        ;;
      record)
        # Case 1 exists once any raise is acknowledged (the ids start at 1).
        if ((RANDOM % 2)); then id=1; else id=${ids[RANDOM % ${#ids[@]}]}; fi
        rid=$(ESC_NOW=$raised_at "$ESC" record "$id" --kind note --summary "Invented note $tok" -q 2>"$err") && rc=0 || rc=$?
        if [ "$rc" -eq 0 ] && [[ $rid =~ ^[0-9]+$ ]]; then echo "record $rid $id $tok" >>"$acked"; fi
        ;;
      escalate)
        i=${open[RANDOM % ${#open[@]}]}
        ESC_NOW=$raised_at "$ESC" escalate "${ids[i]}" --reason "Invented reason $tok" >/dev/null 2>"$err" && rc=0 || rc=$?
        if [ "$rc" -eq 0 ]; then
          stages[i]=$((stages[i] + 1))
          echo "escalate ${ids[i]} ${stages[i]}" >>"$acked"
        fi
        ;;
      overdue)
        ESC_NOW=$checked_at "$ESC" overdue >/dev/null 2>"$err" && rc=0 || rc=$?
        [ "$rc" -eq 1 ] && rc=0
        ;;
    esac
    ms=$(((${EPOCHREALTIME/./} - t0) / 1000))
    count[$op]=$((count[$op] + 1))
    ((ms > slow[$op])) && slow[$op]=$ms
    if [ "$rc" -ne 0 ] || [ -s "$err" ]; then
      printf 'process %s: %s exited %s after %s ms: %s\n' "$p" "$op" "$rc" "$ms" "$(tr '\n' ' ' <"$err")" >>"$errors"
    elif [ "$op" = raise ] && ! [[ $id =~ ^[0-9]+$ ]]; then
      printf 'process %s: raise printed %s\n' "$p" "$id" >>"$errors"
    elif [ "$op" = record ] && ! [[ $rid =~ ^[0-9]+$ ]]; then
      printf 'process %s: record printed %s\n' "$p" "$rid" >>"$errors"
    fi
  done
  echo "${count[raise]} ${count[record]} ${count[escalate]} ${count[overdue]}" \
    "${slow[raise]} ${slow[record]} ${slow[escalate]} ${slow[overdue]}" >"$dir/counts.$p"
}

end=$((EPOCHSECONDS + duration))
for ((p = 1; p <= procs; p++)); do worker "$p" "$end" & done
wait

ops=(0 0 0 0) slow=(0 0 0 0)
for ((p = 1; p <= procs; p++)); do
  read -r -a c <"$dir/counts.$p"
  for i in 0 1 2 3; do
    ops[i]=$((ops[i] + c[i]))
    ((c[i + 4] > slow[i])) && slow[i]=${c[i + 4]}
  done
done
total=$((ops[0] + ops[1] + ops[2] + ops[3]))
cat "$dir"/acked.* >"$dir/acked" 2>/dev/null || : >"$dir/acked"
errors=$(cat "$dir"/errors.* 2>/dev/null | grep -c . || true)
if [ "$errors" -ne 0 ]; then
  cat "$dir"/errors.* >&2
  keep=1
fi

vout=$("$ESC" verify 2>&1) && vrc=0 || vrc=$?
[ "$vrc" -eq 0 ] && [ "$vout" = ok ] || keep=1
read -r acked lost unacked < <(bash "$SOURCE_DIR/bench/crash.sh" --check "$ESC_DB" "$dir/acked")
((lost == 0 && unacked == 0)) || keep=1
# The records acknowledged on the shared case 1, and how many processes wrote them.
shared=$(grep -c '^record [0-9]* 1 ' "$dir/acked" || true)
writers=$(sed -n 's/^record [0-9]* 1 p\([0-9]*\)\..*/\1/p' "$dir/acked" | sort -u | grep -c . || true)
mode=$(stat -c %a "$ESC_DB")
[ "$mode" = 600 ] || keep=1
# The case ids as esc lists them (every case is open), sorted: 1 to N, no gap.
ids_listed=$(ESC_NOW=$raised_at "$ESC" list --ids 2>&1 | sort -n) || true
ncases=$(printf '%s\n' "$ids_listed" | grep -c . || true)
first=$(printf '%s\n' "$ids_listed" | head -1) last=$(printf '%s\n' "$ids_listed" | tail -1)
gapless=no
[ "$ids_listed" = "$(seq 1 "$ncases")" ] && [ "$ncases" -gt 0 ] && gapless=yes
[ "$gapless" = yes ] || keep=1

echo "processes: $procs, $duration s each, one store"
echo "operations: $total (raise ${ops[0]}, record ${ops[1]}, escalate ${ops[2]}, overdue ${ops[3]})"
echo "rate: $((total / duration)) per second"
echo "slowest: raise ${slow[0]} ms, record ${slow[1]} ms, escalate ${slow[2]} ms, overdue ${slow[3]} ms"
echo "errors surfaced: $errors"
echo "verify: $(printf '%s' "$vout" | tr '\n' ' ') (exit $vrc)"
echo "acknowledged writes: $acked, missing: $lost, stored but not acknowledged: $unacked"
echo "shared case 1: $shared records from $writers processes"
echo "store mode: $mode"
echo "case ids: $first to $last, $ncases cases, contiguous from 1: $gapless"
[ "$errors" -eq 0 ] && [ "$vrc" -eq 0 ] && [ "$vout" = ok ] && [ "$lost" -eq 0 ] && [ "$unacked" -eq 0 ] &&
  [ "$mode" = 600 ] && [ "$gapless" = yes ]
