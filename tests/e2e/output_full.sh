# Writes are checked. Every command that prints, with its standard output
# on a full disk (/dev/full) or closed (>&-), exits 74 with one line on
# stderr saying the output could not be written, never 0; a pipe whose
# reader has gone stops esc quietly with 141, never 0 and never by SIGPIPE;
# and a file esc writes itself (export -o, anchor, backup) on a full file
# system is never left cut off, nor one it replaces spoilt (as root, on a
# small tmpfs; skipped otherwise).
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

raise=(--category other --summary "Invented disagreement for a test" --raiser "Ann Example"
  --raiser-agency-type school --counterpart "Bob Sample" --counterpart-agency-type social-care --child-ref T-0001 -q)
# Case 1, raised a month back, is overdue now; cases 2 to 5 are fresh, for
# the commands that change a case.
ESC_NOW=2026-02-02T10:00 run raise --policy stoke-on-trent "${raise[@]}"
expect_rc 0 "raise case 1"
export ESC_NOW=2026-03-02T10:00
for p in stoke-on-trent stoke-on-trent sefton sefton; do
  run raise --policy "$p" "${raise[@]}"
  expect_rc 0 "raise an invented $p case"
done
run overdue
expect_rc 1 "case 1 is overdue (exit 1), so overdue has something to print"
"$ESC" export >"$E2E_TMP/export.jsonl"
"$ESC" anchor "$E2E_TMP/anchor"
policy_file="$ESC_SOURCE_DIR/policies/sefton.toml"

covered=" "
# check_write MODE ARGS...: esc ARGS with standard output full (/dev/full)
# or closed: exit 74, and one line on stderr, that the output (or what the
# command was writing) could not be written.
check_write() {
  local mode=$1 lines=()
  shift
  covered="$covered${1-} "
  out=""
  if [ "$mode" = full ]; then
    "$ESC" "$@" >/dev/full 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
  else
    "$ESC" "$@" >&- 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
  fi
  # Read without a subshell: this runs a hundred times.
  mapfile -t lines <"$E2E_TMP/stderr"
  printf -v err '%s\n' "${lines[@]}"
  err=${err%$'\n'}
  expect_rc 74 "esc $* with standard output $mode"
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "${#lines[@]}" -eq 1 ] || fail "esc $* with standard output $mode: ${#lines[@]} lines on stderr, expected one"
  expect_err "esc: error: cannot write " "esc $* with standard output $mode says it could not write"
}
# check_writes ARGS...: check_write full, then closed.
check_writes() {
  check_write full "$@"
  check_write closed "$@"
}

# The messages in full, from the one check every command goes through.
check_write full list
expect_eq "$err" "esc: error: cannot write the output: No space left on device" "a full disk, in words"
check_write closed list
expect_eq "$err" "esc: error: cannot write the output: standard output is closed" "a closed standard output, in words"

# The commands that only print.
check_writes list --json
check_writes show 1
check_writes show 1 --json
check_writes log 1
check_writes due
check_writes overdue
check_writes overdue --json
check_writes remind
check_writes remind --json
check_writes report 1
check_writes report 1 --json
check_writes report 1 --format html
check_writes report 1 --form pcrno
check_writes report
check_writes report --json
check_writes report --format html
check_writes report --format markdown
check_writes report --format csv --table summary
check_writes policy list
check_writes policy show stoke-on-trent
check_writes policy check "$policy_file"
check_writes calendar
check_writes calendar --add 3 --from 2026-03-02
check_writes verify
check_writes verify --anchor "$E2E_TMP/anchor"
check_writes anchor -
check_writes export
check_writes help
check_writes list --help
check_writes --version
check_writes
# The commands that change the store print what they did: it is done, but
# the output failing is still a failure.
check_writes import "$E2E_TMP/export.jsonl"
check_write full backup "$E2E_TMP/backup-1.db"
check_write closed backup "$E2E_TMP/backup-2.db"
check_writes raise --policy generic "${raise[@]}"
check_writes record 2 --kind note --summary "An invented note"
check_writes extend 2 --days 2 --agreed-by "Both parties" --reason "Invented reason"
check_writes escalate 2 --reason "Invented reason"
check_write full pause 3 --reason "Invented absence"
check_write full resume 3
check_write closed pause 3 --reason "Invented absence"
check_write closed resume 3
check_writes assign 2 --party raiser --name "Lee Manager" --email lee@example.org
check_write full resolve 4 --outcome "Agreed a plan" --agreed-by "Both parties"
check_write closed resolve 5 --outcome "Agreed a plan" --agreed-by "Both parties"
run verify
expect_rc 0 "the store verifies after all that"

# Every command esc --help lists was tried above.
for cmd in $(help_commands); do
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$covered" in *" $cmd "*) ;; *) out="" err="" fail "esc $cmd is not checked with a full or closed output" ;; esac
done

# Nothing printed, nothing to fail: a closed standard output is no error.
"$ESC" backup -q "$E2E_TMP/backup-3.db" >&- 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
err=$(cat "$E2E_TMP/stderr") out=""
expect_eq "$rc:$err" "0:" "backup -q prints nothing: a closed standard output is no failure"
"$ESC" show 99 >/dev/full 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
err=$(cat "$E2E_TMP/stderr") out=""
expect_eq "$rc:$err" "66:esc: error: no case 99: 'esc list --all' shows the cases" \
  "a command's own error is the one line, whatever became of the output"
# The shells' completions: quiet, and exit 0, whatever goes wrong.
"$ESC" __complete words show "" >/dev/full 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
err=$(cat "$E2E_TMP/stderr") out=""
expect_eq "$rc:$err" "0:" "__complete to a full disk: quiet, exit 0"

# A pipe whose reader has gone: the exit status and the number of lines on
# stderr of esc ARGS writing to a pipe with no reader, from the start (so
# the write fails every time, not only when the reader is quick).
broken_pipe() {
  "$PY" -I -S - "$ESC" "$@" <<'PY'
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
print(p.returncode, len(p.stderr.splitlines()))
PY
}
for args in "list" "overdue" "remind" "export" "report 1 --format html" "--version"; do
  # shellcheck disable=SC2086 # the words of $args, split
  expect_eq "$(broken_pipe $args)" "141 0" "esc $args to a pipe with no reader: quiet, 141 (not killed by SIGPIPE, not 0)"
done
expect_eq "$(broken_pipe show 99)" "66 1" "esc show 99 to a pipe with no reader: its own error"

# Files esc writes itself, on a full file system: never cut off, never a
# temporary left, and a file being replaced is left as it was.
mnt="$E2E_TMP/full"
mkdir -p "$mnt"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k,mode=0700 esc-output-full "$mnt" 2>/dev/null; then
  trap 'umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null; rm -rf "$E2E_TMP"' EXIT
  printf 'the older export\n' >"$mnt/old.jsonl"
  printf 'the older anchor\n' >"$mnt/old.anchor"
  # Room for a little (less than the export and the backup), then none.
  for room in 16 0; do
    rm -f "$mnt/ballast"
    avail=$(df -k --output=avail "$mnt" | tail -1)
    [ $((avail - room)) -le 0 ] ||
      dd if=/dev/zero of="$mnt/ballast" bs=1k count=$((avail - room)) status=none 2>/dev/null || true
    before=$(find "$mnt" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')
    run export -o "$mnt/export.jsonl"
    expect_rc 74 "export -o to a full file system ($room KiB free)"
    expect_err "No space left on device" "export -o to a full file system says so ($room KiB free)"
    run export -o "$mnt/old.jsonl"
    expect_rc 74 "export -o over an older export on a full file system ($room KiB free)"
    expect_eq "$(cat "$mnt/old.jsonl")" "the older export" "the older export is left as it was ($room KiB free)"
    run backup "$mnt/backup.db"
    expect_rc 74 "backup to a full file system ($room KiB free)"
    expect_eq "$(find "$mnt" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" "$before" \
      "nothing cut off and no temporary file left on the full file system ($room KiB free)"
  done
  # No room at all, for what is small.
  run anchor "$mnt/old.anchor"
  expect_eq "$rc:$(cat "$mnt/old.anchor")" "74:the older anchor" "anchor over an older one on a full file system"
  expect_eq "$(find "$mnt" -mindepth 1 -printf '%f\n' | sort | tr '\n' ' ')" "$before" "anchor leaves nothing on the full file system"
  # report has no -o: the shell makes the file, and esc can only say, by
  # its exit status, that it is cut off.
  "$ESC" report 1 --format html >"$mnt/report.html" 2>"$E2E_TMP/stderr" && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr") out=""
  expect_eq "$rc:$err" "74:esc: error: cannot write the output: No space left on device" \
    "report > a file on a full file system"
  umount "$mnt"
else
  skip_part "a full file system needs root and a tmpfs mount: files written on a full disk are not checked"
fi

finish
