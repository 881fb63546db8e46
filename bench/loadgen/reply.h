/* SPDX-License-Identifier: MIT */
/* Checking one reassembled reply to "get <key>" against what was stored. */
#ifndef KSC_LG_REPLY_H
#define KSC_LG_REPLY_H

#include <stddef.h>

enum lg_reply {
	LG_REPLY_HIT,	/* VALUE <key> <flags> <n>, exactly the expected bytes, END */
	LG_REPLY_MISS,	/* END alone: the key is not there */
	LG_REPLY_BAD,	/* anything else: wrong key, length, bytes or framing */
};

enum lg_reply lg_check_get_reply(const char *r, size_t len, const char *key,
				 size_t nkey, const char *value, size_t nvalue);

#endif /* KSC_LG_REPLY_H */
