#!/bin/sh
# bench/compare/guest.sh OUTDIR: the measuring half of `make bench`, run in
# the qemu guest by bench/compare/run (or on the host with --host). POSIX sh
# with busybox: no python here; it writes one JSON object per measured run
# to OUTDIR/runs.jsonl and the conditions to OUTDIR/conditions.json, and
# the host formats them.
#
# Every server runs in the same place: two private network namespaces
# joined by a veth pair (native XDP works on veth), the server pinned to
# SERVER_CPU in one, ksc-loadgen pinned to LOADGEN_CPU in the other (the
# same CPU in the instruction-counted guest). The servers take turns,
# ROUNDS times per value size, each with the same closed-loop load.
#
# Settings (OUTDIR/settings.sh, written by bench/compare/run): SERVERS, SIZES, ROUNDS,
# THREADS, CONCURRENCY, KEYS, WARMUP, DURATION, BATCH, SERVER_THREADS,
# BENCH_WHERE (guest, host), BENCH_CLOCK (icount, wall), SERVER_CPU, LOADGEN_CPU,
# KSC_BIN (ksc-memcached, ksc-loadgen), KSC_KO (ksc.ko, for luajit),
# MEMCACHED (stock memcached), XDP_PASS_OBJ (bench/compare/xdp_pass.bpf.o),
# XDP_FLOOR_OBJ (bench/compare/xdp_floor.bpf.o, for ksc-bench-floor).
# shellcheck disable=SC2153 # KEYS, SERVERS, ...: from settings.sh
set -u

out=$1
# shellcheck source=/dev/null # written by bench/compare/run
. "$out/settings.sh"
srv_ns=ksc-bench-srv-$$
cli_ns=ksc-bench-cli-$$
srv_ip=10.77.0.1
cli_ip=10.77.0.2
port=11211
log=$out/guest.log
mkdir -p "$out"
: >"$out/runs.jsonl"
: >"$log"

# busybox sh runs its own applets before PATH: iproute2 by its path.
ip=/sbin/ip

say() { echo "bench: $*" | tee -a "$log" >&2; }

# Text safe inside a JSON string.
# shellcheck disable=SC1003 # '"\\' is tr's set of " and \
json_str() { printf '%s' "$*" | tr -d '"\\' | tr '\n\t' '  '; }

setup_net() {
	$ip netns add "$srv_ns" && $ip netns add "$cli_ns" &&
	$ip link add ksc0 netns "$srv_ns" type veth peer name ksc1 netns "$cli_ns" &&
	$ip -n "$srv_ns" addr add "$srv_ip/24" dev ksc0 &&
	$ip -n "$cli_ns" addr add "$cli_ip/24" dev ksc1 &&
	$ip -n "$srv_ns" link set lo up && $ip -n "$cli_ns" link set lo up &&
	$ip -n "$srv_ns" link set ksc0 up && $ip -n "$cli_ns" link set ksc1 up &&
	# NAPI on the client's veth for every server: XDP_TX replies need it.
	$ip -n "$cli_ns" link set dev ksc1 xdpdrv obj "$XDP_PASS_OBJ" sec xdp
}

# shellcheck disable=SC2317 # run by the EXIT trap
teardown_net() {
	$ip netns del "$srv_ns" 2>/dev/null
	$ip netns del "$cli_ns" 2>/dev/null
}

in_cli() { $ip netns exec "$cli_ns" "$@"; }	# execs through PATH: the real taskset

# Sends memcached commands over TCP from the client side; prints the reply.
ask() { printf '%s\r\nquit\r\n' "$1" | in_cli busybox nc -w 3 "$srv_ip" "$port" 2>/dev/null; }

# How much counter $1 grew between two stats replies ("null": unknown).
stat_delta() {	# stat_delta NAME BEFORE AFTER
	printf '%s\n%s\n' "$2" "$3" | tr -d '\r' | awk -v n="$1" '
		$1 == "STAT" && $2 == n { v[++k] = $3 }
		END { if (k == 2) print v[2] - v[1]; else print "null" }'
}

# Starts server $1 in the background, pinned to SERVER_CPU; sets server_pid.
start_server() {
	name=$1
	srvlog=$out/server-$name.log
	case $name in
	floor)
		set -- "$KSC_BIN/ksc-bench-floor" "$XDP_FLOOR_OBJ" ksc0 "$port" "$value"
		;;
	stock)
		set -- "$MEMCACHED" -U "$port" -p "$port" -l "$srv_ip" -t "$SERVER_THREADS" -u root
		;;
	*)
		backend=$name
		[ "$name" = handler ] && backend=luajit
		set -- env KSC_BACKEND="$backend" "$KSC_BIN/ksc-memcached" -U "$port" -p "$port" \
			-l "$srv_ip" -t "$SERVER_THREADS" --udp-batch "$BATCH" -u root
		# The XDP cache in front, holding the whole key space.
		[ "$name" = ebpf ] &&
			set -- "$@" --xdp-if=ksc0 --xdp-mode=native --xdp-items="$KEYS"
		# A Lua handler in ksc.ko in front, answering from a mirror of the store.
		[ "$name" = handler ] && set -- "$@" --handler
		;;
	esac
	# ip execs taskset, which execs the server: $! is the server's pid.
	$ip netns exec "$srv_ns" taskset -c "$SERVER_CPU" "$@" >"$srvlog" 2>&1 &
	server_pid=$!
	for _ in $(seq 100); do
		kill -0 "$server_pid" 2>/dev/null || return 1
		server_ready && return 0
		sleep 0.2
	done
	return 1
}

# The floor has no TCP side: it is ready once its program is attached.
server_ready() {
	if [ "$name" = floor ]; then
		grep -q '^attached' "$srvlog"
	else
		ask version | grep -q '^VERSION'
	fi
}

stop_server() {
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
}

record() {	# record SERVER VALUE ROUND STATUS REASON REQUESTS CROSSINGS [LOADGEN-JSON]
	printf '{"server": "%s", "value": %s, "round": %s, "status": "%s", "reason": "%s", "udp_requests": %s, "crossings": %s, "loadgen": %s}\n' \
		"$1" "$2" "$3" "$4" "$(json_str "$5")" "$6" "$7" "${8:-null}" >>"$out/runs.jsonl"
}

# One line per run: what ran, and its rate or why it failed.
progress() {	# progress SERVER VALUE ROUND
	last=$(tail -n 1 "$out/runs.jsonl")
	case $last in
	*'"status": "ok"'*)
		rps=$(echo "$last" | sed -n 's/.*"rps": \([0-9.]*\).*/\1/p')
		say "$1 ${2} B round $3/$ROUNDS: $(echo "$rps" | awk '{ printf "%.0f", $1 }') req/s" ;;
	*)
		say "$1 ${2} B round $3/$ROUNDS: $(echo "$last" | sed -n 's/.*"status": "\([a-z]*\)", "reason": "\([^"]*\)".*/\1: \2/p')" ;;
	esac
}

# /dev/ksc, from the build's ksc.ko (KSC_KO) if it loads on this kernel, else
# from the installed module (modprobe ksc); module_why says why neither did.
load_module() {
	[ -e /dev/ksc ] && return 0
	module_why="insmod ${KSC_KO:-(no build module)}: $( { [ -n "$KSC_KO" ] && insmod "$KSC_KO"; } 2>&1 | tail -n 1)"
	[ -e /dev/ksc ] && return 0
	module_why="$module_why; modprobe ksc: $(modprobe ksc 2>&1 | tail -n 1)"
	[ -e /dev/ksc ]
}

# One measured run of server $1 with values of $2 bytes, round $3.
measure() {
	name=$1 value=$2 round=$3
	if { [ "$name" = luajit ] || [ "$name" = handler ]; } && ! load_module; then
		record "$name" "$value" "$round" skipped "ksc.ko does not load on $(uname -r): $module_why" null null
		return
	fi
	if ! start_server "$name"; then
		record "$name" "$value" "$round" failed "server did not start: $(tail -n 3 "$out/server-$name.log")" null null
		stop_server
		return
	fi
	before=$(ask stats)
	lgout=$out/loadgen-$name-$value-$round.json
	keys=$KEYS
	# The floor's one fixed reply answers one key; there is nothing to SET.
	[ "$name" = floor ] && keys="1 --no-prefill"
	# shellcheck disable=SC2086 # $keys: the floor's two words
	in_cli taskset -c "$LOADGEN_CPU" "$KSC_BIN/ksc-loadgen" -s "$srv_ip" -p "$port" -U "$port" \
		-t "$THREADS" -c "$CONCURRENCY" -k $keys -v "$value" -w "$WARMUP" \
		-d "$DURATION" --cpus "$LOADGEN_CPU" --json -q >"$lgout" 2>>"$log"
	lgstatus=$?
	after=$(ask stats)
	# Kept: the handler row's pass reasons (ksc_kernel_*) say where its requests went.
	printf '%s\n' "$after" | tr -d '\r' >"$out/stats-$name-$value-$round.txt"
	alive=1
	kill -0 "$server_pid" 2>/dev/null || alive=0
	stop_server
	requests=$(stat_delta ksc_udp_requests "$before" "$after")
	crossings=$(stat_delta ksc_udp_crossings "$before" "$after")
	lg=$(cat "$lgout")
	if [ "$alive" = 0 ]; then
		record "$name" "$value" "$round" failed "the server died: $(tail -n 3 "$out/server-$name.log")" null null "${lg:-null}"
	elif [ "$lgstatus" != 0 ] || [ -z "$lg" ]; then
		record "$name" "$value" "$round" failed "ksc-loadgen exit status $lgstatus (1: bad replies or misses)" \
			"$requests" "$crossings" "${lg:-null}"
	elif echo "$lg" | grep -q '"measured": 0,'; then
		record "$name" "$value" "$round" failed "no reply in the measured time; server: $(tail -n 3 "$out/server-$name.log")" \
			"$requests" "$crossings" "$lg"
	else
		record "$name" "$value" "$round" ok "" "$requests" "$crossings" "$lg"
	fi
}

conditions() {
	accel=tcg
	dmesg | grep -q 'Hypervisor detected: KVM' && accel=kvm
	[ "${BENCH_WHERE:-guest}" = host ] && accel=none
	printf '{"where": "%s", "clock": "%s", "kernel": "%s", "cpus": %s, "accelerator": "%s", "cpu_model": "%s", "servers": "%s", "sizes": "%s", "rounds": %s, "threads": %s, "concurrency": %s, "keys": %s, "warmup": %s, "duration": %s, "batch": %s, "server_threads": %s, "server_cpu": %s, "loadgen_cpu": %s}\n' \
		"${BENCH_WHERE:-guest}" "$BENCH_CLOCK" "$(uname -r)" "$(nproc)" "$accel" \
		"$(json_str "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')")" \
		"$SERVERS" "$SIZES" "$ROUNDS" "$THREADS" "$CONCURRENCY" "$KEYS" "$WARMUP" \
		"$DURATION" "$BATCH" "$SERVER_THREADS" "$SERVER_CPU" "$LOADGEN_CPU" >"$out/conditions.json"
}

conditions
server_pid=
trap teardown_net EXIT
# Stopped from outside (the host driver's time limit): once the command running
# now returns (sh runs traps between commands), leave nothing behind.
trap '[ -n "$server_pid" ] && stop_server; exit 1' INT TERM
if ! setup_net 2>>"$log"; then
	say "network namespaces and veth pair: setup failed (see $log)"
	exit 1
fi
for value in $(echo "$SIZES" | tr ',' ' '); do
	for round in $(seq "$ROUNDS"); do
		for name in $SERVERS; do
			measure "$name" "$value" "$round"
			progress "$name" "$value" "$round"
		done
	done
done
exit 0
