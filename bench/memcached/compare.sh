#!/bin/bash
# bench/memcached/compare.sh [BUILD_DIR]: stock memcached against
# ksc-memcached (one row per libksc backend), all driven by ksc-loadgen with
# the same UDP GET load; then ksc-loadgen against memaslap, both driving
# stock memcached with the same threads and concurrency, the GET rate
# counted by the server itself. Prints the conditions and a table. Host only.
#
# Environment: BACKENDS ("syscall mmsg"), SERVER_THREADS (1, like the paper),
# GEN_SERVER_THREADS (4, memcached's default: memcached's threads for the
# generator comparison, where one thread would cap both generators alike),
# THREADS (4) x CONCURRENCY (32) for both generators, DURATION (5 s),
# WARMUP (1 s), VALUE (32 B), KEYS (100000), REPEAT (3: the servers take
# turns, and each row is the run with the median rate, its range beside it),
# SERVER_CPU / CLIENT_CPUS (unset: no pinning; e.g. 0 and 1).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
backends=${BACKENDS:-syscall mmsg}
sthreads=${SERVER_THREADS:-1}
gthreads=${GEN_SERVER_THREADS:-4}
threads=${THREADS:-4}
conc=${CONCURRENCY:-32}
duration=${DURATION:-5}
warmup=${WARMUP:-1}
value=${VALUE:-32}
keys=${KEYS:-100000}
repeat=${REPEAT:-3}
with_server=$top/bench/common/with-server.sh
. "$top/bench/common/memcached.sh"
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
echo "  runs:    $repeat per server, taking turns; each row the median run, GET/s range in brackets"
echo "  loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (other load on these CPUs skews the figures)"
echo

loadgen() {	# loadgen PORT: one ksc-loadgen run, JSON to stdout
	"$build/bin/ksc-loadgen" -p "$1" -U "$1" -t "$threads" -c "$conc" -k "$keys" \
		-v "$value" -w "$warmup" -d "$duration" --json -q "${pin_client[@]}"
}
export -f loadgen
export build threads conc keys value warmup duration

row() {	# row NAME JSONFILE...: the run with the median rate
	python3 - "$@" <<'PY'
import json, sys
name, runs = sys.argv[1], []
for path in sys.argv[2:]:
    try:
        runs.append(json.load(open(path)))
    except Exception:
        pass
if not runs:
    print("%-24s (every run failed)" % name); sys.exit(0)
runs.sort(key=lambda r: r["rps"])
r = runs[len(runs) // 2]; l = r["latency_us"]
print("%-24s %10.0f %8.1f %8.1f %8.1f %8.1f %6d %8d %6d   [%.0f..%.0f]" % (name, r["rps"],
      l["avg"], l["p50"], l["p99"], l["p99.9"], r["errors"] + r["misses"], r["timeouts"],
      r["lost"], runs[0]["rps"], runs[-1]["rps"]))
PY
}

printf '%-24s %10s %8s %8s %8s %8s %6s %8s %6s\n' server GET/s avg_us p50_us p99_us p99.9_us errors timeouts lost
for r in $(seq "$repeat"); do
	"$with_server" "${pin_server[@]}" memcached -t "$sthreads" -- bash -c 'loadgen @PORT@' > "$tmp/stock.$r.json"
	for b in $backends; do
		KSC_BACKEND=$b "$with_server" "${pin_server[@]}" "$build/bin/ksc-memcached" -t "$sthreads" \
			-- bash -c 'loadgen @PORT@' > "$tmp/ksc-$b.$r.json"
	done
done
row "memcached $(memcached -V | cut -d' ' -f2)" "$tmp"/stock.*.json
for b in $backends; do
	row "ksc-memcached ($b)" "$tmp"/ksc-"$b".*.json
done

# --- the generators against each other ----------------------------------------
# memaslap counts its warm-up SETs in its own rate, so the GET rate is read
# from the server: cmd_get sampled every 0.25 s, over the samples that moved.
# The generator's own CPU time (user + system, all threads) per GET served
# says how much of the machine it takes from the server.
generator_run() {	# PORT CMD...: run CMD; print "GET/s CPU-us-per-GET", or "failed"
	local port=$1 samples=$tmp/samples
	shift
	: > "$samples"
	( while :; do echo "$(date +%s.%N) $(mc_stat "$port" cmd_get)"; sleep 0.25; done ) >> "$samples" &
	local sampler=$!
	python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r.ru_utime + r.ru_stime)
sys.exit(rc != 0)' "$@" > "$tmp/cpu"
	local rc=$?
	kill "$sampler"; wait "$sampler" 2>/dev/null
	if [ $rc != 0 ]; then
		echo failed	# memaslap's own aborts end up here
		return
	fi
	python3 - "$samples" "$(cat "$tmp/cpu")" <<'PY'
import sys
s = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
busy = [(t1 - t0, g1 - g0) for (t0, g0), (t1, g1) in zip(s, s[1:]) if g1 > g0]
total = sum(n for _, n in busy)
busy = busy[1:-1] if len(busy) > 2 else busy   # drop the partial first and last
t = sum(d for d, _ in busy); g = sum(n for _, n in busy)
print("%.0f %.1f" % (g / t if t else 0, float(sys.argv[2]) * 1e6 / total if total else 0))
PY
}
export -f generator_run mc_stat
export tmp

median() {	# "RATE CPU" or "failed"...: the median completed run, and the failures
	printf '%s\n' "$@" | sort -n | awk '$1 == "failed" { f++; next }
		{ n++; r[n] = $1; c[n] = $2 }
		END {
			if (n) {
				m = int((n + 1) / 2)
				printf "%8s GET/s [%s..%s], %s us of its CPU per GET", r[m], r[1], r[n], c[m]
			}
			printf "%s%d of %d runs completed", n ? "; " : "", n, n + f }'
}

cfg=$tmp/memaslap.cfg
printf 'key\n16 16 1\nvalue\n%s %s 1\ncmd\n0 0.0\n1 1.0\n' "$value" "$value" > "$cfg"
# memaslap's -c is its concurrency over all threads, ksc-loadgen's is per
# thread: memaslap gets -c threads x concurrency, so both keep as many
# requests out. memaslap GETs the concurrency x window (-w 1k) keys of its
# warm-up; ksc-loadgen asks for as many, so the server's working set is the
# same.
slap_keys=$((conc * threads * 1024))
pin_gen=()
[ -n "${CLIENT_CPUS:-}" ] && pin_gen=(taskset -c "$CLIENT_CPUS")
echo
echo "generators against stock memcached -t $gthreads, $threads threads x $conc concurrency, ${duration} s, $slap_keys keys;"
echo "GETs/s counted by the server, median of the completed runs of $repeat, taking turns [range]:"
slap=() ours=()
for r in $(seq "$repeat"); do
	slap+=("$("$with_server" "${pin_server[@]}" memcached -t "$gthreads" -- bash -c \
		"generator_run @PORT@ ${pin_gen[*]} timeout 120 memcaslap -s 127.0.0.1:@PORT@ -U -T $threads -c $((threads * conc)) -w 1k -t ${duration}s -X $value -F $cfg")")
	ours+=("$("$with_server" "${pin_server[@]}" memcached -t "$gthreads" -- bash -c \
		"generator_run @PORT@ ${pin_gen[*]} $build/bin/ksc-loadgen -p @PORT@ -U @PORT@ -t $threads -c $conc -k $slap_keys -v $value -w 0 -d $duration -q")")
done
echo "  memaslap (memcaslap -U):  $(median "${slap[@]}")"
echo "  ksc-loadgen:              $(median "${ours[@]}")"
