#!/bin/sh
# ctest bench_report: report.py on recorded results (bench/compare/testdata,
# an instruction-counted run plus an mmsg row that failed, the ebpf row's
# CPU idle share set to 11%): the table, the JSON and both panels' plot come
# out, the failed server is a row, and the idle row is flagged.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/testdata/conditions.json "$here"/testdata/runs.jsonl "$work"/
status=0
python3 "$here/report.py" "$work" >"$work/out.txt" || status=$?
fail() { echo "bench_report: $*"; cat "$work/out.txt"; exit 1; }
[ "$status" = 1 ] || fail "exit status $status, not 1 (a server failed)"
grep -q '^ksc mmsg  *32  FAILED: server did not start' "$work/table.txt" || fail "no FAILED mmsg row"
grep -q '^ksc luajit  *32  *26354  *37945  *+19600 ' "$work/table.txt" || fail "luajit row wrong"
grep -q '^Cost model:' "$work/table.txt" || fail "no cost model"
grep -q '^ksc ebpf (XDP) .* 11.0! ' "$work/table.txt" || fail "the idle ebpf row is not flagged"
grep -q "^idle% marked '!': .*(ksc ebpf (XDP) 32 B): instr/req" "$work/table.txt" ||
	fail "no note on the idle row"
[ -s "$work/plot.png" ] || fail "no plot.png"
python3 -c 'import json, sys
rows = json.load(open(sys.argv[1]))["rows"]
assert [r["server"] for r in rows] == ["floor", "syscall", "mmsg", "luajit", "ebpf"], rows
assert all({"server", "value", "status"} <= set(r) for r in rows)
assert rows[2]["status"] == "failed" and "rps" in rows[1] and "instructions_per_req" in rows[1]
' "$work/results.json" || fail "results.json rows"
echo "bench_report: passed"
