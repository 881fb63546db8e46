// SPDX-License-Identifier: MIT
/*
 * The XDP cache program under BPF_PROG_TEST_RUN with crafted frames: hits
 * give exactly the expected reply (checksums verified here); misses and
 * every malformed or foreign frame pass untouched; the cache operations and
 * the counters behave as documented. Needs root (CAP_BPF).
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksc_ebpf.h"
#include "mc_packet.h"
#include "run_xdp.h"

static const struct mc_flow client4 = {
	.src_mac = { 2, 0, 0, 0, 0, 2 }, .dst_mac = { 2, 0, 0, 0, 0, 1 },
	.src_ip = 0x0a000002, .dst_ip = 0x0a000001,
	.src_port = 40000, .dst_port = 11211,
};

static const struct mc_flow client6 = {
	.src_mac = { 2, 0, 0, 0, 0, 2 }, .dst_mac = { 2, 0, 0, 0, 0, 1 },
	.ipv6 = 1,
	.src_ip6 = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0x02 },
	.dst_ip6 = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0x01 },
	.src_port = 40000, .dst_port = 11211,
};

/* The flow requests come on: client4, or client6 in test_ipv6(). */
static const struct mc_flow *client = &client4;

static struct ksc_ebpf_cache *cache;
static int prog_fd;
static struct ksc_ebpf_cache_stats expected_stats;

static size_t get_request(uint8_t *frame, const char *key, uint16_t request_id)
{
	char text[512];
	int n = snprintf(text, sizeof(text), "get %s\r\n", key);

	return mc_build_datagram(frame, client, request_id, text, n);
}

/* A hit: the frame must turn into exactly the reply this code builds. */
static void expect_hit(const char *key, uint32_t flags, const void *data, size_t data_len,
		       uint16_t request_id, size_t padding)
{
	uint8_t in[MC_PACKET_MAX] = { 0 }, out[MC_PACKET_MAX], want[MC_PACKET_MAX];
	char text[MC_PACKET_MAX];
	struct mc_flow reply_flow = mc_reverse(client);
	size_t text_len = mc_hit_text(text, sizeof(text), key, flags, data, data_len);
	size_t in_len = get_request(in, key, request_id) + padding;
	size_t want_len = mc_build_datagram(want, &reply_flow, request_id, text, text_len);
	uint32_t out_len = 0;
	int verdict = run_xdp(prog_fd, in, in_len, out, &out_len);

	CHECK(verdict == XDP_TX, "key %s, %zu bytes: verdict %d", key, data_len, verdict);
	CHECK(out_len == want_len, "key %s: reply %u bytes, want %zu", key, out_len, want_len);
	CHECK(out_len == want_len && memcmp(out, want, want_len) == 0,
	      "key %s, %zu bytes: reply differs", key, data_len);
	CHECK(mc_checksums_ok(out, out_len) == 0, "key %s: bad checksum", key);
	expected_stats.hits++;
}

/* Not served: XDP_PASS with the frame exactly as it came. */
static void expect_pass(const char *what, const uint8_t *in, size_t len, int is_miss)
{
	uint8_t out[MC_PACKET_MAX];
	uint32_t out_len = 0;
	int verdict = run_xdp(prog_fd, in, len, out, &out_len);

	CHECK(verdict == XDP_PASS, "%s: verdict %d", what, verdict);
	CHECK(out_len == len && memcmp(in, out, len) == 0, "%s: frame changed", what);
	if (is_miss)
		expected_stats.misses++;
	else
		expected_stats.passes++;
}

static void expect_text_passes(const char *what, const char *text)
{
	uint8_t frame[MC_PACKET_MAX];
	size_t len = mc_build_datagram(frame, client, 7, text, strlen(text));

	expect_pass(what, frame, len, 0);
}

/* The request good (len bytes) cut short at every byte after Ethernet passes. */
static void expect_truncations_pass(const char *what, const uint8_t *good, size_t len)
{
	for (size_t cut = MC_ETH_LEN; cut < len; cut++)
		expect_pass(what, good, cut, 0);
}

/* Copy the request good into frame, change one thing, and expect it to pass
 * (in a test that names them frame, good and len). */
#define MUTATE(what, stmt)                              \
	do {                                            \
		memcpy(frame, good, len);               \
		stmt;                                   \
		expect_pass(what, frame, len, 0);       \
	} while (0)

static void test_hits(void)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 31, 32, 128, 512, 1024, 1367 };
	static char data[1400], long_key[KSC_MC_KEY_MAX + 1];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = 'a' + i % 26;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK(ksc_ebpf_cache_set(cache, "foo", 3, 5, 0, data, sizes[i]) == 0,
		      "set %zu bytes", sizes[i]);
		expect_hit("foo", 5, data, sizes[i], 0x1234 + i, 0);
	}
	/* The largest value that fits one datagram with this key, and one more. */
	CHECK(ksc_ebpf_cache_set(cache, "foo", 3, 5, 0, data, 1368) == -E2BIG, "1368 bytes");
	memset(long_key, 'k', KSC_MC_KEY_MAX);
	CHECK(ksc_ebpf_cache_set(cache, long_key, KSC_MC_KEY_MAX, 0xffffffff, 0, "v", 1) == 0,
	      "250-byte key");
	expect_hit(long_key, 0xffffffff, "v", 1, 0xffff, 0);
	/* Ethernet padding after the datagram is not part of the request. */
	CHECK(ksc_ebpf_cache_set(cache, "k", 1, 0, 0, "xy", 2) == 0, "set k");
	expect_hit("k", 0, "xy", 2, 0, 6);
}

static void test_cache_ops(void)
{
	static const char zeros[1400];
	uint8_t frame[MC_PACKET_MAX];
	size_t len;

	CHECK(ksc_ebpf_cache_set(cache, "a", 1, 1, 0, "old", 3) == 0, "set a");
	CHECK(ksc_ebpf_cache_set(cache, "a", 1, 2, 0, "newer", 5) == 0, "replace a");
	expect_hit("a", 2, "newer", 5, 1, 0);
	CHECK(ksc_ebpf_cache_delete(cache, "a", 1) == 0, "delete a");
	CHECK(ksc_ebpf_cache_delete(cache, "a", 1) == -ENOENT, "delete a twice");
	len = get_request(frame, "a", 1);
	expect_pass("deleted key", frame, len, 1);
	len = get_request(frame, "never-set", 2);
	expect_pass("never-set key", frame, len, 1);

	/* A SET too big for a datagram uncaches the older value. */
	CHECK(ksc_ebpf_cache_set(cache, "b", 1, 0, 0, "small", 5) == 0, "set b");
	CHECK(ksc_ebpf_cache_set(cache, "b", 1, 0, 0, zeros, 1400) == -E2BIG, "big b");
	len = get_request(frame, "b", 3);
	expect_pass("key whose SET was too big", frame, len, 1);

	CHECK(ksc_ebpf_cache_set(cache, "", 0, 0, 0, "v", 1) == -EINVAL, "empty key");
	CHECK(ksc_ebpf_cache_set(cache, "a b", 3, 0, 0, "v", 1) == -EINVAL, "key with space");
	CHECK(ksc_ebpf_cache_set(cache, "a\nb", 3, 0, 0, "v", 1) == -EINVAL, "control char");
	CHECK(ksc_ebpf_cache_set(cache, zeros, 251, 0, 0, "v", 1) == -EINVAL, "long key");

	CHECK(ksc_ebpf_cache_set(cache, "c", 1, 0, 0, "v", 1) == 0, "set c");
	CHECK(ksc_ebpf_cache_flush(cache) == 0, "flush");
	len = get_request(frame, "c", 4);
	expect_pass("flushed key", frame, len, 1);
	len = get_request(frame, "foo", 5);
	expect_pass("flushed key foo", frame, len, 1);
}

/* Items with an exptime: served until then, never after. */
static void test_expiry(void)
{
	uint8_t frame[MC_PACKET_MAX];
	time_t now = time(NULL);
	size_t len;

	CHECK(ksc_ebpf_cache_set(cache, "later", 5, 0, now + 100, "v", 1) == 0, "set later");
	expect_hit("later", 0, "v", 1, 11, 0);
	CHECK(ksc_ebpf_cache_set(cache, "later", 5, 0, now - 1, "v", 1) == 0, "expire later");
	len = get_request(frame, "later", 12);
	expect_pass("set with a past exptime", frame, len, 1);

	/* Still in the map when its second passes: the program must see it. */
	CHECK(ksc_ebpf_cache_set(cache, "soon", 4, 0, now + 1, "v", 1) == 0, "set soon");
	while (time(NULL) < now + 1)
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	len = get_request(frame, "soon", 13);
	expect_pass("expired in the map", frame, len, 1);
	CHECK(ksc_ebpf_cache_flush(cache) == 0, "flush");
}

static void test_full(int capacity)
{
	char key[16];
	int n;

	for (int i = 0; i < capacity; i++) {
		n = snprintf(key, sizeof(key), "full%d", i);
		CHECK(ksc_ebpf_cache_set(cache, key, n, 0, 0, "v", 1) == 0, "fill %d", i);
	}
	CHECK(ksc_ebpf_cache_set(cache, "one-more", 8, 0, 0, "v", 1) == -ENOSPC, "full");
	CHECK(ksc_ebpf_cache_delete(cache, "full0", 5) == 0, "make room");
	CHECK(ksc_ebpf_cache_set(cache, "one-more", 8, 0, 0, "v", 1) == 0, "room again");
	expect_hit("one-more", 0, "v", 1, 9, 0);
	CHECK(ksc_ebpf_cache_flush(cache) == 0, "flush");
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* A valid hit request for "foo", altered by each case, must pass. */
static void test_malformed(void)
{
	uint8_t good[MC_PACKET_MAX], frame[MC_PACKET_MAX];
	uint8_t *ip = frame + MC_ETH_LEN, *udp = ip + MC_IP_LEN;
	char long_key[KSC_MC_KEY_MAX + 2], text[300];
	size_t len;

	CHECK(ksc_ebpf_cache_set(cache, "foo", 3, 0, 0, "bar", 3) == 0, "set foo");
	len = get_request(good, "foo", 1);
	expect_truncations_pass("truncated", good, len);

	MUTATE("frame seq 1", frame[MC_FRAME_OFF + 3] = 1);
	MUTATE("frame total 2", frame[MC_FRAME_OFF + 5] = 2);
	MUTATE("frame total 0", frame[MC_FRAME_OFF + 5] = 0);
	MUTATE("frame reserved", frame[MC_FRAME_OFF + 7] = 1);
	MUTATE("wrong port", put16(udp + 2, 11212));
	MUTATE("fragment MF", ip[6] = 0x20);
	MUTATE("fragment offset", ip[7] = 1);
	MUTATE("TCP", ip[9] = 6);
	MUTATE("IPv6 ethertype", put16(frame + 12, 0x86dd));
	MUTATE("ARP ethertype", put16(frame + 12, 0x0806));
	MUTATE("VLAN ethertype", put16(frame + 12, 0x8100));
	MUTATE("IP version 6", ip[0] = 0x65);
	MUTATE("IP options (ihl 6)", ip[0] = 0x46);
	MUTATE("UDP length short", put16(udp + 4, 20));
	MUTATE("UDP length long", put16(udp + 4, len - MC_ETH_LEN - MC_IP_LEN + 1));
	MUTATE("IP length long", put16(ip + 2, len - MC_ETH_LEN + 1));
	MUTATE("no CR", frame[len - 2] = ' ');
	MUTATE("no LF", frame[len - 1] = '\r');
	MUTATE("GET upper case", frame[MC_TEXT_OFF] = 'G');

	expect_text_passes("gets", "gets foo\r\n");
	expect_text_passes("multi-key", "get foo bar\r\n");
	expect_text_passes("two spaces", "get  foo\r\n");
	expect_text_passes("empty key", "get \r\n");
	expect_text_passes("LF only", "get foo\n");
	expect_text_passes("trailing byte", "get foo\r\nX");
	expect_text_passes("set", "set foo 0 0 3\r\nbar\r\n");
	expect_text_passes("control char in key", "get f\too\r\n");
	expect_text_passes("DEL in key", "get f\x7foo\r\n");
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = 0;
	snprintf(text, sizeof(text), "get %s\r\n", long_key);
	expect_text_passes("key too long", text);
}

/* The same over IPv6: hits, a miss, and malformed frames. */
static void test_ipv6(void)
{
	static const size_t sizes[] = { 0, 32, 1024, 1367 };
	static char data[1400];
	uint8_t good[MC_PACKET_MAX], frame[MC_PACKET_MAX];
	uint8_t *ip6 = frame + MC_ETH_LEN, *udp = ip6 + MC_IP6_LEN;
	size_t len;

	client = &client6;
	memset(data, '6', sizeof(data));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK(ksc_ebpf_cache_set(cache, "foo", 3, 5, 0, data, sizes[i]) == 0, "set");
		expect_hit("foo", 5, data, sizes[i], 0x600 + i, 0);
	}
	len = get_request(frame, "not-cached", 1);
	expect_pass("IPv6 miss", frame, len, 1);

	len = get_request(good, "foo", 2);
	expect_truncations_pass("IPv6 truncated", good, len);
	MUTATE("IPv6 hop-by-hop header", ip6[6] = 0);
	MUTATE("IPv6 fragment header", ip6[6] = 44);
	MUTATE("IPv6 version 4", ip6[0] = 0x40);
	MUTATE("IPv6 payload length long", put16(ip6 + 4, len - MC_ETH_LEN - MC_IP6_LEN + 1));
	MUTATE("IPv6 UDP length short", put16(udp + 4, 20));
	MUTATE("IPv6 wrong port", put16(udp + 2, 11212));
	MUTATE("IPv6 frame seq 1", frame[MC_TEXT_OFF6 - 5] = 1);
	MUTATE("IPv6 gets", frame[MC_TEXT_OFF6 + 3] = 's');
	CHECK(ksc_ebpf_cache_flush(cache) == 0, "flush");
	client = &client4;
}

/*
 * A TX verdict on a mutated frame is right only as a whole reply to the
 * request it still is: checksums, swapped ports, echoed id, the hit text.
 */
static int is_reply_to(const uint8_t *in, const uint8_t *out, uint32_t out_len,
		       const char *text, size_t text_len)
{
	size_t l3 = in[12] == 0x86 ? MC_IP6_LEN : MC_IP_LEN;
	const uint8_t *udp_in = in + MC_ETH_LEN + l3, *udp_out = out + MC_ETH_LEN + l3;

	return out_len == MC_ETH_LEN + l3 + 16 + text_len && mc_checksums_ok(out, out_len) == 0 &&
	       !memcmp(udp_out, udp_in + 2, 2) && !memcmp(udp_out + 2, udp_in, 2) &&
	       !memcmp(udp_out + 8, udp_in + 8, 2) && !memcmp(udp_out + 10, "\0\0\0\1\0\0", 6) &&
	       !memcmp(udp_out + 16, text, text_len);
}

/*
 * Random damage to valid requests (bytes overwritten, frames cut or
 * lengthened), IPv4 and IPv6: every verdict is a PASS of the frame as it
 * came, or a TX of a whole reply; nothing else, never a crash.
 */
static void test_fuzz(void)
{
	uint8_t in[MC_PACKET_MAX], out[MC_PACKET_MAX];
	char text[MC_PACKET_MAX];
	size_t text_len = mc_hit_text(text, sizeof(text), "foo", 7, "fuzz", 4);
	unsigned seed = 1, passes = 0, replies = 0;
	struct ksc_ebpf_cache_stats before, after;

	CHECK(ksc_ebpf_cache_stats(cache, &before) == 0, "stats");
	CHECK(ksc_ebpf_cache_set(cache, "foo", 3, 7, 0, "fuzz", 4) == 0, "set foo");
	for (int i = 0; i < 4000; i++) {
		client = i % 2 ? &client6 : &client4;
		size_t len = get_request(in, "foo", i);
		uint32_t out_len = 0;
		int verdict;

		for (int n = rand_r(&seed) % 3 + 1; n > 0; n--)
			in[rand_r(&seed) % len] = rand_r(&seed);
		if (rand_r(&seed) % 4 == 0)
			len = MC_ETH_LEN + rand_r(&seed) % (len + 8 - MC_ETH_LEN);
		verdict = run_xdp(prog_fd, in, len, out, &out_len);
		if (verdict == XDP_PASS && out_len == len && !memcmp(in, out, len)) {
			passes++;
			continue;
		}
		CHECK(verdict == XDP_TX && is_reply_to(in, out, out_len, text, text_len),
		      "mutated frame %d: verdict %d, %u bytes", i, verdict, out_len);
		replies++;
	}
	client = &client4;
	printf("fuzz: %u passed up, %u answered\n", passes, replies);
	CHECK(passes > 0 && replies > 0, "both outcomes must occur to test anything");
	CHECK(ksc_ebpf_cache_stats(cache, &after) == 0 && after.hits - before.hits == replies &&
	      after.errors == before.errors, "fuzz counters");
	CHECK(ksc_ebpf_cache_flush(cache) == 0, "flush");
}

/* opts carry their size: too short is refused, a longer one only when zero beyond. */
static void test_opts_size(void)
{
	struct {
		struct ksc_ebpf_cache_opts opts;
		uint64_t newer_field;
	} newer = { .opts = { .sz = sizeof(newer), .capacity = 2 }, .newer_field = 1 };
	struct ksc_ebpf_cache_opts bad = { .sz = 1 };
	struct ksc_ebpf_cache *other;

	CHECK(ksc_ebpf_cache_open(&bad, &other) == -EINVAL, "sz too small");
	CHECK(ksc_ebpf_cache_open(&newer.opts, &other) == -E2BIG, "unknown non-zero field");
	newer.newer_field = 0;
	CHECK(ksc_ebpf_cache_open(&newer.opts, &other) == 0, "unknown zero field");
	ksc_ebpf_cache_close(other);
	CHECK(ksc_ebpf_cache_open(NULL, &other) == 0, "NULL opts");
	ksc_ebpf_cache_close(other);
}

int main(void)
{
	struct ksc_ebpf_cache_opts opts = { .sz = sizeof(opts), .port = 11211, .capacity = 64 };
	struct ksc_ebpf_cache_stats stats;
	int err = ksc_ebpf_cache_open(&opts, &cache);

	if (err) {
		fprintf(stderr, "ksc_ebpf_cache_open: %s\n", ksc_ebpf_strerror(err));
		return err == -EPERM ? KSC_TEST_SKIP : 1;	/* no CAP_BPF here */
	}
	prog_fd = ksc_ebpf_cache_prog_fd(cache);
	test_opts_size();
	test_hits();
	test_cache_ops();
	test_expiry();
	test_full(opts.capacity);
	test_malformed();
	test_ipv6();
	CHECK(ksc_ebpf_cache_stats(cache, &stats) == 0, "stats");
	CHECK(memcmp(&stats, &expected_stats, sizeof(stats)) == 0,
	      "stats hits %llu misses %llu passes %llu errors %llu, want %llu %llu %llu 0",
	      (unsigned long long)stats.hits, (unsigned long long)stats.misses,
	      (unsigned long long)stats.passes, (unsigned long long)stats.errors,
	      (unsigned long long)expected_stats.hits,
	      (unsigned long long)expected_stats.misses,
	      (unsigned long long)expected_stats.passes);
	test_fuzz();
	ksc_ebpf_cache_close(cache);
	return ksc_test_summary("xdp_packets");
}
