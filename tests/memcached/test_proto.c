// SPDX-License-Identifier: MIT
/*
 * Protocol and store unit tests: commands in, exact reply bytes out, with
 * memcached 1.6.18's replies for bad input; the same stream fed one byte at
 * a time gives the same replies; bad input never loses a stored item; the
 * LRU evicts the oldest; the change hooks run before the reply exists.
 */
#include <stdlib.h>
#include <string.h>

#include "ksc_test.h"
#include "clock.h"
#include "proto.h"
#include "server.h"
#include "store.h"

static struct mc_settings settings = {
	.mem_limit = 64 << 20, .item_max = 1 << 20, .threads = 1,
	.conn_limit = 16, .udp_batch = 16,
};
static struct mc_thread_stats tstats;
static struct mc_server srv = { .settings = &settings, .stats = &tstats, .nstats = 1 };

/* Feeds the whole input to a fresh session; returns the replies (static)
 * and whether the connection was to be closed. */
static const char *run_cmds(const char *in, size_t len, bool *closed)
{
	static struct mc_outbuf out;
	struct mc_session s = { .srv = &srv, .stats = &tstats };
	bool close = false;

	mc_outbuf_reset(&out);
	mc_proto_feed(&s, in, len, &out, &close);
	mc_outbuf_append(&out, "", 1);
	if (closed)
		*closed = close;
	return out.data;
}

static const char *run(const char *in)
{
	return run_cmds(in, strlen(in), NULL);
}

#define EXPECT(in, want)                                                 \
	do {                                                             \
		const char *got_ = run(in);                              \
		CHECK(strcmp(got_, want) == 0, "%s\n  got:  [%s]\n  want: [%s]", \
		      #in, got_, want);                                  \
	} while (0)

/* As tcp.c does: bytes arrive one at a time, unused ones are kept. */
static const char *run_bytewise(const char *in)
{
	static struct mc_outbuf out;
	struct mc_session s = { .srv = &srv, .stats = &tstats };
	size_t len = strlen(in), have = 0;
	char *buf = malloc(len + 1);
	bool close;

	mc_outbuf_reset(&out);
	for (size_t i = 0; i < len; i++) {
		size_t used;

		buf[have++] = in[i];
		used = mc_proto_feed(&s, buf, have, &out, &close);
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(buf);
	mc_outbuf_append(&out, "", 1);
	return out.data;
}

static void test_storage(void)
{
	EXPECT("flush_all\r\n", "OK\r\n");
	EXPECT("set a 5 0 3\r\nabc\r\nget a\r\n",
	       "STORED\r\nVALUE a 5 3\r\nabc\r\nEND\r\n");
	EXPECT("add a 0 0 1\r\nx\r\nadd b 0 0 1\r\ny\r\n", "NOT_STORED\r\nSTORED\r\n");
	EXPECT("replace zz 0 0 1\r\nx\r\nreplace b 7 0 2\r\nyy\r\nget b\r\n",
	       "NOT_STORED\r\nSTORED\r\nVALUE b 7 2\r\nyy\r\nEND\r\n");
	EXPECT("append a 9 0 2\r\nde\r\nprepend a 9 0 1\r\n_\r\nget a\r\n",
	       "STORED\r\nSTORED\r\nVALUE a 5 6\r\n_abcde\r\nEND\r\n");
	EXPECT("append nope 0 0 1\r\nx\r\n", "NOT_STORED\r\n");
	EXPECT("get a b nope\r\n",
	       "VALUE a 5 6\r\n_abcde\r\nVALUE b 7 2\r\nyy\r\nEND\r\n");
	EXPECT("set e 0 0 0\r\n\r\nget e\r\n", "STORED\r\nVALUE e 0 0\r\n\r\nEND\r\n");
	EXPECT("set a 0 0 1 noreply\r\nz\r\nget a\r\n", "VALUE a 0 1\r\nz\r\nEND\r\n");
}

/* gets gives the CAS; cas succeeds with it once, then EXISTS. */
static void test_cas(void)
{
	const char *r = run("set c 0 0 1\r\n1\r\ngets c\r\n");
	unsigned long long cas;
	char cmd[128], want[128];

	CHECK(sscanf(r, "STORED\r\nVALUE c 0 1 %llu", &cas) == 1, "gets: [%s]", r);
	snprintf(cmd, sizeof(cmd), "cas c 0 0 1 %llu\r\n2\r\ncas c 0 0 1 %llu\r\n3\r\n",
		 cas, cas);
	EXPECT(cmd, "STORED\r\nEXISTS\r\n");
	EXPECT("cas nokey 0 0 1 1\r\nx\r\n", "NOT_FOUND\r\n");
	snprintf(want, sizeof(want), "VALUE c 0 1 %llu\r\n2\r\nEND\r\n", cas + 1);
	EXPECT("gets c\r\n", want);
}

static void test_delete_incr_touch(void)
{
	EXPECT("set n 3 0 2\r\n10\r\nincr n 5\r\ndecr n 100\r\nincr n 18446744073709551615\r\n",
	       "STORED\r\n15\r\n0\r\n18446744073709551615\r\n");
	EXPECT("incr n 1\r\nget n\r\n", "0\r\nVALUE n 3 1\r\n0\r\nEND\r\n");
	EXPECT("incr nokey 1\r\ndecr nokey 1\r\n", "NOT_FOUND\r\nNOT_FOUND\r\n");
	EXPECT("set t 0 0 2\r\nab\r\nincr t 1\r\n",
	       "STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
	EXPECT("incr n -1\r\nincr n abc\r\n",
	       "CLIENT_ERROR invalid numeric delta argument\r\n"
	       "CLIENT_ERROR invalid numeric delta argument\r\n");
	EXPECT("touch n 100\r\ntouch nokey 1\r\ntouch n x\r\n",
	       "TOUCHED\r\nNOT_FOUND\r\nCLIENT_ERROR invalid exptime argument\r\n");
	EXPECT("gat 100 n t\r\ngats x n\r\n",
	       "VALUE n 3 1\r\n0\r\nVALUE t 0 2\r\nab\r\nEND\r\n"
	       "CLIENT_ERROR invalid exptime argument\r\n");
	EXPECT("delete n 5\r\ndelete n\r\ndelete n\r\ndelete t 0\r\n",
	       "CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n"
	       "DELETED\r\nNOT_FOUND\r\nDELETED\r\n");
	EXPECT("set x 0 -1 1\r\n1\r\nget x\r\n", "STORED\r\nEND\r\n");
	EXPECT("set x 0 0 1\r\n1\r\ntouch x -1\r\nget x\r\n", "STORED\r\nTOUCHED\r\nEND\r\n");
}

static void test_misc_commands(void)
{
	const char *r;

	EXPECT("version\r\n", "VERSION " MC_PROTOCOL_VERSION "\r\n");
	EXPECT("verbosity 1\r\nverbosity\r\nverbosity x\r\n",
	       "OK\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n");
	EXPECT("set f 0 0 1\r\n1\r\nflush_all\r\nget f\r\n", "STORED\r\nOK\r\nEND\r\n");
	EXPECT("flush_all x\r\nflush_all 0 noreply\r\nflush_all 100\r\n",
	       "CLIENT_ERROR invalid exptime argument\r\nOK\r\n");
	r = run("set s 0 0 1\r\n1\r\nstats\r\n");
	CHECK(strstr(r, "STAT curr_items 1\r\n") && strstr(r, "STAT cmd_set ") &&
	      strlen(r) > 5 && strcmp(r + strlen(r) - 5, "END\r\n") == 0, "stats: [%s]", r);
	EXPECT("stats nosuch\r\n", "ERROR\r\n");
	EXPECT("flush_all\r\n", "OK\r\n");
}

static void test_bad_input(void)
{
	char key251[300], cmd[700];
	bool closed;
	const char *r;

	EXPECT("\r\n", "ERROR\r\n");
	EXPECT("bogus\r\nx\r\nGET a\r\n", "ERROR\r\nERROR\r\nERROR\r\n");
	EXPECT("get\r\nset a 0 0\r\nincr a\r\ntouch a\r\n",
	       "ERROR\r\nERROR\r\nERROR\r\nERROR\r\n");
	EXPECT("set a 0 0 -1\r\n", "CLIENT_ERROR bad command line format\r\n");
	EXPECT("set a x 0 1\r\n", "CLIENT_ERROR bad command line format\r\n");
	EXPECT("set a 4294967296 0 1\r\n", "CLIENT_ERROR bad command line format\r\n");
	EXPECT("set a 0 2147483648 1\r\n", "CLIENT_ERROR bad command line format\r\n");
	EXPECT("set a 0 0 99999999999999999999\r\n", "CLIENT_ERROR bad command line format\r\n");
	EXPECT("cas a 0 0 1 x\r\n", "CLIENT_ERROR bad command line format\r\n");
	/* The data block of a refused line is read as a command, as memcached does. */
	EXPECT("set a 0 0 -1\r\nget\r\n", "CLIENT_ERROR bad command line format\r\nERROR\r\n");
	/* Wrong length: the bytes are consumed, nothing is stored. */
	EXPECT("set w 0 0 3\r\nabcd\r\nget w\r\n",
	       "CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n");
	/* Too large: refused, its data skipped unread, the next command runs. */
	snprintf(cmd, sizeof(cmd), "set big 0 0 %u\r\n", 2u << 20);
	r = run(cmd);
	CHECK(strcmp(r, "SERVER_ERROR object too large for cache\r\n") == 0, "big: [%s]", r);
	memset(key251, 'k', 251);
	key251[251] = '\0';
	snprintf(cmd, sizeof(cmd), "get %s\r\nset %s 0 0 1\r\n", key251, key251);
	EXPECT(cmd, "CLIENT_ERROR bad command line format\r\n"
		    "CLIENT_ERROR bad command line format\r\n");
	snprintf(cmd, sizeof(cmd), "set a 0 0 1\r\n1\r\nget a %s\r\n", key251);
	EXPECT(cmd, "STORED\r\nCLIENT_ERROR bad command line format\r\n");
	key251[250] = '\0';	/* 250 bytes is the longest allowed */
	snprintf(cmd, sizeof(cmd), "set %s 0 0 1\r\n1\r\ndelete %s\r\n", key251, key251);
	EXPECT(cmd, "STORED\r\nDELETED\r\n");
	EXPECT("get a a a a a a a a a a a a a a a a a a a a a a a a a a a a\r\n",
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "VALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\nVALUE a 0 1\r\n1\r\n"
	       "END\r\n");
	EXPECT("set a 0 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22\r\n",
	       "ERROR\r\n");

	/* A 3000-byte line that is not a get: the connection goes. */
	{
		char junk[3000];

		memset(junk, 'x', sizeof(junk));
		run_cmds(junk, sizeof(junk), &closed);
		CHECK(closed, "a long junk line must close the connection");
		memcpy(junk, "get ", 4);
		run_cmds(junk, sizeof(junk), &closed);
		CHECK(!closed, "a long get line may go on");
	}
	run_cmds("quit\r\nget a\r\n", 12, &closed);
	CHECK(closed, "quit closes");
}

static void test_bytewise(void)
{
	const char *stream = "set p 1 0 5\r\nhello\r\nget p\r\nbogus\r\nset p 0 0 2\r\nabc\r\n"
			     "incr q 1\r\nset big 0 0 2000000\r\n";
	char want[512];

	strcpy(want, run(stream));
	CHECK(strcmp(run_bytewise(stream), want) == 0, "byte-wise feeding differs");
	CHECK(strstr(want, "VALUE p 1 5\r\nhello\r\n") != NULL, "stream: [%s]", want);
}

/* Nothing bad input does may lose or change a stored item. */
static void test_bad_input_keeps_items(void)
{
	static const char *garbage[] = {
		"set k0 0 0 5\r\nabc\r\n", "set k1 0 0 -5\r\n", "get k2 k3 \x01\x02\r\n",
		"delete\r\n", "incr k4 x\r\n", "cas k5 0 0 1 abc\r\nx\r\n",
		"\xff\xfe\r\n", "set k6 0 0 1\r\n\r\n\r\n", "touch k7\r\n",
		"append k8 0 0 -1\r\n", "gat x k9\r\n",
	};
	char cmd[64], want[64];

	for (int i = 0; i < 10; i++) {
		snprintf(cmd, sizeof(cmd), "set k%d %d 0 2\r\nv%d\r\n", i, i, i);
		EXPECT(cmd, "STORED\r\n");
	}
	for (size_t g = 0; g < sizeof(garbage) / sizeof(garbage[0]); g++)
		run(garbage[g]);
	for (int i = 0; i < 10; i++) {
		snprintf(cmd, sizeof(cmd), "get k%d\r\n", i);
		snprintf(want, sizeof(want), "VALUE k%d %d 2\r\nv%d\r\nEND\r\n", i, i, i);
		EXPECT(cmd, want);
	}
}

/* Hook log: what the mirror saw, and whether any reply existed yet. */
struct hook_log {
	char events[65536];
	const struct mc_outbuf *out;
	size_t out_len_at_start;
	bool reply_before_hook;
};

static void log_event(struct hook_log *l, const char *what, const char *key, size_t nkey)
{
	size_t n = strlen(l->events);

	snprintf(l->events + n, sizeof(l->events) - n, "%s:%.*s ", what, (int)nkey, key);
	if (l->out && l->out->len != l->out_len_at_start)
		l->reply_before_hook = true;
}

static void hook_store(void *ctx, const struct mc_item_view *it)
{
	log_event(ctx, "store", it->key, it->nkey);
}

static void hook_remove(void *ctx, const char *key, size_t nkey, enum mc_remove_reason why)
{
	static const char *names[] = { "deleted", "expired", "evicted" };

	log_event(ctx, names[why], key, nkey);
}

static void hook_flush(void *ctx)
{
	log_event(ctx, "flush", "", 0);
}

static void test_hooks_and_lru(void)
{
	struct hook_log log = {0};
	struct mc_store_hooks hooks = {
		.ctx = &log, .on_store = hook_store, .on_remove = hook_remove, .on_flush = hook_flush,
	};
	/* Room for a few hundred small items only. */
	struct mc_store *st = mc_store_create(&(struct mc_store_config){
		.mem_limit = 32 << 10, .item_max = 16 << 10, .hooks = &hooks });
	struct mc_store *saved = srv.store;
	struct mc_session s = { .srv = &srv, .stats = &tstats };
	struct mc_outbuf out = {0};
	struct mc_store_stats ss;
	bool close;
	char cmd[128];

	srv.store = st;
	log.out = &out;
	/* Each hook runs while the reply buffer is still empty. */
	mc_proto_feed(&s, "set h 0 0 1\r\n1\r\n", 16, &out, &close);
	log.out_len_at_start = out.len;
	mc_proto_feed(&s, "delete h\r\n", 10, &out, &close);
	CHECK(strcmp(log.events, "store:h deleted:h ") == 0, "events: %s", log.events);
	CHECK(!log.reply_before_hook, "a reply was written before its hook ran");
	CHECK(out.len == strlen("STORED\r\nDELETED\r\n"), "replies: %zu", out.len);

	log.out = NULL;
	log.events[0] = '\0';
	for (int i = 0; i < 1000; i++) {
		snprintf(cmd, sizeof(cmd), "set key%d 0 0 32\r\n%032d\r\n", i, i);
		mc_outbuf_reset(&out);
		mc_proto_feed(&s, cmd, strlen(cmd), &out, &close);
		CHECK(out.len == 8 && memcmp(out.data, "STORED\r\n", 8) == 0,
		      "set %d: %.*s", i, (int)out.len, out.data);
	}
	mc_store_get_stats(st, &ss);
	CHECK(ss.evictions > 0 && ss.bytes <= 32 << 10 && ss.curr_items < 1000,
	      "evictions %llu bytes %llu items %llu", (unsigned long long)ss.evictions,
	      (unsigned long long)ss.bytes, (unsigned long long)ss.curr_items);
	CHECK(strstr(log.events, "evicted:key0 ") != NULL, "oldest not evicted first");
	EXPECT("get key0\r\n", "END\r\n");
	snprintf(cmd, sizeof(cmd), "VALUE key999 0 32\r\n%032d\r\nEND\r\n", 999);
	EXPECT("get key999\r\n", cmd);
	log.events[0] = '\0';
	EXPECT("flush_all\r\n", "OK\r\n");
	CHECK(strcmp(log.events, "flush: ") == 0, "flush events: %s", log.events);
	log.events[0] = '\0';
	EXPECT("set gone 0 -1 1\r\nx\r\nget gone\r\n", "STORED\r\nEND\r\n");
	CHECK(strcmp(log.events, "store:gone expired:gone ") == 0, "expiry events: %s",
	      log.events);
	/* An item bigger than the whole memory limit is refused, not stored. */
	snprintf(cmd, sizeof(cmd), "set huge 0 0 %d\r\n", 15 << 10);
	{
		size_t n = strlen(cmd), vlen = 15 << 10;
		char *big = malloc(n + vlen + 2);

		memcpy(big, cmd, n);
		memset(big + n, 'v', vlen);
		memcpy(big + n + vlen, "\r\n", 2);
		mc_outbuf_reset(&out);
		mc_proto_feed(&s, big, n + vlen + 2, &out, &close);
		CHECK(out.len == 8 && memcmp(out.data, "STORED\r\n", 8) == 0,
		      "15 KiB item in 32 KiB: %.*s", (int)out.len, out.data);
		free(big);
	}
	srv.store = saved;
	mc_outbuf_free(&out);
	mc_store_destroy(st);
}

int main(void)
{
	mc_clock_init();
	srv.store = mc_store_create(&(struct mc_store_config){
		.mem_limit = settings.mem_limit, .item_max = settings.item_max });
	if (!srv.store)
		return 1;
	test_storage();
	test_cas();
	test_delete_incr_touch();
	test_misc_commands();
	test_bad_input();
	test_bytewise();
	test_bad_input_keeps_items();
	test_hooks_and_lru();
	mc_store_destroy(srv.store);
	return ksc_test_summary("memcached_proto");
}
