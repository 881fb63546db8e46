// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksc_test.h"

int ksc_test_passed, ksc_test_failed;

void ksc_test_abort(const char *file, int line, const char *what)
{
	fprintf(stderr, "FAIL %s:%d: check failed: %s\n", file, line, what);
	exit(1);
}

int ksc_test_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, ksc_test_passed, ksc_test_failed);
	return ksc_test_failed ? 1 : 0;
}

void ksc_test_skip(const char *fmt, ...)
{
	va_list ap;

	fputs("SKIP: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(KSC_TEST_SKIP);
}

void ksc_test_need_root(void)
{
	if (geteuid() != 0)
		ksc_test_skip("needs root");
}

void ksc_test_need_device(const char *path)
{
	if (access(path, F_OK) != 0)
		ksc_test_skip("needs %s (the ksc module loaded)", path);
}

#define NAME(e) { e, #e }
static const struct {
	int err;
	const char *name;
} names[] = {
	NAME(EPERM), NAME(ENOENT), NAME(EINTR), NAME(EIO), NAME(E2BIG), NAME(EBADF),
	NAME(EAGAIN), NAME(ENOMEM), NAME(EACCES), NAME(EFAULT), NAME(EBUSY),
	NAME(EINVAL), NAME(EMFILE), NAME(ENOSPC), NAME(ERANGE), NAME(ENAMETOOLONG),
	NAME(ENOTTY), NAME(ETIME), NAME(EOVERFLOW), NAME(EOPNOTSUPP),
};

const char *ksc_errno_name(int err)
{
	static char other[16];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(other, sizeof(other), "%d", err);
	return other;
}

char *ksc_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);

	if (!f || !buf) {
		fprintf(stderr, "ksc: cannot read %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			buf = realloc(buf, cap *= 2);
			if (!buf) {
				fprintf(stderr, "ksc: out of memory\n");
				exit(2);
			}
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}
