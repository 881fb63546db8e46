#!/bin/sh
# example_kv.sh RESPONDER BACKEND: the key-value responder example on
# BACKEND: a GET of a key it holds is answered in the kernel, a miss and a
# GET of two keys by user space ("END"); its counters say so. On a backend
# that runs no kernel code, attaching fails with -EOPNOTSUPP and a message.
set -eu
bin=$1 backend=$2
[ "$backend" != ebpf ] || [ "$(id -u)" = 0 ] || { echo "SKIP: the ebpf backend needs root"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

case $backend in syscall|mmsg|uring)
	if KSC_BACKEND=$backend "$bin" -n 1 k=v >"$out" 2>&1; then
		echo "attached on $backend: $(cat "$out")"; exit 1
	fi
	cat "$out"
	grep -q "the $backend backend cannot run code in front of a socket" "$out"
	exit
esac

. "$(dirname "$0")/../../bench/udp-echo/echo_server.sh"
start_echo_server "$out" env KSC_BACKEND="$backend" "$bin" -n 2 greeting=hello other=x

python3 - "$port" <<'PY' || { kill "$server"; cat "$out"; exit 1; }
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
def get(rid, keys):
    s.sendto(struct.pack("!HHHH", rid, 0, 1, 0) + b"get " + keys + b"\r\n",
             ("127.0.0.1", int(sys.argv[1])))
    reply, _ = s.recvfrom(4096)
    assert reply[:8] == struct.pack("!HHHH", rid, 0, 1, 0), reply
    return reply[8:]
assert get(7, b"greeting") == b"VALUE greeting 0 5\r\nhello\r\nEND\r\n"
assert get(8, b"missing") == b"END\r\n"
assert get(9, b"greeting other") == b"END\r\n"
assert get(10, b"other") == b"VALUE other 0 1\r\nx\r\nEND\r\n"
PY
wait "$server"
cat "$out"
grep -q "^$backend: 2 answered in the kernel, [0-9]* passed on by it, 2 by user space$" "$out"
