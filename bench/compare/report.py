#!/usr/bin/env python3
"""bench/compare/report.py OUTDIR: the host half of `make bench`.

Reads what bench/compare/guest.sh wrote (conditions.json, runs.jsonl),
prints the conditions and one table per value size, and writes
results.json, table.txt and plot.png (gnuplot) into OUTDIR. Exit status 1
when any run failed: a failed server is a row that says why, never a gap.
"""
import json
import os
import subprocess
import sys

LABELS = {
    "stock": "memcached -U (stock)",
    "syscall": "ksc syscall",
    "mmsg": "ksc mmsg",
    "luajit": "ksc luajit",
    "ebpf": "ksc ebpf (XDP)",
}


def load(outdir):
    with open(os.path.join(outdir, "conditions.json")) as f:
        cond = json.load(f)
    runs = []
    with open(os.path.join(outdir, "runs.jsonl")) as f:
        for line in f:
            if line.strip():
                runs.append(json.loads(line))
    return cond, runs


def summarize(server, value, runs):
    """One row: the run with the median rate, or why the server failed."""
    failed = [r for r in runs if r["status"] != "ok"]
    row = {"server": server, "value": value, "rounds": len(runs)}
    if failed or not runs:
        row["status"] = "failed"
        row["reason"] = failed[0]["reason"] if failed else "no run was made"
        return row
    runs = sorted(runs, key=lambda r: r["loadgen"]["rps"])
    median = runs[len(runs) // 2]
    lg = median["loadgen"]
    row.update(status="ok", rps=lg["rps"], rps_min=runs[0]["loadgen"]["rps"],
               rps_max=runs[-1]["loadgen"]["rps"],
               avg_us=lg["latency_us"]["avg"], p50_us=lg["latency_us"]["p50"],
               p99_us=lg["latency_us"]["p99"], errors=lg["errors"] + lg["misses"],
               timeouts=lg["timeouts"], lost=lg["lost"])
    # Crossings and the server's own UDP requests span the whole load
    # generator run (warm-up and drain too): divide by its whole count.
    if median["crossings"] is not None and lg["replies"]:
        row["crossings_per_req"] = median["crossings"] / lg["replies"]
    if median["udp_requests"] is not None and lg["sent"]:
        row["user_space_share"] = min(1.0, median["udp_requests"] / lg["sent"])
    return row


def rows_of(cond, runs):
    rows = []
    for value in [int(v) for v in cond["sizes"].split(",")]:
        group = []
        for server in cond["servers"].split():
            mine = [r for r in runs if r["server"] == server and r["value"] == value]
            group.append(summarize(server, value, mine))
        base = next((r for r in group if r["server"] == "syscall" and r["status"] == "ok"), None)
        for r in group:
            if base and r["status"] == "ok":
                r["vs_syscall"] = r["rps"] / base["rps"]
        rows += group
    return rows


def conditions_text(cond):
    return "\n".join([
        "memcached UDP GET benchmark (make bench)",
        "  where:       %s, kernel %s, %d CPUs (%s), accelerator %s" % (
            cond["where"], cond["kernel"], cond["cpus"], cond["cpu_model"], cond["accelerator"]),
        "  network:     two network namespaces, one veth pair, XDP_PASS on the client's end",
        "  servers:     -t %d, UDP batch %d (ksc-memcached --udp-batch), pinned to CPU %d" % (
            cond["server_threads"], cond["batch"], cond["server_cpu"]),
        "  load:        ksc-loadgen %d threads x %d outstanding, closed loop, pinned to CPU %d, "
        "%d keys uniform, values %s B" % (cond["threads"], cond["concurrency"],
                                          cond["loadgen_cpu"], cond["keys"], cond["sizes"]),
        "  timing:      %s s warm-up + %s s measured, %d round(s), servers taking turns; "
        "each row the median round" % (cond["warmup"], cond["duration"], cond["rounds"]),
    ])


def fmt(v, spec):
    return spec % v if v is not None else "-"


def table_text(cond, rows):
    head = "%-22s %6s %10s %9s %9s %9s %9s %9s %8s %6s %6s" % (
        "server", "value", "req/s", "avg_us", "p50_us", "p99_us", "cross/req",
        "user_sp%", "vs_sys", "errors", "lost") + "  req/s of the rounds"
    lines = [head]
    for r in rows:
        name = LABELS[r["server"]]
        if r["status"] != "ok":
            lines.append("%-22s %6d  FAILED: %s" % (name, r["value"], r["reason"]))
            continue
        share = r.get("user_space_share")
        lines.append("%-22s %6d %10.0f %9.1f %9.1f %9.1f %9s %9s %8s %6d %6d  %.0f..%.0f" % (
            name, r["value"], r["rps"], r["avg_us"], r["p50_us"], r["p99_us"],
            fmt(r.get("crossings_per_req"), "%.3f"),
            fmt(share * 100 if share is not None else None, "%.1f"),
            fmt(r.get("vs_syscall"), "%.2fx"), r["errors"], r["lost"], r["rps_min"], r["rps_max"]))
    notes = [
        "",
        "cross/req: kernel crossings libksc made on the server's UDP path per reply",
        "  (stock memcached: not counted); user_sp%: share of requests the server's",
        "  socket received (the rest XDP answered); vs_sys: req/s over the syscall row.",
    ]
    if cond["accelerator"] == "tcg":
        notes.append("Emulated guest (TCG): quote only the ratios between rows of this run.")
    return "\n".join(lines + notes)


def plot(outdir, rows):
    """Requests per second per server, one cluster per value size."""
    ok = [r for r in rows if r["status"] == "ok"]
    if not ok:
        return "no successful run to plot"
    servers = list(dict.fromkeys(r["server"] for r in rows))
    values = list(dict.fromkeys(r["value"] for r in rows))
    data = os.path.join(outdir, "plot.dat")
    with open(data, "w") as f:
        f.write("value " + " ".join('"%s"' % LABELS[s] for s in servers) + "\n")
        for v in values:
            cells = []
            for s in servers:
                r = next(x for x in rows if x["server"] == s and x["value"] == v)
                cells.append("%.0f" % r["rps"] if r["status"] == "ok" else "0")
            f.write("%d %s\n" % (v, " ".join(cells)))
    script = "\n".join([
        "set terminal pngcairo size 900,500",
        "set output '%s'" % os.path.join(outdir, "plot.png"),
        "set title 'memcached UDP GET: requests/s per server (a failed server shows 0)'",
        "set style data histograms",
        "set style histogram clustered gap 1",
        "set style fill solid 0.8 border -1",
        "set key outside right",
        "set xlabel 'value size (bytes)'",
        "set ylabel 'requests/s'",
        "set yrange [0:*]",
        "plot for [i=2:%d] '%s' using i:xtic(1) title columnheader(i)" % (
            len(servers) + 1, data),
    ])
    res = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    return res.stderr.strip() if res.returncode else None


def main():
    if len(sys.argv) != 2:
        print("usage: report.py OUTDIR", file=sys.stderr)
        return 2
    outdir = sys.argv[1]
    try:
        cond, runs = load(outdir)
    except (OSError, ValueError) as e:
        print("report: no results to read in %s: %s" % (outdir, e), file=sys.stderr)
        return 1
    rows = rows_of(cond, runs)
    text = conditions_text(cond) + "\n\n" + table_text(cond, rows) + "\n"
    print(text)
    with open(os.path.join(outdir, "table.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump({"conditions": cond, "rows": rows, "runs": runs}, f, indent=1)
    err = plot(outdir, rows)
    if err:
        print("report: plot.png not written: %s" % err, file=sys.stderr)
    print("results: %s (table.txt, results.json, runs.jsonl, plot.png)" % outdir)
    return 1 if any(r["status"] != "ok" for r in rows) or err else 0


if __name__ == "__main__":
    sys.exit(main())
