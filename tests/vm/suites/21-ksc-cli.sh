# The ksc command and libksc's generic layer on the luajit backend, as an
# unprivileged user: arguments, results as Lua's tostring prints them,
# print() output, errors, stdin, limits, stats; user buffers and UDP sockets
# passed from the shell (--buf, --udp); ksc status with and without the
# module; the REPL driven through a pseudo-terminal (util-linux script).
. /ksc/tests/lib.sh

ksc=/ksc/bin/ksc
# The ksc command exits 1 on an error of the script, 2 on a usage error.
want_status=1
dir=$(mktemp -d)
chmod 755 "$dir"
cat >"$dir/t.lua" <<'LUA'
function add(a, b) return a + b end
function kinds() return nil, true, false, 1e15, 0.1, 3, 2^53, -0.0, 1/0, -1/0, "str" end
function types(...)
	local t = {}
	for i = 1, select("#", ...) do t[i] = type((select(i, ...))) end
	return table.concat(t, " ")
end
function echo(...) return ... end
function boom() error("boom") end
function hello() print("hello", 42) return "done" end
function spin() while true do end end
function hog() local t = {} for i = 1, 1e8 do t[i] = i end end
function table_result() return {} end
print("loaded")
LUA
cat >"$dir/udp.lua" <<'LUA'
-- Answer one datagram with its own bytes.
function echo(fd, b)
	local s = ksc.socket(fd)
	local n, addr = s:recvmsg(b, 0, b:len())
	if n < 0 then return n end
	return s:sendmsg(b, 0, n, addr)
end
-- Send text to 127.0.0.1:port from b, return the reply.
function ask(fd, b, port, text)
	local s = ksc.socket(fd)
	local to = string.char(2, 0, math.floor(port / 256), port % 256, 127, 0, 0, 1) ..
		string.rep("\0", 8)
	b:write(0, text)
	s:sendmsg(b, 0, #text, to)
	local n = s:recvmsg(b, 0, b:len())
	return b:read(0, n)
end
function fill(b) b:write(0, "ab\n") b:write_u8(5, 255) return b:len() end
LUA
chmod 644 "$dir/t.lua" "$dir/udp.lua"

stdin_script() { echo 'function f() return 7 end' | as_user $ksc run - f; }
stdin_syntax_error() { echo 'function (' | as_user $ksc run -; }
udp_echo() {
	as_user $ksc run --udp 127.0.0.1:7777 --buf 2048 "$dir/udp.lua" echo >"$dir/server.out" 2>&1 &
	sleep 0.5
	as_user $ksc run --udp 127.0.0.1:0 --buf 64 "$dir/udp.lua" ask 7777 hello
	wait $!
}
# The REPL on a terminal: state across lines, multi-line input, an error in
# the middle; the terminal echoes the input and ends lines with CR LF.
repl_session() {
	printf '%s\n' 'x = 6' 'x * 7' 'function f()' 'return "multi", x' 'end' 'f()' \
		'error("boom")' 'x + 1' |
		as_user env TERM=vt100 /ksc/script -q -e -c "$ksc" /dev/null >"$dir/repl.raw" &&
		tr -d '\r' <"$dir/repl.raw" >"$dir/repl.out"
}
repl_lines() { # the lines ksc printed, prompts and echoed input (and ^D) aside
	grep -vE '^(>+ )?(x = 6|x \* 7|function f\(\)|return "multi", x|end|f\(\)|error\("boom"\)|x \+ 1|\^D)$' \
		"$dir/repl.out" | sed -E 's/^(>+ )+//' | grep -v '^$'
}
status_as_user() { as_user $ksc status >"$dir/status.out"; }
stats_line() {
	as_user $ksc run --stats "$dir/t.lua" add 1 2 2>&1 >/dev/null |
		grep -Eq '^stats: mem_in_use=[0-9]+ mem_peak=[0-9]+ loads=1 calls=1 errors=0 run_time_ns=[0-9]+ max_nopreempt_ns=[0-9]+$'
}

load_ksc
expect_out "load prints, no call" "loaded" as_user $ksc run "$dir/t.lua"
expect_out "integers add" "$(printf 'loaded\n5')" as_user $ksc run "$dir/t.lua" add 2 3
expect_out "numbers add" "$(printf 'loaded\n3.75')" as_user $ksc run "$dir/t.lua" add 1.5 2.25
expect_out "results as tostring" \
	"$(printf 'loaded\nnil\ntrue\nfalse\n1e+15\n0.1\n3\n9.007199254741e+15\n-0\ninf\n-inf\nstr')" \
	as_user $ksc run "$dir/t.lua" kinds
expect_out "argument types" "$(printf 'loaded\nnumber number string string')" \
	as_user $ksc run "$dir/t.lua" types 1 0.5 abc 12abc
expect_out "strings come back" "$(printf 'loaded\nhello world\n-')" \
	as_user $ksc run "$dir/t.lua" echo "hello world" -
expect_out "print output in order" "$(printf 'loaded\nhello\t42\ndone')" \
	as_user $ksc run "$dir/t.lua" hello
expect_out "a table result is not copied" "$(printf 'loaded\n(not copied)')" \
	as_user $ksc run "$dir/t.lua" table_result
expect_out "script from stdin" "7" stdin_script
expect_err "runtime error" "^ksc: .*t\.lua:9: boom" as_user $ksc run "$dir/t.lua" boom
expect_err "syntax error names stdin" "^ksc: stdin:1:" stdin_syntax_error
expect_err "unknown function" "^ksc: .*nosuch" as_user $ksc run "$dir/t.lua" nosuch
expect_err "missing file" "^ksc: cannot open /nonexistent.lua" as_user $ksc run /nonexistent.lua
expect_err "time limit ends a loop" "^ksc: .*time limit exceeded" as_user $ksc run --time-limit 200 "$dir/t.lua" spin
expect_err "memory limit ends a hog" "^ksc: .*not enough memory" as_user $ksc run --mem-limit 1000000 "$dir/t.lua" hog
expect_out "--no-jit runs" "$(printf 'loaded\n5')" as_user $ksc run --no-jit "$dir/t.lua" add 2 3
check "--stats counts the call" stats_line
expect_out "--buf: contents printed after the results" "$(printf '6\nbuf 1: ab\\10\\0\\0\\255')" \
	as_user $ksc run --buf 6 "$dir/udp.lua" fill
expect_out "--udp: a UDP echo script answers a UDP client script" \
	"$(printf 'hello\nbuf 1: hello')" udp_echo
expect_out "--udp: the echo server sent 5 bytes" \
	"$(printf 'ksc: udp socket N bound to 127.0.0.1 port 7777\n5\nbuf 1: hello')" \
	sed 's/socket [0-9]*/socket N/' "$dir/server.out"
check "repl through a pseudo-terminal" repl_session
expect_out "repl: state kept, multi-line chunk, an error does not end it" \
	"$(printf '42\nmulti\n6\nksc: stdin:1: boom\n7')" repl_lines
expect_out "repl without a terminal: no prompts" "$(printf '3\nhi')" \
	sh -c "printf 'return 1 + 2\nprint(\"hi\")\n' | $ksc repl"
check "status: module loaded, as a user" status_as_user
check "status: version, features, parameters, states" \
	grep -qE '^abi: [0-9]+$' "$dir/status.out"
check "status: parameters listed" grep -qx 'parameter dev_mode: 0666' "$dir/status.out"
check "status: states open" grep -qx 'states open: 0' "$dir/status.out"
check "status: max_nopreempt_ns for root only" grep -qx 'max_nopreempt_ns: (root only)' "$dir/status.out"
check "status as root reads max_nopreempt_ns" sh -c "$ksc status | grep -qE '^max_nopreempt_ns: [0-9]+$'"
rmmod ksc
expect_err "no module: says so" "^ksc: luajit backend: /dev/ksc does not exist" as_user $ksc run "$dir/t.lua"
expect_err "status without the module says so" "^module: not loaded" as_user $ksc status
rm -rf "$dir"
summary ksc-cli
