#!/bin/bash
# loadgen-sane.sh LOADGEN: run under with-server.sh. A short closed-loop run
# must give zero bad replies and misses, a plausible rate and ordered
# latency percentiles, and the server's stats must count the GETs sent.
set -u
. "$(dirname "$0")/../../bench/common/memcached.sh"
loadgen=$1
port=$KSC_TEST_PORT
json=$(mktemp)
trap 'rm -f "$json"' EXIT

gets_before=$(mc_stat "$port" cmd_get)
"$loadgen" -p "$port" -U "$port" -t 2 -c 16 -k 5000 -w 0.5 -d 2 --json -q > "$json"
check "ksc-loadgen exits 0" [ $? = 0 ]
gets_after=$(mc_stat "$port" cmd_get)
cat "$json"
python3 - "$json" "$((gets_after - gets_before))" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); served = int(sys.argv[2]); lat = r["latency_us"]
checks = [
    ("zero bad replies", r["errors"] == 0),
    ("zero misses", r["misses"] == 0),
    ("a plausible rate", 1000 < r["rps"] < 10_000_000),
    ("measured about rps x time", abs(r["measured"] - r["rps"] * r["measured_s"]) <= 0.001 * r["measured"] + 1),
    ("percentiles in order", 0 < lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["p99.9"] <= lat["max"]),
    ("average within range", 0 < lat["avg"] <= lat["max"]),
    ("the CPUs' idle share is a share", r["cpu_idle"] is None or 0 <= r["cpu_idle"] <= 1),
    ("every reply was a GET the server counted", r["replies"] <= served <= r["sent"]),
]
bad = [name for name, ok in checks if not ok]
for name in bad:
    print("FAIL:", name, file=sys.stderr)
print("loadgen_json: %d passed, %d failed" % (len(checks) - len(bad), len(bad)))
sys.exit(1 if bad else 0)
PY
check "the figures are sane" [ $? = 0 ]

# Open loop: the rate asked for is the rate measured.
"$loadgen" -p "$port" -U "$port" --no-prefill -k 5000 -r 5000 -w 0.2 -d 1 --json -q > "$json"
check "open loop exits 0" [ $? = 0 ]
rps=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["rps"]))' "$json")
check "open loop at 5000/s measures 4750..5250 ($rps)" test "${rps:-0}" -ge 4750 -a "${rps:-0}" -le 5250
summary loadgen_sane
