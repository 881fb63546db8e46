// SPDX-License-Identifier: MIT
#include "reply.h"

#include <stdbool.h>
#include <string.h>

/* Consumes s from *p if it is there. */
static bool eat(const char **p, const char *end, const char *s, size_t n)
{
	if ((size_t)(end - *p) < n || memcmp(*p, s, n) != 0)
		return false;
	*p += n;
	return true;
}

/* Consumes a decimal number (1..20 digits). */
static bool eat_number(const char **p, const char *end, size_t *out)
{
	const char *s = *p;
	size_t v = 0;

	while (*p < end && **p >= '0' && **p <= '9' && *p - s < 20)
		v = v * 10 + (size_t)(*(*p)++ - '0');
	*out = v;
	return *p > s;
}

enum lg_reply lg_check_get_reply(const char *r, size_t len, const char *key,
				 size_t nkey, const char *value, size_t nvalue)
{
	const char *p = r, *end = r + len;
	size_t flags, n;

	if (len == 5 && memcmp(r, "END\r\n", 5) == 0)
		return LG_REPLY_MISS;
	if (eat(&p, end, "VALUE ", 6) && eat(&p, end, key, nkey) &&
	    eat(&p, end, " ", 1) && eat_number(&p, end, &flags) &&
	    eat(&p, end, " ", 1) && eat_number(&p, end, &n) && n == nvalue &&
	    eat(&p, end, "\r\n", 2) && eat(&p, end, value, nvalue) &&
	    eat(&p, end, "\r\nEND\r\n", 7) && p == end)
		return LG_REPLY_HIT;
	return LG_REPLY_BAD;
}
