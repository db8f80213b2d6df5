# The bash completion (completions/esc.bash) offers what esc itself says
# (esc __complete): commands, options, policy ids, the categories of the
# policy chosen, agency types, record kinds, channels and open case ids, here
# against a scratch store of invented cases. Also `esc __complete` itself:
# quiet, and exit 0, whatever goes wrong.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
mkdir -p "$E2E_TMP/bin" && ln -s "$ESC" "$E2E_TMP/bin/esc"
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
# The commands starting "re", from esc --help (commands come and go).
RE_COMMANDS=$("$ESC" --help | awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on && $1 ~ /^re/ {print $1}' | sort | tr '\n' ' ' | sed 's/ $//')

# complete WORD...: what bash offers for the last word (COMP_WORDS as bash
# splits the line), sorted, on one line.
complete_line() {
  bash -c '. "$1/completions/esc.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _esc; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$ESC_SOURCE_DIR" "$@" 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'
}
# The commands, from esc --help.
commands=$("$ESC" --help | awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on {print $1}')

POLICIES="birmingham generic sefton stoke-on-trent warrington"
AGENCY_TYPES="early-help health other police school self-employed social-care voluntary"

expect_eq "$(complete_line esc esc)" "escalate" "esc esc<TAB> completes to escalate"
expect_eq "$(complete_line esc re)" "$RE_COMMANDS" "esc re<TAB>: the commands starting re"
E2E_COUNT=$((E2E_COUNT + 1))
case " $RE_COMMANDS " in *" record "*" resolve "*) ;; *) fail "esc --help lists no record and resolve: '$RE_COMMANDS'" ;; esac
expect_eq "$(complete_line esc "")" "$(printf '%s\n' $commands help | sort | tr '\n' ' ' | sed 's/ $//')" \
  "esc <TAB>: every command esc --help lists, and help"
expect_eq "$(complete_line esc __)" "" "the hidden __complete is not offered"
expect_eq "$(complete_line esc --n)" "--no-color" "global options"
expect_eq "$(complete_line esc raise --child)" "--child --child-ref" "options of raise"
expect_eq "$(complete_line esc record 1 --k)" "--kind" "options of record"
expect_eq "$(complete_line esc raise --policy "")" "$POLICIES" "raise --policy <TAB>: the five policies"
expect_eq "$(complete_line esc raise --policy st)" "stoke-on-trent" "raise --policy st<TAB>"
expect_eq "$(complete_line esc raise --policy = st)" "stoke-on-trent" "raise --policy=st<TAB>"
expect_eq "$(complete_line esc list --policy "")" "$POLICIES" "list --policy <TAB>"
expect_eq "$(complete_line esc raise --policy stoke-on-trent --category "")" \
  "action-or-inaction childs-plan information-sharing meeting-attendance other referral-handling service-provision" \
  "raise --category <TAB> after --policy stoke-on-trent: its categories"
expect_eq "$(complete_line esc raise --category "" )" "" "no --policy yet: no categories"
sefton_categories=$(complete_line esc raise --policy = sefton --category "")
E2E_COUNT=$((E2E_COUNT + 1))
case " $sefton_categories " in
  *" other "*) [ "$sefton_categories" != "$(complete_line esc raise --policy stoke-on-trent --category "")" ] ||
    fail "sefton's categories are stoke-on-trent's" ;;
  *) fail "raise --policy=sefton --category <TAB>: got '$sefton_categories'" ;;
esac
expect_eq "$(complete_line esc raise --raiser-agency-type "")" "$AGENCY_TYPES" "--raiser-agency-type <TAB>: agency types"
expect_eq "$(complete_line esc raise --counterpart-agency-type s)" "school self-employed social-care" \
  "--counterpart-agency-type s<TAB>"
expect_eq "$(complete_line esc record 1 --kind "")" \
  "check-back conversation correction decision feedback meeting note notification plan" "record --kind <TAB>: kinds"
expect_eq "$(complete_line esc record 1 --channel "")" "email face-to-face letter other phone video" \
  "record --channel <TAB>: channels"
expect_eq "$(complete_line esc calendar --calendar "")" "england-and-wales northern-ireland scotland" "calendars"
expect_eq "$(complete_line esc show "")" "1 3" "show <TAB>: the open cases, not the resolved one"
expect_eq "$(complete_line esc escalate "")" "1 3" "escalate <TAB>: the open cases"
expect_eq "$(complete_line esc record "")" "1 3" "record <TAB>: the open cases"
expect_eq "$(complete_line esc show 1 "")" "" "show takes one case"
expect_eq "$(complete_line esc raise --summary "")" "" "nothing to offer for free text"
expect_eq "$(complete_line esc policy "")" "check list show" "policy <TAB>: its subcommands"
expect_eq "$(complete_line esc policy show "")" "$POLICIES" "policy show <TAB>: policy ids"
expect_eq "$(complete_line esc help "")" "$(printf '%s\n' $commands | sort | tr '\n' ' ' | sed 's/ $//')" \
  "help <TAB>: the commands"
expect_eq "$(complete_line esc nosuch "")" "" "after an unknown command: nothing"
expect_eq "$(complete_line esc --db "$E2E_TMP/none.db" show "")" "" "--db given: its cases (none: no store)"
E2E_COUNT=$((E2E_COUNT + 1))
[ ! -e "$E2E_TMP/none.db" ] || fail "completing created a store"
mkdir -p "$E2E_TMP/work" && touch "$E2E_TMP/work/anchor-file"
out=$(cd "$E2E_TMP/work" && complete_line esc anchor anch)
expect_eq "$out" "anchor-file" "anchor FILE<TAB>: file names"

# esc __complete itself, as the zsh and fish completions use it too.
run __complete cases
expect_eq "$out" "$(printf '1\tstoke-on-trent stage 1, other\n3\tsefton stage 1, other')" "__complete cases"
run __complete kinds
expect_rc 0 "__complete kinds"
run __complete categories no-such-policy
expect_eq "$rc:$out:$err" "0::" "an unknown policy: nothing, quietly"
ESC_DB="$E2E_TMP/missing/esc.db" run __complete cases
expect_eq "$rc:$out:$err" "0::" "no store yet: nothing, quietly"
E2E_COUNT=$((E2E_COUNT + 1))
[ ! -e "$E2E_TMP/missing" ] || fail "__complete cases created a store"
ESC_NOW=not-a-time run __complete words show ""
expect_eq "$rc:$out:$err" "$(printf '0:1\tstoke-on-trent stage 1, other\n3\tsefton stage 1, other:')" \
  "a bad ESC_NOW does not stop completion"
run __complete no-such-list x y
expect_eq "$rc:$out:$err" "0::" "an unknown list: nothing, quietly"
run __complete
expect_eq "$rc:$out:$err" "0::" "no list: nothing, quietly"
finish
