// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) The batch reaches only this process's own sockets: an fd
 * number open only in another process is -EBADF, a closed one too, a pipe
 * is -ENOTSOCK, and a script that names an fd of its own choosing gets
 * only what this process has.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

int main(void)
{
	struct ksc *ctx = open_backend("luajit");
	struct ksc_msg *msgs = recv_slots(2, SLOT_BYTES);
	int ready[2], pipefd[2], fd, foreign;
	pid_t child;
	char c;

	/* A child opens a socket at a number this process has not open. */
	REQUIRE(pipe(ready) == 0);
	foreign = 100;
	child = fork();
	REQUIRE(child >= 0);
	if (child == 0) {
		fd = udp_socket();
		dup2(fd, foreign);
		REQUIRE(write(ready[1], "x", 1) == 1);
		pause();
		_exit(0);
	}
	REQUIRE(read(ready[0], &c, 1) == 1);
	REQUIRE(fcntl(foreign, F_GETFD) < 0);
	REQUIRE(ksc_udp_recv(ctx, foreign, msgs, 2, 0) == -EBADF);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	fd = udp_socket();
	close(fd);
	REQUIRE(ksc_udp_recv(ctx, fd, msgs, 2, 0) == -EBADF);

	REQUIRE(pipe(pipefd) == 0);
	REQUIRE(ksc_udp_recv(ctx, pipefd[0], msgs, 2, 0) == -ENOTSOCK);
	ksc_close(ctx);

	{
		KSC_OPTS(ksc_open_opts, opts, .backend = "luajit",
			 .udp_script = "function ksc_udp_send_recv() ksc.socket(100) return 0 end");

		REQUIRE(ksc_open(&ctx, &opts) == 0);
		REQUIRE(ksc_udp_recv(ctx, udp_socket(), msgs, 2, 0) == -EBADF);
		REQUIRE(strstr(ksc_errmsg(ctx), "100"));
		ksc_close(ctx);
	}
	return 0;
}
