# What an unprivileged user cannot make ksc.ko do (issue: safe for every
# local user): descriptor lifetime, owners, killed processes, socket batch
# bounds and flags, caps per user namespace owner and in all, nothing from
# scripts in the kernel log, the non-preemptible stretch measured.
. /ksc/tests/lib.sh

CAP=16
load_ksc states_per_user=$CAP
# run_shown NAME CMD...: CMD's own lines shown, then one case for its status.
run_shown() {
	name=$1
	shift
	"$@" >/tmp/shown.out 2>&1
	status=$?
	cat /tmp/shown.out
	check "$name" test $status = 0
}
run_shown "descriptors, owners, killed processes, batches, STATS (ksc-safety as uid 1000)" \
	as_user /ksc/bin/ksc-safety
run_shown "user namespaces do not multiply states_per_user" /ksc/bin/ksc-safety --userns $CAP

echo 5 >/sys/module/ksc/parameters/states_max
check "states_max caps all users together" as_user /ksc/bin/ksc-open-cap 5
echo 1024 >/sys/module/ksc/parameters/states_max

# A script's text never reaches the kernel log.
lua_as_user() { printf '%s\n' "$1" | as_user /ksc/bin/ksc-lua -; }
expect_err "jit.attach is refused" "vmevent API disabled" lua_as_user \
	'jit.attach(function() error("ksc-forged-line") end, "bc") loadstring("return 1")'
expect_err "error() text stays with the caller" "ksc-forged-line" lua_as_user \
	'error("ksc-forged-line")' 
check "nothing a script wrote is in the kernel log" sh -c '! dmesg | grep -q ksc-forged-line'

nopreempt=/sys/kernel/ksc/max_nopreempt_ns
check "max_nopreempt_ns is root's only (0600)" sh -c "[ \$(stat -c %a $nopreempt) = 600 ]"
expect_fail "uid 1000 cannot read max_nopreempt_ns" as_user cat $nopreempt
check "max_nopreempt_ns is measured" sh -c "[ \$(cat $nopreempt) -gt 0 ]"
echo "  max_nopreempt_ns after this suite: $(cat $nopreempt)"
check "writing 0 resets it" sh -c "echo 0 >$nopreempt && [ \$(cat $nopreempt) -lt 1000000 ]"
expect_fail "writing anything else is refused" sh -c "echo 5 >$nopreempt"

check "no state left" sh -c '[ "$(cat /sys/module/ksc/refcnt)" = 0 ]'
check "rmmod" rmmod ksc
summary safety
