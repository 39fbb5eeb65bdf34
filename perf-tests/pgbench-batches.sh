#!/usr/bin/env bash
# What one stored order costs PostgreSQL as intake batches grow: pgbench runs one batch of the
# service's intake commit (pgbench/intake-batch.sql, one call of intake_store with k orders) for
# each k, in a scratch database migrated with the service's own migrations, and prints orders/s,
# the batch's latency and PostgreSQL's CPU per order. No service, no Redis. See perf-tests/README.md.
#
#   perf-tests/pgbench-batches.sh [--database-url URL] [--batches "1 2 4 8 16 32 64"] [--clients N] [--time S]
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
migrations=$root/orchestration/src/main/resources/db/migration
. "$here/lib/cpu.sh"

database_url=postgresql://postgres@127.0.0.1:5432 batches="1 2 4 8 16 32 64" clients=8 seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) database_url=${2%/}; shift 2 ;;
    --batches) batches=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --time) seconds=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
. "$here/lib/database-url.sh"
read_database_url "$database_url"
db=orderflow_perf_batches
psql_() { PGOPTIONS=--client-min-messages=warning psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -v ON_ERROR_STOP=1 "$@"; }
# PostgreSQL's CPU is read from /proc: it must run on this machine
pgrep -x postgres >/dev/null || { echo "no PostgreSQL process on this machine: its CPU cannot be measured" >&2; exit 1; }

psql_ -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
trap 'psql_ -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
# the migrations in Flyway's order (V1, V2 ... V7, V20: by version, not by name)
for migration in $(cd "$migrations" && ls V*__*.sql | sort -V); do
  psql_ -q -d "$db" -f "$migrations/$migration" >/dev/null
done

ticks=$(getconf CLK_TCK)
echo "machine: $(nproc) cores, $(uname -r); PostgreSQL $(psql_ -d "$db" -Atc 'SHOW server_version'), synchronous_commit=$(psql_ -d "$db" -Atc 'SHOW synchronous_commit'); $clients clients, $seconds s per batch size"
printf '%8s %10s %12s %16s %22s %14s\n' "batch" "calls/s" "orders/s" "call latency" "PostgreSQL CPU/order" "machine busy"
for k in $batches; do
  read -r total0 idle0 < <(cpu_total); pg0=$(cpu_snapshot | cut -d' ' -f2)
  out=$(pgbench -h "$pg_host" -p "$pg_port" -U "$pg_user" -n -M prepared -c "$clients" -j 2 -T "$seconds" -D k="$k" \
    -f "$here/pgbench/intake-batch.sql" "$db" 2>&1) || { echo "$out" >&2; exit 1; }
  read -r total1 idle1 < <(cpu_total); pg1=$(cpu_snapshot | cut -d' ' -f2)
  tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
  latency=$(sed -n 's/^latency average = \(.*\)$/\1/p' <<<"$out")
  awk -v k="$k" -v tps="$tps" -v lat="$latency" -v pg=$((pg1 - pg0)) -v hz="$ticks" -v s="$seconds" \
    -v busy=$(((total1 - total0) - (idle1 - idle0))) -v all=$((total1 - total0)) \
    'BEGIN { printf "%8d %10.0f %12.0f %16s %19.2f ms %13.0f%%\n", k, tps, tps * k, lat, pg / hz * 1000 / (tps * k * s), 100 * busy / all }'
done
