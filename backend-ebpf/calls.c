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
#include "libbpf_glue.h"
#include "ksc_calls.skel.h"

#define MAX_USER_OBJECTS 16

struct ksc_ebpf_calls {
	struct ksc_calls *skel;				/* the built-in functions */
	struct bpf_object *user[MAX_USER_OBJECTS];	/* ksc_ebpf_calls_load(), in order */
	unsigned int nuser;
};

int ksc_ebpf_calls_open(struct ksc_ebpf_calls **out)
{
	struct ksc_ebpf_calls *calls = calloc(1, sizeof(*calls));
	int err;

	if (!calls)
		return -ENOMEM;
	ksc_ebpf_quiet_libbpf();
	calls->skel = ksc_calls__open_and_load();
	if (!calls->skel) {
		err = ksc_ebpf_errno(-errno);
		free(calls);
		return err;
	}
	*out = calls;
	return 0;
}

/* Every program of a loaded object must be a function: SEC("syscall"). */
static int only_syscall_programs(struct bpf_object *obj)
{
	struct bpf_program *prog;
	int n = 0;

	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) != BPF_PROG_TYPE_SYSCALL)
			return -EINVAL;
		n++;
	}
	return n ? 0 : -ENOENT;
}

int ksc_ebpf_calls_load(struct ksc_ebpf_calls *calls, const void *elf, size_t len,
			const char *name)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name);
	struct bpf_object *obj;
	int err;

	if (calls->nuser == MAX_USER_OBJECTS)
		return -ENOSPC;
	ksc_ebpf_quiet_libbpf();
	obj = bpf_object__open_mem(elf, len, &opts);
	if (!obj)
		return ksc_ebpf_errno(-errno);
	err = only_syscall_programs(obj);
	if (!err)
		err = bpf_object__load(obj);
	if (err) {
		bpf_object__close(obj);
		return ksc_ebpf_errno(err);
	}
	calls->user[calls->nuser++] = obj;
	return 0;
}

/* The newest loaded object's function of that name wins, the built-ins last. */
static struct bpf_program *find_function(struct ksc_ebpf_calls *calls, const char *name)
{
	struct bpf_program *prog;

	for (unsigned int i = calls->nuser; i-- > 0;) {
		prog = bpf_object__find_program_by_name(calls->user[i], name);
		if (prog)
			return prog;
	}
	return bpf_object__find_program_by_name(calls->skel->obj, name);
}

int ksc_ebpf_calls_run(struct ksc_ebpf_calls *calls, const char *name,
		       struct ksc_bpf_call_ctx *ctx)
{
	struct bpf_program *prog = find_function(calls, name);
	LIBBPF_OPTS(bpf_test_run_opts, run, .ctx_in = ctx, .ctx_size_in = sizeof(*ctx));
	int err;

	if (!prog)
		return -ENOENT;
	ksc_ebpf_quiet_libbpf();
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
	while (calls->nuser > 0)
		bpf_object__close(calls->user[--calls->nuser]);
	ksc_calls__destroy(calls->skel);
	free(calls);
}
