#!/usr/bin/env bash
# A live migration under load (issue 14): the seed-001 example with TWEETS tweets, an application
# process writing to it at RATE writes/s the whole time (bench/SyncLoad.java: a separate JVM using
# sqlite-jdbc, WAL, busy_timeout 20 s; inserts, updates incl. NULL<->value, deletes, INSERT OR
# REPLACE through a secondary UNIQUE and by key, multi-statement transactions), while
# `ferry sync start` copies and follows it into the embedded PostgreSQL; then `ferry cutover`.
# Measured in the same run, and printed with the goals:
#
#   lag while following   end to end, per write: every insert of a tweet is a probe whose commit
#                         time the writer keeps; a prober thread in the writer's JVM polls
#                         PostgreSQL every 20 ms for newer probe ids and records commit -> visible
#                         in PostgreSQL. p50/p99/max over the probes committed during the FOLLOW
#                         window (which starts once the follower has caught up after the initial
#                         copy: `sync status` lag under 1 s). Goal: p99 < 1 s.
#   stall at cutover      the latency of each application write that overlaps the `ferry cutover`
#                         command (max and p99: the slowest is the write that waited for the
#                         freeze), and cutover's own freeze_ms and phases, and its verification
#                         (the pass before the freeze, the keys re-read in it). Goal: max < 2 s.
#   triggers' cost        µs per write of the same writer and mix, unthrottled, on two copies of
#                         the example: one plain, one with the capture objects `sync start`
#                         installed (its _ferry_* tables and triggers, taken from the live file);
#                         alternating rounds, after the follower has stopped.
#   initial copy          `sync start` until it follows (capture, backup, copy, checksums; the
#                         application writing meanwhile) vs a plain `ferry migrate` of the same
#                         file into another database (no writer), both JVM start included.
#
#   bench/sync.sh [TWEETS] [FOLLOW_SECONDS] [RATE]    defaults: 1000000 tweets, 30 s, 500 writes/s
#
# The follow window starts when `sync status` says lag_ms < 1000, or after SYNC_CATCHUP_MAX
# seconds (default 300) if it never does (said so in the output). SYNC_MAX_FREEZE (default 10s) is
# cutover's --max-freeze; a cutover that does not switch is reported with the other figures and
# the script exits 1.
#
# Everything runs under bench/work/sync-TWEETS (recreated each run; logs kept there). The script
# stops what it started on any exit (the writer, `sync stop` and the follower, and the embedded
# server if it was not running before) and exits non-zero when a step fails.
set -euo pipefail
tweets="${1:-1000000}"
follow="${2:-30}"
rate="${3:-500}"
catchup_max="${SYNC_CATCHUP_MAX:-300}" # seconds to wait for the follower to catch up after the copy
max_freeze="${SYNC_MAX_FREEZE:-10s}"   # cutover's --max-freeze
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/bench/work"
ferry="$here/bin/ferry"
run="$work/sync-$tweets"
mkdir -p "$work"
cd "$work"
ms() { date +%s%3N; }
say() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

db="$work/tweets-$tweets.db"
[ -f "$db" ] || "$ferry" example "$db" --tweets "$tweets" >/dev/null
jar="$here/target/ferry.jar"
"$ferry" --version >/dev/null # builds the jar when the sources are newer

pg_was_running=0
"$ferry" pg status | grep -q '^running' && pg_was_running=1
"$ferry" pg start >/dev/null
url="$("$ferry" pg url)"
port="${url##*:}"; port="${port%%/*}"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres
target="postgresql://postgres@127.0.0.1:$port/bench_sync"
plain_target="postgresql://postgres@127.0.0.1:$port/bench_sync_plain"
jdbc="jdbc:postgresql://127.0.0.1:$port/bench_sync?user=postgres"

rm -rf "$run"
mkdir -p "$run"
cd "$run"
writer=""
follower=""
stopfile="$run/stop-writer"
cleanup() {
  status=$?
  trap - EXIT INT TERM
  touch "$stopfile"
  if [ -n "$writer" ] && kill -0 "$writer" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$writer" 2>/dev/null || break; sleep 0.2; done
    kill "$writer" 2>/dev/null || true
  fi
  if [ -n "$follower" ] && kill -0 "$follower" 2>/dev/null; then
    timeout 60 "$ferry" sync stop "$run/live.db" --target "$target" >/dev/null 2>&1 || true
    for _ in $(seq 1 50); do kill -0 "$follower" 2>/dev/null || break; sleep 0.2; done
    kill "$follower" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  if [ "$pg_was_running" = 0 ]; then
    (cd "$work" && "$ferry" pg stop >/dev/null 2>&1) || true
  fi
  # the big files go; logs and the measurements stay
  rm -rf "$run/.ferry/backups" "$run"/*.db "$run"/*.db-wal "$run"/*.db-shm
  [ "$status" = 0 ] || echo "bench/sync.sh FAILED (exit $status); logs in $run" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "bench/sync.sh: $*" >&2; exit 1; }

for d in bench_sync bench_sync_plain; do
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS $d" -c "CREATE DATABASE $d"
done
cp "$db" live.db
cp "$db" plain.db
for f in live.db plain.db; do
  [ "$(sqlite3 "$f" 'PRAGMA journal_mode=WAL')" = wal ] || fail "$f: cannot switch to WAL"
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(psql -qXAt -d postgres -c 'SHOW server_version'); $(java -version 2>&1 | head -1)"
echo "source: $tweets tweets, $(du -h "$db" | cut -f1); writer $rate writes/s; follow window $follow s"

# 1. for context: a plain migrate of the same file, nothing writing
say "plain ferry migrate (for the initial copy's ratio)"
t=$(ms)
"$ferry" migrate plain.db --target "$plain_target" -q >migrate.log 2>&1 || fail "plain migrate failed: $(tail -5 migrate.log)"
migrate_ms=$(( $(ms) - t ))

# 2. the application starts writing, then sync start copies and follows
say "writer starts ($rate writes/s); ferry sync start"
java -Xmx128m -cp "$jar" "$here/bench/SyncLoad.java" write live.db "$rate" "$stopfile" "$run" "$jdbc" >writer.log 2>&1 &
writer=$!
sleep 2
kill -0 "$writer" 2>/dev/null || fail "the writer did not start: $(cat writer.log)"
t=$(ms)
"$ferry" sync start live.db --target "$target" >follower.log 2>&1 &
follower=$!
until grep -q '^Following ' follower.log; do
  kill -0 "$follower" 2>/dev/null || fail "sync start exited: $(tail -20 follower.log)"
  kill -0 "$writer" 2>/dev/null || fail "the writer exited: $(tail -5 writer.log)"
  sleep 0.2
done
copy_ms=$(( $(ms) - t ))
say "initial copy done in $copy_ms ms; waiting until caught up"
status() { "$ferry" sync status live.db --target "$target" --json; }
t=$(ms)
caught="caught up"
while true; do
  s="$(status)" || fail "sync status failed"
  lag=$(printf '%s' "$s" | sed -n 's/.*"lag_ms":\([0-9]*\).*/\1/p')
  [ "${lag:-99999}" -lt 1000 ] && break
  if [ $(( $(ms) - t )) -gt $(( catchup_max * 1000 )) ]; then
    caught="NOT caught up (lag ${lag} ms: the follower applies slower than the writer writes)"
    break
  fi
  kill -0 "$follower" 2>/dev/null || fail "sync start exited: $(tail -20 follower.log)"
  sleep 1
done
catchup_ms=$(( $(ms) - t ))
# the capture objects sync start installed, for the triggers' cost on a copy (step 5)
sqlite3 live.db "SELECT sql || ';' FROM sqlite_master WHERE name LIKE '\_ferry\_%' ESCAPE '\' AND sql IS NOT NULL ORDER BY type = 'trigger', name" >capture.sql
[ -s capture.sql ] || fail "no capture objects in live.db"

# 3. the follow window
say "$caught after $catchup_ms ms; following for $follow s"
follow_from=$(ms)
sleep "$follow"
follow_to=$(ms)
status >status-after-window.json || fail "sync status failed"

# 4. cutover with the application writing
say "ferry cutover"
cut_from=$(ms)
switched=1
"$ferry" cutover live.db --target "$target" --max-freeze "$max_freeze" --json >cutover.json 2>cutover.log ||
  switched=0
cut_to=$(ms)
if [ "$switched" = 1 ]; then
  for _ in $(seq 1 150); do kill -0 "$writer" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$writer" 2>/dev/null && fail "the writer was not refused after cutover"
else # the figures so far are still printed; the script exits 1 at the end
  say "cutover did not switch: $(cat cutover.json) $(tail -3 cutover.log)"
  touch "$stopfile"
fi
wait "$writer" || fail "the writer failed: $(tail -5 writer.log)"
writer=""
[ "$switched" = 0 ] || grep -q 'REFUSED.*moved to PostgreSQL' writer.log ||
  fail "the writer was not refused naming PostgreSQL: $(tail -3 writer.log)"
"$ferry" sync stop live.db --target "$target" >stop.log 2>&1 || fail "sync stop failed: $(cat stop.log)"
for _ in $(seq 1 100); do kill -0 "$follower" 2>/dev/null || break; sleep 0.2; done
kill -0 "$follower" 2>/dev/null && fail "sync start did not end after sync stop"
wait "$follower" || fail "sync start exited non-zero: $(tail -20 follower.log)"
follower=""

# 5. the triggers' cost per write: plain copy vs a copy with the capture objects
say "triggers' cost: plain vs captured copy"
cp plain.db captured.db
{ cat capture.sql; echo "INSERT INTO _ferry_guard VALUES (0);"; } | sqlite3 captured.db
java -Xmx128m -cp "$jar" "$here/bench/SyncLoad.java" cost plain.db captured.db 2000 4 >cost.log 2>&1 ||
  fail "the cost rounds failed: $(tail -5 cost.log)"

# 6. the figures
java -cp "$jar" "$here/bench/SyncLoad.java" report "$run" "$follow_from" "$follow_to" "$cut_from" "$cut_to" >report.log ||
  fail "report failed"
field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" cutover.json; }
freeze=$(field freeze_ms)
phases=$(sed -n 's/.*"phases_ms":\({[^}]*}\).*/\1/p' cutover.json)
verifying=$(sed -n 's/.*"verify":\({[^}]*}\).*/\1/p' cutover.json)
read -r _ _ p50 _ p99 _ lagmax < <(grep '^LAG_MS' report.log)
read -r _ _ cutn _ cutp99 _ cutmax < <(grep '^WRITE_MS_CUTOVER' report.log)
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v >= 0 && v < g) ? "met" : "NOT met" }'; }
echo
echo "== bench/sync.sh: $tweets tweets, writer at $rate writes/s =="
grep '^FOLLOW' report.log
echo "lag while following (commit in SQLite -> visible in PostgreSQL): p50 $p50 ms, p99 $p99 ms, max $lagmax ms   goal p99 < 1000 ms: $(verdict "$p99" 1000)"
grep '^WRITE_MS_FOLLOWING' report.log | sed 's/^WRITE_MS_FOLLOWING/app write latency while following (ms):/'
[ "$switched" = 1 ] || echo "cutover did NOT switch (figures below are of the attempt): $(cat cutover.json)"
echo "stall at cutover: slowest app write $cutmax ms (p99 $cutp99 ms of $cutn writes overlapping cutover); freeze_ms $freeze, phases $phases   goal < 2000 ms: $(verdict "$cutmax" 2000)"
echo "cutover's verification (before the freeze: the pass over every row and the catch-up re-reads; in it: the keys re-read): $verifying"
echo "cutover command wall time: $(( cut_to - cut_from )) ms (JVM start, plan and a timed verification pass before the freeze included)"
grep '^COST' cost.log | sed 's/^COST/triggers'"'"' cost per write:/'
awk -v c="$copy_ms" -v m="$migrate_ms" 'BEGIN { printf "initial copy (sync start until following, app writing): %d ms; plain ferry migrate: %d ms; ratio %.2f\n", c, m, c / m }'
echo "$caught (sync status lag_ms < 1000) $catchup_ms ms after the copy; load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "status after the follow window: $(cat status-after-window.json)"
[ "$switched" = 1 ] || fail "cutover did not switch: $(cat cutover.json)"
