# The ksc command and libksc's generic layer on the luajit backend, as an
# unprivileged user: arguments, results as Lua's tostring prints them,
# print() output, errors, stdin, limits, stats.
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
chmod 644 "$dir/t.lua"

stdin_script() { echo 'function f() return 7 end' | as_user $ksc run - f; }
stdin_syntax_error() { echo 'function (' | as_user $ksc run -; }
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
rmmod ksc
expect_err "no module: says so" "^ksc: luajit backend: /dev/ksc does not exist" as_user $ksc run "$dir/t.lua"
rm -rf "$dir"
summary ksc-cli
