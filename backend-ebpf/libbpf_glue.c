// SPDX-License-Identifier: MIT
/*
 * libksc's promise on the ebpf backend: only negative errnos come out, and
 * nothing is printed on the application's stderr. libbpf has codes of its
 * own above 4000 (LIBBPF_ERRNO__*) and prints warnings by default; here the
 * codes become errnos and the messages are kept, the last one per thread,
 * for ksc_ebpf_libbpf_log() (libksc adds it to ksc_errmsg()). KSC_LIBBPF_DEBUG
 * set in the environment prints them on stderr too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "ksc_ebpf.h"
#include "libbpf_glue.h"

static _Thread_local char last_message[512];
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static bool print_too;

/* Keep warnings and errors (not debug chatter), the last line per thread. */
static int keep_message(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	va_list copy;

	if (level == LIBBPF_DEBUG)
		return 0;
	if (print_too) {
		va_copy(copy, ap);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	last_message[strcspn(last_message, "\n")] = '\0';
	return 0;
}

static void install_print(void)
{
	print_too = getenv("KSC_LIBBPF_DEBUG") != NULL;
	libbpf_set_print(keep_message);
}

void ksc_ebpf_quiet_libbpf(void)
{
	pthread_once(&quiet_once, install_print);
	last_message[0] = '\0';
}

const char *ksc_ebpf_libbpf_log(void)
{
	return last_message;
}

int ksc_ebpf_errno(int err)
{
	if (err > -__LIBBPF_ERRNO__START)
		return err;
	switch (-err) {
	case LIBBPF_ERRNO__PROG2BIG:
		return -E2BIG;
	case LIBBPF_ERRNO__PROGTYPE:
		return -EOPNOTSUPP;
	case LIBBPF_ERRNO__VERIFY:
		return -EACCES;	/* the verifier refused it, as bpf(2) says */
	case LIBBPF_ERRNO__WRNGPID:
	case LIBBPF_ERRNO__INVSEQ:
	case LIBBPF_ERRNO__NLPARSE:
		return -EPROTO;
	default:		/* not an ELF object, a bad section, relocation, version */
		return -EINVAL;
	}
}
