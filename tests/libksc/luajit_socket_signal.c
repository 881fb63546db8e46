// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) A signal ends a script's wait on a socket: the binding
 * returns -EINTR to the script, as the system call would.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "ksc_test.h"
#include "udp_util.h"

static const char script[] =
	"function block(fd, buf)\n"
	"  return ksc.socket(fd):recvmsg(buf, 0, buf:len())\n"
	"end\n";

static void on_signal(int sig)
{
	(void)sig;
}

static void *interrupt_later(void *target)
{
	usleep(300 * 1000);
	pthread_kill(*(pthread_t *)target, SIGUSR1);
	return NULL;
}

int main(void)
{
	struct ksc *ctx = open_backend("luajit");
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	char buf[64];
	struct ksc_val args[2] = { ksc_fd(udp_socket()), ksc_ubuf(buf, sizeof(buf)) }, res;
	pthread_t self = pthread_self(), thread;

	REQUIRE(sigaction(SIGUSR1, &sa, NULL) == 0);
	REQUIRE(ksc_load(ctx, script, strlen(script), "=block") == 0);
	REQUIRE(pthread_create(&thread, NULL, interrupt_later, &self) == 0);
	REQUIRE(ksc_call(ctx, "block", args, 2, &res, 1) == 1);
	pthread_join(thread, NULL);
	REQUIRE(res.type == KSC_VAL_INTEGER && res.v.i == -EINTR);
	ksc_close(ctx);
	return 0;
}
