# Shell helpers for the memcached benchmarks and tests (sourced).

# mc_stat PORT NAME: the value of "STAT NAME" from the server's stats (TCP).
mc_stat() {
	local a b c
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'stats\r\n' >&3
	while read -r -t 5 a b c <&3; do
		a=${a%$'\r'}
		c=${c%$'\r'}
		[ "$a" = STAT ] && [ "$b" = "$2" ] && echo "$c"
		[ "$a" = END ] && break
	done
	exec 3>&-
}

# mc_version PORT: the server's "version" reply, to show it still answers.
mc_version() {
	local line
	exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
	printf 'version\r\n' >&3
	read -r -t 5 line <&3
	exec 3>&-
	echo "${line%$'\r'}"
}

passed=0
failed=0
check() {	# check DESCRIPTION COMMAND...
	if "${@:2}"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1" >&2
	fi
}
summary() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
