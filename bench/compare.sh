#!/usr/bin/env bash
# Ferry vs the practical limit (sqlite3 -csv | psql \copy into the same typed tables, then the
# same indexes and keys) vs pgloader vs PostgreSQL's own floor (server-side binary COPY FREEZE of
# the same tables from files written beforehand, then the same indexes, keys and ANALYZE: no
# client at all), on a seed-001-shaped database, all into one PostgreSQL server (Ferry's embedded
# one, in bench/work), alternating runs so drift hits all alike. pgloader is installed with
# apt-get when it is missing; its failed runs are counted and left out of its median.
#
#   bench/compare.sh [TWEETS] [ROUNDS]        defaults: 1000000 tweets, 2 rounds
#
# Ferry runs three times per round: as by default (a consistent backup copy first, then counts
# and a checksum of every value on both sides), with --no-backup, and with --verify count
# --no-backup, so the backup's and the checksum's costs are measured too.
# Prints wall time, rows/s and peak RSS per tool and run, then medians and ratios against Ferry.
set -euo pipefail
tweets="${1:-1000000}"
rounds="${2:-2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/bench/work"
mkdir -p "$work"
cd "$work"
ferry="$here/bin/ferry"
db="$work/tweets-$tweets.db"
[ -f "$db" ] || "$ferry" example "$db" --tweets "$tweets"
rows=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM tweets)+(SELECT count(*) FROM users)+(SELECT count(*) FROM analysis_chunks)+(SELECT count(*) FROM analysis_queue)+(SELECT count(*) FROM personality_analysis)+(SELECT count(*) FROM funnel_progress)+(SELECT count(*) FROM funnel_completion)+(SELECT count(*) FROM referral_codes)+(SELECT count(*) FROM referral_tracking)+(SELECT count(*) FROM referral_usage_log)")
"$ferry" pg start >/dev/null
url="$("$ferry" pg url)"
port="${url##*:}"; port="${port%%/*}"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGTZ=UTC
psql -qX -d postgres -c "SELECT 1" >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $(psql -qXAt -d postgres -c 'SHOW server_version') ; $(java -version 2>&1 | head -1)"
echo "source: $db ($(du -h "$db" | cut -f1), $rows rows)"

fresh() { psql -qX -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

# The first migration after a build writes bin/ferry's class-data archive (about a second more):
# done here, on a tiny database, so that no timed run pays it. bench/fixed-cost.sh times the
# fixed cost of a run on its own.
[ -f "$work/tweets-20.db" ] || "$ferry" example "$work/tweets-20.db" --tweets 20 >/dev/null
fresh bench_warmup
"$ferry" migrate "$work/tweets-20.db" --target "postgresql://postgres@127.0.0.1:$port/bench_warmup" -q --no-backup >/dev/null

# The limit pipeline uses Ferry's own DDL (from --dry-run) so the tables, types and indexes match.
"$ferry" migrate "$db" --dry-run -q | sed -n '/^CREATE SCHEMA/,$p' | grep -v '^--' > "$work/ddl.sql"
awk 'BEGIN{RS=";\n"} {sub(/^\n+/, "")} /^CREATE TABLE/ {print $0 ";"}' "$work/ddl.sql" > "$work/tables.sql"
awk 'BEGIN{RS=";\n"} {sub(/^\n+/, "")} /^(ALTER TABLE|CREATE (UNIQUE )?INDEX)/ {print $0 ";"}' "$work/ddl.sql" > "$work/after.sql"

run_limit() {
  local target="$1"
  psql -qX -d "$target" -f "$work/tables.sql"
  for t in $(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"); do
    sqlite3 -csv "$db" "SELECT * FROM \"$t\"" | psql -qX -d "$target" -c "\\copy \"$t\" FROM STDIN (FORMAT csv)"
  done
  psql -qX -d "$target" -f "$work/after.sql"
}
export -f run_limit
export db work

# The floor's input: each table as PostgreSQL's binary COPY file, written by the server itself
# (from the database Ferry loaded) into a folder the server's user can read and write.
floor_dir="$(mktemp -d /tmp/ferry-floor.XXXXXX)"
chmod 777 "$floor_dir"
trap 'rm -rf "$floor_dir"' EXIT
floor_tables=$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
prepare_floor() { # from the database a successful Ferry run loaded
  [ -f "$floor_dir/done" ] && return
  for t in $floor_tables; do
    psql -qX -d "$1" -c "COPY \"$t\" TO '$floor_dir/$t.bin' (FORMAT binary)"
  done
  touch "$floor_dir/done"
}
run_floor() {
  local target="$1"
  { echo "BEGIN;"; cat "$work/tables.sql"
    for t in $floor_tables; do echo "COPY \"$t\" FROM '$floor_dir/$t.bin' (FORMAT binary, FREEZE);"; done
    echo "COMMIT;"; cat "$work/after.sql"; echo "ANALYZE;"; } | psql -qX -v ON_ERROR_STOP=1 -d "$target"
}
export -f run_floor
export floor_dir floor_tables
command -v pgloader >/dev/null || apt-get install -y pgloader >/dev/null 2>&1 || echo "pgloader: could not be installed; left out"

# CPU seconds of the server: the postmaster's own and its exited children's (every backend), so
# a run's machine CPU is its client's (time's user + system) plus this difference.
postmaster=$(head -1 "$work/.ferry/pg/data/postmaster.pid")
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15 + $16 + $17) / hz}' "/proc/$postmaster/stat"; }

measure() { # name target command...
  local name="$1" target="$2"; shift 2
  fresh "$target"
  local t0 t1 c0 c1
  c0=$(server_cpu)
  t0=$(date +%s.%N)
  local status=ok
  /usr/bin/time -f "%M %U %S" -o "$work/rss.txt" "$@" >"$work/$name.log" 2>&1 || status="failed (exit $?; see $work/$name.log)"
  t1=$(date +%s.%N)
  c1=$(server_cpu)
  local secs rss loaded cpu
  secs=$(echo "$t1 - $t0" | bc -l)
  read -r rss user sys < <(tail -1 "$work/rss.txt")
  rss=$(( rss / 1024 ))
  cpu=$(echo "$user + $sys + $c1 - $c0" | bc -l)
  loaded=$(psql -qXAt -d "$target" -c "SELECT count(*) FROM tweets" 2>/dev/null || echo 0)
  [ "$loaded" = "$tweets" ] || status="FAILED: $loaded of $tweets tweets loaded; $status"
  printf "%-14s round %s  %7.2f s  %6.2f CPU-s  %9.0f rows/s  %5d MB peak RSS  %s\n" "$name" "$round" "$secs" "$cpu" "$(echo "$rows / $secs" | bc -l)" "$rss" "$status"
  if [ "$status" = ok ]; then echo "$name $secs $rss $cpu" >> "$work/results.txt"; else echo "$name" >> "$work/failures.txt"; fi
}

: > "$work/results.txt"
: > "$work/failures.txt"
for round in $(seq 1 "$rounds"); do
  measure ferry bench_ferry env FERRY_JAVA_OPTS=-Xmx256m "$ferry" migrate "$db" --target "postgresql://postgres@127.0.0.1:$port/bench_ferry" -q --backup-dir "$work/backups"
  rm -rf "$work/backups"
  measure ferry-nobackup bench_ferry_nobackup env FERRY_JAVA_OPTS=-Xmx256m "$ferry" migrate "$db" --target "postgresql://postgres@127.0.0.1:$port/bench_ferry_nobackup" -q --no-backup
  measure ferry-count bench_ferry_count env FERRY_JAVA_OPTS=-Xmx256m "$ferry" migrate "$db" --target "postgresql://postgres@127.0.0.1:$port/bench_ferry_count" -q --verify count --no-backup
  measure limit bench_limit bash -c 'run_limit bench_limit'
  prepare_floor bench_ferry
  measure floor bench_floor bash -c 'run_floor bench_floor'
  if command -v pgloader >/dev/null; then
    measure pgloader bench_pgloader pgloader "sqlite://$db" "pgsql://postgres:unused@127.0.0.1:$port/bench_pgloader"
  fi
done

echo
echo "median over successful runs: wall time, CPU-seconds (client + server), peak RSS, and Ferry's"
echo "time and CPU as ratios of each (below 1 = Ferry faster; the floor is PostgreSQL alone):"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
f=$(awk '$1=="ferry"{print $2}' "$work/results.txt" | median)
fc=$(awk '$1=="ferry"{print $4}' "$work/results.txt" | median)
for tool in ferry ferry-nobackup ferry-count limit pgloader floor; do
  failed=$(grep -c "^$tool\$" "$work/failures.txt" || true)
  grep -q "^$tool " "$work/results.txt" || { echo "  $tool: every run failed"; continue; }
  s=$(awk -v t=$tool '$1==t{print $2}' "$work/results.txt" | median)
  m=$(awk -v t=$tool '$1==t{print $3}' "$work/results.txt" | median)
  c=$(awk -v t=$tool '$1==t{print $4}' "$work/results.txt" | median)
  printf "  %-14s %7.2f s  %6.2f CPU-s  %5.0f MB   ferry/%s = %.2f (CPU %.2f)   (%s of %s runs failed)\n" \
    "$tool" "$s" "$c" "$m" "$tool" "$(echo "$f / $s" | bc -l)" "$(echo "$fc / $c" | bc -l)" "$failed" "$rounds"
done
c=$(awk '$1=="ferry-count"{print $2}' "$work/results.txt" | median)
n=$(awk '$1=="ferry-nobackup"{print $2}' "$work/results.txt" | median)
printf "checksum verification (default) costs %.2f s over a count-only run: %.0f%% of the count-only run\n" \
  "$(echo "$n - $c" | bc -l)" "$(echo "($n - $c) * 100 / $c" | bc -l)"
printf "the backup (default) costs %.2f s\n" "$(echo "$f - $n" | bc -l)"
