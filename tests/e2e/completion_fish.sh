# The fish completion (completions/esc.fish): `complete -C LINE` in fish,
# with the script loaded, offers what esc itself says. Against a scratch
# store of invented cases.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
if ! command -v fish >/dev/null 2>&1; then
  skip "fish is not installed: the fish completion is not tested"
fi
completion_store

# complete LINE: what fish offers (without descriptions), sorted, on one line.
complete_line() {
  (cd "$E2E_TMP/work" && timeout 30 fish --no-config -c 'source $argv[1]/completions/esc.fish; complete -C $argv[2]' \
    "$ESC_SOURCE_DIR" "$1" 2>&1) | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
}
check() { expect_eq "$(complete_line "$1")" "$2" "fish: $1<TAB>"; }

check "esc esc" "escalate"
check "esc re" "$RE_COMMANDS"
check "esc raise --chi" "--child --child-ref"
check "esc raise --policy " "$POLICIES"
check "esc raise --policy=st" "--policy=stoke-on-trent"
check "esc raise --policy stoke-on-trent --category " \
  "action-or-inaction childs-plan information-sharing meeting-attendance other referral-handling service-provision"
check "esc raise --raiser-agency-type " "early-help health other police school self-employed social-care voluntary"
check "esc raise --counterpart-agency-type s" "school self-employed social-care"
check "esc record 1 --kind " "check-back conversation correction decision delay-reason feedback learning-referral meeting note notification plan waiver"
check "esc record 1 --channel " "email face-to-face letter other phone video"
check "esc show " "1 3"
check "esc escalate " "1 3"
check "esc policy " "check list show"
check "esc policy show " "$POLICIES"
check "esc anchor anch" "anchor-file"
check "esc --db $E2E_TMP/none.db show " ""
expect_true "completing created a store" [ ! -e "$E2E_TMP/none.db" ]

# Descriptions come along: the command's summary, the policy's partnership.
out=$(timeout 30 fish --no-config -c 'source $argv[1]/completions/esc.fish; complete -C "esc esc"' "$ESC_SOURCE_DIR" 2>&1)
summary=$("$ESC" --help | awk '$1 == "escalate" { sub(/^ *escalate +/, ""); print; exit }')
expect_eq "$out" "$(printf 'escalate\t%s' "$summary")" "fish shows the command's summary, as esc --help does"
finish
