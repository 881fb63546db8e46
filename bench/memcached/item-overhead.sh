#!/bin/bash
# bench/memcached/item-overhead.sh [BUILD_DIR]: memory per stored item, stock
# memcached against ksc-memcached: the server's resident set size grows by
# so much when ITEMS keys of KEY_SIZE bytes with VALUE-byte values are
# SET (by ksc-loadgen's prefill); minus the key and value bytes, that is
# the per-item overhead (headers, allocator rounding, hash table). Host only.
#
# Environment: ITEMS (500000), KEY_SIZE (16), VALUE (32).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
items=${ITEMS:-500000}
key_size=${KEY_SIZE:-16}
value=${VALUE:-32}
export build items key_size value

# Run inside with-server.sh: $KSC_TEST_PORT is the server's port.
measure() {
	local pid rss0 rss1
	pid=$(ss -Htlnp "sport = :$KSC_TEST_PORT" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1)
	rss0=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	"$build/bin/ksc-loadgen" -p "$KSC_TEST_PORT" -U "$KSC_TEST_PORT" -k "$items" \
		--key-size "$key_size" -v "$value" -t 1 -c 1 -w 0 -d 0.1 -q > /dev/null || return 1
	rss1=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
	awk -v a="$rss0" -v b="$rss1" -v n="$items" -v p=$((key_size + value)) 'BEGIN {
		per = (b - a) * 1024 / n
		printf "%8.1f B/item resident, %6.1f B/item over the %d B of key and value\n", per, per - p, p }'
}
export -f measure

echo "memory per item: $items items, ${key_size} B keys, ${value} B values, -m 1024"
printf '  %-26s' "memcached $(memcached -V | cut -d' ' -f2):"
"$top/bench/common/with-server.sh" memcached -m 1024 -- bash -c measure
printf '  %-26s' "ksc-memcached:"
KSC_BACKEND=syscall "$top/bench/common/with-server.sh" "$build/bin/ksc-memcached" -m 1024 -- bash -c measure
