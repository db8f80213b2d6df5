# bash completion for esc. Command names and options come from esc itself
# (its help output), so they never drift from the command table.
_esc() {
  local cur=${COMP_WORDS[COMP_CWORD]} cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac
  done
  if [ -z "$cmd" ]; then
    local cmds
    cmds=$(esc --help 2>/dev/null | awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on {print $1}')
    COMPREPLY=($(compgen -W "$cmds help --db --no-color --version --help" -- "$cur"))
    return
  fi
  case $cur in
    -*)
      local opts
      opts=$(esc "$cmd" --help 2>/dev/null | grep -oE -- '--?[a-z][a-z-]*' | sort -u)
      COMPREPLY=($(compgen -W "$opts" -- "$cur"))
      ;;
  esac
}
complete -F _esc esc
