// SPDX-License-Identifier: MIT
/*
 * ksc-lua-bench: the kernel side of bench/lua (run in the guest by
 * bench/lua/guest.sh).
 *
 *   ksc-lua-bench script FILE REPS [no-jit]
 *                                    LOAD FILE, CALL run(buf) REPS times
 *                                    (buf: a 64 KiB user buffer, a ksc.buf
 *                                    in the script): "checksum min_ns
 *                                    mean_ns" per CALL (the mean of all
 *                                    but the first); no-jit: the
 *                                    state's limits turn the JIT off
 *   ksc-lua-bench call N             ns per empty CALL and per bare ioctl
 *   ksc-lua-bench memory             bytes of a fresh state, before and
 *                                    after loading an empty chunk
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ksc_ioctl.h"

static char err_text[4096];

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "ksc-lua-bench: %s: %s%s%s\n", what, strerror(errno),
		err_text[0] ? ": " : "", err_text);
	exit(1);
}

static int open_state(void)
{
	int fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open " KSC_DEVICE_PATH);
	return fd;
}

static void load(int fd, const char *text, size_t len)
{
	struct ksc_load_args a = {
		.size = sizeof(a), .script = (uintptr_t)text, .script_len = len,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	if (ioctl(fd, KSC_IOC_LOAD, &a) < 0)
		die("LOAD");
}

/* The buffer run() gets: bytes 0..255 over and over. */
#define BENCH_BUF_BYTES 65536
static unsigned char bench_buf[BENCH_BUF_BYTES];

/* CALL func(args); returns its first result if an integer. */
static long long call(int fd, const char *func, const struct ksc_value *args, unsigned int nargs)
{
	struct ksc_value res = { 0 };
	struct ksc_call_args a = {
		.size = sizeof(a), .func = (uintptr_t)func,
		.args = (uintptr_t)args, .nargs = nargs,
		.results = (uintptr_t)&res, .nresults = 1,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	if (ioctl(fd, KSC_IOC_CALL, &a) < 0)
		die("CALL");
	return a.nresults && res.type == KSC_TYPE_INTEGER ? res.v.i : -1;
}

static double min_of(const double *t, int n)
{
	double m = t[0];

	for (int i = 1; i < n; i++)
		if (t[i] < m)
			m = t[i];
	return m;
}

/*
 * The mean of the runs after the first (which compiles): a collector
 * cycle can span runs, so one run may pay for the garbage of another.
 */
static double mean_after_first(const double *t, int n)
{
	double sum = 0;

	if (n < 2)
		return t[0];
	for (int i = 1; i < n; i++)
		sum += t[i];
	return sum / (n - 1);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		die(path);
	buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n)
		die(path);
	fclose(f);
	*len = n;
	return buf;
}

static void turn_jit_off(int fd)
{
	struct ksc_limits lim = { .size = sizeof(lim), .flags = KSC_LIMITS_NO_JIT };

	if (ioctl(fd, KSC_IOC_LIMITS, &lim) < 0)
		die("LIMITS");
}

static void bench_script(const char *path, int reps, int no_jit)
{
	struct ksc_value buf = {
		.type = KSC_TYPE_UBUF, .len = sizeof(bench_buf), .v.ptr = (uintptr_t)bench_buf,
	};
	double *t = calloc(reps, sizeof(*t));
	long long sum = 0;
	size_t len;
	char *text = read_file(path, &len);
	int fd = open_state();

	if (!t)
		die("calloc");
	for (size_t i = 0; i < sizeof(bench_buf); i++)
		bench_buf[i] = (unsigned char)i;
	if (no_jit)
		turn_jit_off(fd);
	load(fd, text, len);
	for (int i = 0; i < reps; i++) {
		double t0 = now_ns();

		sum = call(fd, "run", &buf, 1);
		t[i] = now_ns() - t0;
	}
	printf("%lld %.0f %.0f\n", sum, min_of(t, reps), mean_after_first(t, reps));
	close(fd);
	free(text);
	free(t);
}

static void bench_call(long n)
{
	static const char nop[] = "function nop() end";
	int fd = open_state();
	double t0, t_call, t_ioctl;

	load(fd, nop, strlen(nop));
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		call(fd, "nop", NULL, 0);
	t_call = (now_ns() - t0) / n;
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (ioctl(fd, _IO(KSC_IOC_MAGIC, 0)) != -1 || errno != ENOTTY)
			die("bare ioctl");
	t_ioctl = (now_ns() - t0) / n;
	printf("empty CALL %.0f ns, bare ioctl %.0f ns, ratio %.1f\n", t_call, t_ioctl, t_call / t_ioctl);
	close(fd);
}

static unsigned long long mem_in_use(int fd)
{
	struct ksc_stats st = { .size = sizeof(st) };

	if (ioctl(fd, KSC_IOC_STATS, &st) < 0)
		die("STATS");
	return st.mem_in_use;
}

static void bench_memory(void)
{
	int fd = open_state();
	unsigned long long fresh = mem_in_use(fd);

	load(fd, "", 0);
	printf("fresh state %llu bytes (%.1f KiB), after an empty LOAD %llu bytes\n",
	       fresh, fresh / 1024.0, mem_in_use(fd));
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "script"))
		bench_script(argv[2], atoi(argv[3]) > 0 ? atoi(argv[3]) : 1,
			     argc >= 5 && !strcmp(argv[4], "no-jit"));
	else if (argc >= 3 && !strcmp(argv[1], "call"))
		bench_call(atol(argv[2]) > 0 ? atol(argv[2]) : 1);
	else if (argc >= 2 && !strcmp(argv[1], "memory"))
		bench_memory();
	else {
		fprintf(stderr, "usage: ksc-lua-bench script FILE REPS [no-jit] | call N | memory\n");
		return 2;
	}
	return 0;
}
