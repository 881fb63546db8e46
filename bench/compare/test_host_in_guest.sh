#!/usr/bin/env bash
# bench/compare/test_host_in_guest.sh [BUILD]: `make bench BENCH_ARGS=--host`
# tested where ksc.ko loads, in the guest (tools/vm/run, the ordinary
# 2-vCPU boot): bench/compare/run --host --servers luajit runs there as on a
# real machine (bash brought in; the build's ksc.ko inserted by guest.sh),
# measuring only (--no-report: the busybox guest has no python3); the host
# then makes the report from the shared directory and checks that the luajit
# row was measured with zero errors. Prints the table; exit status 0 on
# success.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd) || exit 2
work=$(mktemp -d /tmp/ksc-bench-host.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() { echo "bench_host_in_guest: FAIL: $*"; exit 1; }

# The guest sees the build where run --build looks for its pieces.
g=/ksc/build
cat >"$work/guest.sh" <<EOF
bash /ksc/compare/run --host --no-report --servers luajit --sizes 32 \
	--warmup 0.5 --duration 1 --build $g --out /out/host
EOF
"$top/tools/vm/run" -q -m veth -o "$work/out" -a /bin/bash:/bin/bash -a "$here:/ksc/compare" \
	-a "$build/bin:$g/bin" -a "$build/ksc.ko:$g/ksc.ko" \
	-a "$build/bench/compare/xdp_pass.bpf.o:$g/bench/compare/xdp_pass.bpf.o" \
	-a "$build/bench/compare/xdp_floor.bpf.o:$g/bench/compare/xdp_floor.bpf.o" \
	"$work/guest.sh" >"$work/vm.log" 2>&1
status=$?
cat "$work/out/host/guest.log" 2>/dev/null
((status == 0)) || { cat "$work/vm.log"; fail "the guest's run --host: exit status $status"; }
python3 "$here/report.py" "$work/out/host" || fail "the report: exit status $?"
python3 - "$work/out/host/results.json" <<'PY' || fail "no measured luajit row"
import json, sys
res = json.load(open(sys.argv[1]))
rows = res["rows"]
assert res["conditions"]["where"] == "host", res["conditions"]
assert [r["server"] for r in rows] == ["luajit"], rows
assert rows[0]["status"] == "ok" and rows[0]["errors"] == 0 and rows[0]["rps"] > 0, rows[0]
PY
echo "bench_host_in_guest: passed (run --host measured the luajit row where ksc.ko loads)"
