# LuaJIT in ksc.ko through /dev/ksc, as uid 1000: LOAD, CALL with every type,
# print() capture, errors, the sandbox, LIMITS, STATS, module lifetime.
. /ksc/tests/lib.sh

L=/ksc/tests/lua/basic
lua() { as_user /ksc/bin/ksc-lua "$@"; }

check "a fresh ksc.ko" load_ksc

expect_out "LOAD runs the chunk; print() reaches the caller" \
	"$(printf 'hello from the kernel\t1\t2.5\tnil\ttrue')" lua $L/hello.lua
expect_out "CALL passes integer, number, string, boolean, nil" \
	"$(printf '42\n1.5\nabc\ntrue\nnil')" lua $L/values.lua echo i:42 n:1.5 s:abc b:1 nil
expect_out "CALL arguments arrive with their Lua types" \
	"$(printf 'number,number,string,boolean,nil,userdata\nbuf=00')" \
	lua $L/values.lua kinds i:1 n:2.5 s:x b:0 nil buf:00
expect_out "CALL results: integers, numbers, -0, inf, strings, booleans, nil, other" \
	"$(printf '42\n-7\n9007199254740992\n0.5\n-0\ninf\ntext\ntrue\nfalse\nnil\n(other)')" \
	lua $L/values.lua many
expect_err "a run-time error is EINVAL with Lua's message and line" \
	"CALL: EINVAL: .*runtime_error.lua:3: attempt to index local 't' \(a nil value\)" \
	lua $L/runtime_error.lua boom
expect_err "a syntax error fails LOAD with EINVAL and the message" \
	"LOAD: EINVAL: .*syntax_error.lua:1: unexpected symbol near '='" lua $L/syntax_error.lua
expect_err "calling a missing global function is ENOENT" \
	"CALL: ENOENT: no global function 'nosuch'" lua $L/hello.lua nosuch
expect_out "no io/os/package/debug/ffi/loadfile/dofile; text-only load; no addresses" \
	"sandbox ok" lua $L/sandbox.lua
echo 'function f() return ("x"):rep(1000) end' >/tmp/long.lua
expect_out "a string result longer than the caller's buffer is truncated and flagged" \
	"$(head -c 256 /dev/zero | tr '\0' x) [truncated]" lua /tmp/long.lua f
expect_err "STATS counts loads, calls and errors" "loads=1 calls=1 errors=1 " \
	lua -S $L/runtime_error.lua boom
expect_err "LIMITS cannot raise a limit (EPERM)" "LIMITS: EPERM" lua -m 999999999999 $L/hello.lua
expect_out "LIMITS can lower every limit" "hello from the kernel	1	2.5	nil	true" \
	lua -m 4000000 -t 500 -s 6000 -o 4096 $L/hello.lua

# Two states run at once (one per process), each to completion.
two_states() {
	as_user /ksc/bin/ksc-lua $L/parallel.lua spin i:300000 >/tmp/p1 &
	as_user /ksc/bin/ksc-lua $L/parallel.lua spin i:300000 >/tmp/p2 &
	wait
	[ "$(cat /tmp/p1)" = 899998 ] && [ "$(cat /tmp/p2)" = 899998 ]
}
check "two states run in parallel" two_states

# GC objects as table keys: every use works; the pairs() order of the same
# program differs between states (a per-state secret, not addresses alone).
secret_order() {
	a=$(lua $L/gc_keys.lua) && b=$(lua $L/gc_keys.lua) && c=$(lua $L/gc_keys.lua) &&
		[ -n "$a" ] && { [ "$a" != "$b" ] || [ "$a" != "$c" ]; }
}
check "GC objects as keys; pairs() order is keyed per state" secret_order

# The module cannot go while a state is open.
hold_open() { as_user sh -c 'exec 3</dev/ksc; sleep 3' & sleep 1; }
hold_open
expect_fail "rmmod fails while a state is open" rmmod ksc
wait
check "rmmod succeeds once every state is closed" rmmod ksc
check "insmod again" insmod /ksc/ksc.ko
summary lua-basic
