# The eBPF backend on the guest's kernel (Debian 6.1): its verifier accepts
# the programs, the BPF_PROG_TEST_RUN cases and the veth end-to-end test pass,
# and an unprivileged user is told which privileges the backend needs.
. /ksc/tests/lib.sh

needs_caps_message() {
	as_user /ksc/bin/ksc_test_calls 2>&1 | grep -q 'needs CAP_BPF and CAP_NET_ADMIN'
}

check "XDP cache: crafted packets under BPF_PROG_TEST_RUN" /ksc/bin/ksc_test_xdp_packets
check "XDP cache: no torn or stale reply under concurrent updates" /ksc/bin/ksc_test_cache_consistency
check "SYSCALL program through BPF_PROG_TEST_RUN (key_hash)" /ksc/bin/ksc_test_calls
check "veth pair, native XDP: hits by XDP, misses by user space" /ksc/bin/ksc_test_veth_e2e
check "uid 1000 is refused with the privileges named" needs_caps_message
summary ebpf
