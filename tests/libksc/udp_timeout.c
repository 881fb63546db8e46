// SPDX-License-Identifier: MIT
/* Timeouts: 0 returns at once, a positive timeout returns 0 when it passes, a datagram ends the wait. */
#include <pthread.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

static int client;

static void *send_later(void *arg)
{
	(void)arg;
	usleep(100 * 1000);
	send_pattern(client, 10, 7);
	return NULL;
}

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket();
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES);
	pthread_t sender;
	long long start, took;

	client = udp_socket();
	udp_connect(client, server);

	/*
	 * The first batch of a LuaJIT context loads its script (a parse in
	 * the kernel: tens of ms in an emulated guest); time the second.
	 */
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, 0) == 0);
	start = now_ms();
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, 0) == 0);
	REQUIRE(now_ms() - start < 50);

	start = now_ms();
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, 200) == 0);
	took = now_ms() - start;
	REQUIRE(took >= 190 && took < 2000);

	REQUIRE(pthread_create(&sender, NULL, send_later, NULL) == 0);
	start = now_ms();
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, 5000) == 1);
	REQUIRE(now_ms() - start < 2000);
	REQUIRE(msgs[0].len == 10 && is_pattern(msgs[0].buf, 10, 7));
	pthread_join(sender, NULL);

	REQUIRE(pthread_create(&sender, NULL, send_later, NULL) == 0);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 4, -1) == 1);
	pthread_join(sender, NULL);
	ksc_close(ctx);
	return 0;
}
