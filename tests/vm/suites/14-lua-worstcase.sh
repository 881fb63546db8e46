# The longest stretch without preemption: every hostile and worst-case script
# runs as uid 1000 with the default memory limit and a 1 s time limit, ends as
# its '-- expect:' line says within 15 s, and the module-wide maximum of
# /sys/kernel/ksc/max_nopreempt_ns stays within KSC_NOPREEMPT_BOUND_NS
# (default 20 ms: the ordinary guest; 2 ms in an instruction-counted guest).
# Each script's own maximum (its STATS) is printed, to find the worst.
. /ksc/tests/lib.sh

BOUND=${KSC_NOPREEMPT_BOUND_NS:-none}
W=/ksc/tests/lua/worstcase
H=/ksc/tests/lua/hostile

check "insmod ksc.ko" load_ksc
check "reset max_nopreempt_ns" sh -c 'echo 0 >/sys/kernel/ksc/max_nopreempt_ns'

# A script near the 1 MiB LOAD limit: one long string, then many short
# statements.
/ksc/luajit -e 'io.write("-- expect: ok\nlocal s = \"", ("x"):rep(2^18), "\"\nlocal t = {}\n")
	for i = 1, 2^15 do io.write("t[", i, "] = ", i, "\n") end' >/tmp/big_script.lua

for f in $H/*.lua $W/*.lua /tmp/big_script.lua; do
	lua_case "$f" -t 1000
done

max=$(cat /sys/kernel/ksc/max_nopreempt_ns)
echo "  module-wide max_nopreempt_ns=$max (bound $BOUND)"
[ "$BOUND" = none ] ||
	check "the longest stretch without preemption is within $BOUND ns" [ "$max" -le "$BOUND" ]
healthy() { [ "$(echo 'print(1 + 1)' | as_user /ksc/bin/ksc-lua -)" = 2 ]; }
check "the guest still runs scripts afterwards" healthy
summary lua-worstcase
