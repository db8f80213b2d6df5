#!/usr/bin/env bash
# Benchmark: `esc list --all` on a large store against the sqlite3 tool
# running the equivalent query for the same rows on the same file, with esc's
# peak memory.
#
#   bench/list.sh [CASES] [OPEN] [RUNS]     (defaults 100000 30000 10)
#
# The store is built once through esc's own code (bench/make_store.cpp) and
# kept in build/bench/ (the one bench/overdue.sh uses). Prints both times,
# their ratio and esc's peak resident memory; exits 1 when esc takes 1 s or
# more, or 32 MiB or more.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cases=${1:-100000}
open=${2:-30000}
runs=${3:-10}
esc_install_packages "${ESC_PACKAGES[@]}" sqlite3 python3
db=$(esc_bench_store "$cases" "$open")
now=2026-11-23T09:00

# The same lines esc list --all prints: every case with its counterpart and
# its earliest open due date.
query="SELECT c.id, c.policy_id, c.stage, c.status, c.child_ref, k.agency, k.agency_type,
  (SELECT min(d.due) FROM deadlines d WHERE d.case_id = c.id AND d.done_at IS NULL)
  FROM cases c JOIN parties k ON k.case_id = c.id AND k.role = 'counterpart' ORDER BY c.id;"

esc_rows=$(ESC_DB="$db" ESC_NOW=$now "$ESC_BUILD/esc" list --all | tail -n +2 | wc -l)
sql_rows=$(sqlite3 "$db" "$query" | wc -l)
echo "rows: esc list --all $esc_rows, sqlite3 $sql_rows"
[ "$esc_rows" = "$sql_rows" ] || { echo "esc list --all and the query give different numbers of rows" >&2; exit 1; }
# The same ids and due dates, line for line.
diff <(ESC_DB="$db" ESC_NOW=$now "$ESC_BUILD/esc" list --all | tail -n +2 | awk '{print $1, $4}') \
  <(sqlite3 -separator ' ' "$db" "SELECT c.id, coalesce((SELECT min(d.due) FROM deadlines d WHERE d.case_id = c.id AND d.done_at IS NULL), '-') FROM cases c ORDER BY c.id;") \
  >/dev/null || { echo "esc list --all and the query disagree on ids or due dates" >&2; exit 1; }

# Best of RUNS for each, alternating; esc's peak memory from the kernel's
# accounting of the finished process (ru_maxrss).
python3 - "$ESC_BUILD/esc" "$db" "$now" "$runs" "$query" <<'PY'
import os, resource, subprocess, sys, time
esc, db, now, runs, query = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
env = dict(os.environ, ESC_DB=db, ESC_NOW=now)
best_esc = best_sql = float("inf")
peak = 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([esc, "list", "--all"], env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(p.pid, 0)
    t1 = time.perf_counter()
    subprocess.run(["sqlite3", db, query], stdout=subprocess.DEVNULL, check=True)
    t2 = time.perf_counter()
    if status != 0:
        sys.exit(f"esc list --all exited {status}")
    best_esc, best_sql = min(best_esc, t1 - t0), min(best_sql, t2 - t1)
    peak = max(peak, usage.ru_maxrss)  # KiB on Linux
print(f"esc list --all:  {best_esc * 1000:8.1f} ms (best of {runs}), peak memory {peak / 1024:.1f} MiB")
print(f"sqlite3 query:   {best_sql * 1000:8.1f} ms (best of {runs})")
print(f"ratio: {best_esc / best_sql:.2f}; targets: under 1000 ms and under 32 MiB")
sys.exit(0 if best_esc < 1.0 and peak < 32 * 1024 else 1)
PY
