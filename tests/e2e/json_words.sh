# The JSON contract says its version in every document, and the command line
# names the flags and commands the core's errors and notices are about.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"
py() { "$PY" -I -S -c "$@"; }

ESC_NOW=2026-11-23T10:00 run raise --policy stoke-on-trent --category other --summary "Invented disagreement" \
  --raiser "Ann Teacher" --raiser-agency-type school --counterpart "Bob Worker" \
  --counterpart-agency-type social-care --child-ref C-7001 -q
expect_rc 0 "raise"
c=$out

# Every document, object or list of objects, carries "format": 1 first.
formats() { py 'import json,sys
d = json.load(sys.stdin)
items = d if isinstance(d, list) else [d]
bad = [x for x in items if not isinstance(x, dict) or list(x)[:1] != ["format"] or x["format"] != 1]
print("none" if not items else "ok" if not bad else "not versioned: %r" % bad[:1])'; }
for cmd in "show $c --json" "list --all --json" "log $c --json" "due --within 10 --json" "overdue --json" \
  "remind --within 10 --json" "report $c --json" "report --json" "policy show stoke-on-trent --json" \
  "policy list --json" "calendar --from 2026-12-24 --to 2026-12-29 --json" "verify --json"; do
  # Before the first deadline, so due has something; after it, so overdue has.
  case $cmd in overdue*) now=2026-12-01T10:00 ;; *) now=2026-11-23T12:00 ;; esac
  ESC_NOW=$now run $cmd
  expect_eq "$(printf '%s' "$out" | formats)" "ok" "esc $cmd: every document says format 1 first"
done

# Lists written one element at a time (due, remind) are laid out as every
# other document: two-space indent, one JSON document.
layout() { py 'import json,sys
text = sys.stdin.read()
print("ok" if text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n" else "laid out otherwise")'; }
for cmd in "due --within 10 --json" "remind --within 10 --json" "show $c --json" "list --all --json"; do
  ESC_NOW=2026-11-23T12:00 run $cmd
  expect_eq "$(printf '%s\n' "$out" | layout)" "ok" "esc $cmd: laid out as print_json lays out a document"
done
ESC_NOW=2026-11-23T12:00 run due --within 10 --json --policy warrington
expect_eq "$out" "[]" "an empty list is [] (due)"

# The core names fields and remedies as data; these are the command line's
# words for them.
ESC_NOW=2026-11-23T11:00 run pause "$c" --reason "Practitioner off sick"
expect_rc 0 "pause"
expect_out "until it is resumed; ensure the process is resumed as soon as possible: esc resume $c" \
  "the pause notice names the command that resumes the case"
ESC_NOW=2026-11-23T11:30 run extend "$c" --days 2 --agreed-by "Both" --reason "Waiting"
expect_rc 65 "extending a paused case is refused"
expect_err "case $c is halted; resume it first: esc resume $c" "the error names the command (in the policy's word)"
ESC_NOW=2026-11-23T11:30 run resume "$c" --reason ""
expect_rc 0 "resume"
ESC_NOW=2026-11-23T11:35 run escalate "$c" --reason "x" --at 2030-01-01T10:00
expect_rc 65 "a future time is refused"
expect_err "is in the future: esc records what has happened (--at)" "the error names --at"
ESC_NOW=2026-11-23T11:40 run record "$c" --kind note --summary "  "
expect_rc 64 "an empty summary is a usage error"
expect_err "esc: error: --summary must not be empty" "the error leads with the flag"
ESC_NOW=2026-11-23T11:40 run record "$c" --kind note --summary "x" --due 2026-12-01
expect_rc 64 "a due date without an action"
expect_err "a due date goes with an agreed action (--due, --action)" "the error names both flags"
ESC_NOW=2026-11-23T11:40 run show 999
expect_rc 66 "no such case"
expect_err "no case 999: 'esc list --all' shows the cases" "the error says where to look"
finish
