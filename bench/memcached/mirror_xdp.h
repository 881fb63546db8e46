/* SPDX-License-Identifier: MIT */
/*
 * The XDP GET cache in front of ksc-memcached (--xdp-if): the ebpf
 * backend's XDP program answers UDP GET hits on the interface, and the
 * store's hooks (store_hooks.h) keep its map a mirror of the store, so a
 * hit is never stale. Built only with the eBPF backend (KSC_MC_WITH_XDP).
 */
#ifndef KSC_MC_MIRROR_XDP_H
#define KSC_MC_MIRROR_XDP_H

#include "server.h"
#include "store_hooks.h"

/*
 * Loads the cache for cfg->udp_port, attaches it to cfg->xdp_ifname in
 * cfg->xdp_mode, and fills *hooks with the mirror's hooks. Needs CAP_BPF
 * and CAP_NET_ADMIN, so it runs before root is dropped; the map updates
 * need CAP_BPF on kernels before 6.5 too (the server must keep root,
 * -u root). The program stays attached until the process exits (a BPF
 * link: the kernel detaches it then, however the process ends).
 * Returns 0, or -1 with a message printed.
 */
int mc_mirror_xdp_start(const struct mc_settings *cfg, struct mc_store_hooks *hooks);

/* GET hits the XDP program answered (stats counts them with the server's). */
uint64_t mc_mirror_xdp_hits(void);

#endif /* KSC_MC_MIRROR_XDP_H */
