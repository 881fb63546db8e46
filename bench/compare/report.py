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

# A CPU idle for more than this share of the measured window was not kept
# busy: in the instruction-counted guest, the idle guest time then counts in
# instr/req as if it were instructions.
IDLE_FLAG = 0.01

LABELS = {
    "floor": "floor (XDP fixed reply)",
    "stock": "memcached -U (stock)",
    "syscall": "ksc syscall",
    "mmsg": "ksc mmsg",
    "uring": "ksc uring",
    "luajit": "ksc luajit",
    "handler": "ksc handler (Lua)",
    "ebpf": "ksc ebpf (XDP)",
}

COST_MODEL = """\
Cost model: the guest is instruction-counted (qemu -icount shift=0,sleep=off,
one vCPU): guest time advances 1 ns per executed guest instruction, so every
instruction costs the same and a figure repeats from run to run (within 1%)
whatever the host does. Server and load generator share the one CPU, so while it is busy a
request's rate is 1 / (all instructions its request causes: load generator,
network stack both ways, server), wherever the kernel does that work (idle
time passes without instructions: idle% says how much). instr/req = 1e9 / req/s;
+floor subtracts the floor row (the network path and the load generator
alone), leaving the server's own cost. Not modelled: cache misses, branch
mispredictions, slow instructions (XSAVE, CR3 writes, serialising
instructions) and CPU mitigations, which make a kernel crossing dearer on
real hardware."""

WALLCLOCK_NOTE = """\
Wall-clock mode (noisy): time is the host's wall clock, and whatever else the
host runs lands in the figures; the rounds' range shows by how much."""


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
        # Skipped (the machine cannot run it) only when every round was.
        skipped = runs and all(r["status"] == "skipped" for r in runs)
        row["status"] = "skipped" if skipped else "failed"
        row["reason"] = failed[0]["reason"] if failed else "no run was made"
        return row
    runs = sorted(runs, key=lambda r: r["loadgen"]["rps"])
    median = runs[len(runs) // 2]
    lg = median["loadgen"]
    row.update(status="ok", rps=lg["rps"], rps_min=runs[0]["loadgen"]["rps"],
               rps_rounds=[r["loadgen"]["rps"] for r in runs],
               avg_us_min=min(r["loadgen"]["latency_us"]["avg"] for r in runs),
               avg_us_max=max(r["loadgen"]["latency_us"]["avg"] for r in runs),
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
    if lg.get("cpu_idle") is not None:
        row["idle"] = lg["cpu_idle"]
    return row


def add_instructions(group):
    """Instruction-counted guest: a guest ns is one instruction, and the one
    CPU serves server and client alike, so a request costs 1e9 / rate (an
    upper bound where the CPU idled: see IDLE_FLAG)."""
    floor = next((r for r in group if r["server"] == "floor" and r["status"] == "ok"), None)
    for r in group:
        if r["status"] == "ok":
            r["instructions_per_req"] = 1e9 / r["rps"]
            if floor:
                r["instructions_above_floor"] = r["instructions_per_req"] - 1e9 / floor["rps"]


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
        if cond["clock"] == "icount":
            add_instructions(group)
        rows += group
    return rows


def conditions_text(cond):
    return "\n".join([
        "memcached UDP GET benchmark (make bench)",
        "  where:       %s, kernel %s, %d CPUs (%s), accelerator %s, %s" % (
            cond["where"], cond["kernel"], cond["cpus"], cond["cpu_model"], cond["accelerator"],
            "instruction-counted (deterministic)" if cond["clock"] == "icount"
            else "wall clock (noisy)"),
        "  network:     two network namespaces, one veth pair, XDP_PASS on the client's end",
        "  servers:     -t %d, UDP batch %d (ksc-memcached --udp-batch), pinned to CPU %d" % (
            cond["server_threads"], cond["batch"], cond["server_cpu"]),
        "  load:        ksc-loadgen %d threads x %d outstanding, closed loop, pinned to CPU %d, "
        "%d keys uniform, values %s B" % (cond["threads"], cond["concurrency"],
                                          cond["loadgen_cpu"], cond["keys"], cond["sizes"]),
        "  timing:      %s s warm-up + %s s measured%s, %d round(s), servers taking turns; "
        "each row the median round" % (cond["warmup"], cond["duration"],
                                       " (guest time)" if cond["clock"] == "icount" else "",
                                       cond["rounds"]),
        "",
        COST_MODEL if cond["clock"] == "icount" else WALLCLOCK_NOTE,
    ])


def flagged(cond, row):
    """A row whose instr/req is overstated: the instruction-counted guest's
    one CPU idled (with more CPUs, idle is their business)."""
    return cond["clock"] == "icount" and (row.get("idle") or 0) > IDLE_FLAG


def fmt(v, spec):
    return spec % v if v is not None else "-"


def table_text(cond, rows):
    head = "%-24s %6s %9s %10s %9s %7s %9s %9s %9s %9s %8s %6s %6s %6s" % (
        "server", "value", "req/s", "instr/req", "+floor", "vs_sys", "avg_us", "p50_us",
        "p99_us", "cross/req", "user_sp%", "idle%", "errors", "lost") + "  req/s of the rounds"
    lines = [head]
    for r in rows:
        name = LABELS[r["server"]]
        if r["status"] != "ok":
            lines.append("%-24s %6d  %s: %s" % (name, r["value"], r["status"].upper(),
                                                r["reason"]))
            continue
        share, idle = r.get("user_space_share"), r.get("idle")
        idle_text = fmt(idle * 100 if idle is not None else None, "%.1f")
        if flagged(cond, r):
            idle_text += "!"
        lines.append("%-24s %6d %9.0f %10s %9s %7s %9.1f %9.1f %9.1f %9s %8s %6s %6d %6d  %s" % (
            name, r["value"], r["rps"], fmt(r.get("instructions_per_req"), "%.0f"),
            fmt(r.get("instructions_above_floor"), "%+.0f"), fmt(r.get("vs_syscall"), "%.2fx"),
            r["avg_us"], r["p50_us"], r["p99_us"], fmt(r.get("crossings_per_req"), "%.3f"),
            fmt(share * 100 if share is not None else None, "%.1f"), idle_text, r["errors"],
            r["lost"], " ".join("%.0f" % x for x in r["rps_rounds"])))
    notes = [
        "",
        "instr/req: guest instructions per request, all of them (instruction-counted",
        "  guest only); +floor: the same above the floor row; vs_sys: req/s over the",
        "  syscall row; cross/req: kernel crossings libksc made on the server's UDP",
        "  path per reply (stock memcached: not counted); user_sp%: share of requests",
        "  the server's socket received (the rest XDP answered); idle%: the CPUs'",
        "  idle share in the measured window. The floor row's ksc-loadgen asks",
        "  for one key (-k 1, no prefill): its reply is fixed.",
    ]
    idle_rows = [LABELS[r["server"]] + " %d B" % r["value"] for r in rows if flagged(cond, r)]
    if idle_rows:
        notes.append("idle%% marked '!': the one CPU was not kept busy (%s): instr/req counts"
                     " the idle guest time as instructions, an overstatement by about the"
                     " idle share." % ", ".join(idle_rows))
    if cond["accelerator"] == "tcg":
        notes.append("Emulated guest (TCG): compare rows of this run; absolute figures need hardware.")
    return "\n".join(lines + notes)


def plot_data(path, rows, servers):
    """One gnuplot data block per server: value, rate and average latency,
    each with its range over the rounds; a failed size is NaN (no point)."""
    with open(path, "w") as f:
        for s in servers:
            f.write("# %s\n" % s)
            for r in (x for x in rows if x["server"] == s):
                if r["status"] == "ok":
                    f.write("%d %.1f %.1f %.1f %.1f %.1f %.1f\n" % (
                        r["value"], r["rps"], r["rps_min"], r["rps_max"],
                        r["avg_us"], r["avg_us_min"], r["avg_us_max"]))
                else:
                    f.write("%d NaN NaN NaN NaN NaN NaN\n" % r["value"])
            f.write("\n\n")


def plot(outdir, cond, rows):
    """The paper's figure: throughput and average latency against value size,
    one panel each, every server a line, the rounds' range as error bars."""
    servers = list(dict.fromkeys(r["server"] for r in rows))
    data = os.path.join(outdir, "plot.dat")
    plot_data(data, rows, servers)
    status = {r["server"]: r["status"].upper() for r in rows if r["status"] != "ok"}
    titles = ["%s%s" % (LABELS[s], " (%s)" % status[s] if s in status else "") for s in servers]
    clock = ("instruction-counted guest: per second of guest time" if cond["clock"] == "icount"
             else "wall clock (noisy)")

    def panel(cols, ylabel):
        return "plot " + ", ".join(
            "'%s' index %d using 1:%s with yerrorlines title '%s'" % (data, i, cols, t)
            for i, t in enumerate(titles))
    script = "\n".join([
        "set terminal pngcairo size 1200,600",
        "set output '%s'" % os.path.join(outdir, "plot.png"),
        "set multiplot layout 1,2 title 'memcached UDP GET, %s'" % clock,
        "set logscale x 2",
        "set xtics (%s)" % ", ".join(str(v) for v in
                                    sorted({r["value"] for r in rows})),
        "set xlabel 'value size (bytes)'",
        "set key below font ',9'",  # not over the lines
        "set bmargin 9",
        "set yrange [0:*]",
        "set title 'throughput'",
        "set ylabel 'requests/s'",
        panel("2:3:4", "requests/s"),
        "set title 'average latency'",
        "set ylabel 'microseconds'",
        panel("5:6:7", "microseconds"),
        "unset multiplot",
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
    err = plot(outdir, cond, rows)
    if err:
        print("report: plot.png not written: %s" % err, file=sys.stderr)
    print("results: %s (table.txt, results.json, runs.jsonl, plot.png)" % outdir)
    return 1 if any(r["status"] == "failed" for r in rows) or err else 0


if __name__ == "__main__":
    sys.exit(main())
