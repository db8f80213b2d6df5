# The zsh completion (completions/_esc), in a real interactive zsh: a driver
# types each command line and a TAB into `zsh -f -i` on a pseudo-terminal
# (the zsh/zpty module), with compinit loading _esc from its directory and
# compadd wrapped to print the matches zsh would offer. Against a scratch
# store of invented cases.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C
if ! command -v zsh >/dev/null 2>&1; then
  skip "zsh is not installed: the zsh completion is not tested"
fi
mkdir -p "$E2E_TMP/zsh"
completion_store

# Sourced by the interactive zsh: compinit with _esc on $fpath, and compadd
# printing each match as <m>MATCH</m> instead of adding it.
cat >"$E2E_TMP/zsh/setup.zsh" <<'EOF'
PS1='%# '
unsetopt beep
fpath=("$ESC_SOURCE_DIR/completions" $fpath)
autoload -Uz compinit && compinit -u -D
compadd() {
  # Calls that only ask (-O, -A, -D) or that test are zsh's own business.
  if [[ " ${(j: :)@[1,(i)(-|--)]} " == *\ -[[:alpha:]]#[OAD]* ]]; then
    builtin compadd "$@"
    return
  fi
  local -a __esc_hits
  builtin compadd -A __esc_hits "$@"
  (( ${#__esc_hits} )) && print -rl -- "<m>"${^__esc_hits}"</m>"
  return 0
}
# TAB completes, then says it has finished, so the driver waits for that.
integer __esc_tabs=0
__esc_tab() {
  zle complete-word
  print -r -- "<tab-done-$(( ++__esc_tabs ))>"
}
zle -N __esc_tab
bindkey '^I' __esc_tab
cd "$E2E_TMP_WORK"
EOF
# drive.zsh SETUP LINE...: types each LINE and a TAB, waits for the
# completion to finish, and prints the matches offered, sorted, on one line.
cat >"$E2E_TMP/zsh/drive.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
zpty esc zsh -f -i || exit 3
zpty -w esc "source ${(q)1}; print -- '<re''ady>'"
zpty -r esc out '*<ready>*' || exit 3
shift
integer n=0
typeset -a found
for line in "$@"; do
  (( n++ ))
  zpty -w -n esc "$line"$'\t'
  zpty -r esc out "*<tab-done-$n>*" || exit 3
  zpty -w -n esc $'\C-u'
  found=()
  while [[ $out == *'<m>'*'</m>'* ]]; do
    out=${out#*'<m>'}
    found+=("${out%%'</m>'*}")
    out=${out#*'</m>'}
  done
  print -r -- "${(j: :)${(@ou)found}}"
done
zpty -d esc
EOF

LINES_TYPED=(
  "esc esc"
  "esc re"
  "esc raise --chi"
  "esc raise --policy "
  "esc raise --policy=st"
  "esc raise --policy stoke-on-trent --category "
  "esc raise --raiser-agency-type "
  "esc record 1 --kind "
  "esc record 1 --channel "
  "esc show "
  "esc escalate "
  "esc policy "
  "esc anchor anch"
)
EXPECTED=(
  "escalate"
  "$RE_COMMANDS"
  "--child --child-ref"
  "$POLICIES"
  "--policy=stoke-on-trent"
  "action-or-inaction childs-plan information-sharing meeting-attendance other referral-handling service-provision"
  "early-help health other police school self-employed social-care voluntary"
  "check-back conversation correction decision delay-reason feedback learning-referral meeting note notification plan waiver"
  "email face-to-face letter other phone video"
  "1 3"
  "1 3"
  "check list show"
  "anchor-file"
)
got=$(E2E_TMP_WORK="$E2E_TMP/work" timeout 120 zsh -f "$E2E_TMP/zsh/drive.zsh" "$E2E_TMP/zsh/setup.zsh" "${LINES_TYPED[@]}" 2>&1) &&
  rc=0 || rc=$?
out=$got err=""
expect_rc 0 "the zsh driver ran"
mapfile -t GOT <<<"$got"
for i in "${!LINES_TYPED[@]}"; do
  expect_eq "${GOT[i]-}" "${EXPECTED[i]}" "zsh: ${LINES_TYPED[i]}<TAB>"
done

# The completion is also usable sourced after compinit (it registers itself).
out=$(timeout 30 zsh -f -c 'autoload -Uz compinit && compinit -u -D; source "$1/completions/_esc"; print -r -- ${_comps[esc]}' \
  _ "$ESC_SOURCE_DIR" 2>&1)
expect_eq "$out" "_esc" "sourcing _esc registers it for esc"
finish
