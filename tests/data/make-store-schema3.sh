#!/bin/bash
# Writes store-schema3.sql: a store as the esc of store schema 3 (chain
# encoding 1) wrote it, dumped by sqlite3, for the tests that upgrade it
# (tests/chain_test.cpp, tests/e2e/verify.sh). Run it with ESC naming an esc
# built from a commit of schema 3 (esc --version says "store schema 3"), e.g.
#   ESC=/path/to/old/esc tests/data/make-store-schema3.sh
# It is kept, not remade: it stands for stores already out there.
set -euo pipefail
: "${ESC:?ESC must name an esc of store schema 3}"
"$ESC" --version | grep -q '(store schema 3)' || { echo "ESC is not of store schema 3" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
policies=$(cd "$here/../../policies" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ESC_DB="$tmp/esc.db" ESC_POLICY_PATH="$policies" HOME="$tmp" NO_COLOR=1
unset XDG_DATA_HOME
P=(--raiser "Ann Example" --raiser-agency "Hillside Primary" --raiser-agency-type school
  --counterpart "Bob Sample" --counterpart-agency "Children's Social Care" --counterpart-agency-type social-care)
at() { ESC_NOW=$1 "$ESC" "${@:2}" >/dev/null; }
# Case 1: straight to stage 3, paused and resumed over the summer bank
# holiday, extended (its stage's deadline moved twice), records, resolved.
at 2026-08-27T10:00 raise --policy stoke-on-trent --category childs-plan --summary "Disagree about the plan" \
  "${P[@]}" --child-ref C-9001 --child "Robin Invented"
at 2026-08-27T11:00 escalate 1 --to 3 --reason "Serious: straight to heads of service"
at 2026-08-27T15:00 record 1 --kind conversation --channel phone --with "Bob Sample" --summary "Heads of service spoke"
at 2026-08-28T16:00 pause 1 --reason "Head of service off sick"
at 2026-09-01T09:00 resume 1
at 2026-09-01T10:00 record 1 --kind meeting --summary "Meeting arranged for Friday"
at 2026-09-02T10:00 extend 1 --days 2 --reason "Police adviser away" --agreed-by "Both heads of service"
at 2026-09-04T10:00 resolve 1 --outcome "Joint review agreed" --agreed-by "Both heads of service" \
  --learning "Book the adviser early"
# Case 2: a record and an escalation, open.
at 2026-09-07T09:00 raise --policy sefton --category other --summary "Whether the referral meets the threshold" \
  "${P[@]}" --child-ref C-9002
at 2026-09-07T14:00 record 2 --kind conversation --channel face-to-face --summary "Talked after the meeting"
at 2026-09-09T09:00 escalate 2 --reason "No agreement"
# Case 3: a note and its correction, open.
at 2026-09-10T09:00 raise --policy generic --category plan-not-progressing --summary "The plan is stuck" \
  "${P[@]}" --child-ref C-9003
at 2026-09-10T10:00 record 3 --kind note --summary "Seen on Monday"
at 2026-09-10T11:00 record 3 --kind correction --corrects 4 --summary "Seen on Tuesday"
"$ESC" verify >/dev/null
{
  echo "-- A store of schema 3 (chain encoding 1), written by esc; made by make-store-schema3.sh."
  # Where each policy was loaded from is not chained: say the installed place,
  # not this machine's.
  sqlite3 "$ESC_DB" .dump | sed "s|'$policies/|'/usr/share/esc/policies/|g"
  echo "PRAGMA user_version = 3;"
} >"$here/store-schema3.sql"
