# The bash completion asks esc for its commands and options.
. "$(dirname "$0")/lib.sh"
mkdir -p "$E2E_TMP/bin" && ln -s "$ESC" "$E2E_TMP/bin/esc"
complete_line() {
  PATH="$E2E_TMP/bin:$PATH" bash -c '. "$1/completions/esc.bash"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _esc; echo "${COMPREPLY[*]}"' _ "$ESC_SOURCE_DIR" "$@"
}
out=$(complete_line esc esc); err=""
expect_eq "$out" "escalate" "esc esc<TAB> completes to escalate"
out=$(complete_line esc re)
expect_eq "$out" "record resume resolve remind" "esc re<TAB> offers the commands starting re"
out=$(complete_line esc raise --child)
expect_eq "$out" "--child --child-ref" "options of raise"
finish
