// SPDX-License-Identifier: MIT
/*
 * Kernel crossings per batch, as ksc_get_stats() counts them: syscall makes
 * one per datagram plus the one that finds the queue empty; mmsg one per
 * batch; a wait with a timeout adds one.
 */
#include <string.h>

#include "check.h"
#include "udp_util.h"

static unsigned long long crossings(struct ksc *ctx)
{
	KSC_OPTS(ksc_state_stats, st);

	CHECK(ksc_get_stats(ctx, &st) == 0);
	return st.crossings;
}

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(8, SLOT_BYTES);
	int per_datagram = !strcmp(ksc_backend(ctx), "syscall");
	unsigned int sent;

	udp_connect(client, server);
	for (unsigned int i = 0; i < 4; i++)
		send_pattern(client, 8, i);
	CHECK(ksc_udp_recv(ctx, server, msgs, 8, -1) == 4);
	CHECK(crossings(ctx) == (per_datagram ? 5 : 1));
	CHECK(ksc_udp_send(ctx, server, msgs, 4, &sent) == 0);
	CHECK(crossings(ctx) == (per_datagram ? 9 : 2));
	CHECK(ksc_udp_recv(ctx, server, msgs, 8, 10) == 0);
	CHECK(crossings(ctx) == (per_datagram ? 10 : 3));
	ksc_close(ctx);
	return 0;
}
