# In the guest (bench/lua/run): kernel LuaJIT interpreter vs user-space
# luajit -joff on the same scripts, empty CALL vs bare ioctl, fresh-state
# memory. Prints its conditions and a table.
B=/ksc/bench-lua
REPS=${REPS:-5}
ROUNDS=${ROUNDS:-3}
insmod /ksc/ksc.ko || exit 1
echo "conditions: kernel $(uname -r), $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "conditions: $ROUNDS rounds alternating kernel and user, $REPS runs of run() each;"
echo "            best (min) and median-of-round-medians wall time per run"
echo "conditions: kernel = CALL through /dev/ksc (interpreter, JIT compiled out);"
echo "            user = /ksc/luajit -joff ($(/ksc/luajit -v | head -n 1))"
printf '%-14s %14s %14s %14s %14s %8s %s\n' script kernel_min_ms kernel_med_ms user_min_ms user_med_ms kmin/umin same
# min of the mins, median of the round medians (the host may be busy: the
# alternation and the minimum keep other load out of the ratio).
best() { sort -n | head -n 1; }
mid() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for f in numeric recursive tables strings; do
	: >/tmp/k.min; : >/tmp/k.med; : >/tmp/u.min; : >/tmp/u.med
	for r in $(seq $ROUNDS); do
		set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS)
		ksum=$1; echo $2 >>/tmp/k.min; echo $3 >>/tmp/k.med
		set -- $(/ksc/luajit -joff $B/user_harness.lua $B/$f.lua $REPS)
		usum=$1; echo $2 >>/tmp/u.min; echo $3 >>/tmp/u.med
	done
	same=$([ "$ksum" = "$usum" ] && echo yes || echo "NO ($ksum vs $usum)")
	awk -v f=$f -v a=$(best </tmp/k.min) -v b=$(mid </tmp/k.med) -v c=$(best </tmp/u.min) \
		-v d=$(mid </tmp/u.med) -v s="$same" 'BEGIN {
		printf "%-14s %14.2f %14.2f %14.2f %14.2f %8.3f %s\n", f, a/1e6, b/1e6, c/1e6, d/1e6, a/c, s }'
done
/ksc/bin/ksc-lua-bench call 20000
/ksc/bin/ksc-lua-bench memory
rmmod ksc
