// SPDX-License-Identifier: MIT
/* A datagram longer than its slot keeps its first cap bytes and is flagged; the next one is intact. */
#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(2, 16);

	udp_connect(client, server);
	send_pattern(client, 100, 1);
	send_pattern(client, 16, 2);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 2, -1) == 2);
	REQUIRE(msgs[0].len == 16 && msgs[0].flags == KSC_MSG_TRUNCATED);
	REQUIRE(is_pattern(msgs[0].buf, 16, 1));
	REQUIRE(msgs[1].len == 16 && msgs[1].flags == 0);
	REQUIRE(is_pattern(msgs[1].buf, 16, 2));
	ksc_close(ctx);
	return 0;
}
