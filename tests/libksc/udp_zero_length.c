// SPDX-License-Identifier: MIT
/* A zero-length datagram is a datagram (len 0, with its source), not the end of the socket. */
#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(3, SLOT_BYTES);
	struct ksc_msg reply = { .buf = "", .len = 0 };
	unsigned int sent;

	udp_connect(client, server);
	send_pattern(client, 0, 0);
	send_pattern(client, 5, 3);
	send_pattern(client, 0, 0);
	REQUIRE(ksc_udp_recv(ctx, server, msgs, 3, -1) == 3);
	REQUIRE(msgs[0].len == 0 && msgs[0].addrlen > 0 && msgs[0].flags == 0);
	REQUIRE(msgs[1].len == 5 && is_pattern(msgs[1].buf, 5, 3));
	REQUIRE(msgs[2].len == 0 && msgs[2].addrlen > 0);

	/* And one can be sent. */
	reply.addr = msgs[0].addr;
	reply.addrlen = msgs[0].addrlen;
	REQUIRE(ksc_udp_send(ctx, server, &reply, 1, &sent) == 0 && sent == 1);
	msgs[0].len = 99;
	REQUIRE(ksc_udp_recv(ctx, client, msgs, 1, 1000) == 1);
	REQUIRE(msgs[0].len == 0);
	ksc_close(ctx);
	return 0;
}
