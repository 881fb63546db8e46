# In the guest (bench/lua/run): kernel LuaJIT interpreter vs user-space
# luajit -joff on the same scripts, empty CALL vs bare ioctl, fresh-state
# memory. Prints its conditions and a table.
B=/ksc/bench-lua
REPS=${REPS:-5}
insmod /ksc/ksc.ko || exit 1
echo "conditions: kernel $(uname -r), $(nproc) vCPU, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "conditions: $REPS runs of run() per script, one state, min and median wall time per run"
echo "conditions: kernel = CALL through /dev/ksc (interpreter, JIT compiled out);"
echo "            user = /ksc/luajit -joff ($(/ksc/luajit -v | head -n 1))"
printf '%-14s %14s %14s %14s %14s %8s %s\n' script kernel_min_ms kernel_med_ms user_min_ms user_med_ms k/u same
for f in numeric recursive tables strings; do
	set -- $(/ksc/bin/ksc-lua-bench script $B/$f.lua $REPS)
	ksum=$1 kmin=$2 kmed=$3
	set -- $(/ksc/luajit -joff $B/user_harness.lua $B/$f.lua $REPS)
	usum=$1 umin=$2 umed=$3
	same=$([ "$ksum" = "$usum" ] && echo yes || echo "NO ($ksum vs $usum)")
	awk -v f=$f -v a=$kmin -v b=$kmed -v c=$umin -v d=$umed -v s="$same" 'BEGIN {
		printf "%-14s %14.2f %14.2f %14.2f %14.2f %8.3f %s\n", f, a/1e6, b/1e6, c/1e6, d/1e6, a/c, s }'
done
/ksc/bin/ksc-lua-bench call 20000
/ksc/bin/ksc-lua-bench memory
rmmod ksc
