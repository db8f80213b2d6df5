# The bash completion (completions/esc.bash) offers what esc itself says
# (esc __complete words): commands, options, policy ids, the categories of the
# policy chosen, agency types, record kinds, channels and open case ids, here
# against a scratch store of invented cases. Also `esc __complete` itself:
# quiet, and exit 0, whatever goes wrong.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
completion_store

# complete WORD...: what bash offers for the last word (COMP_WORDS as bash
# splits the line), sorted, on one line.
complete_line() {
  bash -c '. "$1/completions/esc.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _esc; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$ESC_SOURCE_DIR" "$@" 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'
}
# The commands, from esc --help.
commands=$(help_commands)

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
  "check-back conversation correction decision delay-reason feedback learning-referral meeting note notification plan waiver" "record --kind <TAB>: kinds"
expect_eq "$(complete_line esc record 1 --channel "")" "email face-to-face letter other phone video" \
  "record --channel <TAB>: channels"
expect_eq "$(complete_line esc assign 1 --party "")" "counterpart raiser" "assign --party <TAB>: the two parties"
expect_eq "$(complete_line esc remind --format "")" "json mail text" "remind --format <TAB>: its formats"
expect_eq "$(complete_line esc remind --format=m)" "mail" "remind --format=m<TAB>: the value after the ="
expect_eq "$(complete_line esc report --format "")" "csv html json markdown text" "report --format <TAB>: its formats"
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
expect_true "completing created a store" [ ! -e "$E2E_TMP/none.db" ]
out=$(cd "$E2E_TMP/work" && complete_line esc anchor anch)
expect_eq "$out" "anchor-file" "anchor FILE<TAB>: file names"

# esc __complete words itself, which all three completions call: the
# candidates one a line, with their descriptions; quiet, and exit 0, whatever
# goes wrong.
run __complete words show ""
expect_eq "$out" "$(printf '1\tstoke-on-trent stage 1, other\n3\tsefton stage 1, other')" "__complete words show ''"
run __complete words record 1 --kind ""
expect_rc 0 "__complete words record 1 --kind ''"
expect_eq "$(printf '%s\n' "$out" | sort | tr '\n' ' ' | sed 's/ $//')" \
  "check-back conversation correction decision delay-reason feedback learning-referral meeting note notification plan waiver" "__complete words: the kinds"
run __complete words raise --policy no-such-policy --category ""
expect_eq "$rc:$out:$err" "0::" "an unknown policy: nothing, quietly"
ESC_DB="$E2E_TMP/missing/esc.db" run __complete words show ""
expect_eq "$rc:$out:$err" "0::" "no store yet: nothing, quietly"
expect_true "__complete words show '' created a store" [ ! -e "$E2E_TMP/missing" ]
ESC_NOW=not-a-time run __complete words show ""
expect_eq "$rc:$out:$err" "$(printf '0:1\tstoke-on-trent stage 1, other\n3\tsefton stage 1, other:')" \
  "a bad ESC_NOW does not stop completion"
run __complete no-such-list x y
expect_eq "$rc:$out:$err" "0::" "an unknown list: nothing, quietly"
run __complete commands
expect_eq "$rc:$out:$err" "0::" "words is the one list"
run __complete
expect_eq "$rc:$out:$err" "0::" "no list: nothing, quietly"
finish
