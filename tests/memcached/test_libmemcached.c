// SPDX-License-Identifier: MIT
/*
 * test_libmemcached PORT: a real client library (libmemcached, ASCII
 * protocol over TCP) drives every storage command and checks the answers.
 */
#include <libmemcached/memcached.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksc_test.h"

static memcached_st *mc;

#define OK(rc, what) CHECK((rc) == MEMCACHED_SUCCESS, "%s: %s", what, memcached_strerror(mc, rc))

static void expect_value(const char *key, const char *want, uint32_t want_flags)
{
	size_t len = 0;
	uint32_t flags = 0;
	memcached_return_t rc;
	char *v = memcached_get(mc, key, strlen(key), &len, &flags, &rc);

	if (!want) {
		CHECK(v == NULL && rc == MEMCACHED_NOTFOUND, "%s: expected a miss (%s)",
		      key, memcached_strerror(mc, rc));
	} else {
		CHECK(v && len == strlen(want) && memcmp(v, want, len) == 0 &&
		      flags == want_flags, "%s: got '%.*s' flags %u, want '%s' flags %u",
		      key, (int)len, v ? v : "", flags, want, want_flags);
	}
	free(v);
}

static memcached_return_t set(const char *k, const char *v, time_t exp, uint32_t flags)
{
	return memcached_set(mc, k, strlen(k), v, strlen(v), exp, flags);
}

static void test_store_commands(void)
{
	memcached_return_t rc;

	OK(memcached_flush(mc, 0), "flush");
	OK(set("alpha", "one", 0, 7), "set");
	expect_value("alpha", "one", 7);
	rc = memcached_add(mc, "alpha", 5, "x", 1, 0, 0);
	CHECK(rc == MEMCACHED_NOTSTORED, "add existing: %s", memcached_strerror(mc, rc));
	OK(memcached_add(mc, "beta", 4, "two", 3, 0, 1), "add new");
	rc = memcached_replace(mc, "gamma", 5, "x", 1, 0, 0);
	CHECK(rc == MEMCACHED_NOTSTORED, "replace missing: %s", memcached_strerror(mc, rc));
	OK(memcached_replace(mc, "beta", 4, "TWO", 3, 0, 2), "replace");
	expect_value("beta", "TWO", 2);
	OK(memcached_append(mc, "alpha", 5, "-end", 4, 0, 0), "append");
	OK(memcached_prepend(mc, "alpha", 5, "start-", 6, 0, 0), "prepend");
	expect_value("alpha", "start-one-end", 7);
	OK(memcached_delete(mc, "beta", 4, 0), "delete");
	rc = memcached_delete(mc, "beta", 4, 0);
	CHECK(rc == MEMCACHED_NOTFOUND, "delete twice: %s", memcached_strerror(mc, rc));
	expect_value("beta", NULL, 0);
}

static void test_counters_and_touch(void)
{
	uint64_t v = 0;
	memcached_return_t rc;

	OK(set("count", "10", 0, 0), "set counter");
	OK(memcached_increment(mc, "count", 5, 32, &v), "incr");
	CHECK(v == 42, "incr gave %llu", (unsigned long long)v);
	OK(memcached_decrement(mc, "count", 5, 50, &v), "decr");
	CHECK(v == 0, "decr below zero gave %llu", (unsigned long long)v);
	rc = memcached_increment(mc, "nocount", 7, 1, &v);
	CHECK(rc == MEMCACHED_NOTFOUND, "incr missing: %s", memcached_strerror(mc, rc));
	OK(memcached_touch(mc, "count", 5, 1000), "touch");
	rc = memcached_touch(mc, "nokey", 5, 1000);
	CHECK(rc == MEMCACHED_NOTFOUND, "touch missing: %s", memcached_strerror(mc, rc));
	/* touch to the past: gone at once */
	OK(memcached_touch(mc, "count", 5, -1), "touch -1");
	expect_value("count", NULL, 0);
	OK(set("short", "lived", 1, 0), "set with exptime 1");
	expect_value("short", "lived", 0);
	sleep(2);
	expect_value("short", NULL, 0);
}

/* gets gives a CAS; cas with it wins once. */
static void test_cas(void)
{
	const char *keys[] = { "caskey" };
	size_t lens[] = { 6 };
	memcached_result_st *res;
	memcached_return_t rc;
	uint64_t cas = 0;

	OK(set("caskey", "v1", 0, 0), "set for cas");
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_SUPPORT_CAS, 1);
	OK(memcached_mget(mc, keys, lens, 1), "gets");
	res = memcached_fetch_result(mc, NULL, &rc);
	CHECK(res != NULL, "gets result: %s", memcached_strerror(mc, rc));
	if (res) {
		cas = memcached_result_cas(res);
		memcached_result_free(res);
	}
	while ((res = memcached_fetch_result(mc, NULL, &rc)))
		memcached_result_free(res);
	CHECK(cas != 0, "gets returned no CAS");
	OK(memcached_cas(mc, "caskey", 6, "v2", 2, 0, 0, cas), "cas");
	rc = memcached_cas(mc, "caskey", 6, "v3", 2, 0, 0, cas);
	CHECK(rc == MEMCACHED_DATA_EXISTS, "stale cas: %s", memcached_strerror(mc, rc));
	expect_value("caskey", "v2", 0);
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_SUPPORT_CAS, 0);
}

static void test_multiget_and_sizes(void)
{
	const char *keys[] = { "m1", "m2", "m3", "missing" };
	size_t lens[] = { 2, 2, 2, 7 };
	char k[MEMCACHED_MAX_KEY], v[MEMCACHED_MAX_KEY];
	size_t klen, vlen, big = 512 * 1024, found = 0;
	uint32_t flags;
	memcached_return_t rc;
	char *val, *bigv = malloc(2 << 20);

	OK(set("m1", "a", 0, 0), "set m1");
	OK(set("m2", "bb", 0, 0), "set m2");
	OK(set("m3", "ccc", 0, 0), "set m3");
	OK(memcached_mget(mc, keys, lens, 4), "mget");
	while ((val = memcached_fetch(mc, k, &klen, &vlen, &flags, &rc))) {
		snprintf(v, sizeof(v), "%.*s", (int)vlen, val);
		CHECK(klen == 2 && vlen == (size_t)(k[1] - '0'), "mget %.*s = %s", (int)klen, k, v);
		found++;
		free(val);
	}
	CHECK(found == 3, "mget found %zu of 3", found);

	for (size_t i = 0; i < (2u << 20); i++)
		bigv[i] = (char)('a' + i % 23);
	OK(memcached_set(mc, "big", 3, bigv, big, 0, 0), "set 512 KiB");
	val = memcached_get(mc, "big", 3, &vlen, &flags, &rc);
	CHECK(val && vlen == big && memcmp(val, bigv, big) == 0, "512 KiB value read back");
	free(val);
	rc = memcached_set(mc, "big", 3, bigv, 2u << 20, 0, 0);
	CHECK(rc != MEMCACHED_SUCCESS, "a 2 MiB value must be refused");
	/* memcached drops the old value when a SET of the key fails */
	expect_value("big", NULL, 0);
	expect_value("m3", "ccc", 0);
	free(bigv);
}

static void test_noreply_and_server_info(void)
{
	const memcached_instance_st *s;
	memcached_stat_st *st;
	memcached_return_t rc;

	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_NOREPLY, 1);
	OK(set("quiet", "q", 0, 0), "set noreply");
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_NOREPLY, 0);
	expect_value("quiet", "q", 0);
	OK(memcached_version(mc), "version");
	s = memcached_server_instance_by_position(mc, 0);
	CHECK(memcached_server_major_version(s) == 1 &&
	      memcached_server_minor_version(s) == 6, "version %u.%u",
	      memcached_server_major_version(s), memcached_server_minor_version(s));
	st = memcached_stat(mc, NULL, &rc);
	CHECK(st && rc == MEMCACHED_SUCCESS && st->cmd_get > 0 && st->curr_items > 0,
	      "stats: %s", memcached_strerror(mc, rc));
	memcached_stat_free(mc, st);
}

int main(int argc, char **argv)
{
	memcached_return_t rc;
	int port;

	if (argc != 2) {
		fprintf(stderr, "usage: test_libmemcached PORT\n");
		return 2;
	}
	port = atoi(argv[1]);
	mc = memcached_create(NULL);
	rc = memcached_server_add(mc, "127.0.0.1", (in_port_t)port);
	if (!mc || rc != MEMCACHED_SUCCESS)
		return 2;
	memcached_behavior_set(mc, MEMCACHED_BEHAVIOR_BINARY_PROTOCOL, 0);
	test_store_commands();
	test_counters_and_touch();
	test_cas();
	test_multiget_and_sizes();
	test_noreply_and_server_info();
	memcached_free(mc);
	return ksc_test_summary("memcached_libmemcached");
}
