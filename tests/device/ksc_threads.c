// SPDX-License-Identifier: MIT
/*
 * ksc-threads: threads sharing one /dev/ksc state.
 *  1. Four threads CALL one state at once: the calls are serialised, so a
 *     non-atomic counter in the script ends exactly at the total.
 *  2. One thread closes the file while another's CALL runs: close returns,
 *     the CALL ends on its own (time limit), and nothing is freed under it.
 * Exits 1 if a case failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_test.h"

#define THREADS 4
#define CALLS 5
#define STEPS 2000

static const char script[] =
	"n = 0\n"
	"function bump(k) for i = 1, k do local x = n; n = x + 1 end return n end\n"
	"function spin() while true do end end\n";

static int call(int fd, const char *func, long long arg, long long *result)
{
	struct ksc_value args[1] = { { .type = KSC_TYPE_INTEGER, .v.i = arg } }, res[1];
	struct ksc_call_args a = {
		.size = sizeof(a), .func = (uintptr_t)func,
		.args = (uintptr_t)args, .nargs = 1,
		.results = (uintptr_t)res, .nresults = 1,
	};

	if (ioctl(fd, KSC_IOC_CALL, &a) < 0)
		return -errno;
	if (result)
		*result = a.nresults == 1 && res[0].type == KSC_TYPE_INTEGER ? res[0].v.i : -1;
	return 0;
}

static int open_loaded(void)
{
	struct ksc_load_args a = {
		.size = sizeof(a), .script = (uintptr_t)script, .script_len = strlen(script),
	};
	int fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0 || ioctl(fd, KSC_IOC_LOAD, &a) < 0) {
		perror("load");
		return -1;
	}
	return fd;
}

static int shared_fd;

static void *bumper(void *unused)
{
	(void)unused;
	for (int i = 0; i < CALLS; i++)
		if (call(shared_fd, "bump", STEPS, NULL))
			return (void *)1;
	return NULL;
}

static int serialised_calls(void)
{
	pthread_t t[THREADS];
	long long total = -1;
	int bad = 0;

	shared_fd = open_loaded();
	if (shared_fd < 0)
		return 1;
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, bumper, NULL);
	for (int i = 0; i < THREADS; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad |= r != NULL;
	}
	if (bad || call(shared_fd, "bump", 0, &total) || total != THREADS * CALLS * STEPS) {
		printf("  FAIL concurrent CALLs on one state: total %lld, wanted %d\n",
		       total, THREADS * CALLS * STEPS);
		return 1;
	}
	printf("  ok   %d threads x %d CALLs on one state are serialised\n", THREADS, CALLS);
	close(shared_fd);
	return 0;
}

static int spin_result;

static void *spinner(void *unused)
{
	(void)unused;
	spin_result = call(shared_fd, "spin", 0, NULL);
	return NULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int close_during_call(void)
{
	struct ksc_limits lim = { .size = sizeof(lim), .flags = KSC_LIMITS_SET,
				  .call_time_ns = 1500000000ULL };
	pthread_t t;
	double t0;
	int fd;

	shared_fd = open_loaded();
	if (shared_fd < 0 || ioctl(shared_fd, KSC_IOC_LIMITS, &lim) < 0)
		return 1;
	pthread_create(&t, NULL, spinner, NULL);
	usleep(300000);
	t0 = now();
	close(shared_fd);
	if (now() - t0 > 0.5) {
		printf("  FAIL close() waited for the running CALL\n");
		return 1;
	}
	pthread_join(t, NULL);
	if (spin_result != -ETIME) {
		printf("  FAIL the CALL under close ended with %s, wanted ETIME\n",
		       ksc_errno_name(-spin_result));
		return 1;
	}
	fd = open_loaded();
	if (fd < 0)
		return 1;
	close(fd);
	printf("  ok   close() from another thread during a CALL: the CALL ends with ETIME\n");
	return 0;
}

int main(void)
{
	int failed = serialised_calls();

	failed += close_during_call();
	return failed ? 1 : 0;
}
