# due, remind and overdue count each case's window on its own policy's
# calendar. A Scottish copy of the Stoke-on-Trent policy, beside the
# original: St Andrew's Day (Monday 30 November 2026) is a bank holiday in
# Scotland, not in England and Wales.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"
py() { "$PY" -I -S -c "$@"; }
mkdir -p "$E2E_TMP/policies"
sed -e 's/^id = "stoke-on-trent"/id = "stoke-scotland"/' -e 's/^calendar = "england-and-wales"/calendar = "scotland"/' \
  "$ESC_SOURCE_DIR/policies/stoke-on-trent.toml" >"$E2E_TMP/policies/stoke-scotland.toml"
export ESC_POLICY_PATH="$ESC_SOURCE_DIR/policies:$E2E_TMP/policies"
run policy show stoke-scotland
expect_rc 0 "the Scottish copy loads"

raise() { # raise POLICY -> case id, on Friday 27 November 2026
  ESC_NOW=2026-11-27T10:00 "$ESC" raise --policy "$1" --category other --summary "Invented disagreement" \
    --raiser "Ann Teacher" --raiser-agency-type school --counterpart "Bob Worker" \
    --counterpart-agency-type social-care --child-ref "C-$RANDOM" -q
}
england=$(raise stoke-on-trent)
scotland=$(raise stoke-scotland)
# Stage 1's one working day: Monday 30 November in England, Tuesday
# 1 December in Scotland.
dues() { ESC_NOW=2026-11-27T10:00 "$ESC" show "$1" --json | py 'import json,sys; print(" ".join(d["due"] for d in json.load(sys.stdin)["deadlines"] if d["stage"] == 1))'; }
expect_eq "$(dues "$england")" "2026-11-30" "England: due Monday 30 November"
expect_eq "$(dues "$scotland")" "2026-12-01" "Scotland: due Tuesday 1 December (St Andrew's Day)"

# The stage's timed deadlines (its other duties have no date).
cases() { py 'import json,sys; print(" ".join("%s:%s" % (d["policy"], d["due"]) for d in json.load(sys.stdin) if d["stage"] == 1 and d["kind"] == "deadline"))'; }
# On Friday, one working day ahead is Monday in England and Tuesday in
# Scotland: both cases' stage 1 deadlines are in their window.
ESC_NOW=2026-11-27T12:00 run due --within 1 --json
expect_rc 0 "due --within 1"
expect_eq "$(printf '%s' "$out" | cases)" "stoke-on-trent:2026-11-30 stoke-scotland:2026-12-01" \
  "due --within 1 on Friday: each case's next working day"
ESC_NOW=2026-11-27T12:00 run remind --within 1 --json
expect_rc 0 "remind --within 1"
# (remind's messages, one per recipient: each deadline once, whoever it went to)
expect_eq "$(printf '%s' "$out" | py 'import json,sys; print(" ".join(sorted({"%s:%s" % (d["policy"], d["due"]) for m in json.load(sys.stdin) for d in m["reminders"] if d["stage"] == 1 and d["kind"] == "deadline"})))')" "stoke-on-trent:2026-11-30 stoke-scotland:2026-12-01" \
  "remind --within 1 on Friday: each case's next working day"
# On Monday 30 November, the English deadline is due today; the Scottish
# one (a holiday today) is due on the next working day.
ESC_NOW=2026-11-30T12:00 run due --within 0 --json
expect_eq "$(printf '%s' "$out" | cases)" "stoke-on-trent:2026-11-30" "due --within 0 on St Andrew's Day"
ESC_NOW=2026-11-30T12:00 run due --within 1 --json
expect_eq "$(printf '%s' "$out" | py 'import json,sys; print(" ".join(d["state"] for d in json.load(sys.stdin) if d["stage"] == 1 and d["kind"] == "deadline"))')" \
  "due-today due-soon" "England due today, Scotland due soon"
# On Tuesday 1 December the English one is overdue, the Scottish one not.
ESC_NOW=2026-12-01T12:00 run overdue --json
expect_rc 1 "overdue: something is"
expect_eq "$(printf '%s' "$out" | cases)" "stoke-on-trent:2026-11-30" "only England's is overdue on 1 December"
ESC_NOW=2026-12-02T12:00 run overdue --json
expect_eq "$(printf '%s' "$out" | cases)" "stoke-on-trent:2026-11-30 stoke-scotland:2026-12-01" "both on 2 December"
finish
