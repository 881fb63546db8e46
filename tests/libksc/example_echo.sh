#!/bin/sh
# example_echo.sh ECHO BACKEND: the UDP echo example serves 3 requests on
# BACKEND (a Python client checks every reply), then reports its crossings.
set -eu
echo_bin=$1 backend=$2
# The ebpf backend needs CAP_BPF: skipped (ctest's SKIP_RETURN_CODE) when not root.
[ "$backend" != ebpf ] || [ "$(id -u)" = 0 ] || { echo "SKIP: the ebpf backend needs root"; exit 77; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

. "$(dirname "$0")/../../bench/udp-echo/echo_server.sh"
start_echo_server "$out" env KSC_BACKEND="$backend" "$echo_bin" -n 3 -b 4

python3 - "$port" <<'PY' || { kill "$server"; exit 1; }
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
for i in range(3):
    msg = b"x" * (i * 100) + bytes([i])
    s.sendto(msg, ("127.0.0.1", int(sys.argv[1])))
    reply, _ = s.recvfrom(4096)
    assert reply == msg, (reply, msg)
PY
wait "$server"
cat "$out"
grep -q "^served 3 requests on $backend with [0-9]* kernel crossings$" "$out"
