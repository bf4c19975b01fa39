#!/usr/bin/env bash
# The fixed cost of a run: `ferry migrate` of a tiny database (20 tweets) into the embedded server,
# again and again into the same database (--if-exists drop), so what is timed is JVM start, the
# metadata schema check and the run's bookkeeping, not the data. Prints each wall time and the
# median, with the CPU time the ferry JVM used (steadier than wall time on a busy machine).
#
#   bench/fixed-cost.sh [RUNS]        default: 7 runs (one warm-up run first, not counted)
#
# FERRY_BIN=other/launcher times another build against the same server (an A/B of two builds);
# FERRY_CDS=0 times bin/ferry without class data sharing.
set -euo pipefail
runs="${1:-7}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/bench/work"
mkdir -p "$work"
cd "$work"
ferry="${FERRY_BIN:-$here/bin/ferry}"
db="$work/tweets-20.db"
[ -f "$db" ] || "$ferry" example "$db" --tweets 20 >/dev/null
"$here/bin/ferry" pg start >/dev/null
target="$("$here/bin/ferry" pg url)"
"$ferry" migrate "$db" --target "$target" --if-exists drop -q >/dev/null 2>&1 || true # warm-up
walls=()
cpus=()
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$ferry" migrate "$db" --target "$target" --if-exists drop -q \
    >/dev/null
  read -r wall user sys <"$work/time.txt"
  wall_ms=$(echo "$wall * 1000 / 1" | bc)
  cpu_ms=$(echo "($user + $sys) * 1000 / 1" | bc)
  walls+=("$wall_ms")
  cpus+=("$cpu_ms")
  echo "run $i: ${wall_ms} ms wall, ${cpu_ms} ms CPU (the ferry JVM)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median of $runs: $(median "${walls[@]}") ms wall, $(median "${cpus[@]}") ms CPU" \
  "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
