# Concurrency, short form of bench/concurrency.sh: 8 processes mixing raise,
# record, escalate and overdue on one store for 8 seconds: no error reaches
# the user, the store verifies and holds exactly what was acknowledged.
. "$(dirname "$0")/lib.sh"

out=$(bash "$ESC_SOURCE_DIR/bench/concurrency.sh" 8 8 2>"$E2E_TMP/concurrency.err") && rc=0 || rc=$?
err=$(cat "$E2E_TMP/concurrency.err")
echo "$out"
expect_rc 0 "the concurrency test passes"
expect_out "errors surfaced: 0" "no error reaches the user"
expect_out "verify: ok (exit 0)" "esc verify is ok afterwards"
expect_out "missing: 0, stored but not acknowledged: 0" "the store holds exactly the acknowledged writes"
for kind in raise record escalate overdue; do
  n=$(printf '%s\n' "$out" | sed -n "s/^operations: .*$kind \([0-9]*\).*/\1/p")
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "${n:-0}" -gt 0 ] || fail "no $kind ran"
done

finish
