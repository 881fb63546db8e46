# start_echo_server OUT CMD...: run the echo server CMD in the background,
# its output in file OUT, and wait until it listens. Sets $server (its pid)
# and $port; returns 1 (server killed, its output shown) when it did not
# start. Sourced by run.sh and by the example's test.
start_echo_server() {
	_out=$1
	shift
	: >"$_out"	# not an earlier server's port
	"$@" >"$_out" 2>&1 &
	server=$!
	for _ in $(seq 200); do
		grep -q '^listening on' "$_out" && break
		sleep 0.05
	done
	port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$_out")
	[ -n "$port" ] && return 0
	echo "the echo server did not start: $(cat "$_out")" >&2
	kill "$server" 2>/dev/null
	return 1
}
