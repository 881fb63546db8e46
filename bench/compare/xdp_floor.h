/* SPDX-License-Identifier: MIT */
/*
 * The floor of make bench: the one reply xdp_floor.bpf.c sends, as
 * ksc-bench-floor stores it in the program's one-entry array map.
 */
#ifndef KSC_XDP_FLOOR_H
#define KSC_XDP_FLOOR_H

#include <linux/types.h>

/* Reply text after the frame header: a 1024-byte value with a 250-byte key fits. */
#define KSC_FLOOR_REPLY_MAX 1400

struct ksc_floor_reply {
	__u16 port;		/* the UDP port answered, host order */
	__u16 pad;
	__u32 len;		/* bytes of text, 1..KSC_FLOOR_REPLY_MAX */
	__u8 text[KSC_FLOOR_REPLY_MAX];
};

#endif /* KSC_XDP_FLOOR_H */
