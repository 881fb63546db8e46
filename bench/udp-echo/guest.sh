#!/usr/bin/env bash
# bench/udp-echo/guest.sh [BUILD_DIR]: run.sh inside the qemu guest (the
# kernel the module is built for), with ksc.ko loaded, so that the luajit
# backend runs too. Same environment variables as run.sh; BACKENDS defaults
# to "syscall mmsg uring luajit". The guest is emulated: compare backends by ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
work=$(mktemp -d /tmp/ksc-udp-echo.XXXXXX)
trap 'rm -rf "$work"' EXIT

cat >"$work/bench.sh" <<GUEST
insmod /ksc/ksc.ko || exit 1
BACKENDS="${BACKENDS:-syscall mmsg uring luajit}" PAYLOADS="${PAYLOADS:-32 128 512 1024}" \
REQUESTS="${REQUESTS:-20000}" REPEAT="${REPEAT:-3}" WINDOW="${WINDOW:-16}" BATCH="${BATCH:-16}" \
	sh /ksc/udp-echo/run.sh /ksc/build >/out/udp-echo.txt 2>&1
GUEST
"$top/tools/vm/run" -q -a "$build/ksc.ko" -a "$build/bin:/ksc/build/bin" -a "$here:/ksc/udp-echo" \
	-o "$work/out" "$work/bench.sh" || status=$?
cat "$work/out/udp-echo.txt"
exit "${status:-0}"
