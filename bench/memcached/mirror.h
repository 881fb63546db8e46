/* SPDX-License-Identifier: MIT */
/*
 * Kernel code in front of the UDP socket (--handler, --xdp-if): libksc's
 * ksc_handler_* answers UDP GET hits before they reach the server (luajit:
 * a Lua handler in the kernel; ebpf: the XDP cache on --xdp-if), and the
 * store's hooks (store_hooks.h) keep its values a mirror of the store, so a
 * hit is never stale. The server names no backend: libksc's choice
 * (KSC_BACKEND) is the UDP threads' one.
 */
#ifndef KSC_MC_MIRROR_H
#define KSC_MC_MIRROR_H

#include "server.h"
#include "store_hooks.h"

/*
 * Opens a libksc context of its own, attaches its kernel code in front of
 * udp_fd (cfg->udp_port; ebpf: on cfg->xdp_ifname in cfg->xdp_mode, with
 * cfg->xdp_items values, needing CAP_BPF and CAP_NET_ADMIN, so it runs
 * before root is dropped, and the map updates need CAP_BPF on kernels
 * before 6.5 too: -u root), and fills *hooks with the mirror's hooks. The
 * code stays until the process exits. Returns 0, or -1 with a message
 * printed.
 */
int mc_mirror_start(const struct mc_settings *cfg, int udp_fd, struct mc_store_hooks *hooks);

/* What the kernel code did: GETs answered (stats counts them with the server's), passes. */
void mc_mirror_stats(struct mc_ahead_stats *stats);

#endif /* KSC_MC_MIRROR_H */
