# Helpers for guest test suites (sourced by tests/vm/suites/*.sh in the guest).
# A suite calls check/expect_fail for each case and ends with 'summary NAME',
# which prints the one line 'NAME: N passed, N failed'.
passed=0
failed=0

ok() { passed=$((passed + 1)); echo "  ok   $*"; }
not_ok() { failed=$((failed + 1)); echo "  FAIL $*"; }

# lib_expect_status NAME WANT CMD...: WANT is 0 when CMD must succeed, 1 when it must fail.
lib_expect_status() {
	local name=$1 want=$2 got=0
	shift 2
	"$@" >/tmp/check.out 2>&1 || got=1
	if [ "$got" = "$want" ]; then
		ok "$name"
	elif [ "$want" = 0 ]; then
		not_ok "$name (failed): $(head -c 600 /tmp/check.out)"
	else
		not_ok "$name (succeeded, should fail): $(head -c 600 /tmp/check.out)"
	fi
}

# check NAME CMD...: CMD must exit 0.
check() {
	local name=$1
	shift
	lib_expect_status "$name" 0 "$@"
}

# expect_fail NAME CMD...: CMD must exit non-zero.
expect_fail() {
	local name=$1
	shift
	lib_expect_status "$name" 1 "$@"
}

# expect_out NAME WANTED CMD...: CMD succeeds and prints exactly WANTED on stdout.
expect_out() {
	local name=$1 want=$2 got status
	shift 2
	got=$("$@" 2>/tmp/case.err)
	status=$?
	if [ $status -eq 0 ] && [ "$got" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name (exit $status): got '$got', wanted '$want'; stderr: $(head -c 300 /tmp/case.err)"
	fi
}

# expect_err NAME PATTERN CMD...: CMD fails and what it prints matches
# PATTERN (grep -E). A suite that sets want_status also requires that exit
# status.
expect_err() {
	local name=$1 pattern=$2 status
	shift 2
	"$@" >/tmp/case.out 2>&1
	status=$?
	if [ $status -ne 0 ] && [ -z "${want_status:-}" -o "$status" = "${want_status:-}" ] &&
		grep -Eq -- "$pattern" /tmp/case.out; then
		ok "$name"
	else
		not_ok "$name (exit $status): wanted /$pattern/, got: $(head -c 300 /tmp/case.out)"
	fi
}

# as_user CMD...: run CMD as the unprivileged user ksc (uid/gid 1000).
# By full path: the static busybox prefers its own, weaker, setpriv applet.
as_user() {
	/usr/bin/setpriv --reuid=1000 --regid=1000 --clear-groups --inh-caps=-all -- "$@"
}

# load_ksc [PARAM=VALUE...]: a freshly loaded ksc.ko, whatever an earlier
# suite left loaded.
load_ksc() {
	rmmod ksc 2>/dev/null
	insmod /ksc/ksc.ko "$@"
}

# lua_case FILE [ksc-lua options]: FILE runs as uid 1000 in a fresh state;
# its '-- expect: ERRNO MESSAGE' (or '-- expect: ok') line must hold within
# 15 s. A '-- limits: OPTIONS' line adds ksc-lua options after the suite's
# (a longer time limit for a case that must finish its work). The case's
# name shows the state's longest non-preemptible stretch.
lua_case() {
	file=$1
	shift
	want=$(sed -n 's/^-- expect: //p' "$file" | head -n 1)
	errno=${want%% *} msg=${want#* }
	own=$(sed -n 's/^-- limits: //p' "$file" | head -n 1)
	t0=$(date +%s)
	# shellcheck disable=SC2086 # $own is a list of options
	as_user /ksc/bin/ksc-lua -S "$@" $own "$file" >/tmp/case.out 2>/tmp/case.err
	status=$?
	took=$(($(date +%s) - t0))
	ns=$(sed -n 's/.*max_nopreempt_ns=\([0-9]*\).*/\1/p' /tmp/case.out /tmp/case.err | tail -n 1)
	name="$(basename "$file") max_nopreempt_ns=${ns:-?}: $want"
	if [ "$took" -gt 15 ]; then
		not_ok "$name: took ${took}s"
	elif [ "$errno" = ok ] && [ $status -eq 0 ]; then
		ok "$name"
	elif [ "$errno" != ok ] && [ $status -ne 0 ] && grep -q "LOAD: $errno: .*$msg" /tmp/case.err; then
		ok "$name"
	else
		not_ok "$name: exit $status: $(head -c 300 /tmp/case.err)"
	fi
}

summary() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
