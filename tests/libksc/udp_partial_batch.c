// SPDX-License-Identifier: MIT
/* A partial batch: with 3 datagrams queued and room for 8, the call returns the 3 without waiting. */
#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(8, SLOT_BYTES);
	long long start;

	udp_connect(client, server);
	for (unsigned int i = 0; i < 3; i++)
		send_pattern(client, 32, i);
	start = now_ms();
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, 5000) == 3);
	REQUIRE(now_ms() - start < 1000);
	for (unsigned int i = 0; i < 3; i++)
		REQUIRE(msgs[i].len == 32 && is_pattern(msgs[i].buf, 32, i));
	/* Nothing left: a non-blocking call finds nothing. */
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 8, 0) == 0);
	ksc_close(ctx);
	return 0;
}
