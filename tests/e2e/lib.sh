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
# expect_not_out TEXT DESCRIPTION: stdout does not contain TEXT
expect_not_out() {
  E2E_COUNT=$((E2E_COUNT + 1))
  case "$out" in *"$1"*) fail "$2: stdout has '$1'" ;; esac
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

# The partnership return suppresses no small counts (see build_return and
# return_tables in src/core/report/partnership_return.cpp: every count is
# printed as it is). Should it come to suppress counts of 1 to N-1, set this
# to N: expect_duties_agree then checks that a figure is suppressed (shown as
# anything but a number) exactly when its count is in that range.
RETURN_SUPPRESSED_BELOW=0

# expect_duties_agree NOW...: at each time NOW, every duty of every case in
# $ESC_DB is the same in `esc show ID --json`, in `esc report ID --json` and
# in the text of `esc report ID` (its "[state] action" line under its stage,
# and, for a notification to the partnership at a stage, the "partnership:"
# line: notified on the day it was met, exactly when show calls it met or met
# late); and the partnership return (`esc report --json`, every case) counts
# them as show's duties of all the cases do: the deadlines and the other
# duties by policy, stage, kind and state, the summary's deadline figures and
# partnership notifications owed and made, and the whole-case limits. One
# counted check per case and output, per table row and per summary figure.
expect_duties_agree() {
  local now results status desc detail
  for now in "$@"; do
    results=$(ESC_NOW=$now "$PY" -I -S - "$ESC" "$RETURN_SUPPRESSED_BELOW" <<'PY'
import json, re, subprocess, sys
from collections import Counter
esc, below = sys.argv[1], int(sys.argv[2])
def run(*args):
    p = subprocess.run([esc, *args], capture_output=True, encoding="utf-8")
    if p.returncode not in (0, 1):
        sys.exit(f"esc {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout
def emit(ok, desc, detail=""):
    print("\t".join(["ok", desc] if ok else ["FAIL", desc, detail.replace("\t", " ").replace("\n", "; ")]))
STATES = ["waived", "met late", "met", "closed", "missed", "overdue", "open", "paused"]
DEADLINE_KINDS = ("deadline", "check-back")
def where(d):  # "stage 3", "whole case", "after resolution", "check back"
    return f"stage {d['stage']}" if d["scope"] == "stage" else d["scope"]
def about(d):
    return f"{d['key']} ({d['kind']}, {where(d)}, {d['action']!r})"

ids = run("list", "--all", "--ids").split()
cases = []  # (id, policy, show duties)
for i in ids:
    show = json.loads(run("show", i, "--json"))
    sd = show["duties"]
    cases.append((i, show["policy"], sd))

    # 1. show --json and report --json: the same duties, field for field.
    rd = json.loads(run("report", i, "--json"))["duties"]
    problems = []
    by_key = lambda ds: {k: [d for d in ds if d["key"] == k] for k in {d["key"] for d in ds}}
    s_keys, r_keys = by_key(sd), by_key(rd)
    for k in sorted(set(s_keys) | set(r_keys)):
        a, b = s_keys.get(k, []), r_keys.get(k, [])
        if len(a) != 1 or len(b) != 1:
            problems.append(f"duty {k}: {len(a)} in show ({a}), {len(b)} in report ({b})")
            continue
        a, b = a[0], b[0]
        diff = [f"{f}: show {a.get(f)!r}, report {b.get(f)!r}" for f in sorted(set(a) | set(b)) if a.get(f) != b.get(f)]
        if diff:
            problems.append(f"duty {about(a)}: " + ", ".join(diff))
    emit(not problems, f"case {i}: show --json and report --json give the same {len(sd)} duties", "; ".join(problems))

    # 2. The text report: each duty's "[state] action" line where show puts
    # it, and the "partnership:" line of each notification to the partnership.
    text = run("report", i).splitlines()
    lines, notified, stage, in_stages = Counter(), Counter(), None, False
    line_re = re.compile(r"^\s+(?:([A-Z][a-z]*(?: [a-z]+)?(?: \d+)?): )?\[(" + "|".join(STATES) + r")\] (.*)$")
    for ln in text:
        if ln and not ln[0].isspace():  # a section's title at the margin
            in_stages = re.match(r"^(Stage|Step)s$", ln.strip()) is not None
            continue
        if not in_stages:
            continue
        m = line_re.match(ln)
        if m:
            lead = m.group(1)
            w = stage if lead is None else (re.sub(r"^\w+ (\d+)$", r"stage \1", lead) if re.search(r"\d$", lead) else lead.lower())
            lines[(w, m.group(2), m.group(3))] += 1
            continue
        m = re.match(r"^  \S+ (\d+): ", ln)
        if m:
            stage = f"stage {m.group(1)}"
            continue
        m = re.match(r"^    partnership: (notified (\d{4}-\d\d-\d\d)|NOT notified|not notified: waived)", ln)
        if m:
            v = f"notified {m.group(2)}" if m.group(2) else "waived" if m.group(1).startswith("not") else "NOT notified"
            notified[(stage, v)] += 1
    want_lines = Counter((where(d), d["state"], d["action"]) for d in sd)
    want_notified = Counter()
    for d in sd:
        if d["to"] == "partnership" and d["scope"] == "stage" and d["kind"] not in DEADLINE_KINDS:
            s = d["state"]
            v = f"notified {(d['done_at'] or '?')[:10]}" if s in ("met", "met late") else "waived" if s == "waived" else "NOT notified"
            want_notified[(where(d), v)] += 1
    problems = [f"{k[0]}: [{k[1]}] {k[2]!r}: {want_lines[k]} in show, {lines[k]} in the report's text"
                for k in sorted(set(want_lines) | set(lines), key=str) if want_lines[k] != lines[k]]
    problems += [f"{k[0]} partnership line {k[1]!r}: {want_notified[k]} by show's duties, {notified[k]} in the report's text"
                 for k in sorted(set(want_notified) | set(notified), key=str) if want_notified[k] != notified[k]]
    emit(not problems, f"case {i}: the text report lists the {len(sd)} duties and {sum(want_notified.values())} partnership notification line(s) as show does", "; ".join(problems))

# 3. The return, of every case, against counts of show's duties.
ret = json.loads(run("report", "--json"))["tables"]
matched = 0
def figure(returned, computed):
    """None when the return's figure agrees with the count, else why not."""
    global matched
    suppressible = 0 < computed < below
    if not isinstance(returned, int) or isinstance(returned, bool):
        return None if suppressible else f"return {returned!r} (suppressed?), computed {computed}"
    if suppressible:
        return f"return {returned}, computed {computed}, which should be suppressed (below {below})"
    if returned != computed:
        return f"return {returned}, computed {computed}"
    if computed:
        matched += 1
    return None
def compare_rows(table, columns, computed, label, desc):
    rows = {}
    for row in ret[table]:
        k = label(row)
        if k in rows:  # rows the return keeps apart but names alike: add them up
            rows[k] = {c: rows[k][c] + row[c] if isinstance(rows[k][c], int) and isinstance(row[c], int)
                       else row[c] if isinstance(rows[k][c], int) else rows[k][c] for c in columns}
        else:
            rows[k] = {c: row[c] for c in columns}
    for k in sorted(set(rows) | set(computed), key=str):
        got, want = rows.get(k), computed.get(k)
        if got is None:
            emit(False, f"return {table} {desc(k)}", f"no row in the return; computed {want}")
            continue
        if want is None:
            want = {c: 0 for c in columns}
        bad = [f"{c}: {why}" for c in columns if (why := figure(got[c], want[c]))]
        emit(not bad, f"return {table} {desc(k)}: {', '.join(f'{c} {want[c]}' for c in columns)}", "; ".join(bad))

# Deadlines by policy and stage: waived counts as closed, paused as open.
col = {"met": "met", "met late": "met_late", "closed": "closed", "waived": "closed", "missed": "missed",
       "overdue": "overdue", "open": "open", "paused": "open"}
dcols = ["met", "met_late", "closed", "missed", "overdue", "open"]
dl = {}
for i, pol, sd in cases:
    for d in sd:
        if d["kind"] in DEADLINE_KINDS:
            row = dl.setdefault((pol, where(d)), dict.fromkeys(dcols, 0))
            row[col[d["state"]]] += 1
def deadline_label(row):
    w = {"Whole case": "whole case", "Check back": "check back"}.get(row["title"], f"stage {row['stage']}")
    return (row["policy"], w)
compare_rows("deadlines", dcols, dl, deadline_label, lambda k: f"{k[0]} {k[1]}")

# The other duties by policy, stage and kind: owed, and what became of them.
# "open" is still owed (open, overdue or paused); "closed" is no longer owed
# (ended by an escalation or the resolution). A state with no column shows
# up as a mismatch.
ucols = ["owed", "met", "met_late", "waived", "closed", "missed", "open"]
ucol = {"met": "met", "met late": "met_late", "waived": "waived", "closed": "closed", "missed": "missed",
        "open": "open", "overdue": "open", "paused": "open"}
du = {}
closed_duties = []
for i, pol, sd in cases:
    for d in sd:
        if d["kind"] in DEADLINE_KINDS:
            continue
        what = "notification to the partnership" if d["to"] == "partnership" else d["kind"]
        row = du.setdefault((pol, str(d["stage"]) if d["scope"] == "stage" else d["scope"], what), dict.fromkeys(ucols, 0))
        row["owed"] += 1
        if d["state"] in ucol:
            row[ucol[d["state"]]] += 1
        else:
            closed_duties.append(f"case {i} {about(d)} is {d['state']}")
compare_rows("duties", ucols, du, lambda row: (row["policy"], row["stage"], row["duty"]), lambda k: f"{k[0]} {k[1]} {k[2]}")
emit(not closed_duties, "every duty other than a deadline is in a state the return's duties table has a column for",
     "; ".join(closed_duties))

# The whole-case limit, by policy.
lcols = ["cases", "resolved_within", "resolved_past", "open_within", "open_past", "paused"]
lcol = {"met": "resolved_within", "closed": "resolved_within", "waived": "resolved_within", "met late": "resolved_past",
        "missed": "resolved_past", "open": "open_within", "overdue": "open_past", "paused": "paused"}
lim = {}
limit_policies = {r["policy"] for r in ret["case-limit"]}
for i, pol, sd in cases:
    limits = [d for d in sd if d["kind"] == "deadline" and d["scope"] == "whole case"]
    if pol not in limit_policies and not limits:
        continue
    row = lim.setdefault((pol,), dict.fromkeys(lcols, 0))
    row["cases"] += 1
    for d in limits:
        row[lcol[d["state"]]] += 1
compare_rows("case-limit", lcols, lim, lambda row: (row["policy"],), lambda k: k[0])

# The summary's figures.
summary = ret["summary"]
totals = {
    "cases_raised": len(cases),
    "deadlines_met": sum(r["met"] for r in dl.values()),
    "deadlines_met_late": sum(r["met_late"] for r in dl.values()),
    "deadlines_closed": sum(r["closed"] for r in dl.values()),
    "deadlines_missed": sum(r["missed"] for r in dl.values()),
    "deadlines_overdue": sum(r["overdue"] for r in dl.values()),
    "partnership_notifications_owed": sum(1 for _, _, sd in cases for d in sd
                                          if d["kind"] not in DEADLINE_KINDS and d["to"] == "partnership"),
    "partnership_notifications_made": sum(1 for _, _, sd in cases for d in sd if d["kind"] not in DEADLINE_KINDS
                                          and d["to"] == "partnership" and d["state"] in ("met", "met late")),
    "open_past_case_limit": sum(r["open_past"] for r in lim.values()),
    "resolved_past_case_limit": sum(r["resolved_past"] for r in lim.values()),
}
for k, want in totals.items():
    why = figure(summary.get(k), want) if k in summary else f"the return has no {k}"
    emit(why is None, f"return summary {k} {want}", why or "")
emit(matched > 0, f"{matched} figures of the return, not suppressed and not zero, matched show's duties",
     "no figure of the return could be compared: all suppressed or zero")
PY
) || { E2E_COUNT=$((E2E_COUNT + 1)); out=$results err=""; fail "duties at $now: the comparison did not run"; continue; }
    while IFS=$'\t' read -r status desc detail; do
      E2E_COUNT=$((E2E_COUNT + 1))
      case "$status" in
        ok) ;;
        *) out="" err=""; fail "duties disagree at $now: $desc: $detail" ;;
      esac
    done <<<"$results"
    echo "duties at $now: $(printf '%s\n' "$results" | grep -c '^ok') of $(printf '%s\n' "$results" | grep -c .) comparisons agree"
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
