#!/bin/sh
# bench/udp-echo/run.sh [BUILD_DIR]: UDP echo request/response on every
# backend given, server (ksc-udp-echo) pinned to CPU 0, client to CPU 1.
# Prints the conditions, then one row per backend and payload: requests/s,
# average and p99 latency, kernel crossings per request (counted by libksc
# in the server).
#
# POSIX sh, so that it also runs in the busybox guest.
# Environment: BACKENDS (default "syscall mmsg"), PAYLOADS ("32 128 512 1024"),
# REQUESTS (200000 per run), WINDOW (requests in flight, 16), BATCH (server
# batch, 16), SERVER_CPU (0), CLIENT_CPU (1).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
server_bin=$build/bin/ksc-udp-echo
client_bin=$build/bin/udp-echo-client
backends=${BACKENDS:-syscall mmsg}
payloads=${PAYLOADS:-32 128 512 1024}
requests=${REQUESTS:-200000}
window=${WINDOW:-16}
batch=${BATCH:-16}
server_cpu=${SERVER_CPU:-0}
client_cpu=${CLIENT_CPU:-1}
. "$here/echo_server.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "udp-echo benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "  host:     $(uname -n), kernel $(uname -r), $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "  server:   ksc-udp-echo on CPU $server_cpu, batch $batch; client on CPU $client_cpu, $window requests in flight"
echo "  runs:     $requests requests each, the first 10% warm-up; loopback (127.0.0.1)"
echo "  loadavg:  $(cut -d' ' -f1-3 /proc/loadavg) (other load on these CPUs skews the figures)"
echo
printf '%-8s %8s %12s %10s %10s %14s\n' backend payload requests/s avg_us p99_us crossings/req

for backend in $backends; do
	for payload in $payloads; do
		start_echo_server "$out" env KSC_BACKEND="$backend" \
			taskset -c "$server_cpu" "$server_bin" -n "$requests" -b "$batch" || exit 1
		if ! result=$("$client_bin" -p "$port" -s "$payload" -n "$requests" -w "$window" -c "$client_cpu"); then
			kill "$server" 2>/dev/null
			echo "$backend $payload: the client failed" >&2
			exit 1
		fi
		wait "$server"
		crossings=$(sed -n 's/^served [0-9]* requests on [a-z]* with \([0-9]*\) kernel crossings$/\1/p' "$out")
		echo "$result" | awk -v b="$backend" -v p="$payload" -v c="$crossings" -v n="$requests" '{
			for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
			printf "%-8s %8s %12s %10s %10s %14.2f\n", b, p, v["rps"], v["avg_us"], v["p99_us"], c / n
		}'
	done
done
