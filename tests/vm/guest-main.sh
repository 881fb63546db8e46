# Runs in the guest (tools/vm/run): every suite in /ksc/tests/suites (or
# those named in $SUITES), in order, each printing its own 'NAME: N passed,
# N failed' line, its output also kept in /out/NAME.log for the host.
# After each suite, as root, the checks of after_suite below print
# 'NAME-after: N passed, N failed' into /out/NAME-after.log.
# Exits non-zero when a suite or its after-checks failed.
#
# KSC_NOPREEMPT_BOUND_NS (ns; tests/vm/run sets it) bounds the longest stretch
# ksc.ko ran with preemption disabled.
: "${KSC_NOPREEMPT_BOUND_NS:=none}"
export KSC_NOPREEMPT_BOUND_NS

after_ok() { after_passed=$((after_passed + 1)); echo "  ok   $*"; }
after_fail() { after_failed=$((after_failed + 1)); echo "  FAIL $*"; }

# after_suite NAME DMESG_LINES: what a suite must leave behind, whatever it
# tested: no open state and no Lua memory mapped, a module-wide longest
# non-preemptible stretch within
# the bound, a module that unloads, and nothing alarming in the kernel log
# after its first DMESG_LINES lines (the log is never cleared: tools/vm/run
# reads all of it at the end).
after_suite() {
	after_passed=0 after_failed=0
	if [ -e /sys/module/ksc/refcnt ]; then
		# Processes killed at the suite's end may not be reaped yet.
		i=0
		while [ "$(cat /sys/module/ksc/refcnt)" != 0 ] && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		refcnt=$(cat /sys/module/ksc/refcnt)
		if [ "$refcnt" = 0 ]; then
			after_ok "no ksc state left open (refcnt 0)"
			arena=$(cat /sys/kernel/ksc/arena_bytes 2>&1)
			if [ "$arena" = 0 ]; then
				after_ok "no Lua memory left mapped (arena_bytes 0)"
			else
				after_fail "Lua memory left mapped with no state open: arena_bytes $arena"
			fi
		else
			after_fail "ksc states left open: refcnt $refcnt after 5 s"
			ps 2>/dev/null | grep -v ' \[' | tail -n 20
		fi
		f=/sys/kernel/ksc/max_nopreempt_ns
		if ! ns=$(cat $f 2>/dev/null); then
			after_fail "no $f"
		elif [ "$KSC_NOPREEMPT_BOUND_NS" = none ]; then
			after_ok "max_nopreempt_ns $ns (reported; bounded under --icount)"
		elif [ "$ns" -le "$KSC_NOPREEMPT_BOUND_NS" ] 2>/dev/null; then
			after_ok "max_nopreempt_ns $ns <= $KSC_NOPREEMPT_BOUND_NS"
		else
			after_fail "max_nopreempt_ns $ns > $KSC_NOPREEMPT_BOUND_NS"
		fi
		if rmmod ksc >/tmp/after.rmmod 2>&1; then
			after_ok "rmmod ksc"
		else
			after_fail "rmmod ksc: $(cat /tmp/after.rmmod)"
		fi
	else
		echo "  (ksc.ko is not loaded: only the kernel log to check)"
	fi
	# Not a user-space program's fault ("traps: PROG[PID] general protection
	# fault ip:..."): that is the program's business, not the kernel's.
	dmesg | tail -n +$(($2 + 1)) |
		grep -v -E 'traps: .*\[[0-9]+\] general protection fault ip:' >/tmp/after.dmesg
	problems='BUG|WARNING|Oops|lockdep|soft lockup|rcu.*stall|general protection|Call Trace'
	if grep -Eq "$problems" /tmp/after.dmesg; then
		after_fail "the kernel log since the suite started shows a problem:"
		grep -E -B 3 -A 30 "$problems" /tmp/after.dmesg | head -n 80 | sed 's/^/  dmesg: /'
	else
		after_ok "kernel log clean ($(wc -l </tmp/after.dmesg) new lines)"
	fi
	echo "$1-after: $after_passed passed, $after_failed failed"
}

status=0
for suite in /ksc/tests/suites/*.sh; do
	name=$(basename "$suite" .sh)
	case " ${SUITES:-$name} " in *" $name "*) ;; *) continue ;; esac
	dmesg_lines=$(dmesg | wc -l)
	sh "$suite" 2>&1 | tee "/out/$name.log"
	[ "$(tail -n 1 "/out/$name.log" | grep -c ' 0 failed$')" = 1 ] || status=1
	after_suite "$name" "$dmesg_lines" 2>&1 | tee "/out/$name-after.log"
	[ "$(tail -n 1 "/out/$name-after.log" | grep -c ' 0 failed$')" = 1 ] || status=1
done
exit $status
