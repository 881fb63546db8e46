// SPDX-License-Identifier: MIT
#include "keys.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LG_KEY_PREFIX "key:"

static unsigned digits_of(uint64_t n)
{
	unsigned d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * Gray et al.'s zipf generator ("Quickly generating billion-record
 * synthetic databases", SIGMOD 1994), as YCSB uses it: O(n) set-up, O(1)
 * per draw; rank 0 is the hottest key.
 */
static void zipf_init(struct lg_keyspace *ks, double theta)
{
	double zeta2 = 1.0 + pow(0.5, theta), zetan = 0.0;

	for (uint64_t i = 1; i <= ks->nkeys; i++)
		zetan += 1.0 / pow((double)i, theta);
	ks->zipf_theta = theta;
	ks->zipf_alpha = 1.0 / (1.0 - theta);
	ks->zipf_zetan = zetan;
	ks->zipf_eta = (1.0 - pow(2.0 / (double)ks->nkeys, 1.0 - theta)) /
		       (1.0 - zeta2 / zetan);
}

bool lg_keyspace_init(struct lg_keyspace *ks, uint64_t nkeys, unsigned key_size,
		      size_t value_size, bool zipf, double theta)
{
	unsigned need = (unsigned)strlen(LG_KEY_PREFIX) + digits_of(nkeys - 1);

	memset(ks, 0, sizeof(*ks));
	if (zipf && nkeys < 2) {
		fprintf(stderr, "ksc-loadgen: --zipf needs at least 2 keys\n");
		return false;
	}
	if (nkeys < 1 || key_size < need || key_size > 250) {
		fprintf(stderr, "ksc-loadgen: --key-size must be %u..250 for %llu keys\n",
			need, (unsigned long long)nkeys);
		return false;
	}
	if (zipf && (theta <= 0.0 || theta >= 1.0)) {
		fprintf(stderr, "ksc-loadgen: --zipf must be in (0, 1)\n");
		return false;
	}
	ks->nkeys = nkeys;
	ks->key_size = key_size;
	ks->value_size = value_size;
	ks->pattern = malloc(value_size + 26);
	if (!ks->pattern) {
		fprintf(stderr, "ksc-loadgen: out of memory\n");
		return false;
	}
	for (size_t i = 0; i < value_size + 26; i++)
		ks->pattern[i] = (char)('a' + i % 26);
	ks->zipf = zipf;
	if (zipf)
		zipf_init(ks, theta);
	return true;
}

void lg_keyspace_free(struct lg_keyspace *ks)
{
	free(ks->pattern);
	ks->pattern = NULL;
}

void lg_key_name(const struct lg_keyspace *ks, uint64_t i, char *out)
{
	size_t plen = strlen(LG_KEY_PREFIX);
	unsigned pos = ks->key_size;

	memcpy(out, LG_KEY_PREFIX, plen);
	/* Zero-padded decimal, right-aligned: every key is key_size long. */
	while (pos > plen) {
		out[--pos] = (char)('0' + i % 10);
		i /= 10;
	}
}

uint64_t lg_next_key(const struct lg_keyspace *ks, uint64_t *rng)
{
	double u, uz;
	uint64_t k;

	if (!ks->zipf)
		return lg_rand(rng) % ks->nkeys;
	u = (double)(lg_rand(rng) >> 11) * 0x1.0p-53;
	uz = u * ks->zipf_zetan;
	if (uz < 1.0)
		return 0;
	if (uz < 1.0 + pow(0.5, ks->zipf_theta))
		return 1;
	k = (uint64_t)((double)ks->nkeys *
		       pow(ks->zipf_eta * u - ks->zipf_eta + 1.0, ks->zipf_alpha));
	return k < ks->nkeys ? k : ks->nkeys - 1;
}
