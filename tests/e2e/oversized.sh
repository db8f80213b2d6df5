# Oversized and hostile input: long summaries, a policy with 10,000 stages,
# 10 MB policy files, control characters, escape sequences and invalid UTF-8
# in names and text. Each gets a clear error or is stored and shown safely:
# no crash, and no byte a terminal would act on in what esc prints. Text that
# is not UTF-8 is refused before it is stored; put into a store behind esc's
# back, it is still shown safely.
. "$(dirname "$0")/lib.sh"

NOW=2026-08-27T10:00
LATER=2026-09-21T10:00
export ESC_DB="$E2E_TMP/esc.db"
POL="$E2E_TMP/policies"
mkdir -p "$POL"

# terminal_safe DESCRIPTION: stdout and stderr are UTF-8 and hold no control
# character but tab and newline: no ESC, no BEL, no DEL, no C1 control (U+009B
# is CSI), no bidirectional override.
terminal_safe() {
  E2E_COUNT=$((E2E_COUNT + 1))
  local why
  why=$(printf '%s' "$out$err" | "$PY" -I -S -c '
import sys
b = sys.stdin.buffer.read()
try:
    t = b.decode("utf-8")
except UnicodeDecodeError as e:
    print("not UTF-8 at byte %d" % e.start); sys.exit()
for i, ch in enumerate(t):
    c = ord(ch)
    if (c < 0x20 and ch not in "\n\t") or 0x7f <= c <= 0x9f or 0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069:
        print("character U+%04X at %d" % (c, i)); sys.exit()
')
  [ -z "$why" ] || fail "$1: $why"
}

# valid_json DESCRIPTION: stdout is one strict JSON document (UTF-8).
valid_json() {
  E2E_COUNT=$((E2E_COUNT + 1))
  printf '%s' "$out" | "$PY" -I -S -c 'import json,sys; json.loads(sys.stdin.buffer.read())' 2>/dev/null ||
    fail "$1: stdout is not valid JSON"
}

# py EXPR: evaluates EXPR with d = the JSON on stdout.
py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.loads(sys.stdin.buffer.read()); print($1)"; }

# timed MAX_SECONDS DESCRIPTION ARGS...: runs esc and checks it took at most
# MAX_SECONDS (generous: the machine may be busy).
timed() {
  local max=$1 what=$2 start end
  shift 2
  start=$(date +%s)
  run "$@"
  end=$(date +%s)
  E2E_COUNT=$((E2E_COUNT + 1))
  [ $((end - start)) -le "$max" ] || fail "$what: took $((end - start))s, expected at most ${max}s"
}

# ---------------------------------------------------------------- summaries
# A single argument is limited by the kernel (MAX_ARG_STRLEN, 128 KiB on
# Linux), so a 10 MB summary never reaches esc on its command line and esc has
# no other way to read one. The longest the command line can carry is stored
# and shown whole.
LONG=$(head -c 120000 /dev/zero | tr '\0' 'a')
ESC_NOW=$NOW timed 30 "a 120 KB summary" raise --policy stoke-on-trent --category information-sharing \
  --summary "$LONG" --raiser "Kit Unreal" --raiser-agency-type health --counterpart "Lee Imaginary" \
  --counterpart-agency-type police --child-ref C-7000 --requested-action "$LONG" --json
expect_rc 0 "a 120 KB summary is stored"
valid_json "raise --json with a 120 KB summary"
expect_eq "$(py 'len(d["summary"])')" 120000 "the summary is stored whole"
LONG_ID=$(py 'd["id"]')
ESC_NOW=$NOW run show "$LONG_ID"
expect_rc 0 "show a case with a 120 KB summary"
E2E_COUNT=$((E2E_COUNT + 1))
[ "${#out}" -gt 240000 ] || fail "show prints the summary and the requested action whole"
ESC_NOW=$NOW run record "$LONG_ID" --kind note --summary "$LONG" --action "$LONG" --due 2026-09-01 -q
expect_rc 0 "a 120 KB record summary and action"
ESC_NOW=$NOW run log "$LONG_ID" --json
expect_rc 0 "log --json of long text"
valid_json "log --json of long text"
ESC_NOW=$NOW run list
expect_rc 0 "list with a long case"

# Too big for the command line: the shell cannot even start esc (argument
# list too long), so nothing is stored.
ESC_NOW=$NOW run list --all --ids
before=$out
HUGE=$(head -c 10000000 /dev/zero | tr '\0' 'b')
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "$HUGE" \
  --raiser "Kit Unreal" --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police \
  --child-ref C-7001 2>/dev/null
E2E_COUNT=$((E2E_COUNT + 1))
[ "$rc" -ne 0 ] || fail "a 10 MB argument cannot be passed"
unset HUGE
ESC_NOW=$NOW run list --all --ids
expect_eq "$out" "$before" "a 10 MB summary stores nothing"

# ---------------------------------------------------------------- 10,000 stages
{
  printf 'id = "many"\nname = "Ten thousand stages (invented)"\npartnership = "Invented Partnership"\nversion = "1"\n'
  printf '\n[emergency]\ntext = "Phone the invented duty team."\n'
  for ((i = 1; i <= 10000; i++)); do
    printf '\n[[stages]]\nnumber = %d\ntitle = "Stage %d"\nhandler = "Handler %d"\n' "$i" "$i" "$i"
    printf '[[stages.deadlines]]\naction = "Act at stage %d"\ntimescale = "2 working days"\n' "$i"
  done
} >"$POL/many.toml"
timed 20 "policy check of 10,000 stages" policy check "$POL/many.toml"
expect_rc 0 "a policy with 10,000 stages is valid"
expect_out "10000 stages" "and says how many stages"
export ESC_POLICY_PATH="$POL:$ESC_SOURCE_DIR/policies"
ESC_NOW=$NOW timed 20 "raise under 10,000 stages" raise --policy many --category other --summary "Many stages" \
  --raiser "Kit Unreal" --raiser-agency-type school --counterpart "Lee Imaginary" --counterpart-agency-type health \
  --child-ref C-7002 -q
expect_rc 0 "raise under a policy with 10,000 stages"
MANY_ID=$out
ESC_NOW=$NOW timed 20 "escalate under 10,000 stages" escalate "$MANY_ID" --reason "No answer" --to 9999
expect_rc 65 "a jump the policy does not allow is refused"
ESC_NOW=$NOW timed 20 "escalate under 10,000 stages" escalate "$MANY_ID" --reason "No answer"
expect_rc 0 "escalate under a policy with 10,000 stages"
expect_out "Stage 2 of 10000" "the stage is shown"
timed 20 "policy show --json of 10,000 stages" policy show many --json
expect_rc 0 "policy show --json of 10,000 stages"
expect_eq "$(py 'len(d["stages"])')" 10000 "every stage is shown"

# A stage numbered out of order deep in a long policy: the error names the line.
sed 's/^number = 7777$/number = 7778/' "$POL/many.toml" >"$E2E_TMP/bad-many.toml"
run policy check "$E2E_TMP/bad-many.toml"
expect_rc 78 "a misnumbered stage in 10,000"
expect_err "stage number 7778 out of order" "the error says which stage"
expect_err "bad-many.toml:" "and where"

# ---------------------------------------------------------------- 10 MB policies
BIG=$(head -c 10000000 /dev/zero | tr '\0' 'x')
printf 'id = "big"\nname = "Big %s"\npartnership = "Invented"\nversion = "1"\n[emergency]\ntext = "Phone the invented duty team"\n[[stages]]\nnumber = 1\ntitle = "One"\nhandler = "Handler"\n' \
  "$BIG" >"$POL/big.toml"
unset BIG
timed 60 "policy check of a 10 MB name" policy check "$POL/big.toml"
expect_rc 0 "a policy with a 10 MB name is valid"
head -c 10000000 /dev/urandom >"$E2E_TMP/noise.toml"
timed 60 "policy check of 10 MB of noise" policy check "$E2E_TMP/noise.toml"
expect_rc 78 "10 MB of random bytes is not a policy"
expect_err "noise.toml:" "the error names the file"
terminal_safe "the error on 10 MB of random bytes"
rm -f "$E2E_TMP/noise.toml" "$POL/big.toml"

# ---------------------------------------------------------------- hostile text
# Escape sequences (colour, clear screen, window title with BEL), other C0
# and C1 controls (CSI as UTF-8), DEL, a bidirectional override: all UTF-8, so
# stored as given and shown safely.
EVIL=$'\e[31mred\e[0m \e[2J\e]0;title\a \x01\x7f \xc2\x9b1m \xe2\x80\xaeevil'
# Bytes that are not UTF-8: an 8-bit CSI, bytes UTF-8 never uses, a truncated
# sequence. Refused as text to store (below); echoed safely in errors.
NOT_UTF8=$'\x9b2J \xff\xfe\xc3'
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "Summary $EVIL" \
  --raiser "Raiser $EVIL" --raiser-agency "Agency $EVIL" --raiser-agency-type health \
  --counterpart "Counterpart $EVIL" --counterpart-agency "Other $EVIL" --counterpart-agency-type police \
  --child-ref "C-$EVIL" --child "Child $EVIL" --requested-action "Action $EVIL"
expect_rc 0 "hostile text is stored"
terminal_safe "raise with hostile text"
ESC_NOW=$NOW run list --ids
EVIL_ID=$(printf '%s\n' "$out" | tail -n 1)
ESC_NOW=$NOW run record "$EVIL_ID" --kind conversation --channel phone --with "With $EVIL" --summary "Record $EVIL" \
  --action "Do $EVIL" --due 2026-09-01
expect_rc 0 "a record with hostile text"
terminal_safe "record with hostile text"
ESC_NOW=$NOW run escalate "$EVIL_ID" --reason "Reason $EVIL"
expect_rc 0 "escalate with a hostile reason"
terminal_safe "escalate with a hostile reason"
ESC_NOW=$NOW run pause "$EVIL_ID" --reason "Pause $EVIL"
expect_rc 0 "pause with a hostile reason"
ESC_NOW=2026-08-28T10:00 run resume "$EVIL_ID" --reason "Resume $EVIL"
expect_rc 0 "resume with a hostile reason"
ESC_NOW=2026-08-28T10:00 run extend "$EVIL_ID" --days 2 --reason "Extend $EVIL" --agreed-by "Both $EVIL"
expect_rc 0 "extend with hostile text"
# A second case left alone, so that something is overdue later.
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "Late $EVIL" \
  --raiser "Raiser $EVIL" --raiser-agency-type health --counterpart "Counterpart $EVIL" \
  --counterpart-agency "Other $EVIL" --counterpart-agency-type police --child-ref "L-$EVIL" -q
expect_rc 0 "a second hostile case"
LATE_ID=$out

for args in "show $EVIL_ID" "show $EVIL_ID --explain" "show $LATE_ID" "list" "list --all" "log $EVIL_ID" \
  "overdue" "due --within 30" "remind"; do
  # shellcheck disable=SC2086
  ESC_NOW=$LATER run $args
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "esc $args: exit $rc"
  terminal_safe "esc $args"
done
ESC_NOW=$LATER run overdue
expect_rc 1 "the hostile case is overdue"
expect_out "Raiser ?[31mred?[0m" "escape characters are shown as '?'"

for args in "show $EVIL_ID --json" "list --all --json" "log $EVIL_ID --json" "overdue --json" "due --within 30 --json" \
  "remind --json"; do
  # shellcheck disable=SC2086
  ESC_NOW=$LATER run $args
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "esc $args: exit $rc"
  valid_json "esc $args"
  expect_eq "$(printf '%s' "$out" | tr -d -c '\033' | wc -c)" 0 "esc $args: no raw ESC"
done
# Valid UTF-8 comes back exactly (what is not UTF-8 is never stored: below).
ESC_NOW=$LATER run show "$EVIL_ID" --json
expect_eq "$(py 'd["summary"].startswith("Summary \x1b[31mred\x1b[0m \x1b[2J\x1b]0;title\x07 ")')" True \
  "JSON keeps the escape characters, escaped"
expect_eq "$(py 'd["summary"] == "Summary \x1b[31mred\x1b[0m \x1b[2J\x1b]0;title\x07 \x01\x7f \x9b1m \u202eevil"')" True \
  "JSON gives the hostile summary back exactly"

# ---------------------------------------------------------------- not UTF-8
# Text that is not UTF-8 is refused on input, every free-text field alike,
# with an error naming the option and saying what to do; nothing is stored,
# so the store stays whole and exportable.
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "Plain case" \
  --raiser "Kit Unreal" --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police \
  --child-ref C-7010 -q
expect_rc 0 "a plain case for the UTF-8 checks"
U_ID=$out
# counts: how many cases, events, records and ledger entries the store holds.
counts() { sqlite3 "$ESC_DB" 'SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM events),
  (SELECT count(*) FROM records), (SELECT count(*) FROM ledger)'; }
# refused OPTION WHAT [NAME]: the command just run was refused for OPTION not
# being UTF-8, the error naming it as NAME (OPTION unless given).
refused() {
  expect_rc 65 "$2: $1 not UTF-8 is refused"
  expect_err "${3:-$1} is not valid UTF-8" "$2: the error names $1"
  expect_err "write it in UTF-8 (check the terminal's or the script's encoding)" "$2: and says what to do"
  terminal_safe "$2: the error on $1 not UTF-8"
}
before=$(counts)
# raise_with OPTION TEXT: raise with OPTION given TEXT, every other option plain.
raise_with() {
  local -A v=([--summary]="Summary" [--raiser]="Kit Unreal" [--counterpart]="Lee Imaginary" [--child-ref]=C-7011)
  v[$1]=$2
  local args=(--policy stoke-on-trent --category information-sharing --raiser-agency-type health
    --counterpart-agency-type police) k
  for k in "${!v[@]}"; do args+=("$k" "${v[$k]}"); done
  ESC_NOW=$NOW run raise "${args[@]}"
}
for opt in --summary --raiser --counterpart --raiser-agency --counterpart-agency --child-ref --child \
  --requested-action; do
  raise_with "$opt" "Bad $NOT_UTF8 text"
  refused "$opt" "raise"
done
raise_with --summary $'caf\xe9 in Latin-1'
refused --summary "raise with Latin-1 text"
expect_err "byte 4 of 15" "the error names the first bad byte"
for opt in --summary --with --action; do
  if [ "$opt" = --summary ]; then
    ESC_NOW=$NOW run record "$U_ID" --kind note --summary "Bad $NOT_UTF8"
  else
    ESC_NOW=$NOW run record "$U_ID" --kind note --summary "Note" "$opt" "Bad $NOT_UTF8"
  fi
  refused "$opt" "record"
done
ESC_NOW=$NOW run escalate "$U_ID" --reason "Bad $NOT_UTF8"
refused --reason "escalate"
ESC_NOW=$NOW run pause "$U_ID" --reason "Bad $NOT_UTF8"
refused --reason "pause"
ESC_NOW=$NOW run extend "$U_ID" --days 2 --reason "Bad $NOT_UTF8" --agreed-by "Both"
refused --reason "extend"
ESC_NOW=$NOW run extend "$U_ID" --days 2 --reason "Agreed" --agreed-by "Bad $NOT_UTF8"
refused --agreed-by "extend"
ESC_NOW=$NOW run resolve "$U_ID" --outcome "Bad $NOT_UTF8"
refused --outcome "resolve"
for opt in --agreed-by --learning --delay-reason; do
  ESC_NOW=$NOW run resolve "$U_ID" --outcome "Agreed" "$opt" "Bad $NOT_UTF8"
  refused "$opt" "resolve"
done
expect_eq "$(counts)" "$before" "nothing refused for not being UTF-8 was stored"
ESC_NOW=$NOW run pause "$U_ID" --reason "Waiting"
expect_rc 0 "pause the plain case"
before=$(counts)
ESC_NOW=2026-08-28T10:00 run resume "$U_ID" --reason "Bad $NOT_UTF8"
refused --reason "resume"
expect_eq "$(counts)" "$before" "a refused resumption stored nothing"
ESC_NOW=2026-08-28T10:00 run resume "$U_ID"
expect_rc 0 "resume the plain case"
run export -o "$E2E_TMP/export.jsonl"
expect_rc 0 "the store, hostile text and all, can be exported"

# Text that is not UTF-8 put into a copy of the store behind esc's back (the
# triggers that keep the store append-only dropped first) is still shown
# safely: each bad byte as '?'; in JSON as U+FFFD, the rest kept.
TAMPERED="$E2E_TMP/tampered.db"
cp "$ESC_DB" "$TAMPERED"
chmod 600 "$TAMPERED"
# "Tampered \x9b2J \xff\xfe\xc3 \xe2\x80\xaeevil" and "Note \xff\x1b[2J"
sqlite3 "$TAMPERED" "$(sqlite3 "$TAMPERED" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger'")
UPDATE cases SET summary = CAST(X'54616d7065726564209b324a20fffec320e280ae6576696c' AS TEXT) WHERE id = $U_ID;
UPDATE cases SET child_ref = CAST(X'432dff' AS TEXT) WHERE id = $U_ID;
INSERT INTO records (uuid, case_id, stage, at, entered_at, kind, summary)
  SELECT 'tampered-record', id, stage, raised_at, entered_at, 'note', CAST(X'4e6f746520ff1b5b324a' AS TEXT)
  FROM cases WHERE id = $U_ID;" || fail "sqlite3 could not alter the copy"
E2E_COUNT=$((E2E_COUNT + 1))
[ "$(sqlite3 "$TAMPERED" "SELECT hex(summary) FROM cases WHERE id = $U_ID")" = \
  "54616D7065726564209B324A20FFFEC320E280AE6576696C" ] || fail "the copy holds the bytes put in"
for args in "show $U_ID" "show $U_ID --explain" "list --all" "log $U_ID"; do
  # shellcheck disable=SC2086
  ESC_NOW=$LATER run --db "$TAMPERED" $args
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -eq 0 ] || fail "esc $args on a tampered store: exit $rc"
  terminal_safe "esc $args on a tampered store"
done
ESC_NOW=$LATER run --db "$TAMPERED" show "$U_ID"
expect_out "summary:   Tampered ?2J ??? ?evil" "each byte that is not UTF-8 is shown as '?'"
expect_out "ref C-?" "in the child's reference too"
ESC_NOW=$LATER run --db "$TAMPERED" log "$U_ID"
expect_out "Note ??[2J" "and in a record"
ESC_NOW=$LATER run --db "$TAMPERED" show "$U_ID" --json
valid_json "show --json on a tampered store"
expect_eq "$(py '"\ufffd" in d["summary"] and d["summary"].startswith("Tampered ") and d["summary"].endswith("\u202eevil")')" \
  True "invalid UTF-8 is replaced in JSON; the rest is kept"
run --db "$TAMPERED" export -o "$E2E_TMP/tampered.jsonl"
expect_rc 65 "a tampered store with text that is not UTF-8 cannot be exported"
expect_err "not valid UTF-8" "the export says why"
terminal_safe "the export's error on a tampered store"
rm -f "$TAMPERED"

# The store's integrity check is not upset by any of it.
run verify
expect_rc 0 "verify after hostile and oversized input"
terminal_safe "verify after hostile input"

# Hostile text echoed in error messages is made safe too.
ESC_NOW=$NOW run raise --policy stoke-on-trent --category "$EVIL$NOT_UTF8" --summary "x" --raiser "Kit Unreal" \
  --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police --child-ref C-7003
expect_rc 65 "a hostile category is refused"
terminal_safe "the error naming a hostile category"
ESC_NOW=$NOW run raise --policy "$EVIL$NOT_UTF8" --category other --summary "x" --raiser "Kit Unreal" \
  --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police --child-ref C-7003
expect_rc 66 "a hostile policy name is not found"
terminal_safe "the error naming a hostile policy"
run "$EVIL$NOT_UTF8" list
expect_rc 64 "a hostile command name"
terminal_safe "the error naming a hostile command"
run show "$EVIL$NOT_UTF8"
expect_rc 64 "a hostile case id"
terminal_safe "the error naming a hostile case id"
ESC_NOW=$NOW run raise --policy stoke-on-trent --category information-sharing --summary "x" --raiser "Kit Unreal" \
  --raiser-agency-type health --counterpart "Lee Imaginary" --counterpart-agency-type police --child-ref C-7003 \
  --dob "$EVIL$NOT_UTF8"
expect_rc 65 "a hostile date of birth"
expect_err "date of birth" "the error says what is wrong"
terminal_safe "the error naming a hostile date of birth"

# A policy whose strings hold control characters written as TOML escapes
# (\u001b, \u009b, ...) is refused, naming the line: policy text is shown on
# terminals and copied into forms.
for c in '\u001b[2J' '\u009b31m' '\u0007' '\u0000' '\u007f' '\r'; do
  printf 'id = "sly"\nname = "Sly"\npartnership = "Invented"\nversion = "1"\n[emergency]\ntext = "Phone"\n[[emergency.contacts]]\nname = "Duty"\nphone = "000 %s"\n[[stages]]\nnumber = 1\ntitle = "One"\nhandler = "Handler"\n' \
    "$c" >"$E2E_TMP/sly.toml"
  run policy check "$E2E_TMP/sly.toml"
  expect_rc 78 "a control character ($c) in a policy string"
  expect_err "sly.toml:9:" "the error names the line ($c)"
  expect_err "control character" "the error says why ($c)"
  terminal_safe "the error on a control character ($c)"
done
printf 'id = "sly"\nname = "Sly"\npartnership = "Invented"\nversion = "1"\n[emergency]\ntext = "Phone"\n[[stages]]\nnumber = 1\ntitle = "One"\nhandler = "Handler"\n[stages.handlers]\n"school\\u001b" = "Head"\n' \
  >"$E2E_TMP/sly.toml"
run policy check "$E2E_TMP/sly.toml"
expect_rc 78 "a control character in a policy key"
expect_err "control character" "the error says why (a key)"
expect_err "sly.toml:12:1: a key holds the control character U+001B" "the error names the key's own line and column"
terminal_safe "the error on a control character in a key"

# Other Unicode is kept, and a bidirectional override is shown as '?'.
cat >"$POL/sly.toml" <<'TOML'
id = "sly"
name = "Sly policy \u202eevil\u202c: caf\u00e9 \u2019quoted\u2019"
partnership = "Invented Partnership"
version = "1\ttabbed"
[emergency]
text = """Phone the invented duty team.
Then write it down."""
[[categories]]
id = "odd"
label = "Odd \u2066isolated\u2069 label"
[[stages]]
number = 1
title = "Title \u202d"
handler = "Handler"
[[stages.deadlines]]
action = "Act"
timescale = "2 working days"
TOML
run policy check "$POL/sly.toml"
expect_rc 0 "a policy with tabs, new lines and other Unicode is valid"
run policy show sly
expect_rc 0 "policy show of a sly policy"
expect_out "Sly policy ?evil?: café ’quoted’" "bidirectional controls as '?', other Unicode kept"
terminal_safe "policy show of a sly policy"
run policy list
terminal_safe "policy list with a sly policy"
run policy show sly --json
valid_json "policy show --json of a sly policy"
expect_eq "$(py 'd["name"] == "Sly policy \u202eevil\u202c: caf\u00e9 \u2019quoted\u2019"')" True "JSON keeps the text exactly"
ESC_NOW=$NOW run raise --policy sly --category odd --summary "x" --raiser "Kit Unreal" --raiser-agency-type health \
  --counterpart "Lee Imaginary" --counterpart-agency-type police --child-ref C-7004 --risk immediate
expect_rc 0 "raise under a sly policy, at immediate risk"
terminal_safe "raise under a sly policy"
SLY_ID=$(ESC_NOW=$NOW "$ESC" list --ids --policy sly)
for args in "show $SLY_ID --explain" "log $SLY_ID" "list"; do
  # shellcheck disable=SC2086
  ESC_NOW=$LATER run $args
  terminal_safe "esc $args under a sly policy"
done
ESC_NOW=$LATER run overdue --policy sly
expect_rc 1 "the sly case is overdue"
terminal_safe "overdue under a sly policy"

# Raw control characters and invalid UTF-8 in a policy file are TOML errors,
# reported with the file and line, and the message is made safe.
printf 'id = "raw"\nname = "Raw \033[31m"\n' >"$E2E_TMP/raw.toml"
run policy check "$E2E_TMP/raw.toml"
expect_rc 78 "a raw escape character in a policy"
expect_err "raw.toml:2:" "the error names the line"
terminal_safe "the error on a raw escape character"
printf 'id = "bad"\nname = "Bad \xff\xfe"\n' >"$E2E_TMP/bad-utf8.toml"
run policy check "$E2E_TMP/bad-utf8.toml"
expect_rc 78 "invalid UTF-8 in a policy"
terminal_safe "the error on invalid UTF-8"

finish
