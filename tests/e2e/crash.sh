# Crash test, short form of bench/crash.sh: esc is killed with SIGKILL at
# random moments while it writes, 25 times; after every kill the store
# verifies and holds every write esc acknowledged.
. "$(dirname "$0")/lib.sh"

run_bench crash 25 600
expect_rc 0 "the crash test passes"
expect_out "kills: 25" "25 kills of a running esc"
expect_out "lost writes: 0" "no acknowledged write is lost"
expect_out "verify failures: 0" "esc verify is ok after every kill"
expect_out "esc errors: 0" "no esc command fails by itself"
# Something was acknowledged, or the test proved nothing.
acked=$(printf '%s\n' "$out" | sed -n 's/^acknowledged writes: \([0-9]*\).*/\1/p')
expect_true "only ${acked:-0} acknowledged writes over 25 kills" [ "${acked:-0}" -ge 10 ]

finish
