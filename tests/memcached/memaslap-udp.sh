#!/bin/bash
# memaslap-udp.sh: run under with-server.sh (KSC_TEST_PORT set). memaslap's
# UDP mode must complete runs against the server, and the server's stats
# must show the GETs it served. memaslap sometimes aborts on its own
# assertions (a known memaslap bug in its UDP request-id bookkeeping): such a
# run is retried, and it counts against the server only if the server stopped
# answering.
set -u
. "$(dirname "$0")/../../bench/common/memcached.sh"
port=$KSC_TEST_PORT
cfg=$(mktemp)
out=$(mktemp)
trap 'rm -f "$cfg" "$out"' EXIT
# 16-byte keys, 32-byte values, 90% GETs (the SETs go over UDP too).
printf 'key\n16 16 1\nvalue\n32 32 1\ncmd\n0 0.1\n1 0.9\n' > "$cfg"

gets_before=$(mc_stat "$port" cmd_get)
completed=0
for attempt in 1 2 3; do
	timeout 10 memcaslap -s "127.0.0.1:$port" -U -T 2 -c 16 -w 1k -t 2s -X 32 \
		-F "$cfg" > "$out" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -q '^Run time:' "$out"; then
		completed=1
		break
	fi
	if grep -q 'Assertion' "$out"; then
		echo "memaslap aborted on its own assertion (attempt $attempt):" >&2
		grep 'Assertion' "$out" | head -1 >&2
	else
		echo "memaslap failed (status $rc, attempt $attempt):" >&2
		tail -5 "$out" >&2
	fi
	# Its crash is its business; the server must still answer.
	check "server alive after memaslap attempt $attempt" \
		[ "$(mc_version "$port")" = "VERSION 1.6.18" ]
done
check "a memaslap UDP run completed" [ "$completed" = 1 ]
gets_after=$(mc_stat "$port" cmd_get)
served=$((gets_after - gets_before))
echo "memaslap says: $(grep -E '^(cmd_get|get_misses|udp_timeout|packet_drop|packet_disorder):' "$out" | tr '\n' ' ')"
echo "server says: $served GETs served, $(mc_stat "$port" ksc_udp_requests) UDP requests, $(mc_stat "$port" ksc_udp_dropped) dropped"
check "server stats show the GETs" [ "$served" -gt 1000 ]
summary memcached_memaslap_udp
