# Conformance: every script in tests/vm/lua/conformance runs in the kernel
# (LOAD through /dev/ksc, as uid 1000) and under user-space luajit -joff in
# the same guest; the two outputs must be identical byte for byte.
. /ksc/tests/lib.sh

C=/ksc/tests/lua/conformance
load_ksc

same_output() {
	f=$1 base=$(basename "$1" .lua)
	as_user /ksc/bin/ksc-lua "$f" >/tmp/$base.kernel 2>&1 || return 1
	as_user /ksc/luajit -joff "$f" >/tmp/$base.user 2>&1 || return 1
	[ -s /tmp/$base.user ] && cmp /tmp/$base.kernel /tmp/$base.user
}

for f in $C/*.lua; do
	check "$(basename "$f"): kernel output = luajit -joff output" same_output "$f"
done
summary lua-conformance
