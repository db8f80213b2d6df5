#!/usr/bin/env bash
# Disk full: esc writes to a store until the file system refuses, then must
# refuse cleanly (exit 74, one clear line on stderr, nothing printed as
# done), keep every write it acknowledged, leave no trace of what it refused,
# and the store must open, verify and take writes again once there is room.
#
#   bench/diskfull.sh            (every scenario below; a few seconds each)
#
# Scenarios (a store's writes go to its -wal file; closing the last
# connection checkpoints them into the main file):
#   fsize-checkpoint  RLIMIT_FSIZE 40 KiB above the store's size: the
#                     checkpoints fail first (the WAL is kept), then a WAL write
#   fsize-wal         RLIMIT_FSIZE below the store's size: every checkpoint
#                     fails, the WAL grows until a write fails
#   fsize-shm         RLIMIT_FSIZE 16 KiB, below the -shm file's 32 KiB: the
#                     store cannot even be opened; reads fail as cleanly
#   tmpfs             a 2 MiB tmpfs filled by a ballast file to 128 KiB free:
#                     a real ENOSPC; room is made by deleting the ballast
#                     (needs root and mount; skipped otherwise, or when
#                     ESC_DISKFULL_TMPFS=0)
# Under RLIMIT_FSIZE SIGXFSZ is ignored (trap '' XFSZ) so that a write fails
# with EFBIG rather than the signal killing esc; what esc does when the signal
# is left at its default is printed too, for information.
#
# Exits non-zero when a scenario fails. Uses $ESC when set (the tests do),
# otherwise builds esc first.
set -euo pipefail
SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$SOURCE_DIR/scripts/lib.sh"
esc_binary
top=$(mktemp -d)
mounted=
cleanup() {
  if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true; fi
  rm -rf "$top"
}
trap cleanup EXIT
export HOME="$top/home" ESC_POLICY_PATH="$SOURCE_DIR/policies" NO_COLOR=1 ESC_NOW=2026-11-09T10:00
unset XDG_DATA_HOME
mkdir -p "$HOME"
failed=0

# esc_lim ARGS...: esc under the current file-size limit ($limit KiB, none
# when empty), stdout to $top/out, stderr to $top/err; sets $rc.
limit=
esc_lim() {
  if [ -n "$limit" ]; then
    (trap '' XFSZ && ulimit -f "$limit" && exec "$ESC" "$@") >"$top/out" 2>"$top/err" && rc=0 || rc=$?
  else
    "$ESC" "$@" >"$top/out" 2>"$top/err" && rc=0 || rc=$?
  fi
}

# write KIND: one write of KIND (raise, record or escalate) on the current
# case, logged in $acked only when esc exits 0. Sets $rc.
step=0 case_id= stage=1
write() {
  step=$((step + 1))
  local tok="$scenario.$step" kind=$1
  if [ "$kind" != raise ] && [ -z "$case_id" ]; then kind=raise; fi
  if [ "$kind" = escalate ] && ((stage >= 5)); then kind=record; fi
  case $kind in
    raise)
      esc_lim raise --policy stoke-on-trent --category other --summary "Invented case $tok" --raiser "Ola Fable" \
        --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health --child-ref C-6 -q
      if [ "$rc" -eq 0 ]; then
        case_id=$(cat "$top/out") stage=1
        echo "case $case_id $tok" >>"$acked"
      fi
      ;;
    record)
      esc_lim record "$case_id" --kind note --summary "Invented note $tok" -q
      [ "$rc" -eq 0 ] && echo "record $(cat "$top/out") $case_id $tok" >>"$acked"
      ;;
    escalate)
      esc_lim escalate "$case_id" --reason "Invented reason $tok"
      if [ "$rc" -eq 0 ]; then
        stage=$((stage + 1))
        echo "escalate $case_id $stage" >>"$acked"
      fi
      ;;
  esac
  last_kind=$kind
}
next_kind() { case $((step % 4)) in 0) echo raise ;; 2) echo escalate ;; *) echo record ;; esac; }

# clean_refusal WHAT: the last esc exited 74 with one "esc: error:" line
# and printed nothing; else reports and counts a problem.
problems=()
clean_refusal() {
  local lines
  lines=$(grep -c . "$top/err" || true)
  if [ "$rc" -ne 74 ] || [ "$lines" -ne 1 ] || ! grep -q '^esc: error: ' "$top/err" ||
    grep -qi 'internal error' "$top/err" || [ -s "$top/out" ]; then
    problems+=("$1: exit $rc, stdout '$(head -c 200 "$top/out")', stderr '$(tr '\n' ' ' <"$top/err")'")
  fi
}
shown_err() { sed "s#$dir/#STORE-DIR/#g" "$top/err" | tr -d '\n'; }

# scenario NAME SHORTEN RELIEVE: the write-until-full cycle in $dir with
# $ESC_DB there, after $prefill writes with room; the functions SHORTEN and
# RELIEVE make the shortage (setting $shortage, its description) and remove it.
scenario() {
  scenario=$1
  local set_limit=$2 clear_limit=$3
  acked="$top/acked.$scenario"
  : >"$acked"
  step=0 case_id= stage=1 problems=() limit=
  export ESC_DB="$dir/esc.db"
  local i ok=0 kept_wal=0 first
  for ((i = 0; i < prefill; i++)); do
    write "$(next_kind)"
    [ "$rc" -eq 0 ] || problems+=("prefill write $i failed: exit $rc: $(shown_err)")
  done
  local size_before=$(($(stat -c %s "$ESC_DB") / 1024))
  $set_limit
  # Write until a write is refused.
  while :; do
    write "$(next_kind)"
    [ "$rc" -ne 0 ] && break
    ok=$((ok + 1))
    [ -e "$ESC_DB-wal" ] && kept_wal=$((kept_wal + 1))
    if ((ok > 3000)); then
      problems+=("3000 writes and the store never filled")
      break
    fi
  done
  clean_refusal "the first refused write ($last_kind)"
  first="exit $rc: $(shown_err)"
  # More writes of every kind: refused as cleanly, or (a smaller write that
  # still fits) done and acknowledged like any other; reads still work or
  # fail as cleanly.
  local more=""
  for k in raise record escalate; do
    write "$k"
    [ "$rc" -eq 0 ] || clean_refusal "a further $last_kind"
    more+="$last_kind exit $rc, "
  done
  esc_lim verify
  local under="exit $rc$([ -s "$top/out" ] && printf ', %s' $(cat "$top/out"))"
  if [ "$rc" -ne 0 ] || [ "$(cat "$top/out")" != ok ]; then clean_refusal "verify while full"; fi
  esc_lim list --all --ids
  local listed="exit $rc"
  [ "$rc" -eq 0 ] || clean_refusal "list while full"
  $clear_limit
  # With room again: the store opens and verifies, holds exactly what was
  # acknowledged, and takes a write.
  esc_lim verify
  local after="exit $rc$([ -s "$top/out" ] && printf ', %s' $(cat "$top/out"))"
  [ "$rc" -eq 0 ] && [ "$(cat "$top/out")" = ok ] || problems+=("verify with room again: $after $(shown_err)")
  local acked_n lost unacked
  read -r acked_n lost unacked < <(bash "$SOURCE_DIR/bench/crash.sh" --check "$ESC_DB" "$acked")
  ((lost == 0)) || problems+=("$lost acknowledged writes lost")
  ((unacked == 0)) || problems+=("$unacked refused writes left a trace in the store")
  write raise
  local next="exit $rc"
  [ "$rc" -eq 0 ] || problems+=("a write with room again: exit $rc: $(shown_err)")
  esc_lim verify
  [ "$rc" -eq 0 ] && [ "$(cat "$top/out")" = ok ] || problems+=("verify after the new write: exit $rc")

  echo "scenario $scenario ($shortage; store $size_before KiB):"
  echo "  acknowledged writes: $acked_n ($ok under the shortage, $kept_wal of them with the checkpoint refused and the WAL kept)"
  echo "  first refusal: $first"
  echo "  further writes (refused, or done when small enough to fit): ${more%, }"
  echo "  while full: verify $under; list $listed"
  echo "  with room again: verify $after; lost writes: $lost; refused writes stored: $unacked; next write $next"
  if ((${#problems[@]})); then
    failed=$((failed + 1))
    printf '  PROBLEM: %s\n' "${problems[@]}"
  fi
}

fsize_above() { limit=$(($(stat -c %s "$ESC_DB") / 1024 + 40)) shortage="RLIMIT_FSIZE $limit KiB"; }
fsize_below() { limit=96 shortage="RLIMIT_FSIZE 96 KiB"; }
fsize_shm() { limit=16 shortage="RLIMIT_FSIZE 16 KiB"; }
no_limit() { limit=; }
prefill=6
dir="$top/fsize-checkpoint" && mkdir -p "$dir" && scenario fsize-checkpoint fsize_above no_limit
dir="$top/fsize-wal" && mkdir -p "$dir" && scenario fsize-wal fsize_below no_limit
dir="$top/fsize-shm" && mkdir -p "$dir" && scenario fsize-shm fsize_shm no_limit

fill_tmpfs() {
  local avail
  avail=$(df -k --output=avail "$mounted" | tail -1)
  dd if=/dev/zero of="$mounted/ballast" bs=1k count=$((avail - 128)) status=none 2>/dev/null || true
  shortage="tmpfs of 2 MiB, $(df -k --output=avail "$mounted" | tail -1 | tr -d ' ') KiB free"
}
empty_tmpfs() { rm -f "$mounted/ballast"; }
if [ "${ESC_DISKFULL_TMPFS:-1}" != 0 ] && [ "$(id -u)" -eq 0 ] && mkdir -p "$top/tmpfs" &&
  mount -t tmpfs -o size=2m,mode=0700 esc-diskfull "$top/tmpfs" 2>/dev/null; then
  mounted="$top/tmpfs"
  dir="$top/tmpfs/store" && mkdir -p "$dir" && chmod 700 "$dir"
  scenario tmpfs fill_tmpfs empty_tmpfs
  umount "$mounted" && mounted=
else
  echo "scenario tmpfs: skipped (needs root and a working mount)"
fi

# For information: SIGXFSZ at its default under a limit esc cannot open under.
dir="$top/sigxfsz" && mkdir -p "$dir"
export ESC_DB="$dir/esc.db"
"$ESC" raise --policy stoke-on-trent --category other --summary "Invented case x.1" --raiser "Ola Fable" \
  --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health --child-ref C-6 -q >/dev/null
rc=$( (ulimit -f 16 && exec "$ESC" record 1 --kind note --summary "Invented note x.2" -q) >/dev/null 2>&1 && echo 0 || echo $?) 2>/dev/null
"$ESC" verify >/dev/null 2>&1 && v=ok || v="not ok"
echo "for information: with SIGXFSZ left at its default, esc under RLIMIT_FSIZE 16 KiB exits $rc$( ((rc > 128)) && echo " (killed by signal $((rc - 128)))"); the store then verifies: $v"

echo "scenarios failed: $failed"
[ "$failed" -eq 0 ]
