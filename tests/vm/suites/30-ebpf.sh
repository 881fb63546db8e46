# The eBPF backend on the guest's kernel (Debian 6.1): its verifier accepts
# the programs, the BPF_PROG_TEST_RUN cases and the veth end-to-end test pass,
# an unprivileged user is told which privileges the backend needs, and the
# same function gives the same answer as Lua in ksc.ko and as BPF.
. /ksc/tests/lib.sh

needs_caps_message() {
	as_user /ksc/bin/ksc_test_calls 2>&1 | grep -q 'needs CAP_BPF and CAP_NET_ADMIN'
}

# key_hash as a Lua script, as docs/ebpf.md gives it (the BPF one is built in).
cat >/tmp/key_hash.lua <<'LUA'
function key_hash(key)
	local h = 5381
	for i = 1, #key do h = (h * 33 + key:byte(i)) % 4294967296 end
	return h
end
LUA
chmod 644 /tmp/key_hash.lua

# same_hash KEY: Lua (uid 1000, luajit backend) and BPF (root, ebpf backend) agree.
same_hash() {
	local lua bpf
	lua=$(as_user /ksc/bin/ksc run /tmp/key_hash.lua key_hash "$1") || return 1
	bpf=$(/ksc/bin/ksc-bpf-call key_hash "$1") || return 1
	echo "lua $lua, bpf $bpf"
	[ -n "$lua" ] && [ "$lua" = "$bpf" ]
}

check "XDP cache: crafted packets under BPF_PROG_TEST_RUN" /ksc/bin/ksc_test_xdp_packets
check "XDP cache: no torn or stale reply under concurrent updates" /ksc/bin/ksc_test_cache_consistency
check "SYSCALL program through BPF_PROG_TEST_RUN (key_hash)" /ksc/bin/ksc_test_calls
check "veth pair, native and generic XDP: hits by XDP, misses by user space" /ksc/bin/ksc_test_veth_e2e
check "uid 1000 is refused with the privileges named" needs_caps_message
load_ksc
check "key_hash(\"foo\"): Lua = BPF" same_hash foo
check "key_hash(\"memcached:key:42\"): Lua = BPF" same_hash memcached:key:42
check "key_hash(\"\"): Lua = BPF" same_hash ""
summary ebpf
