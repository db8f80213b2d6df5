# The fish completion (completions/esc.fish): `complete -C LINE` in fish,
# with the script loaded, offers what esc itself says. Against a scratch
# store of invented cases.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
if ! command -v fish >/dev/null 2>&1; then
  echo "fish is not installed: the fish completion is not tested" >&2
  exit 0
fi
mkdir -p "$E2E_TMP/bin" "$E2E_TMP/work" && ln -s "$ESC" "$E2E_TMP/bin/esc"
export PATH="$E2E_TMP/bin:$PATH" ESC_DB="$E2E_TMP/esc.db" ESC_NOW=2026-03-02T10:00

# Three invented cases; the second is resolved, so 1 and 3 are open.
RAISE=(--category other --summary "Invented disagreement for a test" --raiser "Ann Example"
  --raiser-agency-type school --counterpart "Bob Sample" --counterpart-agency-type social-care
  --child-ref T-0001 -q)
for p in stoke-on-trent generic sefton; do
  run raise --policy "$p" "${RAISE[@]}"
  expect_rc 0 "raise an invented $p case"
done
run resolve 2 --outcome "Agreed a plan"
expect_rc 0 "resolve case 2"
touch "$E2E_TMP/work/anchor-file"
# The commands starting "re", from esc --help (commands come and go).
RE_COMMANDS=$("$ESC" --help | awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on && $1 ~ /^re/ {print $1}' | sort | tr '\n' ' ' | sed 's/ $//')

# complete LINE: what fish offers (without descriptions), sorted, on one line.
complete_line() {
  (cd "$E2E_TMP/work" && timeout 30 fish --no-config -c 'source $argv[1]/completions/esc.fish; complete -C $argv[2]' \
    "$ESC_SOURCE_DIR" "$1" 2>&1) | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
}
check() { expect_eq "$(complete_line "$1")" "$2" "fish: $1<TAB>"; }

check "esc esc" "escalate"
check "esc re" "$RE_COMMANDS"
check "esc raise --chi" "--child --child-ref"
check "esc raise --policy " "birmingham generic sefton stoke-on-trent warrington"
check "esc raise --policy=st" "--policy=stoke-on-trent"
check "esc raise --policy stoke-on-trent --category " \
  "action-or-inaction childs-plan information-sharing meeting-attendance other referral-handling service-provision"
check "esc raise --raiser-agency-type " "early-help health other police school self-employed social-care voluntary"
check "esc raise --counterpart-agency-type s" "school self-employed social-care"
check "esc record 1 --kind " "check-back conversation correction decision feedback meeting note notification plan"
check "esc record 1 --channel " "email face-to-face letter other phone video"
check "esc show " "1 3"
check "esc escalate " "1 3"
check "esc policy " "check list show"
check "esc policy show " "birmingham generic sefton stoke-on-trent warrington"
check "esc anchor anch" "anchor-file"
check "esc --db $E2E_TMP/none.db show " ""
E2E_COUNT=$((E2E_COUNT + 1))
[ ! -e "$E2E_TMP/none.db" ] || fail "completing created a store"

# Descriptions come along: the command's summary, the policy's partnership.
out=$(timeout 30 fish --no-config -c 'source $argv[1]/completions/esc.fish; complete -C "esc esc"' "$ESC_SOURCE_DIR" 2>&1)
summary=$("$ESC" --help | awk '$1 == "escalate" { sub(/^ *escalate +/, ""); print; exit }')
expect_eq "$out" "$(printf 'escalate\t%s' "$summary")" "fish shows the command's summary, as esc --help does"
finish
