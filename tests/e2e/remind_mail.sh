# Reminders to people: parties' addresses (raise), holders of a stage
# (escalate, assign), one message per recipient per run, in plain text, and
# the README's crontab and systemd lines run as written with a fake sendmail
# and a fake mail: one message to each recipient holding a due duty, none to
# anyone else, none twice.
. "$(dirname "$0")/lib.sh"
export ESC_DB="$E2E_TMP/esc.db"

py() { printf '%s' "$out" | "$PY" -I -S -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
raise() {  # raise DATE CHILD-REF [ARGS...]: prints the new case's id
  local at=$1 ref=$2
  shift 2
  ESC_NOW=$at "$ESC" raise --policy stoke-on-trent --category other --summary "Invented case $ref" \
    --raiser "Ann Teacher" --raiser-agency "Hillside Primary" --raiser-agency-type school \
    --counterpart "Pia Worker" --counterpart-agency "Children's Services" --counterpart-agency-type social-care \
    --child-ref "$ref" --child "Invented Child Name" --nhs "943 476 5919" -q "$@"
}

# --- Addresses and holders ----------------------------------------------------
# A: Ann's own address; at stage 2 Lee holds it for the raiser; Pia has none.
a=$(raise 2026-11-23T09:00 C-A --raiser-email ann@example.org)
ESC_NOW=2026-11-24T10:00 run escalate "$a" --reason "No agreement" --raiser-holder "Lee Manager <lee@example.org>"
expect_rc 0 "escalate naming who holds the new stage for the raiser"
expect_out "reminders of stage 2 for the raiser go to Lee Manager <lee@example.org>" "escalate says where reminders go"
# B: both parties' own addresses, still at stage 1.
b=$(raise 2026-11-23T09:00 C-B --raiser-email ann@example.org --counterpart-email pia@example.org)
# C: resolved, owing nothing: its people get nothing.
c=$(raise 2026-11-23T09:00 C-C --raiser-email zed@example.org --counterpart-email yan@example.org)
ESC_NOW=2026-11-23T11:00 run record "$c" --kind notification --channel email --summary "Told the lead professional in writing"
ESC_NOW=2026-11-23T12:00 run record "$c" --kind feedback --channel email --summary "Fed back to the raiser"
ESC_NOW=2026-11-23T12:00 run resolve "$c" --outcome "Agreed a plan" --agreed-by "Both practitioners"
expect_rc 0 "resolve C"
# D: the counterpart's stage 1 is assigned to Kim, then to Kat instead.
d=$(raise 2026-11-23T09:00 C-D --raiser-email ann@example.org)
ESC_NOW=2026-11-23T10:00 run assign "$d" --party counterpart --name "Kim Lead" --email kim@example.org
expect_rc 0 "assign"
expect_out "reminders of stage 1 for the counterpart go to Kim Lead <kim@example.org>" "assign says where reminders go"
ESC_NOW=2026-11-23T11:00 run assign "$d" --party counterpart --name "Kat Lead" --email kat@example.org --stage 1
expect_rc 0 "a later assignment for the same stage"

# Refused, and nothing stored.
ESC_NOW=2026-11-23T11:00 run log "$d"
before=$out
for bad in "--party counterpart --email not-an-address" "--party counterpart --email a@b.org,c@d.org" \
           "--party nobody --email kat@example.org" "--party counterpart --email kat@example.org --stage 9" \
           "--party counterpart" "--party counterpart --name Kat<kat@example.org>"; do
  # shellcheck disable=SC2086
  ESC_NOW=2026-11-23T11:30 run assign "$d" $bad
  expect_rc 64 "assign $bad is refused"
done
ESC_NOW=2026-11-23T11:30 run assign 999 --party raiser --email kat@example.org
expect_rc 66 "assign on a case that is not there"
ESC_NOW=2026-11-23T11:30 run raise --policy generic --category other --summary "x" --raiser "A" --raiser-agency-type school \
  --counterpart "B" --counterpart-agency-type health --child-ref X --raiser-email "a b@example.org"
expect_rc 64 "raise with an address esc cannot send to"
expect_err "the raiser's e-mail address 'a b@example.org' is not an e-mail address" "the raise error names the field"
ESC_NOW=2026-11-24T12:00 run escalate "$d" --reason "No agreement" --counterpart-holder "Kat <kat>"
expect_rc 64 "escalate with a holder whose address is not one"
ESC_NOW=2026-11-24T12:00 run log "$d"
expect_eq "$out" "$before" "refusals store nothing"
run show "$d"
expect_out "Stage 1 of 5" "the refused escalation left the case at stage 1"

# The record shows who holds what; the chain covers it.
run log "$a"
expect_out "assign       -            (Ann Teacher <ann@example.org>) the raiser's own address, for reminders" "log: the raiser's own address"
expect_out "(Lee Manager <lee@example.org>) holds stage 2 for the raiser" "log: Lee holds stage 2"
run verify
expect_eq "$rc:$out" "0:ok" "the store verifies"

# --- One message per recipient ------------------------------------------------
# Mon 7 Dec: A's stage 2 and B's and D's stage 1 deadlines are overdue.
export ESC_NOW=2026-12-07T07:30
cp "$ESC_DB" "$E2E_TMP/before.db"
run remind --json
expect_rc 0 "remind --json"
recipients=$(py '" ".join(sorted(str(m["to"]["email"]) for m in d))')
expect_eq "$recipients" "None ann@example.org kat@example.org lee@example.org pia@example.org" \
  "one message each for Ann, Kat, Lee and Pia, and one for A's counterpart with no address"
expect_eq "$(py '[m["to"]["party"] for m in d if m["to"]["email"] is None]')" "['counterpart']" \
  "the message with no address is for A's counterpart"
expect_eq "$(py 'sorted({x["case"] for m in d if m["to"]["email"] == "lee@example.org" for x in m["reminders"]})')" "[$a]" \
  "Lee is reminded of case A only"
expect_eq "$(py 'sorted({x["case"] for m in d if m["to"]["email"] == "ann@example.org" for x in m["reminders"]})')" "[$b, $d]" \
  "Ann of B and D (her own address), not of A's stage 2, which Lee holds"
expect_eq "$(py 'sorted({x["kind"] for m in d if m["to"]["email"] == "kat@example.org" for x in m["reminders"]})')" "['deadline']" \
  "Kat, holding D's stage 1 for the counterpart, owes its deadline, not the raiser's notice or feedback"
expect_eq "$(py 'sorted((m["to"]["email"], m["to"]["holder"]) for m in d if m["to"]["email"] in ("lee@example.org", "ann@example.org"))')" \
  "[('ann@example.org', False), ('lee@example.org', True)]" \
  "Lee holds a stage; Ann is reminded at her own address"
expect_eq "$(py 'all(x["clause"] for m in d for x in m["reminders"])')" "True" "every reminder carries the policy's words"

# The order within each message: a recipient's message is one (not one per
# case), each case's reminders come together, and in each case the overdue
# come first (the earliest due first), then those due by a date, then those
# owed without one.
expect_eq "$(py 'len([m for m in d if m["to"]["email"] == "ann@example.org"])')" "1" "Ann's reminders in one message"
expect_eq "$(py '[x["case"] for m in d if m["to"]["email"] == "ann@example.org" for x in m["reminders"]] == sorted([x["case"] for m in d if m["to"]["email"] == "ann@example.org" for x in m["reminders"]], key=lambda c, o=[x["case"] for m in d if m["to"]["email"] == "ann@example.org" for x in m["reminders"]]: o.index(c))')" \
  "True" "each case's reminders together in Ann's message"
expect_eq "$(py 'all([(0 if x["state"] == "overdue" else 1 if x["due"] else 2, x["due"] or "") for x in m["reminders"] if x["case"] == c] == sorted((0 if x["state"] == "overdue" else 1 if x["due"] else 2, x["due"] or "") for x in m["reminders"] if x["case"] == c) for m in d for c in {x["case"] for x in m["reminders"]})')" \
  "True" "in each case the overdue first, then those due by a date, then those owed without one"
expect_eq "$(py 'any(len({x["state"] for x in m["reminders"]}) > 1 for m in d)')" "True" \
  "(some message mixes states, so the order above was tested)"

# The text: one block per recipient, saying what, by when and why.
run remind
expect_out "To Lee Manager <lee@example.org>." "the text names the recipient"
expect_out "Case $a (child ref C-A), stoke-on-trent policy, stage 2: Line Manager to Line Manager" "and the case"
expect_out "OVERDUE 9 working days: was due by the end of Tue 2026-11-24" "and how late"
expect_out "Policy: Stage 1: 'raise the matter with their fellow professional" "and the policy's words"
expect_out "To the counterpart's side: Pia Worker (no e-mail address known)." "the party with no address"
expect_out "esc assign CASE --party counterpart --email ADDRESS" "and how to give one"
expect_not_out "Invented Child Name" "no child's name in a reminder"
expect_not_out "943 476 5919" "no NHS number in a reminder"
expect_not_out "zed@example.org" "nothing to the people of a case that owes nothing"
expect_not_out "kim@example.org" "nothing to a holder replaced by a later assignment"

# --- The README's crontab line, as written, with a fake sendmail --------------
line=$(grep -E '^30 7 \* \* 1-5' "$ESC_SOURCE_DIR/README.md" | sed -E 's/^([^ ]+ +){5}//')
expect_true "README's crontab line sends mail ($line)" grep -q -- "--exec 'sendmail" <<<"$line"
mkdir -p "$E2E_TMP/cronhome/.local/share/esc" "$E2E_TMP/bin" "$E2E_TMP/mail"
chmod 700 "$E2E_TMP/cronhome/.local/share/esc"
cp "$E2E_TMP/before.db" "$E2E_TMP/cronhome/.local/share/esc/esc.db"
ln -s "$ESC" "$E2E_TMP/bin/esc"
# sendmail and mail that keep each message they are given, with their arguments.
for prog in sendmail mail; do
  cat >"$E2E_TMP/bin/$prog" <<EOF
#!/bin/sh
f=\$(mktemp "$E2E_TMP/mail/$prog.XXXXXX")
for a in "\$@"; do printf 'ARG: %s\n' "\$a"; done >"\$f"
printf '\n' >>"\$f"
cat >>"\$f"
EOF
  chmod +x "$E2E_TMP/bin/$prog"
done
cron() {
  out=$(env -i HOME="$E2E_TMP/cronhome" PATH="$E2E_TMP/bin:/usr/bin:/bin" SHELL=/bin/sh ESC_NOW=$1 \
        /bin/sh -c "$line" </dev/null 2>&1) && rc=0 || rc=$?
  err=""
}
# mailed PROG: "recipient:count" for each recipient PROG was given a message for
mailed() {
  "$PY" -I -S - "$E2E_TMP/mail" "$1" <<'EOF'
import collections, os, sys
c = collections.Counter()
for f in os.listdir(sys.argv[1]):
    if f.startswith(sys.argv[2] + "."):
        args = [l[5:] for l in open(os.path.join(sys.argv[1], f)).read().split("\n\n", 1)[0].split("\n") if l.startswith("ARG: ")]
        c[args[-1]] += 1
print(" ".join("%s:%d" % kv for kv in sorted(c.items())))
EOF
}
cron 2026-12-07T07:30
expect_rc 0 "the crontab line runs under env -i"
expect_eq "$out" "" "and prints nothing"
expect_eq "$(mailed sendmail)" \
  "ann@example.org:1 kat@example.org:1 lee@example.org:1 pia@example.org:1 safeguarding-lead@example.org:1" \
  "one message to each recipient holding a due duty, the one with no address to the lead, none to anyone else"
lee=$(grep -l "^ARG: lee@example.org$" "$E2E_TMP"/mail/sendmail.*)
msg=$(cat "$lee")
expect_true "Lee's message is addressed to Lee" grep -q "^To: lee@example.org$" "$lee"
expect_true "with a subject saying what it holds" grep -q "^Subject: esc: [0-9]* duties owed on 1 case, [0-9]* overdue$" "$lee"
expect_true "in plain text" grep -q "^Content-Type: text/plain; charset=UTF-8$" "$lee"
expect_true "marked as sent by a program" grep -q "^Auto-Submitted: auto-generated$" "$lee"
expect_true "listing the duty, by when, and the policy" grep -q "OVERDUE 8 working days: was due by the end of Wed 2026-11-25" "$lee"
expect_true "no child's name in any message" bash -c "! grep -q 'Invented Child Name' '$E2E_TMP'/mail/*"
# The next morning's run sends nothing new; a week on, the overdue are sent again.
cron 2026-12-07T08:00
expect_eq "$(mailed sendmail)" \
  "ann@example.org:1 kat@example.org:1 lee@example.org:1 pia@example.org:1 safeguarding-lead@example.org:1" \
  "a second run the same morning sends nothing"
cron 2026-12-14T07:30
expect_eq "$(mailed sendmail)" \
  "ann@example.org:2 kat@example.org:2 lee@example.org:2 pia@example.org:2 safeguarding-lead@example.org:2" \
  "five working days on, the overdue duties are sent again, once to each"
expect_true "saying it is a second reminder" grep -q "Reminder 2 (sent once before)." "$E2E_TMP"/mail/sendmail.*

# --- The README's systemd unit, as written, with a fake mail ------------------
unit=$(grep -E '^ExecStart=' "$ESC_SOURCE_DIR/README.md" | head -1)
expect_true "README's unit mails with mail -s ($unit)" grep -q -- '--exec "mail -s' <<<"$unit"
# systemd unquotes the line and turns $$ into $: the same, by the shell.
cmd=${unit#ExecStart=}
cmd=${cmd//\$\$/\\\$}
rm -f "$E2E_TMP"/mail/*
cp "$E2E_TMP/before.db" "$E2E_TMP/unit.db"
out=$(env -i HOME="$E2E_TMP/cronhome" PATH="$E2E_TMP/bin:/usr/bin:/bin" ESC_DB="$E2E_TMP/unit.db" ESC_NOW=2026-12-07T07:30 \
      /bin/sh -c "$cmd" </dev/null 2>&1) && rc=0 || rc=$?
expect_rc 0 "the unit's ExecStart runs"
expect_eq "$(mailed mail)" \
  "ann@example.org:1 kat@example.org:1 lee@example.org:1 pia@example.org:1 safeguarding-lead@example.org:1" \
  "the unit mails one message to each recipient"
kat=$(grep -l "^ARG: kat@example.org$" "$E2E_TMP"/mail/mail.*)
expect_true "with its subject" grep -q "^ARG: esc: [0-9]* dut[a-z]* owed on 1 case, [0-9]* overdue$" "$kat"
expect_true "and a plain-text body" grep -q "^To Kat Lead <kat@example.org>.$" "$kat"

# --- What the store remembers --------------------------------------------------
# Each delivered reminder is a chained record naming whom it went to.
ESC_DB="$E2E_TMP/unit.db" run show "$a" --json
expect_eq "$(py 'sorted({r["to"] for r in d["records"] if r["kind"] == "reminder"})')" \
  "['counterpart', 'lee@example.org']" "case A's reminders went to Lee and to the counterpart's side"
ESC_DB="$E2E_TMP/unit.db" run verify
expect_eq "$rc:$out" "0:ok" "the store verifies after sending"

# --- --exec: the environment of a message -------------------------------------
ESC_DB="$E2E_TMP/before.db" run remind --format json --exec \
  "[ \"\$ESC_TO\" = lee@example.org ] || exit 0; cat >\"$E2E_TMP/lee.json\"; env | grep '^ESC_' | sort >\"$E2E_TMP/lee.env\""
expect_rc 0 "remind --exec"
expect_true "ESC_TO_NAME" grep -q "^ESC_TO_NAME=Lee Manager$" "$E2E_TMP/lee.env"
expect_true "ESC_PARTY" grep -q "^ESC_PARTY=raiser$" "$E2E_TMP/lee.env"
expect_true "ESC_CASES" grep -q "^ESC_CASES=$a$" "$E2E_TMP/lee.env"
expect_true "ESC_CASE, the first reminder's" grep -q "^ESC_CASE=$a$" "$E2E_TMP/lee.env"
expect_true "ESC_STATE of the most pressing" grep -q "^ESC_STATE=overdue$" "$E2E_TMP/lee.env"
out=$(cat "$E2E_TMP/lee.json")
expect_eq "$(py 'd["format"], d["to"]["email"], d["subject"] == "esc: %d duties owed on 1 case, 1 overdue" % len(d["reminders"])')" \
  "1 lee@example.org True" "--format json: the message as JSON"

# --- A holder named without an address ----------------------------------------
# Reminders cannot reach them: escalate says so, as assign does, and the
# stage's duties go to the party's own address.
export ESC_DB="$E2E_TMP/noaddress.db"
e=$(raise 2026-11-23T09:00 C-E --raiser-email ann@example.org)
ESC_NOW=2026-11-24T10:00 run escalate "$e" --reason "No agreement" --raiser-holder "Mo Manager"
expect_rc 0 "escalate naming a holder without an address"
expect_err "no address for Mo Manager: reminders go to the raiser's own address, if it has one" \
  "escalate warns that the holder cannot be reminded"
expect_not_out "go to Mo Manager" "escalate does not say reminders go to someone they cannot reach"
ESC_NOW=2026-12-07T09:00 run remind --format json --json
expect_eq "$(py '" ".join(sorted({m["to"]["email"] for m in d if m["to"]["party"] == "raiser"}))')" "ann@example.org" \
  "the stage's reminders go to the raiser's own address"

finish
