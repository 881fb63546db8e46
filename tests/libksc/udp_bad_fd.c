// SPDX-License-Identifier: MIT
/* A descriptor that is not open fails every operation with -EBADF and a message. */
#include <errno.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	struct ksc_msg *msgs = recv_slots(2, SLOT_BYTES);
	int closed = udp_socket();
	unsigned int sent = 7;

	close(closed);
	msgs[0].len = 1;
	for (int i = 0; i < 2; i++) {
		int fd = i ? closed : -1;

		REQUIRE(ksc_udp_recv(ctx, fd, msgs, 2, -1) == -EBADF);
		REQUIRE(ksc_errmsg(ctx)[0] != '\0');
		REQUIRE(ksc_udp_recv(ctx, fd, msgs, 2, 0) == -EBADF);
		REQUIRE(ksc_udp_recv(ctx, fd, msgs, 2, 100) == -EBADF);
		REQUIRE(ksc_udp_send(ctx, fd, msgs, 1, &sent) == -EBADF && sent == 0);
		REQUIRE(ksc_udp_send_recv(ctx, fd, msgs, 1, &sent, msgs, 2, 0) == -EBADF);
		REQUIRE(ksc_udp_send_recv(ctx, fd, NULL, 0, &sent, msgs, 2, 0) == -EBADF);
	}
	ksc_close(ctx);
	return 0;
}
