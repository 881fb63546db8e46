// SPDX-License-Identifier: MIT
/*
 * End to end over a veth pair between two private network namespaces, the
 * cache attached in native XDP mode on the server side: a UDP client (IPv4
 * and IPv6) gets correct replies for hits, served by XDP (the server socket
 * receives none of them), and for misses, served by a user-space responder.
 * Detaching hands GETs back to user space, a process killed while attached
 * leaves nothing attached (the BPF link dies with it), and generic XDP
 * serves hits as well.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksc_ebpf.h"
#include "mc_packet.h"
#include "mc_responder.h"
#include "ksc_test.h"
#include "veth_pair.h"

#define PORT 11211

static struct veth_pair vp;

/* One GET over the wire: the reply text must be want. */
static void expect_reply(int client, const char *key, uint16_t id, const char *want, size_t want_len)
{
	char request[300], reply[1500];
	int n = snprintf(request + 8, sizeof(request) - 8, "get %s\r\n", key);
	ssize_t got;

	request[0] = id >> 8;
	request[1] = id;
	memcpy(request + 2, "\0\0\0\1\0\0", 6);
	CHECK(send(client, request, 8 + n, 0) == 8 + n, "send %s", key);
	got = recv(client, reply, sizeof(reply), 0);
	CHECK(got == (ssize_t)(8 + want_len), "%s: %zd bytes, want %zu", key, got, 8 + want_len);
	CHECK(got >= 8 && (uint8_t)reply[0] == id >> 8 && (uint8_t)reply[1] == (id & 0xff) &&
	      !memcmp(reply + 2, "\0\0\0\1\0\0", 6), "%s: frame header", key);
	CHECK(got == (ssize_t)(8 + want_len) && !memcmp(reply + 8, want, want_len),
	      "%s: reply text differs", key);
}

static void expect_hit(int client, const char *key, const void *data, size_t len, uint16_t id)
{
	char text[1500];
	size_t text_len = mc_hit_text(text, sizeof(text), key, 0, data, len);

	expect_reply(client, key, id, text, text_len);
}

static int attach_mode(struct ksc_ebpf_cache *cache, enum ksc_ebpf_xdp_mode mode)
{
	return veth_pair_attach_cache(&vp, cache, mode);
}

static int attach(struct ksc_ebpf_cache *cache)
{
	return attach_mode(cache, KSC_EBPF_XDP_NATIVE);
}

/* A child attaches its own cache, then dies by SIGKILL. */
static void crash_while_attached(void)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		struct ksc_ebpf_cache *cache;

		if (ksc_ebpf_cache_open(NULL, &cache) || attach(cache))
			_exit(1);
		raise(SIGKILL);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status),
	      "child attached and was killed (status %#x)", status);
}

/*
 * Values up to 128 bytes must be served by XDP (the reply fits the 256 bytes
 * of headroom veth and generic XDP reserve). Bigger ones need tailroom,
 * which veth on recent kernels does not leave: those may pass up
 * (counted as errors) and user space answers; either way the reply is right
 * and the counts add up.
 */
static void run(struct ksc_ebpf_cache *cache, int client, int client6,
		struct mc_responder *server)
{
	static char data[1024];
	static const size_t sizes[] = { 32, 128, 512, 1024 };
	/* The user-space table: the four hot keys and one only it has. */
	static struct mc_item items[5] = { [4] = { "cold", "from user space", 15 } };
	static char keys[4][16];
	struct ksc_ebpf_cache_stats stats;
	unsigned long seen;

	memset(data, 'x', sizeof(data));
	for (size_t i = 0; i < 4; i++) {
		snprintf(keys[i], sizeof(keys[i]), "hot%zu", sizes[i]);
		items[i] = (struct mc_item){ keys[i], data, sizes[i] };
	}
	server->items = items;
	server->nitems = 5;
	CHECK(mc_responder_start(server) == 0, "responder");
	CHECK(attach(cache) == 0, "attach native XDP");
	CHECK(attach(cache) == -EBUSY, "attach twice");
	for (size_t i = 0; i < 4; i++) {
		CHECK(ksc_ebpf_cache_set(cache, keys[i], strlen(keys[i]), 0, 0, data, sizes[i]) == 0,
		      "set");
		for (int round = 0; round < 10; round++)
			expect_hit(client, keys[i], data, sizes[i], i * 100 + round);
		if (i == 1)
			CHECK(atomic_load(&server->requests) == 0,
			      "the server socket saw %lu small hits", atomic_load(&server->requests));
	}
	CHECK(ksc_ebpf_cache_stats(cache, &stats) == 0, "stats");
	seen = atomic_load(&server->requests);
	CHECK(stats.hits + stats.errors == 40 && stats.errors == seen,
	      "%llu hits + %llu errors (no room), server saw %lu",
	      (unsigned long long)stats.hits, (unsigned long long)stats.errors, seen);
	printf("values of 512 and 1024 bytes: %llu of 20 served by XDP\n",
	       (unsigned long long)stats.hits - 20);

	expect_hit(client, "cold", items[4].data, items[4].len, 1000);
	expect_reply(client, "absent", 1001, "END\r\n", 5);
	CHECK(atomic_load(&server->requests) == seen + 2, "misses reach user space");
	CHECK(ksc_ebpf_cache_stats(cache, &stats) == 0 && stats.misses == 2, "2 misses");
	seen += 2;

	/* IPv6: a small hit by XDP, a miss by user space. */
	expect_hit(client6, "hot32", data, 32, 1500);
	CHECK(atomic_load(&server->requests) == seen, "IPv6 hit served by XDP");
	expect_hit(client6, "cold", items[4].data, items[4].len, 1501);
	CHECK(atomic_load(&server->requests) == seen + 1, "IPv6 miss reaches user space");
	seen += 1;

	CHECK(ksc_ebpf_cache_detach(cache) == 0, "detach");
	expect_hit(client, "hot32", data, 32, 2000);
	CHECK(atomic_load(&server->requests) == seen + 1, "after detach, user space answers");

	crash_while_attached();
	CHECK(attach(cache) == 0, "nothing left attached by the killed process");
	expect_hit(client, "hot32", data, 32, 3000);
	CHECK(atomic_load(&server->requests) == seen + 1, "served by XDP again");

	CHECK(ksc_ebpf_cache_detach(cache) == 0, "detach native");
	CHECK(attach_mode(cache, KSC_EBPF_XDP_GENERIC) == 0, "attach generic XDP");
	expect_hit(client, "hot32", data, 32, 3001);
	expect_hit(client6, "hot128", data, 128, 3002);
	CHECK(atomic_load(&server->requests) == seen + 1, "served by generic XDP");
	mc_responder_stop(server);
}

int main(void)
{
	struct mc_responder server = { 0 };
	struct ksc_ebpf_cache_opts opts = { .sz = sizeof(opts), .port = PORT };
	struct ksc_ebpf_cache *cache;
	int client, client6, err;

	ksc_test_need_root();	/* network namespaces, XDP */
	if (veth_pair_create(&vp))
		return 1;
	err = ksc_ebpf_cache_open(&opts, &cache);
	server.fd = veth_pair_udp_socket(&vp, VETH_SERVER, AF_INET6, PORT, 100);
	client = veth_pair_udp_socket(&vp, VETH_CLIENT, AF_INET, PORT, 2000);
	client6 = veth_pair_udp_socket(&vp, VETH_CLIENT, AF_INET6, PORT, 2000);
	if (err || server.fd < 0 || client < 0 || client6 < 0) {
		fprintf(stderr, "setup: %s\n", err ? ksc_ebpf_strerror(err) : strerror(errno));
		veth_pair_destroy(&vp);
		return 1;
	}
	run(cache, client, client6, &server);
	ksc_ebpf_cache_close(cache);
	close(client);
	close(client6);
	close(server.fd);
	veth_pair_destroy(&vp);
	return ksc_test_summary("veth_e2e");
}
