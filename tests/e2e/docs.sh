# The manual cannot drift from the command table: every command has a page,
# every option its --help lists is in that page, every page is installed, and
# mandoc finds nothing above style level. Hidden commands (`__...`, such as
# the completions' `esc __complete`) have no page.
. "$(dirname "$0")/lib.sh"
man="$ESC_SOURCE_DIR/man"
out="" err=""
cmds=$("$ESC" --help | awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on {print $1}' | grep -v '^__')
expect_eq "$(printf '%s\n' "$cmds" | grep -c .)" "$(printf '%s\n' "$cmds" | sort -u | grep -c .)" "commands are listed once"
for cmd in $cmds; do
  page="$man/esc-$cmd.1"
  E2E_COUNT=$((E2E_COUNT + 1))
  if [ ! -f "$page" ]; then fail "esc $cmd has no manual page esc-$cmd.1"; continue; fi
  text=$(sed 's/\\-/-/g' "$page")
  grep -q "esc-$cmd(1)\|esc\\\\-$cmd (1)\|\.BR esc\\\\-$cmd (1)" "$man/esc.1" || fail "esc(1) does not point to esc-$cmd(1)"
  for opt in $("$ESC" "$cmd" --help | grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' | tr -d ' ,' | sort -u); do
    case $opt in -h | --help) continue ;; esac
    E2E_COUNT=$((E2E_COUNT + 1))
    printf '%s' "$text" | grep -q -- "$opt" || fail "esc-$cmd.1 does not document $opt"
  done
done
# Every page is installed, in the section its name ends with.
prefix="$E2E_TMP/prefix"
out=$(cmake --install "$(dirname "$ESC")" --prefix "$prefix" 2>&1) || fail "cmake --install failed"
for page in "$man"/*.[15]; do
  name=${page##*/}
  E2E_COUNT=$((E2E_COUNT + 1))
  cmp -s "$page" "$prefix/share/man/man${name##*.}/$name" || fail "$name is not installed in share/man/man${name##*.}"
done
if command -v mandoc >/dev/null 2>&1; then
  for page in "$man"/*.[15]; do
    E2E_COUNT=$((E2E_COUNT + 1))
    lint=$(mandoc -T lint -W warning "$page" 2>&1)
    [ -z "$lint" ] || fail "mandoc: $lint"
  done
else
  echo "mandoc is not installed: the lint of the manual pages is skipped" >&2
fi
finish
