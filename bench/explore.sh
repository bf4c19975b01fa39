#!/usr/bin/env bash
# The explorer under load: a seed-001 database with TWEETS tweets migrated by ferry (with the
# indexes its queries need, from ferry.yaml), served by `ferry serve`, then CLIENTS concurrent
# clients for SECONDS per scenario: page, deep keyset page (~row 900k), filtered page, JSON filter
# (metadata->>lang), search, row detail; p50/p99 each, against /health as the floor.
# Goal (issue 6): p99 <= 25 ms for page/detail/filters and <= 100 ms for search.
#
#   bench/explore.sh [TWEETS] [SECONDS] [CLIENTS]    defaults: 1000000 tweets, 10 s, 8 clients
set -euo pipefail
tweets="${1:-1000000}"
seconds="${2:-10}"
clients="${3:-8}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/bench/work"
mkdir -p "$work"
cd "$work"
ferry="$here/bin/ferry"
db="$work/tweets-$tweets.db"
[ -f "$db" ] || "$ferry" example "$db" --tweets "$tweets"
"$ferry" pg start >/dev/null
url="$("$ferry" pg url)"
port="${url##*:}"; port="${port%%/*}"
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres
cat > "$work/explore.yaml" <<'YAML'
indexes:
  tweets:
    - btree: metadata->>'lang'
    - btree: created_at
    - fulltext: text
YAML
if [ "$(psql -qXAt -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = 'bench_explore'")" = 0 ]; then
  psql -qX -d postgres -c "CREATE DATABASE bench_explore"
  "$ferry" migrate "$db" --config "$work/explore.yaml" -q --no-backup \
    --target "postgresql://postgres@127.0.0.1:$port/bench_explore" | tail -3
fi
echo "machine: $(nproc) cores; $(psql -qXAt -d postgres -c 'SHOW server_version'); $(java -version 2>&1 | head -1)"
echo "data: $(psql -qXAt -d bench_explore -c 'SELECT count(*) FROM tweets') tweets; $clients clients, $seconds s per scenario"
token="bench-$(date +%s)-$RANDOM"
FERRY_TOKEN="$token" java -jar "$here/target/ferry.jar" serve --port 18080 --write \
  --target "postgresql://postgres@127.0.0.1:$port/bench_explore" > "$work/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs http://127.0.0.1:18080/health >/dev/null && break; sleep 0.5; done
java "$here/bench/ExploreLoad.java" http://127.0.0.1:18080 "$seconds" "$clients" "$token" "${BULK_ROUNDS:-20}"
