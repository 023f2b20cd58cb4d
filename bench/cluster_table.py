#!/usr/bin/env python3
"""The markdown tables of a bench/cluster.sh run, from its JSON lines (argument 1).

CPU per message: the counter's difference around a run divided by the messages sent
in the whole run (warm-up and measured window: the counters cannot tell them apart);
for (c), by the deliveries. "Net" first takes off what the run would have cost with
no messages: the idle run's rate over the run's wall time, and the login run (the
same clients logged in and out, no traffic) beyond its own idle share.
"""
import json
import sys

CASES = {
    "a": "(a) dm, clients spread over 2 nodes",
    "b": "(b) dm, every client on node 1",
    "c": "(c) MSG ALL, clients on 2 nodes",
}
COUNTERS = ("gateway_cpu_s", "redis_cpu_s", "postgres_db_cpu_s", "postgres_all_cpu_s")


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.{digits}f}"


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    meta = {}
    for r in rows:
        if r.get("meta"):
            meta.update(r)
    idle = next((r for r in rows if r.get("case") == "idle"), None)
    login = next((r for r in rows if r.get("case") == "login"), None)
    rate = {k: (idle[k] / idle["wall_s"] if idle else 0.0) for k in COUNTERS}
    fixed = {k: (login[k] - rate[k] * login["wall_s"] if login else 0.0) for k in COUNTERS}
    runs = [r for r in rows if r.get("case") in CASES]
    # (b) crosses nothing: its entries are the logins' and logouts' presence changes,
    # which every run of the same clients writes too.
    local = [r["entries_added"] for r in runs if r["case"] == "b"]
    presence = sum(local) / len(local) if local else 0.0

    print(f"# Cluster mode: {meta.get('stamp', '?')}, build {meta.get('commit', '?')}")
    print()
    print(f"2 nodes on one machine ({meta.get('cpus', '?')} CPUs, shared with PostgreSQL, Redis and the generator);"
          f" {meta.get('clients')} clients; dm at {meta.get('rate')} msgs/s, MSG ALL at {meta.get('fan_rate')}/s;"
          f" {meta.get('duration')} measured after {meta.get('warmup')} warm-up."
          f" Load average before {meta.get('load_before')}, after {meta.get('load_after')}.")
    if idle:
        print(f"Idle (no clients, {idle['wall_s']:.0f} s): the two nodes used {100 * rate['gateway_cpu_s']:.1f}%"
              f" of a core, {idle['xadd']} XADD server-wide, {idle['entries_added']} stream entries under the prefix.")
    if login:
        print(f"Logging the {meta.get('clients')} clients in and out (no traffic): gateways"
              f" {fixed['gateway_cpu_s']:.2f} s CPU, PostgreSQL (this DB) {fixed['postgres_db_cpu_s']:.2f} s,"
              f" {login['entries_added']} stream entries.")
    print()
    print("| case | run | msgs/s | p50 ms | p99 ms | p99.9 ms | ack p99 ms | lost | left queued | dup | errors "
          "| window full | crossing | XADD (server) | entries added "
          "| entries per crossing msg / broadcast, beyond presence |")
    print("|" + "---|" * 16)
    for r in runs:
        b = r.get("bench") or {}
        lat = b.get("latency_ms") or {}
        sent = b.get("sent") or 0
        cross = b.get("cross_node")
        if r["case"] == "c":
            carried = (r["entries_added"] - presence) / sent if sent else None
        elif cross:
            carried = (r["entries_added"] - presence) / cross
        else:
            carried = None
        share = b.get("cross_node_share")
        print("| " + " | ".join([
            CASES[r["case"]],
            str(r["repeat"]),
            fmt(b.get("messages_per_s"), 0),
            fmt(lat.get("p50"), 2),
            fmt(lat.get("p99"), 2),
            fmt(lat.get("p99.9"), 2),
            fmt((b.get("ack_latency_ms") or {}).get("p99"), 2),
            fmt(b.get("lost")),
            fmt(r.get("left_queued")),
            fmt(b.get("duplicates")),
            fmt(b.get("errors")),
            fmt(b.get("window_full")),
            "–" if cross is None else f"{cross:,} ({100 * share:.1f}%)",
            fmt(r["xadd"]),
            fmt(r["entries_added"]),
            fmt(carried, 3),
        ]) + " |")
    print()
    print("CPU time per message (c: per delivery), in µs:")
    print()
    print("| case | run | messages | gateways | gateways, net | Redis, net | PostgreSQL (this DB), net "
          "| PostgreSQL (all processes) | generator |")
    print("|" + "---|" * 9)
    for r in runs:
        b = r.get("bench") or {}
        n = (b.get("delivered") if r["case"] == "c" else b.get("sent")) or 0

        def per(v):
            return 1e6 * v / n if n else None

        def net(k):
            return per(r[k] - rate[k] * r["wall_s"] - fixed[k])

        print("| " + " | ".join([
            CASES[r["case"]],
            str(r["repeat"]),
            fmt(n),
            fmt(per(r["gateway_cpu_s"])),
            fmt(net("gateway_cpu_s")),
            fmt(net("redis_cpu_s")),
            fmt(net("postgres_db_cpu_s")),
            fmt(per(r["postgres_all_cpu_s"])),
            fmt(per(b.get("generator_cpu_s") or 0)),
        ]) + " |")
    print()
    print("Lost: acknowledged, not delivered within the generator's 5 s drain. Left queued: rows added to"
          " the database's offline queue during the run (once the nodes settled: nothing changed for 2 s):"
          " committed for a recipient who had left by the time the hand-over came, delivered at its next"
          " LOGIN.")
    print()
    print("Messages: `sent` of the whole run, warm-up included (c: deliveries, 199 per broadcast)."
          " XADD (server) is Redis' own count, shared with whatever else uses this Redis; entries added"
          " counts this cluster's streams only (XINFO STREAM entries-added); \"beyond presence\" first takes"
          f" off the entries of a run that crosses nothing, (b): {presence:,.0f} on average, the clients'"
          " logins and logouts, which every node hears of. Redis' CPU and PostgreSQL (all processes) are"
          " server-wide, shared likewise; PostgreSQL (this DB) counts only the backends connected to the"
          " run's database.")
    failed = [r for r in runs if (r.get("bench") or {}).get("fatal") or not r.get("bench")]
    for r in failed:
        print(f"\n**{CASES[r['case']]} run {r['repeat']} failed**: "
              f"{(r.get('bench') or {}).get('fatal') or 'no JSON line'}")
    warnings = meta.get("node_log_warnings") or []
    print()
    print(f"Node log lines at WARN or ERROR: {len(warnings)}{' (first 50)' if len(warnings) >= 50 else ''}.")
    for w in warnings[:20]:
        print(f"    {w[:300]}")


if __name__ == "__main__":
    main(sys.argv[1])
