/* SPDX-License-Identifier: MIT */
/*
 * Two private network namespaces joined by a veth pair, for the end-to-end
 * test and the XDP benchmark: the server side 10.201.0.1/24 and
 * fd00:201::1/64, the client side 10.201.0.2/24 and fd00:201::2/64. The client's veth runs an XDP_PASS program so that frames
 * the server side sends back with XDP_TX are received (veth delivers
 * XDP_TX only to a peer with NAPI, which XDP turns on).
 */
#ifndef KSC_BENCH_VETH_PAIR_H
#define KSC_BENCH_VETH_PAIR_H

#include "ksc_ebpf.h"

#define VETH_SERVER_IP "10.201.0.1"
#define VETH_CLIENT_IP "10.201.0.2"
#define VETH_SERVER_IP6 "fd00:201::1"
#define VETH_CLIENT_IP6 "fd00:201::2"

enum veth_side { VETH_HOST, VETH_SERVER, VETH_CLIENT };

struct veth_pair {
	char ns[2][32];		/* server, client namespace names */
	int nsfd[3];		/* by enum veth_side */
	int server_ifindex;
	int client_xdp_link;
};

/* Creates both namespaces and the pair (root; uses ip(8)). */
int veth_pair_create(struct veth_pair *vp);

/* Moves the calling thread into one side's namespace. */
int veth_pair_enter(const struct veth_pair *vp, enum veth_side side);

/*
 * A UDP socket on one side, receive timeout timeout_ms: VETH_SERVER binds
 * port on every address, IPv4 and IPv6; VETH_CLIENT connects to the server's
 * address of family (AF_INET or AF_INET6). -1 with errno on failure.
 */
int veth_pair_udp_socket(const struct veth_pair *vp, enum veth_side side, int family,
			 int port, int timeout_ms);

/* Attaches cache's XDP program to the server side's veth: 0 or -errno. */
int veth_pair_attach_cache(const struct veth_pair *vp, struct ksc_ebpf_cache *cache,
			   enum ksc_ebpf_xdp_mode mode);

/* Returns to the host namespace and deletes both namespaces. */
void veth_pair_destroy(struct veth_pair *vp);

#endif /* KSC_BENCH_VETH_PAIR_H */
