#!/bin/bash
# with-server.sh SERVER [SERVER-ARGS...] -- CLIENT [CLIENT-ARGS...]
#
# Starts a memcached-compatible SERVER (ksc-memcached or stock memcached:
# they take the same options) on a free loopback port for both TCP and UDP,
# waits until it accepts connections, runs CLIENT with every @PORT@ in its
# arguments replaced by the port, stops the server and exits with CLIENT's
# status. Ports come from the kernel (bind to port 0), so parallel ctest runs
# do not collide; a port taken in between makes the server fail to start,
# and another port is tried.
set -u

server=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do server+=("$1"); shift; done
[ $# -gt 0 ] || { echo "usage: $0 SERVER [ARGS...] -- CLIENT [ARGS...]" >&2; exit 2; }
shift
client=("$@")

free_port() {
	python3 - <<'PY'
import socket
while True:
    t = socket.socket(); t.bind(("127.0.0.1", 0)); port = t.getsockname()[1]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        u.close(); t.close()
    print(port); break
PY
}

wait_listening() {	# port pid
	for _ in $(seq 100); do
		kill -0 "$2" 2>/dev/null || return 1
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

user=()
[ "$(id -u)" = 0 ] && user=(-u nobody)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null' EXIT
for attempt in 1 2 3; do
	port=$(free_port)
	"${server[@]}" -p "$port" -U "$port" -l 127.0.0.1 "${user[@]}" &
	pid=$!
	wait_listening "$port" "$pid" && break
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=
done
[ -n "$pid" ] || { echo "with-server: ${server[0]} did not start" >&2; exit 1; }

export KSC_TEST_PORT=$port
"${client[@]//@PORT@/$port}"
