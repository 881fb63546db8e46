// SPDX-License-Identifier: MIT
/*
 * The generic call path: BPF_PROG_TYPE_SYSCALL programs (ksc_calls.bpf.c)
 * run on demand through BPF_PROG_TEST_RUN with a struct ksc_bpf_call_ctx.
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ksc_ebpf.h"
#include "ksc_calls.skel.h"

struct ksc_ebpf_calls {
	struct ksc_calls *skel;
};

int ksc_ebpf_calls_open(struct ksc_ebpf_calls **out)
{
	struct ksc_ebpf_calls *calls = calloc(1, sizeof(*calls));
	int err;

	if (!calls)
		return -ENOMEM;
	calls->skel = ksc_calls__open_and_load();
	if (!calls->skel) {
		err = -errno;
		free(calls);
		return err;
	}
	*out = calls;
	return 0;
}

int ksc_ebpf_calls_run(struct ksc_ebpf_calls *calls, const char *name,
		       struct ksc_bpf_call_ctx *ctx)
{
	struct bpf_program *prog = bpf_object__find_program_by_name(calls->skel->obj, name);
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = ctx, .ctx_size_in = sizeof(*ctx));
	int err;

	if (!prog)
		return -ENOENT;
	/* The kernel copies the context back into ctx after the run. */
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &run);
	if (err)
		return err;
	return run.retval ? 0 : -EINVAL;
}

void ksc_ebpf_calls_close(struct ksc_ebpf_calls *calls)
{
	if (!calls)
		return;
	ksc_calls__destroy(calls->skel);
	free(calls);
}
