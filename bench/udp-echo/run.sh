#!/bin/sh
# bench/udp-echo/run.sh [BUILD_DIR]: UDP echo request/response on every
# backend given, server (ksc-udp-echo) pinned to CPU 0, client to CPU 1.
# Prints the conditions, then one row per backend and payload: requests/s,
# average and p99 latency, kernel crossings per request (counted by libksc
# in the server).
#
# POSIX sh, so that it also runs in the busybox guest.
# Environment: BACKENDS (default "syscall mmsg uring"), PAYLOADS ("32 128 512 1024"),
# REQUESTS (200000 per run), REPEAT (rounds, 3: the backends take turns, and
# each row is the run with the median requests/s), WINDOW (requests in
# flight, 16), BATCH (server batch, 16), SERVER_CPU (0), CLIENT_CPU (1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
server_bin=$build/bin/ksc-udp-echo
client_bin=$build/bin/udp-echo-client
backends=${BACKENDS:-syscall mmsg uring}
payloads=${PAYLOADS:-32 128 512 1024}
requests=${REQUESTS:-200000}
repeat=${REPEAT:-3}
window=${WINDOW:-16}
batch=${BATCH:-16}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
. "$here/echo_server.sh"
out=$(mktemp)
runs=$(mktemp)
trap 'rm -f "$out" "$runs"' EXIT

echo "udp-echo benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  host:     $(uname -n), kernel $(uname -r), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "  server:   ksc-udp-echo on CPU $server_cpu, batch $batch; client on CPU $client_cpu, $window requests in flight"
echo "  runs:     $requests requests each, the first 10% warm-up; loopback (127.0.0.1);"
echo "            $repeat rounds with the backends taking turns, the median run (by requests/s) shown"
echo "  loadavg:  $(cut -d' ' -f1-3 /proc/loadavg) (other load on these CPUs skews the figures)"
echo
printf '%-8s %8s %12s %10s %10s %14s\n' backend payload requests/s avg_us p99_us crossings/req

# One run: BACKEND PAYLOAD -> a line "payload backend rps avg_us p99_us crossings/req" in $runs.
run_once() {
	start_echo_server "$out" env KSC_BACKEND="$1" \
		taskset -c "$server_cpu" "$server_bin" -n "$requests" -b "$batch" || exit 1
	if ! result=$("$client_bin" -p "$port" -s "$2" -n "$requests" -w "$window" -c "$client_cpu"); then
		kill "$server" 2>/dev/null
		echo "$1 $2: the client failed" >&2
		exit 1
	fi
	wait "$server"
	crossings=$(sed -n 's/^served [0-9]* requests on [a-z]* with \([0-9]*\) kernel crossings$/\1/p' "$out")
	echo "$result" | awk -v b="$1" -v p="$2" -v c="$crossings" -v n="$requests" '{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
		printf "%s %s %s %s %s %.2f\n", p, b, v["rps"], v["avg_us"], v["p99_us"], c / n
	}' >>"$runs"
}

for _ in $(seq "$repeat"); do
	for payload in $payloads; do
		for backend in $backends; do
			run_once "$backend" "$payload"
		done
	done
done
for payload in $payloads; do
	for backend in $backends; do
		awk -v p="$payload" -v b="$backend" '$1 == p && $2 == b' "$runs" | sort -k3,3n |
			awk '{ row[NR] = $0 } END {
				split(row[int((NR + 1) / 2)], f, " ")
				printf "%-8s %8s %12s %10s %10s %14s\n", f[2], f[1], f[3], f[4], f[5], f[6]
			}'
	done
done
