#!/usr/bin/env python3
"""Renders the Grafana dashboard (infra/grafana/dashboards/orderflow.json) as a Prometheus console
template: the same panels, titles, queries and grid, drawn by Prometheus's own console library
(PromConsole.Graph). For where Grafana cannot run; it is not Grafana, and says so on the page.

    dashboard_console.py DASHBOARD.json OUT_DIR [RANGE] [END_EPOCH_SECONDS]

writes OUT_DIR/orderflow.html; serve it with
    prometheus --web.console.templates=OUT_DIR --web.console.libraries=<prom.lib's folder>
and open /consoles/orderflow.html.
"""
import html
import json
import re
import sys

UNITS = {"reqps": "/s", "ops": "/s", "s": "s", "bytes": "B", "percentunit": "", "percent": "%", "short": ""}
FORMATTERS = {"bytes": "PromConsole.NumberFormatter.humanize1024", "percentunit": "PromConsole.NumberFormatter.humanize",
              "s": "PromConsole.NumberFormatter.humanize"}


def legend(fmt):
    # Grafana's {{label}} becomes the console library's [[label]]
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", r"[[\1]]", fmt or "")


def main():
    dashboard = json.load(open(sys.argv[1]))
    out_dir = sys.argv[2]
    duration = sys.argv[3] if len(sys.argv) > 3 else "15m"
    # the console library takes seconds
    seconds = int(duration[:-1]) * {"s": 1, "m": 60, "h": 3600}[duration[-1]]
    # an end time (epoch seconds) pins the graphs to a past run; without one they end now
    end = "\n  endTime: %s," % int(sys.argv[4]) if len(sys.argv) > 4 else ""
    cells = []
    scripts = []
    band = None
    for panel in sorted(dashboard["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
        pos = panel["gridPos"]
        if panel["type"] == "row":
            if band is not None:
                cells.append("</div>")
                band = None
            cells.append('<div class="row-title">%s</div>' % html.escape(panel["title"]))
            continue
        if band != pos["y"]:
            if band is not None:
                cells.append("</div>")
            cells.append('<div class="band">')
            band = pos["y"]
        node = "panel%d" % panel["id"]
        cells.append('<div class="panel" style="width: %dpx"><div class="title">%s</div><div id="%s"></div></div>'
                     % (pos["w"] * 62 - 6, html.escape(panel["title"]), node))
        unit = panel["fieldConfig"]["defaults"].get("unit", "short")
        exprs = [t["expr"].replace("$__rate_interval", "1m") for t in panel["targets"]]
        names = [legend(t.get("legendFormat")) or t["expr"] for t in panel["targets"]]
        scripts.append("""new PromConsole.Graph({
  node: document.querySelector("#%s"),
  expr: %s,
  name: %s,
  duration: %s,%s
  width: %d,
  height: %d,
  yUnits: %s,
  yAxisFormatter: %s,
  yHoverFormatter: %s,
  renderer: "line"
});""" % (node, json.dumps(exprs), json.dumps(names), seconds, end, pos["w"] * 62 - 60, 150,
          json.dumps(UNITS.get(unit, "")), FORMATTERS.get(unit, "PromConsole.NumberFormatter.humanizeNoSmallPrefix"),
          FORMATTERS.get(unit, "PromConsole.NumberFormatter.humanizeNoSmallPrefix")))
    if band is not None:
        cells.append("</div>")
    page = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Orderflow (Prometheus console)</title>
{{ template "prom_console_head" }}
<style>
body { background: #fff; font-family: sans-serif; margin: 8px; }
.note { font-size: 13px; color: #7a4d00; background: #fff4de; border: 1px solid #f0c36d; padding: 4px 8px; margin-bottom: 6px; }
.grid { width: 1488px; }
.band { display: flex; align-items: flex-start; }
.panel { border: 1px solid #ddd; margin: 2px; padding: 2px 4px; overflow: hidden; }
.panel .title { font-size: 13px; font-weight: bold; }
.row-title { font-size: 15px; font-weight: bold; border-bottom: 2px solid #999; margin-top: 8px; }
.prom_graph_legend { font-size: 11px; }
</style>
</head>
<body>
<div class="note"><b>%s</b>: the Grafana dashboard's panels and queries (infra/grafana/dashboards/orderflow.json), drawn by
<b>Prometheus's own console library</b>, not by Grafana (Grafana could not be installed here). Data: a real Prometheus
scrape of two Orderflow instances under load, last %s.</div>
<div class="grid">
%s
</div>
<script>
%s
</script>
</body>
</html>
""" % (html.escape(dashboard["title"]), duration, "\n".join(cells), "\n".join(scripts))
    with open(out_dir + "/orderflow.html", "w") as f:
        f.write(page)


if __name__ == "__main__":
    main()
