/* SPDX-License-Identifier: MIT */
/*
 * The key space: key i's name, its value (a pattern the generator can check
 * without storing anything), and how the next key is drawn (uniform or
 * zipf, each thread with its own random state).
 */
#ifndef KSC_LG_KEYS_H
#define KSC_LG_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lg_keyspace {
	uint64_t nkeys;
	unsigned key_size;	/* every key has exactly this length */
	size_t value_size;
	char *pattern;		/* value_size + 26 letters: values are windows */
	bool zipf;
	double zipf_theta, zipf_alpha, zipf_zetan, zipf_eta;
};

/* Returns false (with a message) when the keys cannot be that short. */
bool lg_keyspace_init(struct lg_keyspace *ks, uint64_t nkeys, unsigned key_size,
		      size_t value_size, bool zipf, double theta);
void lg_keyspace_free(struct lg_keyspace *ks);

/* Writes key i's name (key_size bytes, no terminator) to out. */
void lg_key_name(const struct lg_keyspace *ks, uint64_t i, char *out);

/* Key i's value bytes (value_size of them). */
static inline const char *lg_key_value(const struct lg_keyspace *ks, uint64_t i)
{
	return ks->pattern + i % 26;
}

/* splitmix64: a small, fast generator; one state per thread. */
static inline uint64_t lg_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The next key to ask for. */
uint64_t lg_next_key(const struct lg_keyspace *ks, uint64_t *rng);

#endif /* KSC_LG_KEYS_H */
