# esc calendar: bank holiday listing, --add, JSON, and errors.
. "$(dirname "$0")/lib.sh"

run calendar --from 2022-01-01 --to 2022-12-31 --json
expect_rc 0 "calendar 2022"
dates=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(" ".join(h["date"] for h in json.load(sys.stdin)))')
expect_eq "$dates" "2022-01-03 2022-04-15 2022-04-18 2022-05-02 2022-06-02 2022-06-03 2022-08-29 2022-09-19 2022-12-26 2022-12-27" "the 2022 bank holidays, one-offs included"

# The whole 2018-2035 range agrees with the official list kept in tests/data.
run calendar --from 2018-01-01 --to 2035-12-31 --json
got=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(" ".join(h["date"] for h in json.load(sys.stdin)))')
want=$(grep -v '^#' "$ESC_SOURCE_DIR/tests/data/england-and-wales-official.txt" | awk 'NF {print $1}' | tr '\n' ' ' | sed 's/ $//')
expect_eq "$got" "$want" "calendar 2018-2035 matches the official England and Wales list"

run calendar --add 1 --from 2026-12-24
expect_rc 0 "calendar --add"
expect_out "Tuesday 2026-12-29" "one working day after Christmas Eve 2026"
expect_out "Boxing Day (substitute day)" "the skipped days say why"

run calendar --add 0 --from 2026-11-28 --json
got=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["date"])')
expect_eq "$got" "2026-11-30" "same working day of a Saturday"

# The default range is this year and next, from ESC_NOW.
ESC_NOW=2026-06-01T12:00 run calendar --json
first=$(printf '%s' "$out" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d[0]["date"], d[-1]["date"])')
expect_eq "$first" "2026-01-01 2027-12-28" "default range: this year and next"

# The machine's TZ does not change the dates.
for tz in America/New_York Asia/Tokyo; do
  TZ=$tz ESC_NOW=2026-12-31T23:30:00Z run calendar --add 1 --json
  got=$(printf '%s' "$out" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["from"])')
  expect_eq "$got" "2026-12-31" "today in London under TZ=$tz"
done

run calendar --calendar scotland --from 2026-11-30 --to 2026-11-30 --json
expect_out "St Andrew" "Scotland has St Andrew's Day"

run calendar --calendar mars
expect_rc 66 "an unknown calendar"
run calendar --from 2026-02-30
expect_rc 65 "an impossible date"
expect_err "not a real date" "impossible date message"
run calendar --from 2026-12-01 --to 2026-01-01
expect_rc 64 "a range that ends before it starts"
run calendar --add -1
expect_rc 64 "a negative --add"
run calendar --from 1990-01-01 --to 1990-12-31
expect_rc 65 "a year outside 1995-2100"
run calendar --bogus
expect_rc 64 "an unknown option"
ESC_NOW=whenever run calendar
expect_rc 64 "a bad ESC_NOW"
expect_err "ESC_NOW" "bad ESC_NOW message names it"

finish
