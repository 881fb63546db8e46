// SPDX-License-Identifier: MIT
/*
 * Kernel crossings per batch, as ksc_get_stats() counts them: syscall makes
 * one per datagram (plus the one that finds the queue empty, plus a poll
 * for a timeout), mmsg one per recvmmsg or sendmmsg, luajit one per batch,
 * the combined one included; for luajit the module's own call counter
 * agrees.
 */
#include <string.h>

#include "ksc_test.h"
#include "udp_util.h"

struct expected {
	const char *backend;
	unsigned int recv4, send4, combined, timeout;
};

static const struct expected table[] = {
	{ "syscall", 5, 4, 7, 1 },
	{ "mmsg", 1, 1, 2, 1 },
	{ "uring", 1, 1, 2, 2 },	/* the armed receive's datagrams take an enter; a timed-out wait two */
	{ "ebpf", 1, 1, 2, 1 },	/* UDP batches as mmsg */
	{ "luajit", 1, 1, 1, 1 },
};

static struct ksc_state_stats stats(struct ksc *ctx)
{
	KSC_OPTS(ksc_state_stats, st);

	REQUIRE(ksc_get_stats(ctx, &st) == 0);
	return st;
}

/* Check that op (already run) cost want crossings since *before; for luajit also want CALLs. */
static void expect_cost(struct ksc *ctx, struct ksc_state_stats *before, unsigned int want)
{
	struct ksc_state_stats now = stats(ctx);

	REQUIRE(now.crossings - before->crossings == want);
	if (!strcmp(ksc_backend(ctx), "luajit"))
		REQUIRE(now.calls - before->calls == want);
	*before = now;
}

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(8, SLOT_BYTES);
	const struct expected *want = NULL;
	struct ksc_state_stats before;
	unsigned int sent;

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].backend, ksc_backend(ctx)))
			want = &table[i];
	REQUIRE(want);
	udp_connect(client, server);
	/* The first batch sets the backend up (luajit loads its script). */
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, 0) == 0);
	before = stats(ctx);

	for (unsigned int i = 0; i < 4; i++)
		send_pattern(client, 8, i);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, -1) == 4);
	expect_cost(ctx, &before, want->recv4);

	REQUIRE(ksc_udp_send(ctx, server, msgs, 4, &sent) == 0);
	expect_cost(ctx, &before, want->send4);

	send_pattern(client, 8, 5);
	send_pattern(client, 8, 6);
	REQUIRE(ksc_udp_send_recv(ctx, server, msgs, 4, &sent, msgs, 8, -1) == 2);
	REQUIRE(sent == 4);
	expect_cost(ctx, &before, want->combined);

	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, 10) == 0);
	expect_cost(ctx, &before, want->timeout);
	ksc_close(ctx);
	return 0;
}
