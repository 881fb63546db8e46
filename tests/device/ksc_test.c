// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ksc_test.h"

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
