# Hostile scripts and callers, as uid 1000: every case ends in its documented
# error within its limits, and the guest stays healthy (tools/vm/run also
# fails the run on any kernel warning). The module's own time cap is raised
# to 60 s here, so only the per-state limits the tests set bound the cases.
. /ksc/tests/lib.sh

H=/ksc/tests/lua/hostile
LIMITS="-t 1000 -m 8000000"
CAP=16

rmmod ksc 2>/dev/null
check "insmod ksc.ko with a 60 s time cap and $CAP states per user" \
	insmod /ksc/ksc.ko call_time_max_ms=60000 states_per_user=$CAP

for f in $H/*.lua; do
	lua_case "$f" $LIMITS
done

# 100,000 nested parentheses straight into LOAD.
/ksc/luajit -e 'io.write("-- expect: EOVERFLOW kernel stack limit reached\nreturn ",
	("("):rep(1e5), "1", (")"):rep(1e5))' >/tmp/nested_load.lua
lua_case /tmp/nested_load.lua $LIMITS

check "NULL, kernel and unmapped pointers, bad sizes, unknown ioctls" \
	as_user /ksc/bin/ksc-abi-hostile
check "threads: concurrent CALLs serialised; close() during a CALL" \
	as_user /ksc/bin/ksc-threads
check "one user opens states until the cap (EMFILE)" as_user /ksc/bin/ksc-open-cap $CAP

# kill -9 ends a long CALL at once (its own limit is 50 s).
kill_during_call() {
	as_user /ksc/bin/ksc-lua -t 50000 $H/busy_loop.lua >/dev/null 2>&1 &
	sleep 2
	pid=$(pidof ksc-lua) || return 1
	kill -9 $pid
	for i in 1 2 3 4 5 6; do
		pidof ksc-lua >/dev/null || break
		sleep 0.5
	done
	wait
	! pidof ksc-lua >/dev/null
}
check "kill -9 during a long call ends it within 3 s" kill_during_call
check "the killed caller's state is freed (module unused)" \
	sh -c '[ "$(cat /sys/module/ksc/refcnt)" = 0 ]'

healthy() { [ "$(echo 'print(1 + 1)' | as_user /ksc/bin/ksc-lua -)" = 2 ]; }
check "the guest still runs scripts afterwards" healthy
check "rmmod after the hostile cases" rmmod ksc
check "insmod again" insmod /ksc/ksc.ko
summary lua-hostile
