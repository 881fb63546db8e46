# In the guest (bench/lua/run): the same scripts under LuaJIT's JIT compiler
# in the kernel, the kernel interpreter (the state's limits turn the JIT
# off), user-space luajit and user-space luajit -joff; empty CALL vs bare
# ioctl, fresh-state memory. Prints its conditions and a table.
B=/ksc/bench-lua
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-3}
insmod /ksc/ksc.ko || exit 1
echo "conditions: kernel $(uname -r), $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "conditions: $ROUNDS rounds alternating the four sides, $REPS runs of run() each;"
echo "            best (min) wall time per run, ms (the first run of a state compiles)"
echo "conditions: kjit = CALL through /dev/ksc, JIT on (the default); kint = the same, JIT off;"
echo "            ujit/uint = $(/ksc/luajit -v | head -n 1), JIT on / -joff"
printf '%-10s %9s %9s %9s %9s %9s %9s %s\n' script kjit_ms kint_ms ujit_ms uint_ms \
	ujit/kjit kint/kjit same
best() { sort -n | head -n 1; }
for f in numeric recursive tables strings bufloop; do
	for side in kjit kint ujit uint; do : >/tmp/$side.min; done
	for r in $(seq $ROUNDS); do
		set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS)
		sum=$1; echo $2 >>/tmp/kjit.min
		set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS no-jit)
		same=$([ "$1" = "$sum" ] && echo yes || echo "NO ($1 vs $sum)"); echo $2 >>/tmp/kint.min
		[ $f = bufloop ] && continue	# ksc.buf exists only in the kernel
		set -- $(/ksc/luajit $B/user_harness.lua $B/$f.lua $REPS)
		[ "$1" = "$sum" ] || same="NO ($1 vs $sum)"; echo $2 >>/tmp/ujit.min
		set -- $(/ksc/luajit -joff $B/user_harness.lua $B/$f.lua $REPS)
		[ "$1" = "$sum" ] || same="NO ($1 vs $sum)"; echo $2 >>/tmp/uint.min
	done
	awk -v f=$f -v a=$(best </tmp/kjit.min) -v b=$(best </tmp/kint.min) \
		-v c=$(best </tmp/ujit.min) -v d=$(best </tmp/uint.min) -v s="$same" 'BEGIN {
		if (c == "") { c = "-"; d = "-"; r = "-" } else r = sprintf("%.2f", c / a)
		printf "%-10s %9.2f %9.2f %9s %9s %9s %9.2f %s\n", f, a / 1e6, b / 1e6,
			c == "-" ? c : sprintf("%.2f", c / 1e6), d == "-" ? d : sprintf("%.2f", d / 1e6),
			r, b / a, s }'
done
/ksc/bin/ksc-lua-bench call 20000
/ksc/bin/ksc-lua-bench memory
rmmod ksc
