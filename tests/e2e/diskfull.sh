# Disk full, through bench/diskfull.sh: under RLIMIT_FSIZE (the limit hit in
# a checkpoint, in a WAL write, and on opening) and, as root, on a full tmpfs,
# each refused write exits 74 with one clear line, nothing acknowledged is
# lost, nothing refused is stored, and the store verifies and takes writes
# again once there is room.
. "$(dirname "$0")/lib.sh"

run_bench diskfull
expect_rc 0 "every disk-full scenario passes"
expect_out "scenarios failed: 0" "no scenario failed"
for s in fsize-checkpoint fsize-wal fsize-shm; do
  expect_out "scenario $s (" "scenario $s ran"
done
expect_out "first refusal: exit 74: esc: error: cannot write the store STORE-DIR/esc.db: disk I/O error; nothing was changed" \
  "a write refused by the file-size limit is a clear error"
n=$(printf '%s\n' "$out" | grep -c "lost writes: 0; refused writes stored: 0; next write exit 0")
s=$(printf '%s\n' "$out" | grep -c '^scenario .*(')
expect_true "$((s - n)) of $s scenarios lost or kept a write, or took no write with room again" [ "$n" -eq "$s" ]
expect_true "a scenario reported a problem" test -z "$(printf '%s\n' "$out" | grep "PROBLEM")"

finish
