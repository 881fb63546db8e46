# The ksc Lua library as uid 1000: ksc.time, errno constants, user buffers
# (bounds-checked, copied with the FPU released), descriptors.
. /ksc/tests/lib.sh

LIB=/ksc/tests/lua/ksclib/lib.lua
lua() { as_user /ksc/bin/ksc-lua "$@"; }

load_ksc
Z20=0000000000000000000000000000000000000000

expect_out "ksc.time() is monotonic nanoseconds" true lua $LIB clock
expect_out "errno constants" "$(printf '11\n4\n14\n22\n62\n12')" lua $LIB errnos
expect_out "a buffer knows its length and never shows its address" \
	"$(printf '20\nksc.buf(20)\nbuf=%s' $Z20)" lua $LIB describe buf:$Z20
expect_out "string and fixed-width writes land in the caller's memory" \
	"buf=68656c6c6f203412efbeaddefeffffffffffffff" lua $LIB fill buf:$Z20
expect_out "fixed-width reads, signed and unsigned" \
	"$(printf 'hello\n32\n4660\n3735928559\n-559038737\n-2\n-2\n255\nbuf=68656c6c6f203412efbeaddefeffffffffffffff')" \
	lua $LIB decode buf:68656c6c6f203412efbeaddefeffffffffffffff
expect_out "a read up to the last byte" "$(printf 'cd\nbuf=61626364')" \
	lua $LIB read_at buf:61626364 i:2 i:2
expect_err "a read past the end is ERANGE" "CALL: ERANGE: .*out of bounds" \
	lua $LIB read_at buf:61626364 i:3 i:2
expect_err "a negative offset is ERANGE" "CALL: ERANGE: .*out of bounds" \
	lua $LIB read_at buf:61626364 i:-1 i:1
expect_err "a write past the end is ERANGE" "CALL: ERANGE: .*out of bounds" \
	lua $LIB write_at buf:61626364 i:3 s:xy
expect_err "a buffer kept from an earlier call is refused" \
	"CALL: EINVAL: .*user buffer of an earlier call" lua $LIB keep buf:00 -- use_kept
expect_out "a descriptor argument" "$(printf '0\nksc.fd(0)')" lua $LIB fdinfo fd:0 </dev/null
expect_err "a descriptor kept from an earlier call is refused" \
	"CALL: EBADF: .*file descriptor of an earlier call" lua $LIB fdinfo fd:0 -- use_kept_fd
summary lua-ksclib
