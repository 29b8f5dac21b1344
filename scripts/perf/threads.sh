#!/usr/bin/env bash
# CPU time of a running process's threads over an interval, grouped by thread name (digits folded):
# where a server's CPU goes while a load runs.  Usage: scripts/perf/threads.sh PID [SECONDS]
set -euo pipefail
pid=$1; seconds=${2:-20}
snap() {
  for t in /proc/"$pid"/task/*; do
    name=$(sed 's/[0-9]\+/N/g; s/ /_/g' "$t/comm" 2>/dev/null) || continue
    stat=($(sed 's/.*) //' "$t/stat" 2>/dev/null)) || continue
    echo "$name ${stat[11]} ${stat[12]}"   # utime and stime, in clock ticks
  done | awk '{u[$1] += $2; s[$1] += $3} END {for (k in u) print k, u[k], s[k]}' | sort
}
before=$(mktemp); after=$(mktemp); trap 'rm -f "$before" "$after"' EXIT
snap > "$before"; sleep "$seconds"; snap > "$after"
hz=$(getconf CLK_TCK)
join "$before" "$after" | awk -v hz="$hz" -v s="$seconds" '{u = ($4 - $2) / hz; y = ($5 - $3) / hz;
  if (u + y > 0) printf "%-24s user %7.2f s  sys %7.2f s  (%.0f %% of a core)\n", $1, u, y, 100 * (u + y) / s}' | sort -k3 -nr
