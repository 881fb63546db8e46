/* SPDX-License-Identifier: MIT */
/* The "stats" command: memcached's names for the figures it shares with
 * ksc-memcached, plus ksc_* lines for the UDP path. */
#ifndef KSC_MC_STATS_H
#define KSC_MC_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "server.h"

/* Writes the reply to "stats [arg]" (arg NULL: the general stats).
 * Returns false for an unknown arg (the caller replies ERROR). */
bool mc_stats_reply(struct mc_server *srv, const char *arg, size_t narg,
		    struct mc_outbuf *out);

#endif /* KSC_MC_STATS_H */
