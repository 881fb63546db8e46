# libksc's UDP batch on the luajit backend, as an unprivileged user: the
# host's syscall/mmsg test programs give the same results through a Lua
# script in the kernel, one kernel crossing per batch (the module's call
# counter agrees); plus a script failing half-way, scripts returning
# garbage, foreign and closed fds, the socket binding's cap, time limit and
# signals, and the echo example.
. /ksc/tests/lib.sh

tests=/ksc/guest-tests
load_ksc
for t in full_batch partial_batch timeout truncated zero_length bad_fd not_socket \
	closed_in_thread send_batch send_error send_recv bad_batch crossings; do
	check "udp $t: same results as syscall" as_user $tests/test_udp_$t luajit
done
check "a script failing half-way: sent stays sent, error reported" \
	as_user $tests/test_luajit_udp_script_error
check "scripts returning garbage: -EPROTO" as_user $tests/test_luajit_udp_garbage
check "foreign, closed and non-socket fds" as_user $tests/test_luajit_udp_foreign_fd
check "ksc.socket: a call's socket operations are capped" as_user $tests/test_luajit_socket_ops_cap
check "ksc.socket: the time limit ends a wait" as_user $tests/test_luajit_socket_time_limit
check "ksc.socket: a signal ends a wait with -EINTR" as_user $tests/test_luajit_socket_signal
check "ksc.socket: batch record methods, partial batches and bad records" \
	as_user $tests/test_luajit_socket_records
check "module version and ceilings; states owned by their process, KSC_OPEN_SHAREABLE" \
	as_user $tests/test_luajit_module

# The example server on luajit, driven by the benchmark's client (it checks every reply's length).
. /ksc/udp-echo/echo_server.sh
echo_on_luajit() {
	out=$(mktemp)
	chmod 666 "$out"
	start_echo_server "$out" as_user env KSC_BACKEND=luajit /ksc/bin/ksc-udp-echo -n 200 -b 8 ||
		return 1
	if ! as_user /ksc/bin/udp-echo-client -p "$port" -n 200 -w 4 -s 64; then
		kill $server
		cat "$out"
		return 1
	fi
	wait $server
	cat "$out"
	grep -q '^served 200 requests on luajit with [0-9]* kernel crossings$' "$out"
}
check "the echo example serves on luajit" echo_on_luajit
rmmod ksc
summary libksc-luajit
