// SPDX-License-Identifier: MIT
/*
 * ksc-open-cap N: one user opens /dev/ksc until it fails. The failure must
 * be EMFILE after exactly N states (states_per_user), and once one state is
 * closed another open must work again. Exits 1 otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_test.h"

int main(int argc, char **argv)
{
	int cap = argc > 1 ? atoi(argv[1]) : 0;
	int fds[4096], n = 0, err = 0, fd;

	while (n < 4096) {
		fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[n++] = fd;
	}
	if (err != EMFILE || n != cap) {
		printf("FAIL: %d states, then %s; wanted %d, then EMFILE\n", n, ksc_errno_name(err), cap);
		return 1;
	}
	close(fds[--n]);
	fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("FAIL: open after a close: %s\n", ksc_errno_name(errno));
		return 1;
	}
	printf("ok: %d states, then EMFILE; one close makes room\n", cap);
	return 0;
}
