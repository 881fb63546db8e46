// SPDX-License-Identifier: MIT
/*
 * The commands, their argument checks and their replies follow memcached
 * 1.6.18's proto_text.c (what Debian 12 ships), so that clients see the same
 * ERROR / CLIENT_ERROR / SERVER_ERROR lines for the same bad input.
 */
#include "proto.h"

#include <stdint.h>
#include <string.h>

#include "clock.h"
#include "ksc_memcache_udp.h"
#include "stats.h"
#include "store.h"

#define MC_MAX_TOKENS 24	/* memcached's MAX_TOKENS, the terminal one included */

struct token {
	const char *p;
	size_t n;
};

enum exec {
	EXEC_DONE,		/* command finished (replied or not) */
	EXEC_NEED_DATA,		/* its data block has not fully arrived */
	EXEC_CLOSE,		/* end the connection */
};

/* A command line split on spaces, like memcached's tokenize_command:
 * at most MC_MAX_TOKENS - 1 tokens; a longer line counts as MC_MAX_TOKENS,
 * which no command accepts. */
struct cmdline {
	struct token tok[MC_MAX_TOKENS];
	size_t ntok;
	const char *end;	/* end of the line, without \r\n */
};

static void tokenize(const char *line, size_t len, struct cmdline *cl)
{
	const char *p = line, *end = line + len;

	cl->ntok = 0;
	cl->end = end;
	while (p < end) {
		const char *s;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		if (cl->ntok == MC_MAX_TOKENS - 1) {
			cl->ntok = MC_MAX_TOKENS;
			return;
		}
		s = p;
		while (p < end && *p != ' ')
			p++;
		cl->tok[cl->ntok++] = (struct token){ s, (size_t)(p - s) };
	}
}

static bool tok_is(const struct token *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->p, s, n) == 0;
}

/* Strict decimal parsers: digits only (and a leading '-' for signed),
 * no overflow; anything else is a format error, as in memcached. */
static bool parse_u64(const struct token *t, uint64_t *out)
{
	uint64_t v = 0;

	if (t->n == 0 || t->n > 20)
		return false;
	for (size_t i = 0; i < t->n; i++) {
		unsigned d = (unsigned char)t->p[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

static bool parse_u32(const struct token *t, uint32_t *out)
{
	uint64_t v;

	if (!parse_u64(t, &v) || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool parse_i32(const struct token *t, int32_t *out)
{
	struct token digits = *t;
	bool neg = t->n > 0 && t->p[0] == '-';
	uint64_t v;

	if (neg) {
		digits.p++;
		digits.n--;
	}
	if (!parse_u64(&digits, &v) || v > (neg ? 2147483648u : 2147483647u))
		return false;
	*out = neg ? (int32_t)-(int64_t)v : (int32_t)v;
	return true;
}

static void reply(struct mc_session *s, struct mc_outbuf *out, const char *msg)
{
	if (!s->noreply)
		mc_outbuf_line(out, msg);
}

/* memcached's set_noreply_maybe: the last token decides. */
static void note_noreply(struct mc_session *s, const struct cmdline *cl)
{
	s->noreply = cl->ntok > 0 && tok_is(&cl->tok[cl->ntok - 1], "noreply");
}

static void append_u64(struct mc_outbuf *out, uint64_t v)
{
	char buf[20];
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	mc_outbuf_append(out, buf + i, sizeof(buf) - i);
}

struct get_reply {
	struct mc_outbuf *out;
	bool with_cas;
};

/* "VALUE <key> <flags> <bytes>[ <cas>]\r\n<data>\r\n", under the store lock. */
static void emit_value(void *arg, const struct mc_item_view *v)
{
	struct get_reply *r = arg;

	mc_outbuf_append(r->out, "VALUE ", 6);
	mc_outbuf_append(r->out, v->key, v->nkey);
	mc_outbuf_append(r->out, " ", 1);
	append_u64(r->out, v->flags);
	mc_outbuf_append(r->out, " ", 1);
	append_u64(r->out, v->nbytes);
	if (r->with_cas) {
		mc_outbuf_append(r->out, " ", 1);
		append_u64(r->out, v->cas);
	}
	mc_outbuf_append(r->out, "\r\n", 2);
	mc_outbuf_append(r->out, v->value, v->nbytes);
	mc_outbuf_append(r->out, "\r\n", 2);
}

/* get/gets/gat/gats. Keys run to the end of the line, past the token limit.
 * A key that is too long voids the whole reply, as in memcached. */
static void cmd_get(struct mc_session *s, const struct cmdline *cl,
		    bool with_cas, bool touch, struct mc_outbuf *out)
{
	struct get_reply r = { out, with_cas };
	size_t mark = out->len;
	uint32_t deadline = 0;
	const char *p, *end = cl->end;
	int32_t exptime;

	if (touch) {
		if (!parse_i32(&cl->tok[1], &exptime)) {
			reply(s, out, "CLIENT_ERROR invalid exptime argument");
			return;
		}
		deadline = mc_clock_deadline(exptime);
	}
	p = cl->tok[touch ? 1 : 0].p + cl->tok[touch ? 1 : 0].n;
	for (;;) {
		const char *key;
		bool hit;

		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		key = p;
		while (p < end && *p != ' ')
			p++;
		if ((size_t)(p - key) > KSC_MC_KEY_MAX) {
			mc_outbuf_truncate(out, mark);
			reply(s, out, "CLIENT_ERROR bad command line format");
			return;
		}
		hit = mc_store_get(s->srv->store, key, (size_t)(p - key),
				   touch ? &deadline : NULL, emit_value, &r);
		if (touch) {
			MC_STAT_ADD(s->stats, cmd_touch, 1);
			if (hit)
				MC_STAT_ADD(s->stats, touch_hits, 1);
			else
				MC_STAT_ADD(s->stats, touch_misses, 1);
		} else {
			MC_STAT_ADD(s->stats, cmd_get, 1);
			if (hit)
				MC_STAT_ADD(s->stats, get_hits, 1);
			else
				MC_STAT_ADD(s->stats, get_misses, 1);
		}
	}
	mc_outbuf_append(out, "END\r\n", 5);
}

static const char *update_reply(enum mc_result res)
{
	switch (res) {
	case MC_STORED:
		return "STORED";
	case MC_NOT_STORED:
		return "NOT_STORED";
	case MC_EXISTS:
		return "EXISTS";
	case MC_NOT_FOUND:
		return "NOT_FOUND";
	case MC_TOO_LARGE:
		return "SERVER_ERROR object too large for cache";
	case MC_NO_MEMORY:
		return "SERVER_ERROR out of memory storing object";
	default:
		return "SERVER_ERROR Unhandled storage type.";
	}
}

static void count_cas(struct mc_thread_stats *st, enum mc_result res)
{
	if (res == MC_STORED)
		MC_STAT_ADD(st, cas_hits, 1);
	else if (res == MC_EXISTS)
		MC_STAT_ADD(st, cas_badval, 1);
	else if (res == MC_NOT_FOUND)
		MC_STAT_ADD(st, cas_misses, 1);
}

/*
 * set/add/replace/append/prepend/cas <key> <flags> <exptime> <bytes>
 * [<cas>] [noreply], then <bytes> of data and \r\n. A refused command line
 * leaves its data to be read as commands (memcached does the same); a value
 * too large is skipped (swallowed) unread.
 */
static enum exec cmd_update(struct mc_session *s, const struct cmdline *cl,
			    enum mc_update_mode mode, const char *data,
			    size_t ndata, size_t *used, struct mc_outbuf *out)
{
	const struct token *key = &cl->tok[1];
	struct mc_update u = { .key = key->p, .nkey = key->n };
	int32_t exptime, vlen;
	enum mc_result res;

	note_noreply(s, cl);
	if (key->n > KSC_MC_KEY_MAX ||
	    !parse_u32(&cl->tok[2], &u.flags) ||
	    !parse_i32(&cl->tok[3], &exptime) ||
	    !parse_i32(&cl->tok[4], &vlen) ||
	    (mode == MC_CAS && !parse_u64(&cl->tok[5], &u.cas)) ||
	    vlen < 0 || vlen > INT32_MAX - 2) {
		reply(s, out, "CLIENT_ERROR bad command line format");
		return EXEC_DONE;
	}
	u.nbytes = (size_t)vlen;
	u.deadline = mc_clock_deadline(exptime);
	if (!mc_store_item_fits(s->srv->store, u.nkey, u.nbytes)) {
		MC_STAT_ADD(s->stats, cmd_set, 1);
		reply(s, out, update_reply(mc_store_update(s->srv->store, mode, &u)));
		s->swallow = u.nbytes + 2;
		return EXEC_DONE;
	}
	if (ndata < u.nbytes + 2)
		return EXEC_NEED_DATA;
	*used = u.nbytes + 2;
	MC_STAT_ADD(s->stats, cmd_set, 1);
	if (data[u.nbytes] != '\r' || data[u.nbytes + 1] != '\n') {
		reply(s, out, "CLIENT_ERROR bad data chunk");
		return EXEC_DONE;
	}
	u.data = data;
	res = mc_store_update(s->srv->store, mode, &u);
	if (mode == MC_CAS)
		count_cas(s->stats, res);
	reply(s, out, update_reply(res));
	return EXEC_DONE;
}

static void cmd_delta(struct mc_session *s, const struct cmdline *cl,
		      bool incr, struct mc_outbuf *out)
{
	const struct token *key = &cl->tok[1];
	uint64_t delta, value;
	enum mc_result res;

	note_noreply(s, cl);
	if (key->n > KSC_MC_KEY_MAX) {
		reply(s, out, "CLIENT_ERROR bad command line format");
		return;
	}
	if (!parse_u64(&cl->tok[2], &delta)) {
		reply(s, out, "CLIENT_ERROR invalid numeric delta argument");
		return;
	}
	res = mc_store_delta(s->srv->store, key->p, key->n, incr, delta, &value);
	if (res == MC_STORED) {
		MC_STAT_ADD(s->stats, incr_hits, incr);
		MC_STAT_ADD(s->stats, decr_hits, !incr);
		if (!s->noreply) {
			append_u64(out, value);
			mc_outbuf_append(out, "\r\n", 2);
		}
	} else if (res == MC_NOT_FOUND) {
		MC_STAT_ADD(s->stats, incr_misses, incr);
		MC_STAT_ADD(s->stats, decr_misses, !incr);
		reply(s, out, "NOT_FOUND");
	} else if (res == MC_NON_NUMERIC) {
		reply(s, out, "CLIENT_ERROR cannot increment or decrement non-numeric value");
	} else {
		reply(s, out, "SERVER_ERROR out of memory");
	}
}

/* delete <key> [0] [noreply]: the 0 is an ancient client's hold time. */
static void cmd_delete(struct mc_session *s, const struct cmdline *cl,
		       struct mc_outbuf *out)
{
	const struct token *key = &cl->tok[1];

	if (cl->ntok > 2) {
		bool hold_zero = tok_is(&cl->tok[2], "0");
		bool valid;

		note_noreply(s, cl);
		valid = (cl->ntok == 3 && (hold_zero || s->noreply)) ||
			(cl->ntok == 4 && hold_zero && s->noreply);
		if (!valid) {
			reply(s, out, "CLIENT_ERROR bad command line format.  "
				      "Usage: delete <key> [noreply]");
			return;
		}
	}
	if (key->n > KSC_MC_KEY_MAX) {
		reply(s, out, "CLIENT_ERROR bad command line format");
		return;
	}
	if (mc_store_delete(s->srv->store, key->p, key->n) == MC_DELETED) {
		MC_STAT_ADD(s->stats, delete_hits, 1);
		reply(s, out, "DELETED");
	} else {
		MC_STAT_ADD(s->stats, delete_misses, 1);
		reply(s, out, "NOT_FOUND");
	}
}

static void cmd_touch(struct mc_session *s, const struct cmdline *cl,
		      struct mc_outbuf *out)
{
	const struct token *key = &cl->tok[1];
	int32_t exptime;
	enum mc_result res;

	note_noreply(s, cl);
	if (key->n > KSC_MC_KEY_MAX) {
		reply(s, out, "CLIENT_ERROR bad command line format");
		return;
	}
	if (!parse_i32(&cl->tok[2], &exptime)) {
		reply(s, out, "CLIENT_ERROR invalid exptime argument");
		return;
	}
	res = mc_store_touch(s->srv->store, key->p, key->n,
			     mc_clock_deadline(exptime));
	MC_STAT_ADD(s->stats, cmd_touch, 1);
	if (res == MC_TOUCHED) {
		MC_STAT_ADD(s->stats, touch_hits, 1);
		reply(s, out, "TOUCHED");
	} else {
		MC_STAT_ADD(s->stats, touch_misses, 1);
		reply(s, out, "NOT_FOUND");
	}
}

/* flush_all [delay] [noreply] */
static void cmd_flush(struct mc_session *s, const struct cmdline *cl,
		      struct mc_outbuf *out)
{
	int32_t delay = 0;

	note_noreply(s, cl);
	MC_STAT_ADD(s->stats, cmd_flush, 1);
	if (cl->ntok != (s->noreply ? 2u : 1u) &&
	    !parse_i32(&cl->tok[1], &delay)) {
		reply(s, out, "CLIENT_ERROR invalid exptime argument");
		return;
	}
	mc_store_flush(s->srv->store, delay > 0 ? mc_clock_deadline(delay) : 0);
	reply(s, out, "OK");
}

static void cmd_verbosity(struct mc_session *s, const struct cmdline *cl,
			  struct mc_outbuf *out)
{
	uint32_t level;

	note_noreply(s, cl);
	if (!parse_u32(&cl->tok[1], &level)) {
		reply(s, out, "CLIENT_ERROR bad command line format");
		return;
	}
	atomic_store(&s->srv->verbose, level > 2 ? 2 : level);
	reply(s, out, "OK");
}

static void cmd_stats(struct mc_session *s, const struct cmdline *cl,
		      struct mc_outbuf *out)
{
	const struct token *arg = cl->ntok > 1 ? &cl->tok[1] : NULL;

	if (cl->ntok > 2 ||
	    !mc_stats_reply(s->srv, arg ? arg->p : NULL, arg ? arg->n : 0, out))
		mc_outbuf_line(out, "ERROR");
}

static bool ntok_in(const struct cmdline *cl, size_t lo, size_t hi)
{
	return cl->ntok >= lo && cl->ntok <= hi;
}

/* The storage commands and how many tokens each takes. */
static const struct {
	const char *name;
	enum mc_update_mode mode;
} update_cmds[] = {
	{ "set", MC_SET }, { "add", MC_ADD }, { "replace", MC_REPLACE },
	{ "append", MC_APPEND }, { "prepend", MC_PREPEND }, { "cas", MC_CAS },
};

/* One command line; data/ndata are the bytes after it (a data block). */
static enum exec execute(struct mc_session *s, const char *line, size_t len,
			 const char *data, size_t ndata, size_t *used,
			 struct mc_outbuf *out)
{
	struct cmdline cl;
	const struct token *cmd = &cl.tok[0];

	s->noreply = false;
	*used = 0;
	tokenize(line, len, &cl);
	if (cl.ntok == 0 || cmd->n < 2) {
		reply(s, out, "ERROR");
		return EXEC_DONE;
	}
	for (size_t i = 0; i < sizeof(update_cmds) / sizeof(update_cmds[0]); i++) {
		size_t base = update_cmds[i].mode == MC_CAS ? 6 : 5;

		if (!tok_is(cmd, update_cmds[i].name))
			continue;
		if (!ntok_in(&cl, base, base + 1))
			break;
		return cmd_update(s, &cl, update_cmds[i].mode, data, ndata,
				  used, out);
	}
	if (tok_is(cmd, "get") && cl.ntok >= 2)
		cmd_get(s, &cl, false, false, out);
	else if (tok_is(cmd, "gets") && cl.ntok >= 2)
		cmd_get(s, &cl, true, false, out);
	else if (tok_is(cmd, "gat") && cl.ntok >= 2)
		cmd_get(s, &cl, false, true, out);
	else if (tok_is(cmd, "gats") && cl.ntok >= 2)
		cmd_get(s, &cl, true, true, out);
	else if (tok_is(cmd, "incr") && ntok_in(&cl, 3, 4))
		cmd_delta(s, &cl, true, out);
	else if (tok_is(cmd, "decr") && ntok_in(&cl, 3, 4))
		cmd_delta(s, &cl, false, out);
	else if (tok_is(cmd, "delete") && ntok_in(&cl, 2, 4))
		cmd_delete(s, &cl, out);
	else if (tok_is(cmd, "touch") && ntok_in(&cl, 3, 4))
		cmd_touch(s, &cl, out);
	else if (tok_is(cmd, "flush_all") && ntok_in(&cl, 1, 3))
		cmd_flush(s, &cl, out);
	else if (tok_is(cmd, "verbosity") && ntok_in(&cl, 2, 3))
		cmd_verbosity(s, &cl, out);
	else if (tok_is(cmd, "stats"))
		cmd_stats(s, &cl, out);
	else if (tok_is(cmd, "version"))
		mc_outbuf_line(out, "VERSION " MC_PROTOCOL_VERSION);
	else if (tok_is(cmd, "quit"))
		return EXEC_CLOSE;
	else
		reply(s, out, "ERROR");
	return EXEC_DONE;
}

/* A line with no newline yet: wait for more, or give up on the connection
 * as memcached does (only a get's key list may be that long). */
static bool line_may_continue(const char *p, size_t n)
{
	size_t spaces = 0;

	if (n <= MC_LINE_MAX)
		return true;
	if (n > MC_GET_LINE_MAX)
		return false;
	while (spaces < n && p[spaces] == ' ')
		spaces++;
	if (spaces > 100)
		return false;
	p += spaces;
	n -= spaces;
	return (n >= 4 && memcmp(p, "get ", 4) == 0) ||
	       (n >= 5 && memcmp(p, "gets ", 5) == 0);
}

size_t mc_proto_feed(struct mc_session *s, const char *in, size_t len,
		     struct mc_outbuf *out, bool *close)
{
	size_t pos = 0;

	*close = false;
	while (pos < len) {
		const char *line = in + pos, *nl;
		size_t linelen, next, used;
		enum exec ex;

		if (s->swallow) {
			size_t n = len - pos < s->swallow ? len - pos : s->swallow;

			pos += n;
			s->swallow -= n;
			continue;
		}
		nl = memchr(line, '\n', len - pos);
		if (!nl) {
			*close = !line_may_continue(line, len - pos);
			break;
		}
		linelen = (size_t)(nl - line);
		next = pos + linelen + 1;
		if (linelen > 0 && line[linelen - 1] == '\r')
			linelen--;
		ex = execute(s, line, linelen, in + next, len - next, &used, out);
		if (ex == EXEC_NEED_DATA)
			break;
		pos = next + used;
		if (ex == EXEC_CLOSE) {
			*close = true;
			break;
		}
	}
	return pos;
}
