# ksc-memcached --xdp-if on the guest's kernel (Debian 6.1, where every BPF
# map update needs CAP_BPF): the XDP cache in front of the server mirrors
# its store, so the next GET after a SET, DELETE, flush_all, expiry or a
# value too big for one datagram never sees the old value.
. /ksc/tests/lib.sh

check "ksc-memcached --xdp-if: hits by XDP, the next GET after every change is right" \
	/ksc/bin/ksc_test_memcached_xdp /ksc/bin/ksc-memcached
summary memcached-xdp
