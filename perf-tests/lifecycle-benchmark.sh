#!/usr/bin/env bash
# Runs LifecycleSimulation against a running Orderflow (simulators on), waits for the engine to
# finish every order, and prints what it achieved. Usage:
#   perf-tests/lifecycle-benchmark.sh BASE_URL ADMIN_KEY DATABASE_URL RATE SECONDS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base_url=$1 admin_key=$2 database_url=$3 rate=${4:-50} seconds=${5:-60}
warehouse="LC-$(date +%s)"

./mvnw -B -q -pl perf-tests io.gatling:gatling-maven-plugin:4.21.12:test \
  -Dgatling.simulationClass=dev.orderflow.perf.LifecycleSimulation \
  -DbaseUrl="$base_url" -DadminKey="$admin_key" -Drate="$rate" -Dseconds="$seconds" -Dwarehouse="$warehouse" \
  | grep -E "request count|mean response|percentile|failed events"

# the engine finishes after intake stops: wait until nothing of this run is still moving
for _ in $(seq 1 120); do
  open=$(psql "$database_url" -tAc "SELECT count(*) FROM orders WHERE warehouse = '$warehouse' AND status NOT IN ('COMPLETED','EXCEPTION','CANCELLED','REJECTED')")
  [ "$open" = "0" ] && break
  sleep 1
done
psql "$database_url" -v warehouse="$warehouse" -f perf-tests/lifecycle-report.sql
