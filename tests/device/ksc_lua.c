// SPDX-License-Identifier: MIT
/*
 * ksc-lua: the test driver of /dev/ksc, straight on the ioctls (no libksc).
 *
 *   ksc-lua [-m MEM] [-t MS] [-s STACK] [-o OUT] [-S] FILE|- [FUNC [ARG...]]
 *           [-- FUNC [ARG...]]...
 *
 * Loads FILE (or stdin) into a fresh state, then calls each FUNC (the
 * calls separated by --, on the same state) with ARGs typed
 * by prefix: i:INT n:NUM s:STR b:0|1 nil buf:HEX (a user buffer holding
 * those bytes, printed as buf=HEX after the call) fd:N. -m/-t/-s/-o lower
 * the limits first; -S prints the STATS (lines stats: and jit:). print() output goes to stdout;
 * then each result on its own line. On failure: "ksc-lua: ERRNO: MESSAGE"
 * on stderr, exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_test.h"

#define MAX_ARGS 64
#define TEXT_CAP (1 << 20)

static char err_text[4096];
static char out_text[TEXT_CAP];
static int dev_fd = -1;
static int want_stats;

static void print_stats(int fd);

/* Fail; with -S, the STATS of the state still print first. */
static void fail_errno(const char *what, int err, const char *msg)
{
	if (want_stats && dev_fd >= 0) {
		want_stats = 0;
		print_stats(dev_fd);
	}
	fflush(stdout);
	fprintf(stderr, "ksc-lua: %s: %s: %s\n", what, ksc_errno_name(err), msg);
	exit(1);
}

static void set_limits(int fd, struct ksc_limits *lim)
{
	lim->size = sizeof(*lim);
	lim->flags = KSC_LIMITS_SET;
	if (ioctl(fd, KSC_IOC_LIMITS, lim) < 0)
		fail_errno("LIMITS", errno, strerror(errno));
}

/* The JIT's figures, in the form of ksc run --stats. */
static void print_jit_stats(const struct ksc_stats *st)
{
	int i;

	printf("jit: traces=%llu aborts=%llu mcode_bytes=%llu",
	       (unsigned long long)st->jit_traces, (unsigned long long)st->jit_aborts,
	       (unsigned long long)st->jit_mcode_bytes);
	for (i = 0; i < 3 && st->jit_abort_top[i].why != KSC_JIT_NO_REASON; i++)
		printf("%s%u:%u", i ? "," : " abort_reasons=", st->jit_abort_top[i].why,
		       st->jit_abort_top[i].count);
	printf("\n");
}

static void print_stats(int fd)
{
	struct ksc_stats st = { .size = sizeof(st) };

	if (ioctl(fd, KSC_IOC_STATS, &st) < 0)
		fail_errno("STATS", errno, strerror(errno));
	printf("stats: mem_in_use=%llu mem_peak=%llu loads=%llu calls=%llu errors=%llu run_time_ns=%llu max_nopreempt_ns=%llu\n",
	       (unsigned long long)st.mem_in_use, (unsigned long long)st.mem_peak,
	       (unsigned long long)st.loads, (unsigned long long)st.calls,
	       (unsigned long long)st.errors, (unsigned long long)st.run_time_ns,
	       (unsigned long long)st.max_nopreempt_ns);
	print_jit_stats(&st);
}

static void flush_output(const struct ksc_text_buf *out)
{
	fwrite(out_text, 1, out->used < out->len ? out->used : out->len - 1, stdout);
	if (out->used >= out->len)
		printf("[output truncated: %u bytes]\n", out->used);
}

static void load(int fd, const char *path)
{
	size_t len;
	char *text = ksc_read_file(path, &len);
	char name[512];
	struct ksc_load_args a = {
		.size = sizeof(a),
		.script = (uintptr_t)text,
		.script_len = len,
		.name = (uintptr_t)name,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
		.out = { .ptr = (uintptr_t)out_text, .len = sizeof(out_text) },
	};

	snprintf(name, sizeof(name), "%s%s", strcmp(path, "-") ? "@" : "=", strcmp(path, "-") ? path : "stdin");
	if (ioctl(fd, KSC_IOC_LOAD, &a) < 0) {
		int err = errno;

		flush_output(&a.out);
		fail_errno("LOAD", err, a.err.used ? err_text : strerror(err));
	}
	flush_output(&a.out);
	free(text);
}

/* One ARG by its prefix; buffers are kept in bufs[] to print afterwards. */
static void parse_arg(const char *s, struct ksc_value *v, unsigned char **buf)
{
	memset(v, 0, sizeof(*v));
	*buf = NULL;
	if (!strncmp(s, "i:", 2)) {
		v->type = KSC_TYPE_INTEGER;
		v->v.i = strtoll(s + 2, NULL, 0);
	} else if (!strncmp(s, "n:", 2)) {
		double d = strtod(s + 2, NULL);

		v->type = KSC_TYPE_NUMBER;
		memcpy(&v->v.bits, &d, sizeof(d));
	} else if (!strncmp(s, "s:", 2)) {
		v->type = KSC_TYPE_STRING;
		v->v.ptr = (uintptr_t)(s + 2);
		v->len = strlen(s + 2);
	} else if (!strncmp(s, "b:", 2)) {
		v->type = KSC_TYPE_BOOLEAN;
		v->v.i = atoi(s + 2);
	} else if (!strcmp(s, "nil")) {
		v->type = KSC_TYPE_NIL;
	} else if (!strncmp(s, "buf:", 4)) {
		size_t n = strlen(s + 4) / 2;

		*buf = calloc(n + 1, 1);
		for (size_t i = 0; i < n; i++)
			sscanf(s + 4 + 2 * i, "%2hhx", &(*buf)[i]);
		v->type = KSC_TYPE_UBUF;
		v->v.ptr = (uintptr_t)*buf;
		v->len = n;
	} else if (!strncmp(s, "fd:", 3)) {
		v->type = KSC_TYPE_FD;
		v->v.i = atoi(s + 3);
	} else {
		fprintf(stderr, "ksc-lua: bad argument '%s' (i: n: s: b: nil buf: fd:)\n", s);
		exit(2);
	}
}

static void print_result(const struct ksc_value *r)
{
	double d;

	switch (r->type) {
	case KSC_TYPE_NIL: puts("nil"); break;
	case KSC_TYPE_BOOLEAN: puts(r->v.i ? "true" : "false"); break;
	case KSC_TYPE_INTEGER: printf("%" PRId64 "\n", (int64_t)r->v.i); break;
	case KSC_TYPE_NUMBER:
		memcpy(&d, &r->v.bits, sizeof(d));
		printf("%.14g\n", d);
		break;
	case KSC_TYPE_STRING:
		fwrite((const void *)(uintptr_t)r->v.ptr, 1, r->len, stdout);
		printf("%s\n", r->flags & KSC_VALUE_TRUNCATED ? " [truncated]" : "");
		break;
	default: puts("(other)"); break;
	}
}

static void call(int fd, const char *func, int argc, char **argv)
{
	static struct ksc_value args[MAX_ARGS], res[MAX_ARGS];
	static char strbuf[MAX_ARGS][256];
	unsigned char *bufs[MAX_ARGS];
	struct ksc_call_args a = {
		.size = sizeof(a),
		.func = (uintptr_t)func,
		.args = (uintptr_t)args,
		.nargs = argc,
		.results = (uintptr_t)res,
		.nresults = MAX_ARGS,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
		.out = { .ptr = (uintptr_t)out_text, .len = sizeof(out_text) },
	};

	if (argc > MAX_ARGS) {
		fprintf(stderr, "ksc-lua: at most %d arguments\n", MAX_ARGS);
		exit(2);
	}
	for (int i = 0; i < argc; i++)
		parse_arg(argv[i], &args[i], &bufs[i]);
	for (int i = 0; i < MAX_ARGS; i++) {
		res[i].v.ptr = (uintptr_t)strbuf[i];
		res[i].len = sizeof(strbuf[i]);
	}
	if (ioctl(fd, KSC_IOC_CALL, &a) < 0) {
		int err = errno;

		flush_output(&a.out);
		fail_errno("CALL", err, a.err.used ? err_text : strerror(err));
	}
	flush_output(&a.out);
	for (unsigned int i = 0; i < a.nresults; i++)
		print_result(&res[i]);
	for (int i = 0; i < argc; i++) {
		if (!bufs[i])
			continue;
		printf("buf=");
		for (size_t j = 0; j < args[i].len; j++)
			printf("%02x", bufs[i][j]);
		printf("\n");
		free(bufs[i]);
	}
}

int main(int argc, char **argv)
{
	struct ksc_limits lim = { 0 };
	int opt;

	while ((opt = getopt(argc, argv, "+m:t:s:o:S")) != -1) {
		switch (opt) {
		case 'm': lim.mem_bytes = strtoull(optarg, NULL, 0); break;
		case 't': lim.call_time_ns = strtoull(optarg, NULL, 0) * 1000000ULL; break;
		case 's': lim.stack_bytes = strtoull(optarg, NULL, 0); break;
		case 'o': lim.out_bytes = strtoull(optarg, NULL, 0); break;
		case 'S': want_stats = 1; break;
		default:
			fprintf(stderr, "usage: ksc-lua [-m MEM] [-t MS] [-s STACK] [-o OUT] [-S] FILE|- [FUNC [ARG...]]\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: ksc-lua [-m MEM] [-t MS] [-s STACK] [-o OUT] [-S] FILE|- [FUNC [ARG...]]\n");
		return 2;
	}
	dev_fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev_fd < 0)
		fail_errno("open " KSC_DEVICE_PATH, errno, strerror(errno));
	set_limits(dev_fd, &lim);
	load(dev_fd, argv[optind]);
	for (int first = optind + 1, end; first < argc; first = end + 1) {
		for (end = first; end < argc && strcmp(argv[end], "--"); end++)
			;
		if (end > first)
			call(dev_fd, argv[first], end - first - 1, argv + first + 1);
	}
	if (want_stats)
		print_stats(dev_fd);
	fflush(stdout);
	close(dev_fd);
	return 0;
}
