#!/usr/bin/env bash
# Benchmark: what moved deadlines cost the whole-store commands. Two stores of
# the same cases with the same records (bench/make_store.cpp), one "lived"
# (extensions, pauses and resumptions on Stoke-on-Trent's cases, each adding
# moves of deadlines) and one "unmoved" (the same without the moves): times
# `esc verify` and `esc export` on each, alternating, and prints the medians,
# their ratio and the peak memory.
#
#   bench/moves.sh [CASES] [OPEN] [RUNS]     (defaults 10000 3000 5)
#
# A query that reads every move for each event (a missing index) makes the
# lived store's times grow with the square of the moves; exits 1 when either
# ratio is above 1.3.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cases=${1:-10000}
open=${2:-3000}
runs=${3:-5}
esc_install_packages "${ESC_PACKAGES[@]}" sqlite3 python3
lived=$(esc_bench_store "$cases" "$open" lived)
unmoved=$(esc_bench_store "$cases" "$open" unmoved)
for db in "$lived" "$unmoved"; do
  # Opened once first, so an upgrade of its schema is not timed.
  "$ESC_BUILD/esc" --db "$db" verify >/dev/null
done
moves() { sqlite3 "$1" "SELECT count(*) FROM deadline_shifts; SELECT count(*) FROM events WHERE type IN ('extend', 'pause', 'resume');" | paste -sd' '; }
read -r shifts_l events_l < <(moves "$lived")
read -r shifts_u events_u < <(moves "$unmoved")
echo "lived:   $cases cases, $events_l extensions, pauses and resumptions, $shifts_l moves of deadlines"
echo "unmoved: $cases cases, $events_u extensions, pauses and resumptions, $shifts_u moves of deadlines"

python3 - "$ESC_BUILD/esc" "$lived" "$unmoved" "$runs" <<'PY'
import os, statistics, subprocess, sys, time
esc, lived, unmoved, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
worst = 0.0
for cmd in (["verify"], ["export"]):
    times = {lived: [], unmoved: []}
    peak = {lived: 0, unmoved: 0}
    for _ in range(runs):
        for db in (lived, unmoved):
            t0 = time.perf_counter()
            p = subprocess.Popen([esc, "--db", db] + cmd, stdout=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            times[db].append(time.perf_counter() - t0)
            peak[db] = max(peak[db], usage.ru_maxrss)
            if status != 0:
                sys.exit(f"esc {' '.join(cmd)} exited {status} on {db}")
    l, u = statistics.median(times[lived]), statistics.median(times[unmoved])
    worst = max(worst, l / u)
    print(f"esc {cmd[0]:7s} lived {l:6.2f} s ({peak[lived] / 1024:.0f} MiB)   unmoved {u:6.2f} s "
          f"({peak[unmoved] / 1024:.0f} MiB)   ratio {l / u:.2f}   (medians of {runs})")
print(f"largest ratio {worst:.2f}; target at most 1.3")
sys.exit(0 if worst <= 1.3 else 1)
PY
