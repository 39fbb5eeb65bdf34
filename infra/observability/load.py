#!/usr/bin/env python3
"""A load to light the dashboard, not a benchmark (the benchmarks are perf-tests/'s Gatling
simulations): orders at a steady rate spread over every instance and two channels, webhooks to one
partner that answers and one that is down, and an invoicing outage in the middle that opens its
circuit. Standard library only.

    load.py --instances http://localhost:18501,http://localhost:18502 --admin-key KEY \
            --rate 20 --seconds 300 --outage-at 90 --outage-for 90
"""
import argparse
import http.server
import json
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor


def call(method, url, token=None, body=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, {}
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return 0, {}


class Partner(http.server.BaseHTTPRequestHandler):
    """A partner's webhook endpoint that takes every delivery."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", required=True)
    parser.add_argument("--admin-key", required=True)
    parser.add_argument("--rate", type=float, default=20)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--outage-at", type=int, default=90)
    parser.add_argument("--outage-for", type=int, default=90)
    args = parser.parse_args()
    instances = args.instances.split(",")
    admin = args.admin_key
    first = instances[0]

    partner = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    threading.Thread(target=partner.serve_forever, daemon=True).start()

    channels = ["webshop", "marketplace"]
    tokens = {}
    for channel in channels:
        status, issued = call("POST", first + "/v1/admin/principals", admin,
                              {"name": channel + "-" + uuid.uuid4().hex[:6], "kind": "channel", "roles": ["channel"], "channels": [channel]})
        assert status == 201, (status, issued)
        tokens[channel] = issued["token"]
    status, issued = call("POST", first + "/v1/admin/principals", admin,
                          {"name": "partner-" + uuid.uuid4().hex[:6], "kind": "partner", "roles": ["partner"], "channels": channels})
    assert status == 201, (status, issued)
    partner_token = issued["token"]
    for url in ("http://127.0.0.1:%d/hooks" % partner.server_address[1], "http://127.0.0.1:9/down"):
        status, body = call("POST", first + "/v1/webhooks", partner_token, {"url": url, "events": ["order.*"], "channels": channels})
        assert status == 201, (status, body)

    warehouses = ["LOAD-W1", "LOAD-W2"]
    for warehouse in warehouses:
        for sku, units in (("SKU-A", 1000000), ("SKU-B", 1000000), ("SKU-SCARCE", 300)):
            status, body = call("PUT", "%s/v1/inventory/%s/%s" % (first, warehouse, sku), admin, {"onHand": units, "reason": "CYCLE_COUNT"})
            assert status == 200, (status, body)

    answers = {}
    lock = threading.Lock()

    def place(n):
        channel = channels[n % 2]
        instance = instances[n % len(instances)]
        lines = [{"sku": "SKU-A", "quantity": random.randint(1, 5), "unitPrice": "12.50"}]
        if n % 3 == 0:
            lines.append({"sku": "SKU-SCARCE", "quantity": 1, "unitPrice": "99.00"})
        body = {"externalRef": "LOAD-%d-%s" % (n, uuid.uuid4().hex[:6]), "customerId": "HOLD-1" if n % 50 == 0 else "C-%d" % (n % 200),
                "currency": "USD", "warehouse": warehouses[n % 2], "lines": lines}
        status, _ = call("POST", instance + "/v1/orders", tokens[channel], body, {"Idempotency-Key": uuid.uuid4().hex})
        with lock:
            answers[status] = answers.get(status, 0) + 1

    start = time.time()
    outage_on = outage_off = False
    with ThreadPoolExecutor(max_workers=16) as pool:
        n = 0
        while time.time() - start < args.seconds:
            elapsed = time.time() - start
            if not outage_on and elapsed >= args.outage_at:
                call("PUT", first + "/simulators/invoicing/behaviour", None, {"outage": True})
                outage_on = True
                print("%4.0fs invoicing down" % elapsed, flush=True)
            if outage_on and not outage_off and elapsed >= args.outage_at + args.outage_for:
                call("PUT", first + "/simulators/invoicing/behaviour", None, {"outage": False})
                outage_off = True
                print("%4.0fs invoicing back" % elapsed, flush=True)
            due = int(elapsed * args.rate)
            while n < due:
                pool.submit(place, n)
                n += 1
            time.sleep(0.02)
    if outage_on and not outage_off:
        call("PUT", first + "/simulators/invoicing/behaviour", None, {"outage": False})
    print("orders sent: %d, answers by status: %s" % (n, dict(sorted(answers.items()))), flush=True)


if __name__ == "__main__":
    main()
