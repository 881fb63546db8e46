#!/bin/bash
# bench/memcached/compare.sh [BUILD_DIR]: stock memcached against
# ksc-memcached (one row per libksc backend), all driven by ksc-loadgen with
# the same UDP GET load; then ksc-loadgen against memaslap, both driving
# stock memcached with the same threads and concurrency, the GET rate
# counted by the server itself. Prints the conditions and a table. Host only.
#
# Environment: BACKENDS ("syscall mmsg"), SERVER_THREADS (1, like the paper),
# THREADS (4) x CONCURRENCY (32) for both generators, DURATION (5 s),
# WARMUP (1 s), VALUE (32 B), KEYS (100000), SERVER_CPU / CLIENT_CPUS
# (unset: no pinning; e.g. 0 and 1).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
backends=${BACKENDS:-syscall mmsg}
sthreads=${SERVER_THREADS:-1}
threads=${THREADS:-4}
conc=${CONCURRENCY:-32}
duration=${DURATION:-5}
warmup=${WARMUP:-1}
value=${VALUE:-32}
keys=${KEYS:-100000}
with_server=$top/tests/memcached/with-server.sh
. "$top/tests/memcached/lib.sh"
pin_server=()
[ -n "${SERVER_CPU:-}" ] && pin_server=(taskset -c "$SERVER_CPU")
pin_client=()
[ -n "${CLIENT_CPUS:-}" ] && pin_client=(--cpus "$CLIENT_CPUS")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "memcached UDP GET benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  host:    $(uname -n), kernel $(uname -r), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "  servers: -t $sthreads${SERVER_CPU:+, pinned to CPU $SERVER_CPU}; loopback 127.0.0.1"
echo "  load:    ksc-loadgen $threads threads x $conc outstanding, closed loop, $keys keys uniform, ${value} B values, ${warmup} s warm-up + ${duration} s"
echo "  loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (other load on these CPUs skews the figures)"
echo

loadgen() {	# loadgen PORT: one ksc-loadgen run, JSON to stdout
	"$build/bin/ksc-loadgen" -p "$1" -U "$1" -t "$threads" -c "$conc" -k "$keys" \
		-v "$value" -w "$warmup" -d "$duration" --json -q "${pin_client[@]}"
}
export -f loadgen
export build threads conc keys value warmup duration

row() {	# row NAME JSONFILE
	python3 - "$1" "$2" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
try:
    r = json.load(open(path))
except Exception:
    print("%-24s (run failed)" % name); sys.exit(0)
l = r["latency_us"]
print("%-24s %10.0f %8.1f %8.1f %8.1f %8.1f %6d %8d %6d" % (name, r["rps"], l["avg"],
      l["p50"], l["p99"], l["p99.9"], r["errors"] + r["misses"], r["timeouts"], r["lost"]))
PY
}

printf '%-24s %10s %8s %8s %8s %8s %6s %8s %6s\n' server GET/s avg_us p50_us p99_us p99.9_us errors timeouts lost
"$with_server" "${pin_server[@]}" memcached -t "$sthreads" -- bash -c 'loadgen @PORT@' > "$tmp/stock.json"
row "memcached $(memcached -V | cut -d' ' -f2)" "$tmp/stock.json"
for b in $backends; do
	KSC_BACKEND=$b "$with_server" "${pin_server[@]}" "$build/bin/ksc-memcached" -t "$sthreads" \
		-- bash -c 'loadgen @PORT@' > "$tmp/ksc-$b.json"
	row "ksc-memcached ($b)" "$tmp/ksc-$b.json"
done

# --- the generators against each other ----------------------------------------
# memaslap counts its warm-up SETs in its own rate, so the GET rate is read
# from the server: cmd_get sampled every 0.25 s, over the samples that moved.
gets_per_second() {	# PORT CMD...: run CMD, print the server's busy GET rate
	local port=$1 samples=$tmp/samples
	shift
	: > "$samples"
	( while :; do echo "$(date +%s.%N) $(mc_stat "$port" cmd_get)"; sleep 0.25; done ) >> "$samples" &
	local sampler=$!
	"$@" > "$tmp/gen.out" 2>&1
	kill "$sampler"; wait "$sampler" 2>/dev/null
	python3 - "$samples" <<'PY'
import sys
s = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
busy = [(t1 - t0, g1 - g0) for (t0, g0), (t1, g1) in zip(s, s[1:]) if g1 > g0]
busy = busy[1:-1] if len(busy) > 2 else busy   # drop the partial first and last
t = sum(d for d, _ in busy); g = sum(n for _, n in busy)
print("%.0f" % (g / t if t else 0))
PY
}
export -f gets_per_second mc_stat
export tmp

cfg=$tmp/memaslap.cfg
printf 'key\n16 16 1\nvalue\n%s %s 1\ncmd\n0 0.0\n1 1.0\n' "$value" "$value" > "$cfg"
echo
echo "generators against stock memcached -t $sthreads, $threads threads x $conc concurrency, ${duration} s, GETs/s counted by the server:"
rate=$("$with_server" "${pin_server[@]}" memcached -t "$sthreads" -- bash -c \
	"gets_per_second @PORT@ timeout 120 memcaslap -s 127.0.0.1:@PORT@ -U -T $threads -c $conc -w 1k -t ${duration}s -X $value -F $cfg")
echo "  memaslap (memcaslap -U):  $rate GET/s"
rate=$("$with_server" "${pin_server[@]}" memcached -t "$sthreads" -- bash -c \
	"gets_per_second @PORT@ $build/bin/ksc-loadgen -p @PORT@ -U @PORT@ -t $threads -c $conc -k $keys -v $value -w 0 -d $duration -q ${pin_client[*]}")
echo "  ksc-loadgen:              $rate GET/s"
