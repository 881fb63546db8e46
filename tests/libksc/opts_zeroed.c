// SPDX-License-Identifier: MIT
/*
 * KSC_OPTS leaves no byte undefined, even on a stack full of garbage: every
 * byte but the fields named is zero (ksc.h's structs have no padding). And
 * what ksc_open() refuses in the fields it knows: unknown flags, a non-zero
 * unused field; a backend without a module has no module version.
 */
#include <errno.h>
#include <string.h>

#include "ksc.h"
#include "ksc_test.h"

static unsigned char seen[sizeof(struct ksc_open_opts) + sizeof(struct ksc_state_limits)];

static __attribute__((noinline)) void dirty_stack(void)
{
	volatile unsigned char junk[4096];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

static __attribute__((noinline)) void declare(void)
{
	KSC_OPTS(ksc_open_opts, open, .backend = "mmsg", .flags = KSC_OPEN_FALLBACK);
	KSC_OPTS(ksc_state_limits, lim, .mem_bytes = 1);

	memcpy(seen, &open, sizeof(open));
	memcpy(seen + sizeof(open), &lim, sizeof(lim));
}

int main(void)
{
	struct ksc_open_opts open;
	struct ksc_state_limits lim;
	struct ksc_module_version version = { .sz = sizeof(version) };
	struct ksc *ctx;

	dirty_stack();
	declare();
	/* The same values stored one field at a time into zeroed memory. */
	memset(&open, 0, sizeof(open));
	open.sz = sizeof(open);
	open.backend = "mmsg";
	open.flags = KSC_OPEN_FALLBACK;
	memset(&lim, 0, sizeof(lim));
	lim.sz = sizeof(lim);
	lim.mem_bytes = 1;
	REQUIRE(!memcmp(seen, &open, sizeof(open)));
	REQUIRE(!memcmp(seen + sizeof(open), &lim, sizeof(lim)));

	open.flags = 1U << 31;
	REQUIRE(ksc_open(&ctx, &open) == -EINVAL);
	open.flags = KSC_OPEN_SHAREABLE;	/* no kernel state on mmsg: nothing to share */
	open.unused = 1;
	REQUIRE(ksc_open(&ctx, &open) == -EINVAL);
	open.unused = 0;
	REQUIRE(ksc_open(&ctx, &open) == 0);
	REQUIRE(ksc_get_module_version(ctx, &version) == -EOPNOTSUPP);
	REQUIRE(strstr(ksc_errmsg(ctx), "mmsg"));
	ksc_close(ctx);
	return 0;
}
