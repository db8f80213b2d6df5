# The manual cannot drift from the command table: every command has a page,
# every option its --help lists is in that page, and mandoc finds nothing
# above style level. (That every page is installed is checked by install.sh,
# which runs cmake --install on the build directory, in turn with
# package.sh.)
. "$(dirname "$0")/lib.sh"
man="$ESC_SOURCE_DIR/man"
out="" err=""
cmds=$(help_commands)
expect_eq "$(printf '%s\n' "$cmds" | grep -c .)" "$(printf '%s\n' "$cmds" | sort -u | grep -c .)" "commands are listed once"
for cmd in $cmds; do
  page="$man/esc-$cmd.1"
  expect_true "esc $cmd has no manual page esc-$cmd.1" [ -f "$page" ] || continue
  text=$(sed 's/\\-/-/g' "$page")
  expect_true "esc(1) does not point to esc-$cmd(1)" \
    grep -q "esc-$cmd(1)\|esc\\\\-$cmd (1)\|\.BR esc\\\\-$cmd (1)" "$man/esc.1"
  for opt in $("$ESC" "$cmd" --help | grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' | sort -u); do
    case $opt in -h | --help) continue ;; esac
    expect_true "esc-$cmd.1 does not document $opt" grep -q -- "$opt" <<<"$text"
  done
done
if command -v mandoc >/dev/null 2>&1; then
  for page in "$man"/*.[15]; do
    lint=$(mandoc -T lint -W warning "$page" 2>&1)
    expect_true "mandoc: $lint" [ -z "$lint" ]
  done
else
  skip_part "mandoc is not installed: the manual pages are not linted"
fi
finish
