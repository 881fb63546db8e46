# LuaJIT's JIT compiler in the kernel (uid 1000, JIT on by default): compiled
# code gives the output user-space luajit (JIT on) gives in this guest;
# STATS shows traces for hot loops, those over the bindings it records too;
# compiled runaway loops end at the time limit and on a fatal signal; states
# compile on two CPUs at once; the module-wide machine code cap lets states
# run on interpreted; LIMITS and jit.on/jit.opt keep the JIT within its
# limits; root gets copies of the code of traces, for the host to check.
. /ksc/tests/lib.sh

J=/ksc/tests/lua/jit
load_ksc

# stat_of FILE NAME: the value of NAME= on the 'jit:' line of ksc run --stats.
stat_of() {
	sed -n "s/^jit:.* $2=\([0-9]*\).*/\1/p" "$1"
}

# same_as_luajit FILE [LUAJIT_OPTION]: compiled in the kernel, FILE prints
# what user-space luajit (with the option) prints.
same_as_luajit() {
	f=$1 base=$(basename "$1" .lua)
	as_user /ksc/bin/ksc run --stats "$f" >/tmp/$base.kernel 2>/tmp/$base.stats || return 1
	as_user /ksc/luajit ${2:-} "$f" >/tmp/$base.user 2>&1 || return 1
	[ -s /tmp/$base.user ] && cmp /tmp/$base.kernel /tmp/$base.user &&
		[ "$(stat_of /tmp/$base.stats traces)" -gt 0 ]
}
for f in $J/*.lua; do
	check "$(basename "$f"): compiled, output = user-space luajit's" same_as_luajit "$f"
done
# Bugs of LuaJIT's compiler that ksc's patches fix (upstream fixed them
# after the Debian snapshot): user-space luajit's compiled code is wrong
# there, so the kernel's compiled code must print what its interpreter does.
for f in $J/fixed/*.lua; do
	check "$(basename "$f"): compiled, output = user-space luajit -joff's" same_as_luajit "$f" -joff
done

# The conformance corpus with every loop and exit hot at once (hotloop=1,
# hotexit=1): nearly everything it runs is compiled; same output as
# user-space luajit with the same options.
eager_same() {
	f=$1 base=$(basename "$1" .lua)
	{ echo 'jit.opt.start("hotloop=1", "hotexit=1")'; cat "$f"; } >/tmp/eager-$base.lua
	as_user /ksc/bin/ksc-lua /tmp/eager-$base.lua >/tmp/$base.ek 2>&1 || return 1
	as_user /ksc/luajit /tmp/eager-$base.lua >/tmp/$base.eu 2>&1 || return 1
	[ -s /tmp/$base.eu ] && cmp /tmp/$base.ek /tmp/$base.eu
}
for f in /ksc/tests/lua/conformance/*.lua; do
	check "$(basename "$f") compiled eagerly: output = user-space luajit's" eager_same "$f"
done

# compiled_no_abort FILE: the STATS in FILE show traces, and no abort but
# those of the budget timer's hook (reason 0, LuaJIT's RECERR: a tick
# during a recording).
compiled_no_abort() {
	[ "$(stat_of "$1" traces)" -ge 1 ] &&
		! sed -n 's/.* abort_reasons=//p' "$1" | tr ',' '\n' | grep -qv '^0:'
}

# A plain hot loop compiles, with no abort but the timer's; --no-jit
# compiles nothing.
echo 'local x = 0 for i = 1, 1e6 do x = x + i end print(x)' >/tmp/hot.lua
hot_loop_traces() {
	as_user /ksc/bin/ksc run --stats /tmp/hot.lua >/dev/null 2>/tmp/hot.stats &&
		compiled_no_abort /tmp/hot.stats &&
		[ "$(stat_of /tmp/hot.stats mcode_bytes)" -gt 0 ] || { cat /tmp/hot.stats; return 1; }
}
check "hot loop: STATS shows traces, no abort but timer ticks, machine code" hot_loop_traces
no_jit_no_traces() {
	as_user /ksc/bin/ksc run --no-jit --stats /tmp/hot.lua >/dev/null 2>/tmp/nojit.stats &&
		[ "$(stat_of /tmp/nojit.stats traces)" = 0 ]
}
check "--no-jit: no traces" no_jit_no_traces
echo 'jit.on()' >/tmp/jiton.lua
expect_err "--no-jit: jit.on() fails" "JIT compiler disabled" as_user /ksc/bin/ksc run --no-jit /tmp/jiton.lua
expect_out "jit.status() is on by default" "true" \
	as_user /ksc/bin/ksc run - <<'LUA'
print((jit.status()))
LUA
expect_out "no jit.util" "nil" as_user /ksc/bin/ksc run - <<'LUA'
print(jit.util)
LUA
expect_err "jit.opt cannot raise maxmcode" "unknown or malformed" as_user /ksc/bin/ksc run - <<'LUA'
jit.opt.start("maxmcode=100000")
LUA
expect_err "jit.opt cannot raise maxrecord" "unknown or malformed" as_user /ksc/bin/ksc run - <<'LUA'
jit.opt.start("maxrecord=99999999999")
LUA
expect_out "jit.opt may lower limits; jit.off/flush/on work" "500000500000" \
	as_user /ksc/bin/ksc run - <<'LUA'
jit.opt.start("maxmcode=128", "hotloop=10")
jit.off() jit.flush() jit.on()
local x = 0 for i = 1, 1e6 do x = x + i end print(string.format("%d", x))
LUA

# The bindings the JIT records (ksc.buf reads and writes up to 32 bits,
# b:len(), ksc.time()) in hot loops of CALLs: compiled with no abort but
# the timer's, the interpreter's results (the script compares where it can)
# and the interpreter's errors.
B=$J/bindings/buf.lua
BUF4K=$(awk 'BEGIN { for (i = 0; i < 4096; i++) printf "%02x", (i * 151 + 7) % 256 }')
hexfill() { awk -v n="$1" -v b="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", b }'; }
# binding_loop WANT FUNC ARG...: the call prints WANT (a result or buf=HEX),
# compiled with no abort but the timer's.
binding_loop() {
	printed=$1
	shift
	as_user /ksc/bin/ksc-lua -S $B "$@" >/tmp/bind.out 2>&1 &&
		grep -qx -- "$printed" /tmp/bind.out && compiled_no_abort /tmp/bind.out ||
		{ cat /tmp/bind.out; return 1; }
}
check "b:read_u8 ... read_i32 compiled: the interpreter's sum" \
	binding_loop 175863425309400 reads buf:$BUF4K
check "reads and writes of the same bytes compiled: each once per round" \
	binding_loop "buf=$(hexfill 256 64)" increment buf:$(hexfill 256 00) i:100
check "b:write_u8 ... write_u32 compiled: values modulo 2^width" \
	binding_loop buf=787c563418fc1400 writes buf:0000000000000000
check "offsets that are not integers: truncated, as the interpreter does" \
	binding_loop 2500 fractional buf:0102030405
check "ksc.time() compiled: monotonic" binding_loop 0 clock
expect_err "a compiled loop past the buffer's end: the interpreter's ERANGE" \
	"CALL: ERANGE: .*out of bounds \(offset 256, 1 bytes, length 256\)" \
	as_user /ksc/bin/ksc-lua $B overrun buf:$(hexfill 256 01)
expect_err "a compiled loop on a buffer kept from an earlier call: the interpreter's EINVAL" \
	"CALL: EINVAL: .*user buffer of an earlier call" \
	as_user /ksc/bin/ksc-lua $B keep buf:05 -- use_kept

# Compiled runaway loops end at the time limit, with the interpreter's error.
for f in $J/runaway/*.lua; do
	name=$(basename "$f")
	runaway_stopped() {
		as_user /ksc/bin/ksc run --stats --time-limit 300 "$1" >/tmp/run.out 2>&1
		[ $? = 1 ] && grep -q "time limit exceeded" /tmp/run.out &&
			[ "$(stat_of /tmp/run.out traces)" -ge 1 ]
	}
	check "$name: compiled, stopped at the time limit" runaway_stopped "$f"
done

# A fatal signal ends a compiled loop (time limit far away).
killed_in_trace() {
	as_user /ksc/bin/ksc run --time-limit 60000 $J/runaway/while_add.lua >/dev/null 2>&1 &
	pid=$!
	sleep 1
	kill -9 $pid
	for i in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 $pid 2>/dev/null || return 0
		sleep 0.2
	done
	return 1
}
check "SIGKILL ends a compiled loop within 2 s" killed_in_trace

# Two states compile and run hot loops on two CPUs at once; meanwhile states
# open, compile and close (their neighbours' machine code keeps running).
two_cpus() {
	as_user /ksc/bin/ksc run $J/calls_tables_strings.lua >/tmp/a.out 2>&1 &
	a=$!
	as_user /ksc/bin/ksc run $J/numeric_loops.lua >/tmp/b.out 2>&1 &
	b=$!
	i=0
	while [ $i -lt 20 ]; do
		as_user /ksc/bin/ksc run /tmp/hot.lua >/dev/null 2>&1 || return 1
		i=$((i + 1))
	done
	wait $a && wait $b || return 1
	as_user /ksc/luajit $J/calls_tables_strings.lua | cmp - /tmp/a.out &&
		as_user /ksc/luajit $J/numeric_loops.lua | cmp - /tmp/b.out
}
check "two states on two CPUs, states opening and closing beside them" two_cpus

# The module-wide cap: one machine code area for everybody. States beyond
# it run interpreted, with the same output.
capped() {
	echo 64 >/sys/module/ksc/parameters/mcode_max_kb
	as_user /ksc/bin/ksc run $J/numeric_loops.lua >/tmp/c1.out 2>&1 &
	c1=$!
	as_user /ksc/bin/ksc run --stats $J/calls_tables_strings.lua >/tmp/c2.out 2>/tmp/c2.stats
	s2=$?
	wait $c1
	s1=$?
	echo 8192 >/sys/module/ksc/parameters/mcode_max_kb
	[ $s1 = 0 ] && [ $s2 = 0 ] &&
		as_user /ksc/luajit $J/numeric_loops.lua | cmp - /tmp/c1.out &&
		as_user /ksc/luajit $J/calls_tables_strings.lua | cmp - /tmp/c2.out ||
		{ echo "exit $s1 $s2: $(tail -n 2 /tmp/c1.out /tmp/c2.out /tmp/c2.stats)"; return 1; }
}
check "machine code cap reached: states keep running, same output" capped
check "after the cap: machine code back to none" \
	sh -c '[ "$(cat /sys/kernel/ksc/mcode_bytes)" = 0 ]'

# The machine code the JIT emits, for the host to disassemble (tests/vm/run
# runs check-ibt --jit-code on /out/17-jit-code: under indirect-branch
# tracking, 6.12's CONFIG_X86_KERNEL_IBT, every indirect-branch target must
# start with endbr64). Root keeps copies of the last traces compiled
# (debugfs, jit_code_on) while uid 1000 runs the scripts above; users
# cannot read them (kernel addresses).
D=/sys/kernel/debug/ksc
jit_code_kept() {
	echo 1 >$D/jit_code_on || return 1
	ran=0
	for f in $J/*.lua; do
		as_user /ksc/bin/ksc run "$f" >/dev/null 2>&1 || ran=1
	done
	echo 0 >$D/jit_code_on
	[ $ran = 0 ] && cat $D/jit_code >/out/17-jit-code && [ -s /out/17-jit-code ]
}
check "root gets the code of the last traces compiled (debugfs jit_code)" jit_code_kept
expect_fail "uid 1000 cannot read it" as_user cat $D/jit_code
expect_fail "nor switch it on" as_user sh -c "echo 1 >$D/jit_code_on"

summary jit
