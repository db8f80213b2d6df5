#!/usr/bin/env bash
# Benchmark: `esc overdue` against the sqlite3 command-line tool running the
# equivalent indexed query for the same rows on the same file.
#
#   bench/overdue.sh [CASES] [OPEN] [RUNS]     (defaults 100000 30000 20)
#
# The store is built once through esc's own code (bench/make_store.cpp) and
# kept in build/bench/. Prints both figures and their ratio.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cases=${1:-100000}
open=${2:-30000}
runs=${3:-20}
esc_install_packages "${ESC_PACKAGES[@]}" sqlite3 python3
db=$(esc_bench_store "$cases" "$open")

now=2026-11-23T09:00
today=2026-11-23
# The same rows esc overdue reads, by the same query: open timed deadlines
# of open cases due before today (chosen from the open duties' index and the
# cases' state index alone), each case's oldest due date by grouping, both
# parties.
query="WITH due AS (SELECT d.id, d.case_id, d.due, d.stage, d.seq, d.timed
  FROM deadlines d INDEXED BY deadlines_open JOIN cases c INDEXED BY cases_state ON c.id = d.case_id
  WHERE d.done_at IS NULL AND d.due <= '$(date -d "$today - 1 day" +%F)' AND (c.status = 'open' OR d.stage < 0) AND d.timed = 1),
  oldest AS (SELECT case_id, min(due) AS oldest FROM due GROUP BY case_id)
  SELECT d.id, d.uuid, d.case_id, d.stage, d.action, d.due, c.policy_id, c.policy_sha256, c.child_ref,
  c.stage, r.name, r.agency, r.agency_type, k.name, k.agency, k.agency_type, d.key, d.kind, d.timed, coalesce(d.clause, '')
  FROM due x JOIN oldest o ON o.case_id = x.case_id JOIN deadlines d ON d.id = x.id JOIN cases c ON c.id = x.case_id
  JOIN parties r ON r.case_id = x.case_id AND r.role = 'raiser'
  JOIN parties k ON k.case_id = x.case_id AND k.role = 'counterpart'
  ORDER BY o.oldest, x.case_id, x.due, x.stage, x.seq;"

# Both must return the same deadlines in the same order.
esc_ids=$(ESC_DB="$db" ESC_NOW=$now "$ESC_BUILD/esc" overdue --json | python3 -c 'import json,sys; print("\n".join(d["deadline"] for d in json.load(sys.stdin)))') || true
sql_ids=$(sqlite3 "$db" "$query" | cut -d'|' -f2)
echo "rows: esc overdue $(printf '%s\n' "$esc_ids" | grep -c .), sqlite3 $(printf '%s\n' "$sql_ids" | grep -c .)"
[ "$esc_ids" = "$sql_ids" ] || { echo "esc overdue and the query return different rows" >&2; exit 1; }
echo "plan: $(sqlite3 "$db" "EXPLAIN QUERY PLAN $query" | tr '\n' ' ')"

# Best of RUNS for each, alternating so both see the same machine state.
ns() { date +%s%N; }
best_esc=999999999999
best_sql=999999999999
for ((i = 0; i < runs; i++)); do
  t0=$(ns)
  ESC_DB="$db" ESC_NOW=$now "$ESC_BUILD/esc" overdue >/dev/null || true
  t1=$(ns)
  sqlite3 "$db" "$query" >/dev/null
  t2=$(ns)
  (( t1 - t0 < best_esc )) && best_esc=$((t1 - t0))
  (( t2 - t1 < best_sql )) && best_sql=$((t2 - t1))
done
ratio=$(python3 -c "print(f'{$best_esc / $best_sql:.2f}')")
printf 'esc overdue:   %8.1f ms (best of %d)\n' "$(python3 -c "print($best_esc/1e6)")" "$runs"
printf 'sqlite3 query: %8.1f ms (best of %d)\n' "$(python3 -c "print($best_sql/1e6)")" "$runs"
echo "ratio: $ratio (target: at most 1.5)"
python3 -c "import sys; sys.exit(0 if $best_esc <= 1.5 * $best_sql else 1)"
