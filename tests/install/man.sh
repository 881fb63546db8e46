#!/bin/sh
# man.sh BUILD_DIR SOURCE_DIR: the installed manual pages: every function
# ksc.h declares has a page in section 3, and every page formats without a
# warning (groff -ww) and renders with man -l.
set -eu
build=$1 src=$2
tmp=$(mktemp -d /tmp/ksc-man-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$build" --prefix "$tmp" >/dev/null
man=$tmp/share/man
functions=$(sed -n 's/^[a-z].*[ *]\(ksc_[a-z_]*\)(.*/\1/p' "$src/core/include/ksc.h" | sort -u)
[ -n "$functions" ] || fail "no functions found in ksc.h"
for f in $functions; do
	[ -f "$man/man3/$f.3" ] || fail "$f has no page"
done
echo "ok   every function of ksc.h has a page ($(echo $functions | wc -w))"
for page in ksc.1 ksc-memcached.1 ksc-loadgen.1 libksc.3 ksc.4; do
	find "$man" -name "$page" | grep -q . || fail "no $page"
done
for page in $(find "$man" -type f); do
	(cd "$man" && groff -s -man -z -ww "$page") >"$tmp/warn" 2>&1 || true
	[ ! -s "$tmp/warn" ] || fail "$page: $(cat "$tmp/warn")"
	(cd "$man" && MANWIDTH=80 man -l "$page") >/dev/null 2>"$tmp/warn" ||
		fail "man -l $page: $(cat "$tmp/warn")"
done
echo "ok   every page formats without warnings"
