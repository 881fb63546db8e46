// SPDX-License-Identifier: (MIT OR GPL-2.0)
/* A user's own BPF function for test_libksc_ebpf: sum(a, b) of two integers. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ksc_bpf_cache.h"
#include "ksc_ioctl.h"

SEC("syscall")
int sum(struct ksc_bpf_call_ctx *ctx)
{
	if (ctx->nargs != 2 || ctx->args[0].type != KSC_TYPE_INTEGER ||
	    ctx->args[1].type != KSC_TYPE_INTEGER)
		return 0;
	ctx->result = ctx->args[0].i + ctx->args[1].i;
	ctx->result_type = KSC_TYPE_INTEGER;
	return 1;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
