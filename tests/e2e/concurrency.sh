# Several processes writing one store at once: every write succeeds, ids are
# distinct, nothing is lost.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

PY=$(python3 -c 'import sys; print(sys.executable)')
raise_bg() { # raise_bg N REF: N raises, each id on a line of $E2E_TMP/ids.REF
  local i
  for i in $(seq "$1"); do
    ESC_NOW=2026-11-09T10:00 "$ESC" raise --policy sefton --category other --summary "Concurrent $2 $i" \
      --raiser "Ola Fable" --raiser-agency-type school --counterpart "Pia Myth" --counterpart-agency-type health \
      --child-ref "$2" -q >>"$E2E_TMP/ids.$2" 2>>"$E2E_TMP/err.$2" || echo "exit $? on raise $i" >>"$E2E_TMP/fail.$2"
  done
}

# Four processes raising one case each, at once, into a store that does not
# exist yet.
for p in 1 2 3 4; do raise_bg 1 "C-800$p" & done
wait
expect_eq "$(cat "$E2E_TMP"/fail.* 2>/dev/null)" "" "four simultaneous raises all exit 0"
expect_eq "$(cat "$E2E_TMP"/ids.* | sort -u | wc -l)" "4" "four distinct ids"
ESC_NOW=2026-11-09T10:00 run list --json
expect_eq "$(printf '%s' "$out" | "$PY" -I -S -c 'import json,sys; print(len(json.load(sys.stdin)))')" "4" "list shows 4 cases"
expect_eq "$(stat -c %a "$ESC_DB")" "600" "the store is still mode 600"

# Four processes raising ten each into the existing store.
rm -f "$E2E_TMP"/ids.* "$E2E_TMP"/err.* "$E2E_TMP"/fail.*
for p in 1 2 3 4; do raise_bg 10 "C-810$p" & done
wait
expect_eq "$(cat "$E2E_TMP"/fail.* 2>/dev/null)" "" "40 concurrent raises all exit 0"
expect_eq "$(cat "$E2E_TMP"/err.* 2>/dev/null)" "" "no errors on stderr"
expect_eq "$(cat "$E2E_TMP"/ids.* | sort -u | wc -l)" "40" "40 distinct ids"
ESC_NOW=2026-11-09T10:00 run list --ids
expect_eq "$(printf '%s\n' "$out" | sort -n | tr '\n' ' ')" "$(seq 1 44 | tr '\n' ' ')" "list shows ids 1 to 44"

# Four processes adding records to one case at once.
rec_bg() {
  local i
  for i in $(seq 10); do
    ESC_NOW=2026-11-09T11:00 "$ESC" record 1 --kind note --summary "Note $1.$i" -q >>"$E2E_TMP/rec.$1" 2>&1 ||
      echo "exit $?" >>"$E2E_TMP/rfail.$1"
  done
}
for p in 1 2 3 4; do rec_bg "$p" & done
wait
expect_eq "$(cat "$E2E_TMP"/rfail.* 2>/dev/null)" "" "40 concurrent records all exit 0"
ESC_NOW=2026-11-09T11:00 run show 1 --json
expect_eq "$(printf '%s' "$out" | "$PY" -I -S -c 'import json,sys; r=json.load(sys.stdin)["records"]; print(len(r), len({x["id"] for x in r}))')" \
  "40 40" "the case has 40 distinct records"

finish
