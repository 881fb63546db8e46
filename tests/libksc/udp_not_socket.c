// SPDX-License-Identifier: MIT
/* A descriptor that is open but no socket (a pipe) fails with -ENOTSOCK. */
#include <errno.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);
	struct ksc_msg *msgs = recv_slots(2, SLOT_BYTES);
	unsigned int sent = 7;
	int pipefd[2];

	REQUIRE(pipe(pipefd) == 0);
	REQUIRE(write(pipefd[1], "x", 1) == 1);	/* readable, so a wait ends at once */
	msgs[0].len = 1;
	REQUIRE(ksc_udp_recv(ctx, pipefd[0], msgs, 2, -1) == -ENOTSOCK);
	REQUIRE(ksc_udp_recv(ctx, pipefd[0], msgs, 2, 0) == -ENOTSOCK);
	REQUIRE(ksc_udp_recv(ctx, pipefd[0], msgs, 2, 100) == -ENOTSOCK);
	REQUIRE(ksc_udp_send(ctx, pipefd[1], msgs, 1, &sent) == -ENOTSOCK && sent == 0);
	ksc_close(ctx);
	return 0;
}
