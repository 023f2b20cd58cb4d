#!/usr/bin/env python3
"""Turns bench/run.sh's JSON lines into the Markdown table of docs/performance.md."""
import json
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {(r["server"], r["case"]): r for r in rows}
peers = ["ngircd", "inspircd"]


def get(server, case, *path):
    r = by.get((server, case))
    for p in path:
        if r is None:
            return None
        r = r.get(p)
    return r


def num(v, digits=0):
    if v is None:
        return "—"
    if isinstance(v, (int, float)):
        return f"{v:,.{digits}f}"
    return str(v)


def line(label, case, path, digits=0, higher_is_better=True, server="gateway"):
    g = get(server, case, *path)
    vals = [get(p, case, *path) for p in peers]
    known = [v for v in vals if isinstance(v, (int, float)) and v > 0]
    best = (max(known) if higher_is_better else min(known)) if known else None
    ratio = f"{g / best:.2f}×" if isinstance(g, (int, float)) and best else "—"
    cells = [num(g, digits)] + [num(v, digits) for v in vals] + [ratio]
    print(f"| {label} | " + " | ".join(cells) + " |")


print("| measure | gateway | ngIRCd | InspIRCd | gateway ÷ better peer |")
print("|---|---:|---:|---:|---:|")
line("(a) direct messages/s, window 8 — gateway (H2)", "a", ["messages_per_s"])
line("(a) delivery latency p99 (ms) — gateway (H2)", "a", ["latency_ms", "p99"], 2, False)
if ("gateway-postgresql", "a") in by:
    line("(a) direct messages/s, window 8 — gateway (PostgreSQL)", "a", ["messages_per_s"],
         server="gateway-postgresql")
    line("(a) delivery latency p99 (ms) — gateway (PostgreSQL)", "a", ["latency_ms", "p99"], 2, False,
         server="gateway-postgresql")
line("(a) generator CPU (% of one core)", "a", ["generator_cpu_pct"])
line("(b) at fixed rate: delivery p50 (ms)", "b", ["latency_ms", "p50"], 2, False)
line("(b) delivery p99 (ms)", "b", ["latency_ms", "p99"], 2, False)
line("(b) delivery p99.9 (ms)", "b", ["latency_ms", "p99.9"], 2, False)
line("(b) achieved messages/s", "b", ["messages_per_s"])
line("(b) lost", "b", ["lost"])
line("(c) fan-out deliveries/s", "c", ["deliveries_per_s"])
line("(c) fan-out latency p99 (ms)", "c", ["latency_ms", "p99"], 2, False)
line("(d) RSS per idle logged-in connection (bytes)", "d", ["rss_per_connection_bytes"], 0, False)
line("(d) time to log all in (ms)", "d", ["login_ms"], 0, False)
for server, store in (("gateway", "H2"), ("gateway-postgresql", "PostgreSQL")):
    g = by.get((server, "e"))
    if not g:
        continue
    w = g.get("writer") or {}
    print(f"| (e) durable write path, acknowledged messages/s — gateway ({store}) | {num(g['messages_per_s'])} | — | — | — |")
    print(f"| (e) append-to-commit p99 (ms) — gateway ({store}) | {num(g['latency_ms']['p99'], 2)} | — | — | — |")
    if w:
        print(f"| (e) writer: operations per commit, ms per transaction, thread CPU % — gateway ({store}) | "
              f"{num(w.get('ops_per_commit'))} / {num(w.get('transaction_ms'), 2)} / {num(w.get('cpu_pct'))} | — | — | — |")
s = by.get(("gateway", "startup"))
if s:
    print(f"| start-up to accepting connections (ms) | {num(s['startup_ms'])} | — | — | — |")
s = by.get(("gateway", "startup_cds"))
if s:
    print(f"| start-up as deployed: extracted jar + CDS archive (ms) | {num(s['startup_ms'])} | — | — | — |")
lost = [r for r in rows if r.get("lost")]
dups = [r for r in rows if r.get("duplicates")]
print()
print(f"Runs with lost messages: {len(lost)}; with duplicates: {len(dups)}; "
      f"errors: {sum(r.get('errors', 0) or 0 for r in rows)}.")
