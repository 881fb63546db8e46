// SPDX-License-Identifier: MIT
/*
 * XDP_PASS for the load generator's end of the veth pair (attached with
 * ip link ... xdpdrv). veth hands a frame that the other end sends with
 * XDP_TX only to a peer running NAPI, which an XDP program turns on; the
 * benchmark attaches it for every server alike, so all share one path.
 */
#include <linux/bpf.h>

#define SEC(name) __attribute__((section(name), used))

SEC("xdp")
int ksc_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
