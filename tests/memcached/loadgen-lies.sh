#!/bin/bash
# loadgen-lies.sh LOADGEN LYING_SERVER MODE: the lying server spoils every
# 10th reply (see lying_server.c); ksc-loadgen must count each spoiled reply
# as a bad reply or miss and exit 1, and count the good ones as good.
set -u
. "$(dirname "$0")/../../bench/common/memcached.sh"
loadgen=$1 liar=$2 mode=$3
json=$(mktemp)
portfile=$(mktemp)
"$liar" "$mode" > "$portfile" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$json" "$portfile"' EXIT
for _ in $(seq 50); do [ -s "$portfile" ] && break; sleep 0.05; done
port=$(head -1 "$portfile")

"$loadgen" -U "$port" --no-prefill -k 1000 -t 1 -c 8 -w 0 -d 1 --timeout 50 \
	--retries 1 --json -q > "$json"
rc=$?
cat "$json"
check "exit status 1 when replies are wrong" [ $rc = 1 ]
python3 - "$json" "$mode" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); mode = sys.argv[2]
spoiled = r["misses"] if mode == "miss" else r["errors"]
# id: the reply goes to no request (late) or to the wrong one (error), and
# the request it belonged to times out.
if mode == "id":
    spoiled = r["errors"] + r["late"]
checks = [
    ("the spoiled replies are seen", spoiled > 0),
    ("about one reply in ten is spoiled", 0.05 < spoiled / max(r["replies"], 1) < 0.2),
    ("the good replies are good", r["replies"] - r["errors"] - r["misses"] > spoiled * 5),
]
if mode == "id":
    checks.append(("the unanswered requests time out", r["timeouts"] > 0))
bad = [name for name, ok in checks if not ok]
for name in bad:
    print("FAIL:", name, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
check "the lies ($mode) are counted" [ $? = 0 ]
summary "loadgen_lies_$mode"
