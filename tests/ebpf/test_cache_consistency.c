// SPDX-License-Identifier: MIT
/*
 * Writers set and delete keys while readers run the XDP program on GETs for
 * them (BPF_PROG_TEST_RUN, concurrently). Every reply must be whole (its
 * data is the pattern of the version its flags name, lengths agree,
 * checksums verify) and never stale: not older than the last SET or DELETE
 * that had returned before the request, not newer than the last one begun.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ksc_ebpf.h"
#include "mc_packet.h"
#include "run_xdp.h"

#define KEYS 8
#define WRITERS 2
#define READERS 2
#define RUN_SECONDS 2

static const struct mc_flow client = {
	.src_mac = { 2, 0, 0, 0, 0, 2 }, .dst_mac = { 2, 0, 0, 0, 0, 1 },
	.src_ip = 0x0a000002, .dst_ip = 0x0a000001,
	.src_port = 40000, .dst_port = 11211,
};

static struct ksc_ebpf_cache *cache;
static atomic_bool stop;
/* Per key: no version below min_valid may be served; none above max_begun exists. */
static atomic_uint_fast32_t min_valid[KEYS], max_begun[KEYS];
static atomic_uint_fast64_t hits, misses, bad;

static size_t value_len(uint32_t version)
{
	return 1 + version * 7919u % 1300;
}

static void value_fill(char *out, uint32_t version)
{
	for (size_t i = 0; i < value_len(version); i++)
		out[i] = 'A' + (version + i) % 26;
}

static void *writer(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	uint32_t version[KEYS] = { 0 };
	char key[8], data[1400];

	while (!atomic_load(&stop)) {
		/* Writer w owns the keys i with i % WRITERS == w. */
		int k = rand_r(&seed) % (KEYS / WRITERS) * WRITERS + (int)(uintptr_t)arg;
		uint32_t v = ++version[k];
		int n = snprintf(key, sizeof(key), "k%d", k);

		atomic_store(&max_begun[k], v);
		if (rand_r(&seed) % 5 == 0) {
			ksc_ebpf_cache_delete(cache, key, n);	/* -ENOENT is fine */
			atomic_store(&min_valid[k], v + 1);
			continue;
		}
		value_fill(data, v);
		if (ksc_ebpf_cache_set(cache, key, n, v, 0, data, value_len(v))) {
			atomic_fetch_add(&bad, 1);
			fprintf(stderr, "set k%d version %u failed\n", k, v);
		}
		atomic_store(&min_valid[k], v);
	}
	return NULL;
}

/* 0 when text is a whole reply for key k whose version lies in [lo, hi]. */
static int reply_valid(const char *text, size_t len, int k, uint32_t lo, uint32_t hi)
{
	char want[MC_PACKET_MAX], data[1400], key[8];
	unsigned version;
	int consumed = 0;

	snprintf(key, sizeof(key), "k%d", k);
	if (sscanf(text, "VALUE k%*d %u %*u\r\n%n", &version, &consumed) != 1 || !consumed)
		return -1;
	value_fill(data, version);
	if (len != mc_hit_text(want, sizeof(want), key, version, data, value_len(version)) ||
	    memcmp(text, want, len) != 0)
		return -1;	/* torn */
	return version >= lo && version <= hi ? 0 : -2;	/* stale or from nowhere */
}

static void *reader(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg;
	int prog_fd = ksc_ebpf_cache_prog_fd(cache);
	uint8_t in[MC_PACKET_MAX], out[MC_PACKET_MAX];
	char text[16];

	while (!atomic_load(&stop)) {
		int k = rand_r(&seed) % KEYS, n = snprintf(text, sizeof(text), "get k%d\r\n", k);
		size_t len = mc_build_datagram(in, &client, k, text, n);
		uint32_t lo = atomic_load(&min_valid[k]), hi, out_len = 0;
		int verdict = run_xdp(prog_fd, in, len, out, &out_len);
		int err;

		hi = atomic_load(&max_begun[k]);
		if (verdict == XDP_PASS && out_len == len && !memcmp(in, out, len)) {
			atomic_fetch_add(&misses, 1);
			continue;
		}
		err = verdict == XDP_TX && mc_checksums_ok(out, out_len) == 0 ?
		      reply_valid((char *)out + MC_TEXT_OFF, out_len - MC_TEXT_OFF, k, lo, hi) : -1;
		if (err) {
			atomic_fetch_add(&bad, 1);
			fprintf(stderr, "k%d: verdict %d, %s reply (versions %u..%u): %.40s\n", k,
				verdict, err == -2 ? "stale" : "torn", (unsigned)lo, (unsigned)hi,
				(char *)out + MC_TEXT_OFF);
		} else {
			atomic_fetch_add(&hits, 1);
		}
	}
	return NULL;
}

int main(void)
{
	struct ksc_ebpf_cache_opts opts = { .sz = sizeof(opts), .capacity = KEYS };
	pthread_t threads[WRITERS + READERS];
	int err = ksc_ebpf_cache_open(&opts, &cache);

	if (err) {
		fprintf(stderr, "ksc_ebpf_cache_open: %s\n", ksc_ebpf_strerror(err));
		return err == -EPERM ? KSC_TEST_SKIP : 1;	/* no CAP_BPF here */
	}
	for (uintptr_t i = 0; i < WRITERS + READERS; i++)
		pthread_create(&threads[i], NULL, i < WRITERS ? writer : reader, (void *)i);
	nanosleep(&(struct timespec){ .tv_sec = RUN_SECONDS }, NULL);
	atomic_store(&stop, true);
	for (int i = 0; i < WRITERS + READERS; i++)
		pthread_join(threads[i], NULL);
	printf("hits %llu, misses %llu, bad %llu\n", (unsigned long long)hits,
	       (unsigned long long)misses, (unsigned long long)bad);
	CHECK(bad == 0, "%llu torn, stale or failed", (unsigned long long)bad);
	CHECK(hits > 0 && misses > 0, "both hits and misses must occur to test anything");
	ksc_ebpf_cache_close(cache);
	return ksc_test_summary("cache_consistency");
}
