#!/usr/bin/env bash
# JSON stores: Ferry on a seed-000-shaped directory (tweet_cache.json keyed by id with nested
# content, plus queue, categories and stats) against the raw-landing baseline measured in the same
# run: `psql \copy` of the same tweets as NDJSON lines into one jsonb column (what pgfutter does:
# no types, no columns, no verification). Both into Ferry's embedded PostgreSQL, -Xmx256m for Ferry.
#
#   bench/json.sh [TWEETS] [ROUNDS]        defaults: 1750000 tweets (~900 MB of JSON, the size of issue 12's goal), 2 rounds
#
# Prints wall time, MB/s of JSON, peak RSS and CPU-seconds (the JVM's user+system, and
# PostgreSQL's: its backends' time, summed by the postmaster as they exit) per run, then medians,
# the ratio and Ferry's highest
# peak RSS against the goals of issue 12 (ratio <= 1.5, RSS <= 450 MB). The baseline's
# NDJSON is the tweets Ferry loaded (its doc column), exported once, untimed.
#
# A/B: FERRY_AB_JAR=/path/to/other/ferry.jar also times that build in every round, alternating
# which of the two runs first; both then run as `java -Xmx256m -XX:TieredStopAtLevel=1 -jar JAR`
# (no class-data archive, so the two start alike), and the medians and their ratio are printed.
# FERRY_ARGS="--chunk-rows 100000" adds options to every Ferry run (that one loads the tweet table in
# committed chunks, as a table of more than 1,000,000 records is, like the goal's 1,750,000).
set -euo pipefail
tweets="${1:-1750000}"
rounds="${2:-2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/bench/work"
mkdir -p "$work"
cd "$work"
ferry="$here/bin/ferry"
data="$work/kb-$tweets"
[ -d "$data" ] || "$ferry" example "$data" --kind knowledge-base --tweets "$tweets"
ndjson="$work/kb-$tweets.ndjson" # the baseline's input: the tweets as NDJSON, exported untimed
bytes=$(du -cb "$data"/*.json | tail -1 | cut -f1)
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')
"$ferry" pg start >/dev/null
url="$("$ferry" pg url)"
port="${url##*:}"; port="${port%%/*}"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGTZ=UTC
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(psql -qXAt -d postgres -c 'SHOW server_version'); $(java -version 2>&1 | head -1)"
echo "source: $data ($mb MB of JSON, $tweets tweets)"
cat > "$work/kb.yaml" <<'YAML'
files:
  keyed: {tweet_cache: tweet_id}
YAML

fresh() { psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }
postmaster="$(head -1 "$(psql -qXAt -d postgres -c 'SHOW data_directory')/postmaster.pid")"
pg_cpu() { awk '{printf "%.2f", ($14 + $15 + $16 + $17) / 100}' "/proc/$postmaster/stat"; } # clock ticks
timed() { # prints "seconds peak_rss_mb cpu_seconds pg_cpu_seconds"
  local pg0; pg0=$(pg_cpu)
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
  # the run's backends count once they have exited and the postmaster has reaped them
  for _ in $(seq 50); do
    ps --ppid "$postmaster" -o args= | grep -q '^postgres: postgres ' || break
    sleep 0.1
  done
  sleep 0.2
  awk -v pg="$(awk -v a="$(pg_cpu)" -v b="$pg0" 'BEGIN{printf "%.2f", a - b}')" \
    '{printf "%s %.0f %.2f %s\n", $1, $2/1024, $3 + $4, pg}' "$work/time.txt"
}
ab="${FERRY_AB_JAR:-}"
run_ferry() { # $1: a jar, or "" for bin/ferry; prints "seconds peak_rss_mb cpu pg_cpu staging_seconds"
  fresh bench_json
  rm -rf "$work/staging"
  local cmd=("$ferry")
  [ -n "$1" ] && cmd=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$1")
  read -r t rss cpu pg < <(timed "${cmd[@]}" migrate "$data" --config "$work/kb.yaml" -q \
    --target "postgresql://postgres@127.0.0.1:$port/bench_json" --staging-dir "$work/staging" ${FERRY_ARGS:-})
  cp "$work/out.txt" "$work/ferry-out.txt" # its phase split, printed with the round
  echo "$t $rss $cpu $pg $(awk '/^Staged:/ {for (i = 1; i < NF; i++) if ($i == "in") {print $(i+1); exit}}' "$work/out.txt")"
}
phases() { # the run's phase split (staging is Ferry's, before the run's own phases)
  echo "          $(grep -m1 '^time:' "$work/ferry-out.txt" | cut -d'(' -f1)"
}
declare -a F S B R A FC FP AC AP
for round in $(seq 1 "$rounds"); do
  if [ -n "$ab" ] && [ $((round % 2)) = 0 ]; then
    read -r t rss cpu pg staged < <(run_ferry "$ab")
    A+=("$t"); AC+=("$cpu"); AP+=("$pg")
    printf "round %d  ferry (A/B jar) %7.2f s  (staging %s s)  peak RSS %s MB  CPU: JVM %s s, PostgreSQL %s s\n" "$round" "$t" "$staged" "$rss" "$cpu" "$pg"
    phases
  fi
  read -r t rss cpu pg staged < <(run_ferry "${ab:+$here/target/ferry.jar}")
  F+=("$t"); S+=("$staged"); R+=("$rss"); FC+=("$cpu"); FP+=("$pg")
  printf "round %d  ferry           %7.2f s  %6.1f MB/s  (staging %s s)  peak RSS %s MB  CPU: JVM %s s, PostgreSQL %s s\n" "$round" "$t" "$(awk -v m="$mb" -v t="$t" 'BEGIN{print m/t}')" "$staged" "$rss" "$cpu" "$pg"
  phases
  if [ -n "$ab" ] && [ $((round % 2)) = 1 ]; then
    read -r ta rssa cpu pg staged < <(run_ferry "$ab")
    A+=("$ta"); AC+=("$cpu"); AP+=("$pg")
    printf "round %d  ferry (A/B jar) %7.2f s  (staging %s s)  peak RSS %s MB  CPU: JVM %s s, PostgreSQL %s s\n" "$round" "$ta" "$staged" "$rssa" "$cpu" "$pg"
    phases
  fi
  [ -f "$ndjson" ] || psql -qX -d bench_json -c "\\copy (SELECT doc FROM tweet_cache) TO '$ndjson'"
  fresh bench_json
  psql -qX -d bench_json -c "CREATE TABLE raw (doc jsonb)"
  read -r t rss cpu pg < <(timed psql -qX -d bench_json -c "\\copy raw (doc) FROM '$ndjson' WITH (FORMAT text)")
  B+=("$t")
  printf "round %d  psql \\\\copy raw  %7.2f s  %6.1f MB/s  peak RSS %s MB  CPU: psql %s s, PostgreSQL %s s\n" "$round" "$t" "$(awk -v m="$mb" -v t="$t" 'BEGIN{print m/t}')" "$rss" "$cpu" "$pg"
done
median() { printf "%s\n" "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
f=$(median "${F[@]}"); b=$(median "${B[@]}")
peak=$(printf "%s\n" "${R[@]}" | sort -n | tail -1)
echo "median: ferry $f s ($(awk -v m="$mb" -v t="$f" 'BEGIN{printf "%.1f", m/t}') MB/s of JSON, staging $(median "${S[@]}") s), raw landing $b s ($(awk -v m="$mb" -v t="$b" 'BEGIN{printf "%.1f", m/t}') MB/s); ferry/raw = $(awk -v a="$f" -v b="$b" 'BEGIN{printf "%.2f", a/b}') (goal <= 1.5); ferry peak RSS $peak MB with -Xmx256m (goal <= 450)"
if [ -n "$ab" ]; then
  a=$(median "${A[@]}")
  echo "A/B: this build $f s, $ab $a s; this/other = $(awk -v x="$f" -v y="$a" 'BEGIN{printf "%.2f", x/y}')"
  fc=$(median "${FC[@]}"); ac=$(median "${AC[@]}")
  echo "A/B CPU (medians): JVM this $fc s, other $ac s (this/other = $(awk -v x="$fc" -v y="$ac" 'BEGIN{printf "%.2f", x/y}')); PostgreSQL this $(median "${FP[@]}") s, other $(median "${AP[@]}") s"
fi
