# In the guest (bench/lua/run): the same scripts under LuaJIT's JIT compiler
# in the kernel, the kernel interpreter (the state's limits turn the JIT
# off), user-space luajit, user-space luajit -joff and user-space luajit
# built with the upstream fixes the kernel carries; empty CALL vs bare
# ioctl, fresh-state memory. Prints its conditions and a table.
B=/ksc/bench-lua
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-9}
insmod /ksc/ksc.ko || exit 1
echo "conditions: kernel $(uname -r), $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "conditions: $ROUNDS rounds alternating the five sides, $REPS runs of run() each, a fresh state"
echo "            (process) per round; *_ms: the best run of all rounds; *_mean: the best round's"
echo "            mean of its runs but the first (which compiles), as a collector cycle can span runs"
echo "conditions: kjit = CALL through /dev/ksc, JIT on (the default); kint = the same, JIT off;"
echo "            ujit/uint = $(/ksc/luajit -v | head -n 1), JIT on / -joff"
echo "            ufix = the same source with the upstream fixes of bench/lua/user-fixes.list"
echo "            (bench/lua/build-user-luajit), JIT on"
printf '%-10s %8s %8s %8s %8s %8s %9s %9s %9s %9s %9s %10s %9s %s\n' script kjit_ms kint_ms \
	ujit_ms uint_ms ufix_ms ujit/kjit ufix/kjit kint/kjit kjit_mean ujit_mean mean_ratio \
	ufix_mean same
best() { sort -n | head -n 1; }
# One side's run: "checksum min_ns mean_ns"; appends min and mean to /tmp/SIDE.*
record() {
	echo "$2" >>/tmp/$1.min
	echo "$3" >>/tmp/$1.mean
}
for f in numeric recursive tables strings bufloop bufbytes; do
	for side in kjit kint ujit uint ufix; do : >/tmp/$side.min; : >/tmp/$side.mean; done
	for r in $(seq $ROUNDS); do
		set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS)
		sum=$1; record kjit "$2" "$3"
		set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS no-jit)
		same=$([ "$1" = "$sum" ] && echo yes || echo "NO ($1 vs $sum)"); record kint "$2" "$3"
		case $f in buf*) continue ;; esac	# ksc.buf exists only in the kernel
		set -- $(/ksc/luajit $B/user_harness.lua $B/$f.lua $REPS)
		[ "$1" = "$sum" ] || same="NO ($1 vs $sum)"; record ujit "$2" "$3"
		set -- $(/ksc/luajit -joff $B/user_harness.lua $B/$f.lua $REPS)
		[ "$1" = "$sum" ] || same="NO ($1 vs $sum)"; record uint "$2" "$3"
		set -- $(/ksc/luajit-fixes $B/user_harness.lua $B/$f.lua $REPS)
		[ "$1" = "$sum" ] || same="NO ($1 vs $sum)"; record ufix "$2" "$3"
	done
	awk -v f=$f -v a=$(best </tmp/kjit.min) -v b=$(best </tmp/kint.min) \
		-v c=$(best </tmp/ujit.min) -v d=$(best </tmp/uint.min) -v e=$(best </tmp/ufix.min) \
		-v am=$(best </tmp/kjit.mean) -v cm=$(best </tmp/ujit.mean) \
		-v em=$(best </tmp/ufix.mean) -v s="$same" '
	function ms(x) { return x == "-" ? x : sprintf("%.2f", x / 1e6) }
	function ratio(x, y) { return x == "-" ? x : sprintf("%.2f", x / y) }
	BEGIN {
		if (c == "") { c = "-"; d = "-"; e = "-"; cm = "-"; em = "-" }
		printf "%-10s %8s %8s %8s %8s %8s %9s %9s %9.2f %9s %9s %10s %9s %s\n", f,
			ms(a), ms(b), ms(c), ms(d), ms(e), ratio(c, a), ratio(e, a), b / a,
			ms(am), ms(cm), ratio(cm, am), ms(em), s }'
done
/ksc/bin/ksc-lua-bench call 20000
/ksc/bin/ksc-lua-bench memory
rmmod ksc
