# Help comes from the one command table: `esc help`, `esc --help` and plain
# `esc` list every command in src/cli/command_table.cpp with its summary (and
# not `esc __complete`, for the completions, which is not in it); `esc help
# CMD` is `esc CMD --help`; an unknown command is exit 64 with a did-you-mean; `esc --version` prints the version of
# project() in CMakeLists.txt and the schema version stores are written with.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

# The table, "NAME<TAB>SUMMARY" per command, read from the source.
table=$(sed -nE 's/^ *Command\{"([^"]+)", "([^"]*)".*/\1\t\2/p' "$ESC_SOURCE_DIR/src/cli/command_table.cpp")
n_table=$(printf '%s\n' "$table" | grep -c .)
expect_true "read only $n_table commands from command_table.cpp" [ "$n_table" -ge 10 ]

run help
expect_rc 0 "esc help"
help=$out
listed=$(help_commands "$help")
expect_eq "$(printf '%s\n' "$listed" | grep -c .)" "$n_table" "esc help lists as many commands as the table has"
while IFS=$'\t' read -r name summary; do
  expect_true "esc help does not list '$name' with its summary '$summary'" awk -v n="$name" -v s="$summary" '
    $1 == n { line = $0; sub(/^ +[^ ]+ +/, "", line); if (line == s) found = 1 }
    END { exit !found }' <<<"$help"
done <<<"$table"
expect_out "esc help COMMAND" "esc help says how to get a command's help"
case "$help" in *__complete*) fail "esc help shows the hidden __complete" ;; esac
E2E_COUNT=$((E2E_COUNT + 1))
run --help
expect_rc 0 "esc --help"
expect_eq "$out" "$help" "esc --help is esc help"
run
expect_rc 0 "esc with no command"
expect_eq "$out" "$help" "esc alone prints the help"

# Each command: esc help CMD is esc CMD --help, with its usage and options.
while IFS=$'\t' read -r name summary; do
  run help "$name"
  expect_rc 0 "esc help $name"
  cmd_help=$out
  expect_out "Usage: esc $name" "esc help $name: usage"
  expect_out "$summary" "esc help $name: summary"
  expect_out "--help" "esc help $name: options"
  run "$name" --help
  expect_rc 0 "esc $name --help"
  expect_eq "$out" "$cmd_help" "esc $name --help is esc help $name"
done <<<"$table"
run help raise
expect_out "--policy" "esc help raise lists --policy"
expect_out "-q,--quiet" "esc help raise lists -q,--quiet"
run help policy
for sub in list show check; do expect_out "  $sub " "esc help policy lists policy $sub"; done
run policy show --help
expect_rc 0 "esc policy show --help"
expect_out "ID" "esc policy show --help: its argument"

# Mistakes: exit 64, one line, and a hint when a command is near.
run escalat
expect_rc 64 "esc escalat"
expect_err "unknown command 'escalat' (did you mean 'escalate'?)" "a near miss gets did you mean"
expect_eq "$(printf '%s\n' "$err" | wc -l | tr -d ' ')" "1" "the error is one line"
run help escalat
expect_rc 64 "esc help escalat"
expect_err "did you mean 'escalate'?" "esc help with a near miss"
run esclate
expect_err "did you mean 'escalate'?" "a transposition"
run pol
expect_err "did you mean 'policy'?" "a prefix"
run xyzzy
expect_rc 64 "esc xyzzy"
expect_err "'esc help' lists the commands" "far from any command: where to look"
case "$err" in *"did you mean"*) fail "esc xyzzy: no command is near, yet: $err" ;; esac
E2E_COUNT=$((E2E_COUNT + 1))
run __complet
expect_rc 64 "a misspelt hidden command is unknown"
case "$err" in *__complete*) fail "the hidden __complete is suggested: $err" ;; esac
E2E_COUNT=$((E2E_COUNT + 1))
run help __complete
expect_rc 64 "esc help __complete: no such command"
expect_err "unknown command '__complete'; 'esc help' lists the commands" "esc help __complete: the usual error"
run __complete --help
expect_eq "$rc:$out:$err" "0::" "esc __complete --help: no help, no candidates"
run help raise policy
expect_rc 64 "esc help with two commands"
expect_err "usage: esc help [COMMAND]" "esc help's usage"
run raise --no-such-option
expect_rc 64 "an unknown option"
expect_err "esc raise --help" "an error in a command points to its help"

# --version: CMake's project version and the store's schema version.
version=$(sed -nE 's/^project\(esc VERSION ([0-9]+\.[0-9]+\.[0-9]+).*/\1/p' "$ESC_SOURCE_DIR/CMakeLists.txt")
expect_true "no project(esc VERSION x.y.z) in CMakeLists.txt" [ -n "$version" ]
run --version
expect_rc 0 "esc --version"
expect_eq "$(printf '%s\n' "$out" | sed -E 's/ \(store schema [0-9]+\)$//')" "esc $version" "esc --version: the project version"
schema=$(printf '%s\n' "$out" | sed -nE 's/.*\(store schema ([0-9]+)\)$/\1/p')
expect_true "esc --version gives no schema version" [ -n "$schema" ]
expect_true "esc --version created a store" [ ! -e "$XDG_DATA_HOME/esc/esc.db" ]
# A new store is written with that schema version (SQLite's user_version).
export ESC_DB="$E2E_TMP/esc.db"
ESC_NOW=2026-03-02T10:00 run raise --policy generic --category other --summary "Invented disagreement for a test" \
  --raiser "Ann Example" --raiser-agency-type school --counterpart "Bob Sample" \
  --counterpart-agency-type health --child-ref T-0001 -q
expect_rc 0 "raise an invented case"
if command -v sqlite3 >/dev/null 2>&1; then
  user_version=$(sqlite3 "$ESC_DB" 'PRAGMA user_version')
else
  user_version=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' "$ESC_DB")
fi
expect_eq "$user_version" "$schema" "the store's schema version is the one esc --version prints"
run --version --no-color
expect_rc 0 "--version with another global option"
finish
