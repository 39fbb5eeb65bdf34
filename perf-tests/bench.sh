#!/usr/bin/env bash
# The Orderflow benchmark, one command: PostgreSQL and Redis (started if none answers), a fresh
# database, the service with production settings, stock, pgbench's one-commit-per-order ceiling,
# one Gatling simulation, and one summary. See perf-tests/README.md.
#
#   perf-tests/bench.sh SIMULATION [--rate N] [--duration 3m] [--warmup 30s] [-Dname=value ...] [options]
#
# SIMULATION: OrderIntake, HotSku, MixedChannels, Overload, Soak, EdiInterchange (or the class name).
set -euo pipefail

usage() {
  cat <<'EOF'
usage: perf-tests/bench.sh SIMULATION [options] [-Dname=value ...]

SIMULATION          OrderIntake | HotSku | MixedChannels | Overload | Soak | EdiInterchange (…Simulation also accepted)

load
  --rate N            arrival rate, orders/s (each simulation has its default)
  --duration D        measured phase (3m, 90s, 30m ...); Overload: --steady/--overload/--recovery
  --warmup D          warm-up ramp before it
  --skus N            catalogue size (10000)
  -Dname=value        any other simulation setting (e.g. -DhotShare=0.8 -Dp99=15), see the simulation's Javadoc

service
  --port N            the service's HTTP port (8190)
  --workers on|off    run the step engine and webhook dispatcher on the measured instance (off)
  --jvm-opts "..."    JVM flags (default printed at start)
  --java PATH         the java that runs the service (java on the PATH; e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
  --aot-cache FILE    Java 25+: run the service from the extracted jar with the ahead-of-time cache FILE
                      (JEP 483/514/515: classes loaded and linked, method profiles); if FILE does not
                      exist this run is its training run and the cache is written when the service stops
  --rate-limit N      ORDERFLOW_RATE_LIMIT (1000000: the benchmark's one channel must not be throttled)

data
  --database-url URL  PostgreSQL server, postgresql://user@host:port (postgresql://postgres@127.0.0.1:5432);
                      started from /usr/lib/postgresql/*/bin on port 55432 if nothing answers there
  --own-postgres      start that PostgreSQL of our own even if one answers at --database-url: the
                      WAL and checkpoint settings of infra/postgres/postgresql.conf, on a server
                      nobody else uses (a shared server keeps whatever it was given)
  --db NAME           the benchmark's own database, dropped and created each run (orderflow_perf_bench);
                      must start with orderflow_perf
  --keep-db           reuse the database if it exists and keep it afterwards (for --preload)
  --preload N         N million orders of history in the database before the run (e.g. 5 or 0.5)
  --redis-url URL     redis://host:port/db (redis://127.0.0.1:6379/15); a db number of its own, never 0
                      on a shared server; started on port 56379 if nothing answers there

pgbench
  --pgbench-clients N (32)   --pgbench-time S (30)   --pgbench-script reference|full (reference)
  --no-pgbench        skip it (no ratio in the summary)
EOF
}

command_line="perf-tests/bench.sh $*"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -ge 1 ] || { usage; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac
simulation=${1%Simulation}Simulation
shift
case "$simulation" in
  OrderIntakeSimulation|HotSkuSimulation|MixedChannelsSimulation|OverloadSimulation|SoakSimulation|EdiInterchangeSimulation) ;;
  *) echo "unknown simulation: $simulation" >&2; usage; exit 2 ;;
esac

port=8190 workers=off rate_limit=1000000 skus=10000
database_url=postgresql://postgres@127.0.0.1:5432 db=orderflow_perf_bench keep_db=false preload=0
redis_url=redis://127.0.0.1:6379/15 own_postgres=false
pgbench_clients=32 pgbench_time=30 pgbench_script=reference run_pgbench=true
jvm_opts="" service_java=java aot_cache=""
sim_props=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) sim_props+=("-Drate=$2"); shift 2 ;;
    --duration) sim_props+=("-Dduration=$2"); shift 2 ;;
    --warmup) sim_props+=("-Dwarmup=$2"); shift 2 ;;
    --steady|--overload|--recovery|--factor|--interval) sim_props+=("-D${1#--}=$2"); shift 2 ;;
    --skus) skus=$2; shift 2 ;;
    -D*) sim_props+=("$1"); shift ;;
    --port) port=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --jvm-opts) jvm_opts=$2; shift 2 ;;
    --java) service_java=$2; shift 2 ;;
    --aot-cache) aot_cache=$2; shift 2 ;;
    --rate-limit) rate_limit=$2; shift 2 ;;
    --database-url) database_url=${2%/}; shift 2 ;;
    --db) db=$2; shift 2 ;;
    --keep-db) keep_db=true; shift ;;
    --own-postgres) own_postgres=true; shift ;;
    --preload) preload=$2; shift 2 ;;
    --redis-url) redis_url=$2; shift 2 ;;
    --pgbench-clients) pgbench_clients=$2; shift 2 ;;
    --pgbench-time) pgbench_time=$2; shift 2 ;;
    --pgbench-script) pgbench_script=$2; shift 2 ;;
    --no-pgbench) run_pgbench=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage; exit 2 ;;
  esac
done
case "$workers" in on|true) workers=true ;; off|false) workers=false ;; *) echo "--workers on|off" >&2; exit 2 ;; esac
[[ "$db" == orderflow_perf* ]] || { echo "--db must start with orderflow_perf (this script drops it)" >&2; exit 2; }
case "$pgbench_script" in reference) pgbench_file=$here/pgbench/order-commit.sql ;; full) pgbench_file=$here/pgbench/order-commit-full.sql ;;
  *) echo "--pgbench-script reference|full" >&2; exit 2 ;; esac

stamp=$(date -u +%Y%m%d-%H%M%S)
run_id=$(date -u +%H%M%S)$(od -An -N2 -tx2 /dev/urandom | tr -d ' ')
warehouse=PB-$run_id
run_dir=$here/target/bench/$stamp-${simulation%Simulation}
mkdir -p "$run_dir"
summary_file=$run_dir/summary.properties
admin_key=perf-bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
started_pg="" started_redis="" service_pid="" sampler_pid="" cpu_sampler_pid=""

say() { printf '[bench] %s\n' "$*" | tee -a "$run_dir/bench.log"; }
fail() { say "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL and Redis: the given servers if they answer, else our own on ports of our own
# ---------------------------------------------------------------------------------------------
. "$here/lib/database-url.sh"
read_database_url "$database_url"
redis_host=$(sed -E 's#^redis://([^:/]+).*#\1#' <<<"$redis_url")
redis_port=$(sed -E 's#^redis://[^:/]+:?([0-9]*).*#\1#' <<<"$redis_url"); redis_port=${redis_port:-6379}
redis_db=$(sed -E 's#^redis://[^/]+/?([0-9]*)$#\1#' <<<"$redis_url"); redis_db=${redis_db:-0}

# psql, waiting out a full server ("too many clients": the machine's PostgreSQL is shared) for up to 60 s
psql_() {
  local attempt status
  for attempt in $(seq 1 30); do
    status=0
    PGCONNECT_TIMEOUT=5 psql -X -h "$pg_host" -p "$pg_port" -U "$pg_user" "$@" || status=$?
    [ "$status" = 2 ] || return "$status"
    sleep 2
  done
  return "$status"
}
rcli() { redis-cli -h "$redis_host" -p "$redis_port" -n "$redis_db" "$@"; }

start_own_postgres() {
  local bin initdb data
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
  # the embedded binaries the tests unpack (zonky), when no system PostgreSQL is installed
  [ -n "$initdb" ] || initdb=$(find "${TMPDIR:-/tmp}" -path '*embedded-pg*' -name initdb -type f 2>/dev/null | head -1 || true)
  [ -n "$initdb" ] || fail "no PostgreSQL at $pg_host:$pg_port and no PostgreSQL binaries to start one"
  bin=$(dirname "$initdb")
  pg_host=127.0.0.1 pg_port=55432 pg_user=postgres
  data=${TMPDIR:-/tmp}/orderflow-perf-postgres
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)   # initdb refuses to run as root
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data" && [ "$(id -u)" = 0 ] && chown postgres "$data"
    "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust >"$run_dir/postgres-init.log" 2>&1 || fail "initdb, see $run_dir/postgres-init.log"
  fi
  # infra/postgres/postgresql.conf's WAL and checkpoint settings (its memory is sized for 16 GB);
  # one line: pg_ctl hands the options to a shell
  local settings="-c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c synchronous_commit=on"
  settings+=" -c wal_compression=lz4 -c wal_buffers=64MB -c min_wal_size=2GB -c max_wal_size=16GB"
  settings+=" -c checkpoint_timeout=15min -c checkpoint_completion_target=0.9"
  "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 -o "-p $pg_port -k /tmp $settings" start >/dev/null \
    || fail "could not start PostgreSQL, see $data/server.log"
  started_pg="$bin/pg_ctl -D $data"
  [ "$(id -u)" = 0 ] && started_pg="runuser -u postgres -- $started_pg"
  say "PostgreSQL: started our own ($bin, port $pg_port, data in $data)"
}

start_own_redis() {
  command -v redis-server >/dev/null || fail "no Redis at $redis_host:$redis_port and no redis-server on the PATH"
  redis_host=127.0.0.1 redis_port=56379
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$run_dir/redis.log" 2>&1 &
  started_redis=$!
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  say "Redis: none answered at the given URL; started our own (port $redis_port, pid $started_redis)"
}

cleanup() {
  local status=$?
  set +e
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
  [ -n "$cpu_sampler_pid" ] && kill "$cpu_sampler_pid" 2>/dev/null
  if [ -n "$service_pid" ]; then
    kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null
  fi
  # the run's own Redis keys (its warehouse, reservations and idempotency markers) go with it
  if [ -n "${warehouse:-}" ] && rcli ping >/dev/null 2>&1; then
    rcli --scan --pattern "{wh:$warehouse}:*" | xargs -r -n 500 redis-cli -h "$redis_host" -p "$redis_port" -n "$redis_db" UNLINK >/dev/null
  fi
  if [ "$keep_db" = false ] && psql_ -d postgres -Atc "select 1" >/dev/null 2>&1; then
    psql_ -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
  fi
  psql_ -d postgres -qc "DROP DATABASE IF EXISTS ${db}_pgbench WITH (FORCE)" >/dev/null 2>&1
  [ -n "$started_redis" ] && kill "$started_redis" 2>/dev/null
  [ -n "$started_pg" ] && $started_pg stop -m fast >/dev/null 2>&1
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# the machine, as it is now
# ---------------------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "command: $command_line"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/ {print $2}') GiB, $(uname -sr)"
  echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "busiest processes before the run:"
  ps -eo pcpu,etime,args --sort=-pcpu | head -6 | cut -c1-150 | sed 's/^/  /' || true
} | tee "$run_dir/machine.txt"

if [ "$own_postgres" = true ] || ! pg_isready -q -h "$pg_host" -p "$pg_port" -t 3; then start_own_postgres; fi
if [ -z "$started_pg" ]; then say "PostgreSQL: $pg_host:$pg_port (already running; the benchmark uses a database of its own: $db)"; fi
redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 || start_own_redis
if [ -z "$started_redis" ]; then
  [ "$redis_db" != 0 ] || fail "Redis at $redis_host:$redis_port is shared: give --redis-url a db number of the benchmark's own (not 0)"
  say "Redis: $redis_host:$redis_port db $redis_db (already running; only the run's warehouse keys are touched)"
fi
# what decides how PostgreSQL's commits behave: durability, and how often a checkpoint comes (the
# first writes after one log whole pages, a burst of WAL that every commit then waits behind)
pg_settings=$(psql_ -d postgres -At -F '=' -c "SELECT name, current_setting(name) FROM unnest(ARRAY['synchronous_commit', 'fsync',
  'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_compression', 'max_connections']) AS name" | paste -sd ' ')
say "PostgreSQL $(psql_ -d postgres -Atc 'show server_version'): $pg_settings; Redis $(rcli info server | sed -n 's/^redis_version:\(.*\)\r$/\1/p')"

db_exists=$(psql_ -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$db'")
if [ "$db_exists" = 1 ] && [ "$keep_db" = true ]; then
  say "database $db: kept from an earlier run (--keep-db)"
else
  [ "$db_exists" = 1 ] && psql_ -d postgres -qc "DROP DATABASE $db WITH (FORCE)"
  psql_ -d postgres -qc "CREATE DATABASE $db"
  say "database $db: created"
fi

# ---------------------------------------------------------------------------------------------
# the service
# ---------------------------------------------------------------------------------------------
jar=$root/api/target/orderflow.jar
if [ ! -f "$jar" ]; then
  say "building $jar (./mvnw -B -q package -DskipTests)"
  (cd "$root" && ./mvnw -B -q package -DskipTests) || fail "build"
fi
# the AOT cache holds only classes loaded from plain jars on the class path: run the extracted jar
service_jar=$jar aot_opts=""
if [ -n "$aot_cache" ]; then
  extracted=$root/perf-tests/target/extracted
  if [ ! -f "$extracted/orderflow.jar" ] || [ "$jar" -nt "$extracted/orderflow.jar" ]; then
    rm -rf "$extracted"
    java -Djarmode=tools -jar "$jar" extract --destination "$extracted" >/dev/null || fail "extracting $jar"
  fi
  service_jar=$extracted/orderflow.jar
  [ "$aot_cache" -nt "$jar" ] || rm -f "$aot_cache"
  if [ -f "$aot_cache" ]; then
    aot_opts="-XX:AOTCache=$aot_cache"
  else
    aot_opts="-XX:AOTCacheOutput=$aot_cache"
  fi
fi
default_jvm_opts="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=50 -XX:+AlwaysPreTouch -XX:+PerfDisableSharedMem -XX:+ExitOnOutOfMemoryError"
jvm_opts=${jvm_opts:-$default_jvm_opts}

start_service() {
  ss -ltn "sport = :$port" | grep -q LISTEN && fail "port $port is taken: give --port another"
  # Production settings: external PostgreSQL and Redis, no embedded anything. The simulators are
  # served because the downstream URLs are required; with the engine off nothing calls them.
  ORDERFLOW_DATABASE_URL="postgresql://$pg_user@$pg_host:$pg_port/$db" \
  ORDERFLOW_REDIS_URL="redis://$redis_host:$redis_port/$redis_db" \
  ORDERFLOW_ADMIN_KEY="$admin_key" \
  ORDERFLOW_SIMULATORS=true \
  ORDERFLOW_RATE_LIMIT="$rate_limit" \
  SERVER_PORT="$port" \
    "$service_java" $jvm_opts $aot_opts -Xlog:gc:file="$run_dir/gc.log":time,uptime -jar "$service_jar" \
      --orderflow.workers.enabled="$workers" \
      --orderflow.intake.default-warehouse="$warehouse" \
      >>"$run_dir/service.log" 2>&1 &
  service_pid=$!
  local started=$(date +%s%N)
  for _ in $(seq 1 1800); do
    if curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null 2>&1; then
      ready_after=$(( ($(date +%s%N) - started) / 1000000 ))
      return 0
    fi
    kill -0 "$service_pid" 2>/dev/null || fail "the service exited, see $run_dir/service.log"
    sleep 0.1
  done
  fail "the service was not ready within 180 s, see $run_dir/service.log"
}

stop_service() {
  kill "$service_pid" && wait "$service_pid" 2>/dev/null || true
  service_pid=""
}

service_java_version=$("$service_java" -version 2>&1 | head -1 | sed 's/^[a-z]* version "\([^"]*\)".*/Java \1/')
say "service: $service_java ($service_java_version) $jvm_opts $aot_opts -jar ${service_jar#"$root/"} (built $(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC'))"
say "service: port $port, orderflow.workers.enabled=$workers ($([ "$workers" = true ] && echo 'the step engine and webhook dispatcher run beside intake' || echo 'intake only: accepted orders wait for the engine of another instance, as on an API-only instance')), ORDERFLOW_RATE_LIMIT=$rate_limit, simulators served (idle), logs in $run_dir/service.log"
start_service
say "service: ready after $ready_after ms (pid $service_pid; Flyway has migrated $db)"

# ---------------------------------------------------------------------------------------------
# history (--preload), with the service stopped: it must not see the history's events as new
# ---------------------------------------------------------------------------------------------
if [ "$preload" != 0 ]; then
  wanted=$(awk -v n="$preload" 'BEGIN { printf "%d", n * 1000000 }')
  have=$(psql_ -d "$db" -Atc "SELECT count(*) FROM orders WHERE channel = 'history'")
  if [ "$have" -ge "$wanted" ]; then
    say "history: $have orders already in $db (--keep-db), none added"
  else
    stop_service
    say "history: writing orders $((have + 1)) to $wanted (sql/preload-history.sql, 50,000 a transaction)"
    chunk=50000 from=$((have + 1)) began=$(date +%s)
    while [ "$from" -le "$wanted" ]; do
      to=$((from + chunk - 1)); [ "$to" -gt "$wanted" ] && to=$wanted
      psql_ -d "$db" -q -v from="$from" -v to="$to" -v total="$wanted" -v days=60 -v skus="$skus" -v warehouse=HISTORY \
        -f "$here/sql/preload-history.sql" || fail "preload"
      elapsed=$(( $(date +%s) - began + 1 ))
      if [ $(( (to - have) % 500000 )) -eq 0 ] || [ "$to" -eq "$wanted" ]; then
        say "history: $to of $wanted orders ($(( (to - have) / elapsed )) orders/s)"
      fi
      from=$((to + 1))
    done
    say "history: stock ledger, outbox cursor, VACUUM ANALYZE (sql/preload-finish.sql)"
    psql_ -d "$db" -q -v skus="$skus" -v warehouse=HISTORY -f "$here/sql/preload-finish.sql" | tee -a "$run_dir/bench.log"
    start_service
    say "service: started again (pid $service_pid)"
  fi
  psql_ -d "$db" -At -F ' ' -c "SELECT 'database now:', (SELECT count(*) FROM orders) || ' orders,', (SELECT count(*) FROM order_line) || ' lines,',
      (SELECT count(*) FROM reservation_movement) || ' ledger rows,', (SELECT count(*) FROM order_event) || ' events,', (SELECT count(*) FROM step) || ' steps;',
      pg_size_pretty(pg_database_size('$db'))" | while read -r line; do say "$line"; done
fi

# ---------------------------------------------------------------------------------------------
# stock: the run's own warehouse, with SQL (Redis loads it from PostgreSQL at the first order)
# ---------------------------------------------------------------------------------------------
psql_ -d "$db" -q -v warehouse="$warehouse" -v skus="$skus" -v on_hand=1000000 -f "$here/sql/seed-stock.sql" || fail "seeding"
say "stock: warehouse $warehouse, $skus SKUs (SKU-00001 ...) of 1,000,000 units each (sql/seed-stock.sql); EDI orders are sourced there too"

# ---------------------------------------------------------------------------------------------
# pgbench: one commit per order, in a scratch database with the same schema, the service idle
# ---------------------------------------------------------------------------------------------
pgbench_tps=""
if [ "$run_pgbench" = true ]; then
  psql_ -d postgres -qc "DROP DATABASE IF EXISTS ${db}_pgbench WITH (FORCE)" -c "CREATE DATABASE ${db}_pgbench"
  pg_dump -h "$pg_host" -p "$pg_port" -U "$pg_user" --schema-only "$db" | psql_ -q -d "${db}_pgbench" >/dev/null
  free_connections=$(psql_ -d postgres -Atc "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - count(*) FROM pg_stat_activity")
  # the idle service's connections are counted already; leave a few for the others on a shared server
  clients=$pgbench_clients
  if [ $((free_connections - 5)) -lt "$clients" ]; then
    clients=$((free_connections - 5))
    [ "$clients" -ge 1 ] || fail "PostgreSQL has no connection free for pgbench"
    say "pgbench: WARNING only $free_connections connections free on the server: $clients clients instead of $pgbench_clients"
  fi
  say "pgbench: $(basename "$pgbench_file"), $clients clients, 2 threads, ${pgbench_time} s, prepared statements, in ${db}_pgbench"
  pgbench -h "$pg_host" -p "$pg_port" -U "$pg_user" -n -M prepared -c "$clients" -j 2 -T "$pgbench_time" -f "$pgbench_file" "${db}_pgbench" \
    >"$run_dir/pgbench.log" 2>&1 || fail "pgbench, see $run_dir/pgbench.log"
  pgbench_tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' "$run_dir/pgbench.log")
  pgbench_latency=$(sed -n 's/^latency average = \(.*\)$/\1/p' "$run_dir/pgbench.log")
  say "pgbench: $(printf '%.0f' "$pgbench_tps") transactions/s (latency average $pgbench_latency)"
  psql_ -d postgres -qc "DROP DATABASE ${db}_pgbench WITH (FORCE)"
fi

# ---------------------------------------------------------------------------------------------
# the simulation, with the machine's CPU measured around it
# ---------------------------------------------------------------------------------------------
. "$here/lib/cpu.sh"
# checkpoints begun so far: on time, and requested (WAL volume, or forced)
checkpoints() {
  psql_ -d postgres -At -F ' ' -c "SELECT checkpoints_timed, checkpoints_req FROM pg_stat_bgwriter" 2>/dev/null \
    || psql_ -d postgres -At -F ' ' -c "SELECT num_timed, num_requested FROM pg_stat_checkpointer"   # PostgreSQL 17
}
# the service, PostgreSQL, Redis, and this script's reaped children (the load generator: Maven and
# Gatling's JVM, run in the foreground below), in ticks
cpu_parts() { cpu_snapshot "$service_pid" 0 $$ | awk '{ print $1, $2, $3, $5 }'; }
(while true; do echo "$(date +%s) $(cut -d' ' -f1 /proc/loadavg)"; sleep 5; done) >"$run_dir/loadavg.log" &
sampler_pid=$!
# every 5 s: epoch ms, the machine's busy ticks, then the service's, PostgreSQL's, Redis's and the
# running load generator's (its process tree: Maven, Gatling's JVM), to cut the measured phase out
loadgen_pid_file=$run_dir/loadgen.pid
cpu_sample() {
  echo "$(date +%s%3N) $(awk '/^cpu / { busy = 0; for (i = 2; i <= 9; i++) busy += $i; print busy - $5 - $6 }' /proc/stat)" \
    "$(cpu_snapshot "$service_pid" "$(cat "$loadgen_pid_file" 2>/dev/null)" | cut -d' ' -f1-4)"
}
(while true; do cpu_sample; sleep 5; done) >"$run_dir/cpu.log" &
cpu_sampler_pid=$!
read -r timed0 requested0 < <(checkpoints) || true
read -r total0 idle0 < <(cpu_total); read -r service0 postgres0 redis0 loadgen0 < <(cpu_parts); t0=$(date +%s)
if [ "$simulation" = SoakSimulation ]; then redis_memory0=$(rcli info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p'); fi

say "gatling: $simulation ${sim_props[*]:-} (output in $run_dir/gatling.log)"
set +e
(echo "$BASHPID" >"$loadgen_pid_file"; cd "$root" && ./mvnw -B -q -pl perf-tests io.gatling:gatling-maven-plugin:4.21.12:test \
  -Dgatling.simulationClass="dev.orderflow.perf.$simulation" \
  -DbaseUrl="http://127.0.0.1:$port" -DadminKey="$admin_key" -DrunId="$run_id" -Dwarehouse="$warehouse" -DediWarehouse="$warehouse" \
  -Dseed=none -Dskus="$skus" -DservicePid="$service_pid" -DsummaryFile="$summary_file" "${sim_props[@]}") 2>&1 \
  | grep --line-buffered -v -E '^\s*$|logback|\|-(INFO|WARN) in ' | tee "$run_dir/gatling.log"
gatling_status=${PIPESTATUS[0]}
set -e

read -r total1 idle1 < <(cpu_total); read -r service1 postgres1 redis1 loadgen1 < <(cpu_parts); t1=$(date +%s)
read -r timed1 requested1 < <(checkpoints) || true
kill "$sampler_pid" "$cpu_sampler_pid" 2>/dev/null; sampler_pid="" cpu_sampler_pid=""
ticks=$(getconf CLK_TCK)
machine_busy=$(awk -v t0="$total0" -v i0="$idle0" -v t1="$total1" -v i1="$idle1" 'BEGIN { printf "%.0f", 100 * (1 - (i1 - i0) / (t1 - t0)) }')
service_cpu=$(awk -v a="$service0" -v b="$service1" -v s=$((t1 - t0)) -v hz="$ticks" 'BEGIN { printf "%.0f", 100 * (b - a) / hz / s }')
load_stats=$(awk '{ sum += $2; if ($2 > max) max = $2; n++ } END { if (n) printf "mean %.1f, max %.1f", sum / n, max }' "$run_dir/loadavg.log")
# where the machine's CPU went, per accepted order: what the service may use is what the others leave
# arguments: ticks busy, of the service, PostgreSQL, Redis, the load generator; orders accepted
cpu_per_order() {
  awk -v busy="$1" -v service="$2" -v pg="$3" -v redis="$4" -v gen="$5" -v accepted="$6" -v hz="$ticks" '
    function ms(t) { return t / hz * 1000 / accepted }
    BEGIN {
      if (accepted <= 0) exit
      printf "service %.2f ms, PostgreSQL %.2f ms, Redis %.2f ms, load generator %.2f ms, the rest %.2f ms: %.2f ms of the machine'"'"'s CPU per accepted order",
        ms(service), ms(pg), ms(redis), ms(gen), ms(busy - service - pg - redis - gen), ms(busy)
    }'
}
# the same over the measured phase only (from_ms and to_ms of the summary, between the first and the
# last CPU sample inside it), its orders taken pro rata from the phase's accepted answers
cpu_per_order_measured() {
  local window seconds busy service pg redis gen
  [ -n "$(value from_ms)" ] && [ -n "$(value measured_seconds)" ] || return 0
  window=$(awk -v from="$(value from_ms)" -v to="$(value to_ms)" '
    $1 >= from && first == "" { first = $0 }
    $1 <= to { last = $0 }
    END {
      if (first == "" || last == "") exit
      split(first, a, " "); split(last, b, " ")
      if (b[1] - a[1] < 10000) exit
      printf "%.0f %d %d %d %d %d\n", (b[1] - a[1]) / 1000, b[2] - a[2], b[3] - a[3], b[4] - a[4], b[5] - a[5], b[6] - a[6]
    }' "$run_dir/cpu.log")
  [ -n "$window" ] || return 0
  read -r seconds busy service pg redis gen <<<"$window"
  echo "$(cpu_per_order "$busy" "$service" "$pg" "$redis" "$gen" \
    "$(awk -v a="$(value accepted)" -v w="$seconds" -v m="$(value measured_seconds)" 'BEGIN { printf "%.0f", a * w / m }')") (measured phase, $seconds s)"
}

# ---------------------------------------------------------------------------------------------
# after the run: what PostgreSQL and Redis hold
# ---------------------------------------------------------------------------------------------
value() { sed -n "s/^$1=//p" "$summary_file" 2>/dev/null | head -1; }
# quiet first: requests the client gave up on may still be running, and a reservation whose order
# was never stored stays pending until the sweeper releases it (30 s deadline, 5 s sweeps)
quiet_wait=0
while [ "$(rcli ZCARD "{wh:$warehouse}:pending")" != 0 ] && [ "$quiet_wait" -lt 90 ]; do sleep 1; quiet_wait=$((quiet_wait + 1)); done
[ "$quiet_wait" -gt 0 ] && say "waited ${quiet_wait} s for the service to settle pending reservations before checking the stock"
# the checks below need PostgreSQL and Redis only; stopping the service gives its connections back
# to a shared PostgreSQL first
service_rss=$(awk '/^VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$service_pid/status" 2>/dev/null || echo "?")
stop_service
# fresh statistics first: the checks add up open reservations per SKU, and for the run's new
# warehouse (unknown to the statistics of a large history) PostgreSQL would otherwise nest loops
# and sum every open line again for each SKU: minutes on the 5-million-order history
psql_ -d "$db" -qc "ANALYZE stock_item, order_line"
psql_ -d "$db" -v warehouse="$warehouse" -f "$here/sql/after-run.sql" >"$run_dir/after-run.txt" 2>&1 || true
# every order answered 2xx must be stored (more may be: a request the client gave up on can still commit)
durability=() missing=0
while IFS='=' read -r key accepted; do
  channel=${key#accepted_all.}
  stored=$(psql_ -d "$db" -Atc "SELECT count(*) FROM orders WHERE channel = '$channel'")
  durability+=("$channel: $stored orders stored, $accepted answered 2xx$([ "$stored" -ge "$accepted" ] || echo ' - ACCEPTED ORDERS MISSING')")
  [ "$stored" -ge "$accepted" ] || missing=1
done < <(grep '^accepted_all\.' "$summary_file" 2>/dev/null || true)
read -r skus_checked oversold < <(psql_ -d "$db" -At -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE coalesce(r.reserved, 0) > s.on_hand)
  FROM stock_item s LEFT JOIN (SELECT sku, sum(reserved) AS reserved FROM order_line WHERE warehouse = '$warehouse' AND reserved > 0 GROUP BY sku) r
  ON r.sku = s.sku WHERE s.warehouse = '$warehouse'")
# Redis's available against PostgreSQL's on-hand - open reservations, SKU by SKU (quiet now: nothing pending)
psql_ -d "$db" -At -F ' ' -c "SELECT s.sku, s.on_hand - coalesce(r.reserved, 0) FROM stock_item s
  LEFT JOIN (SELECT sku, sum(reserved) AS reserved FROM order_line WHERE warehouse = '$warehouse' AND reserved > 0 GROUP BY sku) r ON r.sku = s.sku
  WHERE s.warehouse = '$warehouse'" | LC_ALL=C sort >"$run_dir/available-postgres.txt"
rcli --raw HGETALL "{wh:$warehouse}:avail" | paste -d' ' - - | LC_ALL=C sort >"$run_dir/available-redis.txt"
redis_skus=$(wc -l <"$run_dir/available-redis.txt")
redis_drift=$(LC_ALL=C join "$run_dir/available-postgres.txt" "$run_dir/available-redis.txt" | awk '$2 != $3' | wc -l)
redis_pending=$(rcli ZCARD "{wh:$warehouse}:pending")

report_dir=$(ls -dt "$here"/target/gatling/"$(tr '[:upper:]' '[:lower:]' <<<"$simulation")"-* 2>/dev/null | head -1 || true)
accepted_per_s=$(value accepted_per_s)
ratio=""
if [ -n "$pgbench_tps" ] && [ -n "$accepted_per_s" ]; then
  ratio=$(awk -v a="$accepted_per_s" -v b="$pgbench_tps" 'BEGIN { printf "%.2f", a / b }')
fi

{
  echo
  echo "================================ Orderflow benchmark: $simulation ================================"
  sed -n '1,5p' "$run_dir/machine.txt"
  echo "service:        $service_java_version, $jvm_opts $aot_opts; ready after ${ready_after} ms; workers $([ "$workers" = true ] && echo on || echo off); PostgreSQL $pg_host:$pg_port/$db; Redis $redis_host:$redis_port/$redis_db"
  echo "postgresql:     $pg_settings; checkpoints begun during the simulation: $((timed1 - timed0)) on time, $((requested1 - requested0)) requested (WAL volume, or forced)"
  [ "$preload" != 0 ] && echo "history:        $(psql_ -d "$db" -Atc "SELECT count(*) FROM orders WHERE channel = 'history'") orders stored before the run"
  if [ -n "$pgbench_tps" ]; then
    echo "pgbench:        $(printf '%.0f' "$pgbench_tps") TPS, one commit per order ($(basename "$pgbench_file"), $clients clients, ${pgbench_time} s)"
  fi
  if [ -f "$summary_file" ]; then
    echo "offered:        $(value offered_rate) orders/s for $(value measured_seconds) s (measured phase); sent $(value sent) of $(value planned) planned, at $(value sent_per_s)/s$(awk -v s="$(value sent_per_s)" -v r="$(value planned_rate)" -v o="$(value offered_rate)" 'BEGIN { if (r == "") r = o; if (s < 0.98 * r) printf " - THE LOAD GENERATOR FELL BEHIND: less was offered than planned" }')"
    echo "accepted:       $accepted_per_s orders/s$([ -n "$ratio" ] && echo "   = ${ratio}x the pgbench figure")"
    echo "latency:        p50 $(value p50_ms) ms, p95 $(value p95_ms) ms, p99 $(value p99_ms) ms, p99.9 $(value p999_ms) ms, max $(value max_ms) ms (accepted orders, measured phase)"
    echo "errors:         $(value errors) of $(value sent) = error rate $(value error_rate)  [$(value statuses)]"
    grep -E '^(overload|recovery)\.(accepted_per_s|p99_ms|shed|errors)=|^seconds_|^normal_p99|^edi_orders_per_s|^edi_line_items_per_s|^edi_interchange_ms|^edi_heap_max_mb|^edi_rss_max_mb|^rest_accepted_per_s|^stream\.|^hot_(orders|fully|partly|backordered|stock)|^(old_gen|rss|p99_ms)\.' "$summary_file" | sed 's/^/                /' || true
    grep -E '^verdict\.' "$summary_file" | sed 's/^verdict\.[0-9]*=/verdict:        /' || true
  else
    echo "no summary from the simulation (it failed before the load; see $run_dir/gatling.log)"
  fi
  for line in "${durability[@]}"; do echo "stored:         $line"; done
  echo "stock:          $oversold of $skus_checked SKUs with reserved > on hand; Redis available differs from PostgreSQL on $redis_drift of $redis_skus SKUs, $redis_pending reservations pending"
  [ -n "${redis_memory0:-}" ] && echo "redis memory:   $redis_memory0 before, $(rcli info memory | sed -n 's/^used_memory_human:\(.*\)\r$/\1/p') after"
  echo "machine:        CPU busy ${machine_busy}% of $(nproc) cores during the simulation, the service ${service_cpu}% of one core (RSS $service_rss at the end); load average $load_stats"
  if [ -f "$summary_file" ]; then
    measured_cpu=$(cpu_per_order_measured)
    [ -n "$measured_cpu" ] && echo "CPU per order:  $measured_cpu"
    echo "$([ -n "$measured_cpu" ] && echo "               " || echo "CPU per order: ") $(cpu_per_order $(((total1 - total0) - (idle1 - idle0))) \
      $((service1 - service0)) $((postgres1 - postgres0)) $((redis1 - redis0)) $((loadgen1 - loadgen0)) "$(value accepted_all)") (the whole simulation: warm-up and the load generator's start included)"
  fi
  echo "gatling:        exit $gatling_status ($([ "$gatling_status" = 0 ] && echo 'every assertion and verdict passed' || echo 'an assertion or verdict failed, or the simulation did'))"
  [ -n "$report_dir" ] && echo "report:         $report_dir/index.html"
  echo "run folder:     $run_dir (service.log, gc.log, pgbench.log, gatling.log, summary.properties, after-run.txt)"
  echo "====================================================================================================="
} | tee "$run_dir/bench-summary.txt"

[ "$gatling_status" = 0 ] && [ "${oversold:-0}" = 0 ] && [ "$redis_drift" = 0 ] && [ "$missing" = 0 ]
