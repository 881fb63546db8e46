/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer for replies. Appends never fail loudly: when memory
 * runs out the buffer remembers it (failed) and the transport drops the
 * connection or the datagram's reply instead of sending a truncated one.
 */
#ifndef KSC_MC_OUTBUF_H
#define KSC_MC_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

struct mc_outbuf {
	char *data;
	size_t len, cap;
	bool failed;
};

void mc_outbuf_append(struct mc_outbuf *b, const void *p, size_t n);
/* Appends s and "\r\n". */
void mc_outbuf_line(struct mc_outbuf *b, const char *s);
/* Appends printf-formatted text (no line end added). */
void mc_outbuf_printf(struct mc_outbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Drops the first n bytes (sent). */
void mc_outbuf_consume(struct mc_outbuf *b, size_t n);
/* Cuts the buffer back to len bytes (an abandoned partial reply). */
void mc_outbuf_truncate(struct mc_outbuf *b, size_t len);
void mc_outbuf_reset(struct mc_outbuf *b);
void mc_outbuf_free(struct mc_outbuf *b);

#endif /* KSC_MC_OUTBUF_H */
