/* SPDX-License-Identifier: MIT */
/*
 * memcached's ASCII protocol, independent of the transport: bytes in,
 * replies appended to an output buffer. TCP feeds its stream through it as
 * it arrives; UDP feeds each datagram's payload once.
 */
#ifndef KSC_MC_PROTO_H
#define KSC_MC_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "outbuf.h"
#include "server.h"

/* memcached closes a connection whose line is this long without a newline,
 * unless it is a get, whose key list may go on (up to MC_GET_LINE_MAX). */
#define MC_LINE_MAX 2048
#define MC_GET_LINE_MAX (2u << 20)

/* The protocol state of one connection (or one datagram). */
struct mc_session {
	struct mc_server *srv;
	struct mc_thread_stats *stats;
	size_t swallow;		/* bytes of a refused data block still to skip */
	bool noreply;		/* the current command's "noreply" */
};

/*
 * Runs every complete command in in[0..len) and appends the replies to out.
 * Returns how many bytes it used; the rest is an incomplete command (or
 * data block) to offer again with more bytes behind it. Sets *close when
 * the connection must end: "quit", or a line too long to be a command.
 */
size_t mc_proto_feed(struct mc_session *s, const char *in, size_t len,
		     struct mc_outbuf *out, bool *close);

#endif /* KSC_MC_PROTO_H */
