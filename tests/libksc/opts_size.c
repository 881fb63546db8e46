// SPDX-License-Identifier: MIT
/*
 * Options structs carry their size: an older, shorter struct works; a newer,
 * longer one works when its unknown tail is zero and fails -E2BIG otherwise.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "ksc_test.h"
#include "ksc.h"

struct newer_open_opts {
	struct ksc_open_opts known;
	long future_field;
};

int main(void)
{
	struct newer_open_opts newer = { .known = { .sz = sizeof(newer), .backend = "syscall" } };
	struct ksc_open_opts older = { .sz = offsetof(struct ksc_open_opts, flags), .backend = "mmsg" };
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &older) == 0);
	REQUIRE(!strcmp(ksc_backend(ctx), "mmsg"));
	ksc_close(ctx);

	REQUIRE(ksc_open(&ctx, &newer.known) == 0);
	ksc_close(ctx);

	newer.future_field = 1;
	REQUIRE(ksc_open(&ctx, &newer.known) == -E2BIG);

	older.sz = 1;
	REQUIRE(ksc_open(&ctx, &older) == -EINVAL);
	return 0;
}
