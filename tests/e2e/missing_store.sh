# No store, no silence: only the commands that add cases (raise, import)
# make a store. Every other command that takes one, given a store that is
# not there, exits 66 with one line naming the path and where it came from
# (--db, ESC_DB, XDG_DATA_HOME or HOME), prints nothing on stdout and
# creates nothing: no file, no directory. With no way to find a store at
# all (cron's bare environment without HOME) it is exit 78, and nothing is
# made in the working directory or in /.
. "$(dirname "$0")/lib.sh"

# Every command whose run opens the store, with what it needs to get that
# far. anchor and backup write a file of their own: it must not be made
# either.
OUT="$E2E_TMP/outputs"
mkdir -p "$OUT"
COMMANDS=(
  "list"
  "list --all --json"
  "due"
  "overdue"
  "remind --new-only"
  "report"
  "report 1"
  "show 1"
  "log 1"
  "verify"
  "export"
  "anchor $OUT/anchor.json"
  "backup $OUT/backup.db"
  "record 1 --kind note --summary Invented"
  "escalate 1 --reason Invented"
  "pause 1 --reason Invented"
  "resume 1"
  "extend 1 --days 1 --reason Invented"
  "resolve 1 --outcome Invented"
  "assign 1 --party raiser --email lee@example.org"
)
# The commands esc lists: each one that takes a store is above, and the
# others (policy, calendar, raise and import, which make one) are known.
for cmd in $(help_commands); do
  case " ${COMMANDS[*]} policy calendar raise import " in
    *" $cmd "*) ;;
    *) out="" err=""; E2E_COUNT=$((E2E_COUNT + 1)); fail "esc $cmd is new: add it to missing_store.sh" ;;
  esac
done

# expect_missing DESC SOURCE PATH GONE: the run left in $rc, $out, $err
# refused a missing store at PATH, naming SOURCE, and GONE (the store, or
# its first missing directory) does not exist.
expect_missing() {
  local desc=$1 source=$2 path=$3 gone=$4
  expect_rc 66 "$desc: a missing store"
  expect_err "no store at $path (from $source)" "$desc: the message names the path and $source"
  expect_err "raise a case first, or check the path" "$desc: the message says what to do"
  expect_eq "$(printf '%s\n' "$err" | wc -l)" "1" "$desc: one line on stderr"
  expect_eq "$out" "" "$desc: nothing on stdout"
  expect_true "$desc: $gone was made" [ ! -e "$gone" ]
  expect_eq "$(ls -A "$OUT")" "" "$desc: no anchor or backup was written"
}

# A store to point --db away from, so it is plain that esc does not fall
# back on it.
REAL="$E2E_TMP/real.db"
ESC_NOW=2026-11-02T10:00 ESC_DB="$REAL" run raise --policy stoke-on-trent --category childs-plan \
  --summary "Invented plan" --raiser "Mo Invent" --raiser-agency-type school --counterpart "Ned Fiction" \
  --counterpart-agency-type health --child-ref C-7001 -q
expect_rc 0 "raise into a store of its own"

# ESC_DB naming a file that is not there, in a directory that is: the
# mistyped path of a crontab. The directory gains nothing (no -wal, -shm).
SCRATCH="$E2E_TMP/scratch"
mkdir -p "$SCRATCH"
for c in "${COMMANDS[@]}"; do
  read -r -a args <<<"$c"
  ESC_DB="$SCRATCH/typo.db" run "${args[@]}"
  expect_missing "ESC_DB: esc $c" ESC_DB "$SCRATCH/typo.db" "$SCRATCH/typo.db"
  expect_eq "$(ls -A "$SCRATCH")" "" "ESC_DB: esc $c: the directory is left empty"
done

# --db, over an ESC_DB that names a real store: a missing directory too.
for c in "${COMMANDS[@]}"; do
  read -r -a args <<<"$c"
  ESC_DB="$REAL" run --db "$SCRATCH/none/esc.db" "${args[@]}"
  expect_missing "--db: esc $c" --db "$SCRATCH/none/esc.db" "$SCRATCH/none"
done

# The default places: XDG_DATA_HOME, then HOME. No directory is made.
for c in "${COMMANDS[@]}"; do
  read -r -a args <<<"$c"
  XDG_DATA_HOME="$E2E_TMP/xdg" run "${args[@]}"
  expect_missing "XDG_DATA_HOME: esc $c" XDG_DATA_HOME "$E2E_TMP/xdg/esc/esc.db" "$E2E_TMP/xdg"
  out=$(env -u XDG_DATA_HOME "$ESC" "${args[@]}" 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr")
  expect_missing "HOME: esc $c" HOME "$HOME/.local/share/esc/esc.db" "$HOME/.local"
done
# An empty ESC_DB or XDG_DATA_HOME counts as unset.
ESC_DB="" XDG_DATA_HOME="" run list
expect_missing "empty ESC_DB and XDG_DATA_HOME: esc list" HOME "$HOME/.local/share/esc/esc.db" "$HOME/.local"

# Cron's bare environment: no HOME, no XDG_DATA_HOME, no ESC_DB. A clear
# error, exit 78 (configuration: nothing says where the store is), and
# nothing made in the working directory or in /.
CWD="$E2E_TMP/cwd"
mkdir -p "$CWD"
root_before=$(ls -A /)
for c in "remind --new-only" "list" "due" "overdue" "report" "verify" \
  "raise --policy generic --category other --summary Invented --raiser Ann --raiser-agency-type school --counterpart Bob --counterpart-agency-type health --child-ref T-1"; do
  read -r -a args <<<"$c"
  out=$(cd "$CWD" && env -i PATH=/usr/bin:/bin "$ESC" "${args[@]}" </dev/null 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr")
  expect_rc 78 "env -i: esc $c: no place for the store"
  expect_err "no place for the store: HOME and XDG_DATA_HOME are unset" "env -i: esc $c: the message says why"
  expect_err "--db FILE or ESC_DB" "env -i: esc $c: the message says how to name the store"
  expect_eq "$(printf '%s\n' "$err" | wc -l)" "1" "env -i: esc $c: one line on stderr"
  expect_eq "$out" "" "env -i: esc $c: nothing on stdout"
  expect_eq "$(ls -A "$CWD")" "" "env -i: esc $c: nothing made in the working directory"
  expect_eq "$(ls -A /)" "$root_before" "env -i: esc $c: nothing made in /"
done

# The README's crontab line, run where cron has no HOME: its ESC_DB is then
# /.local/share/esc/esc.db, which must be refused, not made. Only run where
# there is no /.local to begin with; should esc make one all the same, what
# it made is removed again (and only that).
line=$(grep -E '^30 7 \* \* 1-5' "$ESC_SOURCE_DIR/README.md" | sed -E 's/^([^ ]+ +){5}//')
expect_eq "${line:0:6}" "ESC_DB" "README has the crontab line, naming the store"
if [ ! -e /.local ]; then
  mkdir -p "$E2E_TMP/cronbin" && ln -s "$ESC" "$E2E_TMP/cronbin/esc"
  out=$(cd "$CWD" && env -i PATH="$E2E_TMP/cronbin:/usr/bin:/bin" SHELL=/bin/sh ESC_NOW=2026-12-01T07:30 \
        /bin/sh -c "$line" </dev/null 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr")
  expect_missing "the README crontab line without HOME" ESC_DB "/.local/share/esc/esc.db" /.local
  if [ -e /.local ]; then
    rm -f /.local/share/esc/esc.db /.local/share/esc/esc.db-wal /.local/share/esc/esc.db-shm
    rmdir /.local/share/esc /.local/share /.local 2>/dev/null || true
  fi
else
  skip_part "/.local exists here: the README crontab line is not run without HOME"
fi

# A raise refused (no child named; an unknown category) makes no store, so
# a later reminder run is not silent on an empty one; immediate risk is
# still told first.
for bad in "--category other" "--category no-such-category --child-ref T-0002"; do
  ESC_NOW=2026-11-02T10:00 ESC_DB="$E2E_TMP/refused/esc.db" run raise --policy generic $bad \
    --summary "Invented disagreement" --raiser "Ann Example" --raiser-agency-type school \
    --counterpart "Bob Sample" --counterpart-agency-type social-care --risk immediate
  expect_true "a refused raise ($bad) fails" [ "$rc" -ne 0 ]
  expect_err "call the police on 999" "a refused raise ($bad) still says what to do for a child at risk"
  expect_true "a refused raise ($bad) makes no store" [ ! -e "$E2E_TMP/refused" ]
done

# raise still makes the store: private, in a private directory.
umask 022
ESC_NOW=2026-11-02T10:00 ESC_DB="$E2E_TMP/new/dir/esc.db" run raise --policy generic --category other \
  --summary "Invented disagreement" --raiser "Ann Example" --raiser-agency-type school \
  --counterpart "Bob Sample" --counterpart-agency-type social-care --child-ref T-0001 -q
expect_rc 0 "raise makes a missing store"
expect_eq "$(stat -c %a "$E2E_TMP/new/dir/esc.db" 2>&1)" "600" "the store raise made is mode 600"
expect_eq "$(stat -c %a "$E2E_TMP/new/dir" 2>&1)" "700" "its directory is mode 700"
ESC_DB="$E2E_TMP/new/dir/esc.db" run list --ids
expect_eq "$rc:$out" "0:1" "list reads the store raise made"

# import into a missing store makes it, with what the export holds.
ESC_DB="$REAL" run export
expect_rc 0 "export the real store"
printf '%s\n' "$out" >"$E2E_TMP/real.jsonl"
ESC_DB="$E2E_TMP/imported/esc.db" run import "$E2E_TMP/real.jsonl"
expect_rc 0 "import into a missing store"
expect_eq "$(stat -c %a "$E2E_TMP/imported/esc.db" 2>&1)" "600" "the store import made is mode 600"
ESC_DB="$E2E_TMP/imported/esc.db" run list --ids
expect_eq "$rc:$out" "0:1" "the imported store has the case"
# An export of no cases makes an empty store, which reads as empty: exit 0.
head -n 1 "$E2E_TMP/real.jsonl" >"$E2E_TMP/empty.jsonl"
ESC_DB="$E2E_TMP/empty/esc.db" run import "$E2E_TMP/empty.jsonl"
expect_rc 0 "import of no cases into a missing store"
for c in "list" "due" "overdue" "remind --new-only" "verify"; do
  read -r -a args <<<"$c"
  ESC_DB="$E2E_TMP/empty/esc.db" run "${args[@]}"
  expect_rc 0 "an empty store: esc $c is fine"
done

finish
