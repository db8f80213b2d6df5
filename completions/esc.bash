# bash completion for esc(1).
#
# Everything offered comes from esc itself: 'esc __complete words WORD...'
# reads the command line and prints the candidates for the last word (one a
# line, a tab before any description; ":files" for file names). So commands,
# options, policy ids, categories, agency types, record kinds, channels and
# open case ids never drift from the program.

_esc() {
  local prog=${COMP_WORDS[0]} cur words=() i w joining=0
  [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
  # bash splits "--policy=gen" at '=' (COMP_WORDBREAKS): join it again.
  for ((i = 1; i <= COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if [[ $w == "=" && ${#words[@]} -gt 0 && ${words[-1]} == --* && ${words[-1]} != *=* ]]; then
      words[-1]+="="
      joining=1
    elif ((joining)); then
      words[-1]+=$w
      joining=0
    else
      words+=("$w")
    fi
  done
  ((${#words[@]} > 0)) || words=("")
  cur=${words[-1]}

  local out line value
  out=$("$prog" __complete words "${words[@]}" 2>/dev/null) || return 0
  COMPREPLY=()
  if [[ $out == ":files" ]]; then
    compopt -o filenames 2>/dev/null
    cur=${cur#--*=}
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
  fi
  while IFS= read -r line; do
    value=${line%%$'\t'*}
    [[ $value == "$cur"* ]] || continue
    # bash replaces only the text after the last '=' of "--option=value".
    [[ $cur == --*=* && $COMP_WORDBREAKS == *=* ]] && value=${value#*=}
    COMPREPLY+=("$value")
  done <<<"$out"
  return 0
}
complete -F _esc esc
