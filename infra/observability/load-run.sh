#!/usr/bin/env bash
# Two Orderflow instances under load, scraped by a real Prometheus (with the alert rules), and the
# dashboard's queries drawn from that scrape by Prometheus's console library, screenshotted by
# headless Chromium. What produced dashboard-from-prometheus.png (Grafana is not installable here;
# see infra/README.md).
#
#   infra/observability/load-run.sh DATABASE_URL REDIS_URL [SECONDS] [RATE]
#
# Needs: api/target/orderflow.jar (./mvnw -B -q package -DskipTests), prometheus (Debian's
# package), chromium (Debian's), python3. Everything it starts, it stops; it leaves its logs and
# Prometheus data in target/load-run/.
set -euo pipefail

DATABASE_URL=${1:?postgresql://user@host:port/database}
REDIS_URL=${2:?redis://host:port/db}
SECONDS_TO_RUN=${3:-300}
RATE=${4:-20}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=$ROOT/target/load-run
ADMIN_KEY=load-run-admin-key-0123456789
PORTS=(18501 18502)
PROMETHEUS_PORT=19091
mkdir -p "$OUT"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT

for i in 0 1; do
  # instance 1 serves the simulators; both call them there, so each step reaches one simulator
  ORDERFLOW_DATABASE_URL=$DATABASE_URL ORDERFLOW_REDIS_URL=$REDIS_URL ORDERFLOW_ADMIN_KEY=$ADMIN_KEY \
  ORDERFLOW_SIMULATORS=true ORDERFLOW_WEBHOOKS_ALLOW_PRIVATE=true SERVER_PORT=${PORTS[$i]} \
  ORDERFLOW_CREDIT_URL=http://localhost:${PORTS[0]}/simulators/credit \
  ORDERFLOW_FULFILLMENT_URL=http://localhost:${PORTS[0]}/simulators/fulfillment \
  ORDERFLOW_INVOICING_URL=http://localhost:${PORTS[0]}/simulators/invoicing \
  LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs \
    java -Xmx512m -jar "$ROOT/api/target/orderflow.jar" \
      --orderflow.stock-keeping.reconcile-interval=10s --orderflow.simulator.fulfillment.ship-delay=5s \
      --spring.r2dbc.pool.max-size=12 \
      > "$OUT/orderflow-$((i + 1)).log" 2>&1 &
  pids+=($!)
done

cat > "$OUT/prometheus.yml" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $ROOT/infra/prometheus/alerts.yml
scrape_configs:
  - job_name: orderflow
    metrics_path: /actuator/prometheus
    static_configs:
      - targets: ["localhost:${PORTS[0]}", "localhost:${PORTS[1]}"]
YAML
python3 "$ROOT/infra/observability/dashboard_console.py" "$ROOT/infra/grafana/dashboards/orderflow.json" "$OUT" 10m
prometheus --config.file="$OUT/prometheus.yml" --storage.tsdb.path="$OUT/prometheus-data" \
  --web.listen-address=127.0.0.1:$PROMETHEUS_PORT --web.console.templates="$OUT" \
  --web.console.libraries=/usr/share/doc/prometheus/examples/console_libraries > "$OUT/prometheus.log" 2>&1 &
pids+=($!)

for i in 0 1; do
  until curl -sf "http://localhost:${PORTS[$i]}/actuator/health/readiness" > /dev/null; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "instance $((i + 1)) exited; see $OUT/orderflow-$((i + 1)).log"; exit 1; }
    sleep 1
  done
done
echo "instances ready; load for ${SECONDS_TO_RUN}s at ${RATE}/s"
python3 "$ROOT/infra/observability/load.py" --instances "http://localhost:${PORTS[0]},http://localhost:${PORTS[1]}" \
  --admin-key "$ADMIN_KEY" --rate "$RATE" --seconds "$SECONDS_TO_RUN" --outage-at $((SECONDS_TO_RUN / 4)) \
  --outage-for $((SECONDS_TO_RUN / 3)) | tee "$OUT/load.log"
sleep 20  # two more scrapes and the engine's catch-up after the load

curl -s "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/alerts" > "$OUT/alerts.json"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$(mktemp -d)" --hide-scrollbars \
  --window-size=1500,1990 --virtual-time-budget=15000 \
  --screenshot="$ROOT/infra/observability/dashboard-from-prometheus.png" \
  "http://127.0.0.1:$PROMETHEUS_PORT/consoles/orderflow.html"
echo "screenshot: infra/observability/dashboard-from-prometheus.png; alerts firing: $(grep -o '"alertname":"[A-Za-z]*"' "$OUT/alerts.json" | sort -u | tr '\n' ' ')"
