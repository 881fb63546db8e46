# ksc-memcached on the luajit backend, run by the unprivileged user: its UDP
# path (libksc's combined send+receive, one CALL into ksc.ko per batch)
# frames, reassembles and answers exactly as on the host backends.
. /ksc/tests/lib.sh

port=11311
server_log=/tmp/memcached-luajit.log

listening() { netstat -ltn 2>/dev/null | grep -q ":$port "; }

wait_listening() {
	for i in $(seq 100); do
		listening && return 0
		sleep 0.1
	done
	return 1
}

# The module counts one user per open state: the server must hold one.
ksc_users() { lsmod | awk '$1 == "ksc" { print $3 }'; }
server_holds_state() { [ "$(ksc_users)" -ge 1 ]; }

# The server's states go when it exits.
states_freed() {
	for i in $(seq 50); do
		[ "$(ksc_users)" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}

check "a fresh ksc.ko" load_ksc
as_user env KSC_BACKEND=luajit /ksc/bin/ksc-memcached -l 127.0.0.1 -p $port -U $port -t 1 \
	>"$server_log" 2>&1 &
check "ksc-memcached starts on the luajit backend as uid 1000" wait_listening
check "the server holds a ksc.ko state" server_holds_state
check "UDP framing, multi-datagram replies, malformed frames" \
	/ksc/guest-tests/test_mc_udp $port
check "ksc-loadgen: every reply checked, zero errors and misses" \
	/ksc/bin/ksc-loadgen -p $port -U $port -t 1 -c 16 -k 2000 -w 0.2 -d 1 -q --max-errors 0
# By name: $! is the subshell that as_user runs in, not the server.
kill $(pidof ksc-memcached)
check "the server's states are freed when it exits" states_freed
check "rmmod" rmmod ksc
[ -s "$server_log" ] && sed 's/^/  server: /' "$server_log"
summary memcached-luajit
