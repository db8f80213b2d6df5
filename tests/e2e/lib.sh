# Sourced by every end-to-end test: runs the real binary in a scratch
# directory with a fixed clock and no personal environment.
set -u
: "${ESC:?ESC must name the esc binary}"
: "${ESC_SOURCE_DIR:?ESC_SOURCE_DIR must name the source tree}"
E2E_TMP=$(mktemp -d)
trap 'rm -rf "$E2E_TMP"' EXIT
export HOME="$E2E_TMP/home" XDG_DATA_HOME="$E2E_TMP/data" XDG_CONFIG_HOME="$E2E_TMP/config"
export ESC_POLICY_PATH="$ESC_SOURCE_DIR/policies" NO_COLOR=1
mkdir -p "$HOME"
unset ESC_DB ESC_NOW
E2E_FAILED=0
E2E_COUNT=0
# The real interpreter, not a version manager's shim on PATH (which may
# read the environment and the working directory before anything runs).
if [ -x /usr/bin/python3 ]; then
  PY=/usr/bin/python3
else
  PY=$(python3 -c 'import sys; print(sys.executable)')
fi

# run ARGS...: runs esc, leaving $out, $err and $rc.
run() {
  out=$("$ESC" "$@" 2>"$E2E_TMP/stderr") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/stderr")
}

fail() {
  echo "FAIL: $*" >&2
  echo "  stdout: $out" >&2
  echo "  stderr: $err" >&2
  E2E_FAILED=$((E2E_FAILED + 1))
}

# expect_rc N DESCRIPTION
expect_rc() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$rc" -eq "$1" ] || fail "$2: exit $rc, expected $1"
}
# expect_out TEXT DESCRIPTION: stdout contains TEXT
expect_out() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$out" in *"$1"*) ;; *) fail "$2: stdout lacks '$1'" ;; esac
}
# expect_err TEXT DESCRIPTION: stderr contains TEXT
expect_err() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$err" in *"$1"*) ;; *) fail "$2: stderr lacks '$1'" ;; esac
}
expect_eq() {
  E2E_COUNT=$((E2E_COUNT + 1))
  [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# expect_true DESCRIPTION COMMAND...: COMMAND succeeds (e.g. `[ -f FILE ]`);
# returns its status, so `expect_true ... || continue` skips what needs it.
expect_true() {
  local description=$1
  shift
  E2E_COUNT=$((E2E_COUNT + 1))
  "$@" && return 0
  fail "$description"
  return 1
}

# The policies in policies/, by id, sorted as the completions offer them.
POLICIES="birmingham generic sefton stoke-on-trent warrington"

# help_commands [TEXT]: the commands a help text lists, one a line, in its
# order; without TEXT, those of `esc --help`.
help_commands() {
  if [ $# -gt 0 ]; then printf '%s\n' "$1"; else "$ESC" --help; fi |
    awk '/^Subcommands:/ {on=1; next} on && !NF {exit} on {print $1}'
}

# completion_store: what the completion tests share. esc first on PATH; a
# scratch store ($ESC_DB, with ESC_NOW fixed) of three invented cases, the
# second resolved, so 1 and 3 are open; $E2E_TMP/work/anchor-file, for file
# name completion; and RE_COMMANDS, the commands starting "re" from esc --help
# (commands come and go), sorted on one line.
completion_store() {
  local p
  local -a raise=(--category other --summary "Invented disagreement for a test" --raiser "Ann Example"
    --raiser-agency-type school --counterpart "Bob Sample" --counterpart-agency-type social-care
    --child-ref T-0001 -q)
  mkdir -p "$E2E_TMP/bin" "$E2E_TMP/work" && ln -s "$ESC" "$E2E_TMP/bin/esc"
  touch "$E2E_TMP/work/anchor-file"
  export PATH="$E2E_TMP/bin:$PATH" ESC_DB="$E2E_TMP/esc.db" ESC_NOW=2026-03-02T10:00
  for p in stoke-on-trent generic sefton; do
    run raise --policy "$p" "${raise[@]}"
    expect_rc 0 "raise an invented $p case"
  done
  run resolve 2 --outcome "Agreed a plan"
  expect_rc 0 "resolve case 2"
  RE_COMMANDS=$(help_commands | grep '^re' | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
}

# expect_one_vocabulary NOW...: at each time NOW, every deadline of every case
# in $ESC_DB has the same state in `esc show ID --json` and `esc report ID
# --json`, and `esc overdue --json` lists exactly the deadlines both call
# overdue, as overdue.
expect_one_vocabulary() {
  local now result
  for now in "$@"; do
    result=$(ESC_NOW=$now "$PY" -I -S - "$ESC" <<'PY'
import json, subprocess, sys
esc = sys.argv[1]
def run(*args):
    p = subprocess.run([esc, *args], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"esc {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout
key = lambda d: (d["stage"], d["action"], d["start"], d["original_due"], d["due"])
ids = run("list", "--all", "--ids").split()
problems, overdue, count = [], set(), 0
for i in ids:
    show = {key(d): d["state"] for d in json.loads(run("show", i, "--json"))["deadlines"]}
    rep = json.loads(run("report", i, "--json"))
    report = {key(d): d["state"] for s in rep["stages"] for d in s["deadlines"]}
    report.update({key(d): d["state"] for d in rep["case_deadlines"]})
    for k in sorted(set(show) | set(report), key=str):
        count += 1
        if show.get(k) != report.get(k):
            problems.append(f"case {i} {k}: show {show.get(k)}, report {report.get(k)}")
        if show.get(k) == "overdue":
            overdue.add((int(i), k[0], k[1], k[4]))
listed = {(d["case"], d["stage"], d["action"], d["due"]) for d in json.loads(run("overdue", "--json"))
          if d["state"] == "overdue"}
problems += [f"overdue lists {x}, which show and report do not call overdue" for x in sorted(listed - overdue, key=str)]
problems += [f"overdue misses {x}, which show and report call overdue" for x in sorted(overdue - listed, key=str)]
print("\n".join(problems) if problems else f"ok {count}")
PY
)
    E2E_COUNT=$((E2E_COUNT + 1))
    case "$result" in
      "ok "*) echo "one vocabulary at $now: ${result#ok } deadlines agree" ;;
      *) fail "show, report and overdue disagree at $now: $result" ;;
    esac
  done
}

# run_bench NAME ARGS...: runs bench/NAME.sh ARGS..., leaving $out, $err and
# $rc as run does, and shows its report in the test's log.
run_bench() {
  local name=$1
  shift
  out=$(bash "$ESC_SOURCE_DIR/bench/$name.sh" "$@" 2>"$E2E_TMP/$name.err") && rc=0 || rc=$?
  err=$(cat "$E2E_TMP/$name.err")
  echo "$out"
}

# A test that needs a tool which is not installed is Skipped, never Passed:
# CTest reads exit 77 as Skipped (SKIP_RETURN_CODE). skip REASON stops the
# whole test there; skip_part REASON lets the rest run, and finish then
# reports the test Skipped, unless a check failed.
E2E_SKIPPED=""
skip() {
  echo "SKIPPED: $*" >&2
  echo "$E2E_COUNT checks passed before the skip"
  [ "$E2E_FAILED" -eq 0 ] || { echo "$E2E_FAILED of $E2E_COUNT checks failed" >&2; exit 1; }
  exit 77
}
skip_part() {
  echo "SKIPPED (part): $*" >&2
  E2E_SKIPPED="$E2E_SKIPPED${E2E_SKIPPED:+; }$*"
}

finish() {
  if [ "$E2E_FAILED" -ne 0 ]; then
    echo "$E2E_FAILED of $E2E_COUNT checks failed" >&2
    exit 1
  fi
  echo "$E2E_COUNT checks passed"
  if [ -n "$E2E_SKIPPED" ]; then
    echo "skipped: $E2E_SKIPPED" >&2
    exit 77
  fi
  exit 0
}
