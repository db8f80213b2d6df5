# Concurrency, short form of bench/concurrency.sh: 8 processes mixing raise,
# record, escalate and overdue on one store for 8 seconds, the first raises
# racing to create it: no error reaches the user, the store verifies, holds
# exactly what was acknowledged (so every id is distinct), records written by
# several processes at once to one case are all there, the store is mode 600,
# and esc list shows every case raised, ids 1 to N without a gap.
. "$(dirname "$0")/lib.sh"

run_bench concurrency 8 8
expect_rc 0 "the concurrency test passes"
expect_out "errors surfaced: 0" "no error reaches the user"
expect_out "verify: ok (exit 0)" "esc verify is ok afterwards"
expect_out "missing: 0, stored but not acknowledged: 0" "the store holds exactly the acknowledged writes"
for kind in raise record escalate overdue; do
  n=$(printf '%s\n' "$out" | sed -n "s/^operations: .*$kind \([0-9]*\).*/\1/p")
  expect_true "no $kind ran" [ "${n:-0}" -gt 0 ]
done
expect_out "store mode: 600" "the store created in the race is mode 600"
raises=$(printf '%s\n' "$out" | sed -n 's/^operations: .*raise \([0-9]*\).*/\1/p')
expect_out "case ids: 1 to ${raises:-?}, ${raises:-?} cases, contiguous from 1: yes" \
  "esc list shows every case raised, ids 1 to N without a gap"
writers=$(printf '%s\n' "$out" | sed -n 's/^shared case 1: [0-9]* records from \([0-9]*\) processes$/\1/p')
expect_true "the shared case 1 got records from only ${writers:-0} processes" [ "${writers:-0}" -ge 2 ]

finish
