// SPDX-License-Identifier: MIT
/*
 * A socket closed by another thread while a receive waits. Linux does not
 * wake a waiter on close(): shutdown() does, and the receive reports
 * -ESHUTDOWN. Closed without shutdown, a wait with a timeout ends at the
 * timeout (a wait without one would last until a datagram came), and the
 * next call reports -EBADF.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

struct closer {
	int fd;
	pid_t waiter;		/* thread id of the receiving thread */
	int shut_down;		/* shutdown() before close() */
};

/* Whether thread tid is asleep (state S in /proc). */
static int sleeping(pid_t tid)
{
	char path[64], stat[256], *state;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	stat[0] = '\0';
	REQUIRE(fgets(stat, sizeof(stat), f) != NULL);
	fclose(f);
	state = strrchr(stat, ')');
	return state && state[1] == ' ' && state[2] == 'S';
}

static void *close_when_waiting(void *arg)
{
	struct closer *c = arg;

	while (!sleeping(c->waiter))
		usleep(1000);
	usleep(20 * 1000);
	if (c->shut_down)
		shutdown(c->fd, SHUT_RDWR);
	close(c->fd);
	return NULL;
}

static void run(struct ksc *ctx, int shut_down)
{
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES);
	struct closer c = { .fd = udp_socket(), .waiter = (pid_t)syscall(SYS_gettid),
			    .shut_down = shut_down };
	pthread_t thread;
	long long start = now_ms();
	int ret;

	REQUIRE(pthread_create(&thread, NULL, close_when_waiting, &c) == 0);
	ret = ksc_udp_recv(ctx, c.fd, msgs, 4, shut_down ? -1 : 300);
	pthread_join(thread, NULL);
	if (shut_down) {
		REQUIRE(ret == -ESHUTDOWN);
		REQUIRE(strstr(ksc_errmsg(ctx), "shut down"));
	} else {
		/* The wait ends at the timeout: poll() finds the fd gone (-EBADF), or luajit's call held it (0). */
		REQUIRE(ret == -EBADF || ret == 0);
		REQUIRE(now_ms() - start >= 290);
		REQUIRE(ksc_udp_recv(ctx, c.fd, msgs, 4, 0) == -EBADF);
	}
}

/* A socket already shut down: every receive, waiting or not, says so at once. */
static void already_shut_down(struct ksc *ctx)
{
	struct ksc_msg *msgs = recv_slots(4, SLOT_BYTES);
	int fd = udp_socket();

	shutdown(fd, SHUT_RDWR);	/* ENOTCONN on an unconnected socket, but it takes effect */
	REQUIRE(ksc_udp_recv(ctx, fd, msgs, 4, 0) == -ESHUTDOWN);
	REQUIRE(ksc_udp_recv(ctx, fd, msgs, 4, 100) == -ESHUTDOWN);
	REQUIRE(ksc_udp_recv(ctx, fd, msgs, 4, -1) == -ESHUTDOWN);
	close(fd);
}

int main(int argc, char **argv)
{
	struct ksc *ctx = open_backend(argc > 1 ? argv[1] : NULL);

	run(ctx, 1);
	run(ctx, 0);
	already_shut_down(ctx);
	ksc_close(ctx);
	return 0;
}
