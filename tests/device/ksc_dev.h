/* SPDX-License-Identifier: MIT */
/*
 * /dev/ksc for the guest's device programs: open a state, LOAD, CALL, and
 * report a case. Each program that includes this has its own err_text (the
 * message of its last LOAD or CALL) and failures (the cases that failed).
 */
#ifndef KSC_DEV_H
#define KSC_DEV_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ksc_ioctl.h"

static char err_text[1024];
static int failures;
/* What a FAIL line shows after the last message, if set: the program's own. */
static void (*report_more)(void);

/* One case: "  ok   WHAT" or "  FAIL WHAT (last message: ...)". */
static inline __attribute__((format(printf, 2, 3))) void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "  ok   " : "  FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf(" (last message: %s)", err_text);
		if (report_more)
			report_more();
		failures++;
	}
	printf("\n");
	fflush(stdout);
}

/* A new state; exits (FAIL) when the device cannot be opened. */
static inline int dev_open(void)
{
	int fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("FAIL: open %s: %s\n", KSC_DEVICE_PATH, strerror(errno));
		exit(1);
	}
	return fd;
}

/* 0 or -errno; the message in err_text. */
static inline int load(int fd, const char *text)
{
	struct ksc_load_args a = {
		.size = sizeof(a),
		.script = (uintptr_t)text,
		.script_len = strlen(text),
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	err_text[0] = '\0';
	return ioctl(fd, KSC_IOC_LOAD, &a) < 0 ? -errno : 0;
}

/* 0 or -errno; the first result, if an integer, in *res. */
static inline int call(int fd, const char *func, struct ksc_value *args, uint32_t nargs,
		       int64_t *res)
{
	struct ksc_value out = { 0 };
	struct ksc_call_args a = {
		.size = sizeof(a),
		.func = (uintptr_t)func,
		.args = (uintptr_t)args,
		.nargs = nargs,
		.results = (uintptr_t)&out,
		.nresults = 1,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	err_text[0] = '\0';
	if (ioctl(fd, KSC_IOC_CALL, &a) < 0)
		return -errno;
	if (res)
		*res = out.type == KSC_TYPE_INTEGER ? out.v.i : INT64_MIN;
	return 0;
}

#endif /* KSC_DEV_H */
