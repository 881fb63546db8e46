// SPDX-License-Identifier: MIT
/*
 * The combined call: replies go out first, then the next batch comes in,
 * through the same array (received datagrams become their own replies).
 */
#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	int server = udp_socket(), client = udp_socket();
	struct ksc_msg *msgs = recv_slots(8, SLOT_BYTES), *back = recv_slots(8, SLOT_BYTES);
	unsigned int sent = 99;
	int got;

	udp_connect(client, server);
	for (unsigned int i = 0; i < 5; i++)
		send_pattern(client, 20 + i, i);
	got = ksc_udp_send_recv(ctx, server, NULL, 0, &sent, msgs, 8, -1);
	REQUIRE(got == 5 && sent == 0);

	/* Echo the 5 while the next 2 wait to be taken. */
	send_pattern(client, 7, 40);
	send_pattern(client, 9, 41);
	got = ksc_udp_send_recv(ctx, server, msgs, 5, &sent, msgs, 8, 1000);
	REQUIRE(sent == 5 && got == 2);
	REQUIRE(msgs[0].len == 7 && is_pattern(msgs[0].buf, 7, 40));
	REQUIRE(msgs[1].len == 9 && is_pattern(msgs[1].buf, 9, 41));
	REQUIRE(ksc_udp_recv(ctx, client, back, 8, 1000) == 5);
	for (unsigned int i = 0; i < 5; i++)
		REQUIRE(back[i].len == 20 + i && is_pattern(back[i].buf, back[i].len, i));

	/* Replies only, then a timeout. */
	got = ksc_udp_send_recv(ctx, server, msgs, 2, &sent, msgs, 8, 50);
	REQUIRE(got == 0 && sent == 2);
	REQUIRE(ksc_udp_recv(ctx, client, back, 8, 1000) == 2);
	ksc_close(ctx);
	return 0;
}
