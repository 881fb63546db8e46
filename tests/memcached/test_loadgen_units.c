// SPDX-License-Identifier: MIT
/*
 * ksc-loadgen's parts on their own: the reply checker accepts exactly the
 * right reply; the histogram's percentiles are within 1%; keys have a fixed
 * length; zipf draws follow the distribution and uniform ones cover the space.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_test.h"
#include "hist.h"
#include "keys.h"
#include "reply.h"

static void test_reply_checker(void)
{
	static const struct {
		const char *reply;
		enum lg_reply want;
	} cases[] = {
		{ "VALUE key:7 0 5\r\nhello\r\nEND\r\n", LG_REPLY_HIT },
		{ "VALUE key:7 42 5\r\nhello\r\nEND\r\n", LG_REPLY_HIT },
		{ "END\r\n", LG_REPLY_MISS },
		{ "VALUE key:7 0 5\r\nhellO\r\nEND\r\n", LG_REPLY_BAD },	/* a byte */
		{ "VALUE key:8 0 5\r\nhello\r\nEND\r\n", LG_REPLY_BAD },	/* key */
		{ "VALUE key:7 0 4\r\nhell\r\nEND\r\n", LG_REPLY_BAD },	/* length */
		{ "VALUE key:7 0 5\r\nhello\r\nEND\r\nEND\r\n", LG_REPLY_BAD },
		{ "VALUE key:7 0 5\r\nhello\r\n", LG_REPLY_BAD },	/* cut */
		{ "VALUE key:7 0 5 99\r\nhello\r\nEND\r\n", LG_REPLY_BAD },	/* a cas */
		{ "VALUE key:7  0 5\r\nhello\r\nEND\r\n", LG_REPLY_BAD },
		{ "SERVER_ERROR out of memory\r\n", LG_REPLY_BAD },
		{ "", LG_REPLY_BAD },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum lg_reply got = lg_check_get_reply(cases[i].reply, strlen(cases[i].reply),
						       "key:7", 5, "hello", 5);

		CHECK(got == cases[i].want, "reply %zu: got %d, want %d", i, got, cases[i].want);
	}
}

static void test_histogram(void)
{
	static struct lg_hist h;
	const double qs[] = { 0.5, 0.9, 0.99, 0.999 };

	/* 1..1,000,000 us in ns: quantile q is q * 1e9 ns. */
	for (uint64_t i = 1; i <= 1000000; i++)
		lg_hist_add(&h, i * 1000);
	for (size_t i = 0; i < 4; i++) {
		double got = (double)lg_hist_quantile(&h, qs[i]), want = qs[i] * 1e9;

		CHECK(fabs(got - want) / want < 0.01, "p%g: %.0f, want %.0f", qs[i] * 100, got, want);
	}
	CHECK(h.max_ns == 1000000000ull && h.count == 1000000, "max/count");
	CHECK(h.sum_ns / h.count == 500000500ull, "average %llu",
	      (unsigned long long)(h.sum_ns / h.count));
	CHECK(lg_hist_quantile(&(struct lg_hist){0}, 0.5) == 0, "empty histogram");
}

static void test_keys(void)
{
	struct lg_keyspace ks;
	uint64_t rng = 1, hits0 = 0, draws = 2000000, seen_last = 0, out_of_range = 0;
	char a[16], b[16];

	CHECK(!lg_keyspace_init(&ks, 100000, 8, 32, false, 0), "8 bytes cannot hold key:99999");
	CHECK(lg_keyspace_init(&ks, 100000, 16, 32, true, 0.99), "zipf keyspace");
	lg_key_name(&ks, 0, a);
	lg_key_name(&ks, 99999, b);
	CHECK(memcmp(a, "key:000000000000", 16) == 0 && memcmp(b, "key:000000099999", 16) == 0,
	      "key names %.16s %.16s", a, b);
	CHECK(memcmp(lg_key_value(&ks, 1), "bcdefg", 6) == 0, "value pattern");
	/* Rank 0 is drawn with probability 1 / zeta(n, theta). */
	for (uint64_t i = 0; i < draws; i++) {
		uint64_t k = lg_next_key(&ks, &rng);

		out_of_range += k >= ks.nkeys;
		hits0 += k == 0;
	}
	CHECK(out_of_range == 0, "%llu zipf keys out of range", (unsigned long long)out_of_range);
	CHECK(fabs((double)hits0 / (double)draws - 1.0 / ks.zipf_zetan) < 0.005,
	      "rank 0: %.4f of draws, want %.4f", (double)hits0 / (double)draws,
	      1.0 / ks.zipf_zetan);
	lg_keyspace_free(&ks);

	CHECK(lg_keyspace_init(&ks, 1000, 16, 32, false, 0), "uniform keyspace");
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t k = lg_next_key(&ks, &rng);

		out_of_range += k >= 1000;
		seen_last += k == 999;
	}
	CHECK(out_of_range == 0, "%llu uniform keys out of range", (unsigned long long)out_of_range);
	CHECK(seen_last > 50 && seen_last < 150, "key 999 drawn %llu times of ~100",
	      (unsigned long long)seen_last);
	lg_keyspace_free(&ks);
}

int main(void)
{
	test_reply_checker();
	test_histogram();
	test_keys();
	return ksc_test_summary("loadgen_units");
}
