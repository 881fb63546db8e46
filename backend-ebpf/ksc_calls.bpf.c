// SPDX-License-Identifier: (MIT OR GPL-2.0)
/*
 * Functions for the generic call path of the eBPF backend: each is a
 * BPF_PROG_TYPE_SYSCALL program that user space runs on demand with
 * BPF_PROG_TEST_RUN, passing a struct ksc_bpf_call_ctx (arguments in,
 * result out). The program's name is the function's name in ksc_call().
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ksc_bpf_cache.h"
#include "ksc_ioctl.h"

/*
 * key_hash(key): djb2 modulo 2^32 (h = h * 33 + byte, from 5381), the same
 * function a Lua script computes exactly in doubles:
 *     for i = 1, #key do h = (h * 33 + key:byte(i)) % 4294967296 end
 * Returns 1 and sets the result, or 0 and leaves it NIL for a bad argument.
 */
SEC("syscall")
int key_hash(struct ksc_bpf_call_ctx *ctx)
{
	__u64 words[KSC_BPF_CALL_STR_MAX / 8];
	const __u8 *key = (const __u8 *)words;
	__u32 hash = 5381, len;

	ctx->result_type = KSC_TYPE_NIL;
	if (ctx->nargs != 1 || ctx->args[0].type != KSC_TYPE_STRING)
		return 0;
	len = ctx->args[0].len;
	if (len > KSC_BPF_CALL_STR_MAX)
		return 0;
	/* Context reads need constant offsets: copy the string whole, unrolled. */
#pragma unroll
	for (__u32 i = 0; i < KSC_BPF_CALL_STR_MAX / 8; i++)
		words[i] = ((const __u64 *)ctx->args[0].str)[i];
	for (__u32 i = 0; i < KSC_BPF_CALL_STR_MAX; i++) {
		if (i >= len)
			break;
		hash = hash * 33 + key[i];
	}
	ctx->result = hash;
	ctx->result_type = KSC_TYPE_INTEGER;
	return 1;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
