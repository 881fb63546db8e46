/* SPDX-License-Identifier: MIT */
/* libbpf as libksc_ebpf's callers see it: errnos only, and no printing. */
#ifndef KSC_LIBBPF_GLUE_H
#define KSC_LIBBPF_GLUE_H

/* Route libbpf's messages into ksc_ebpf_libbpf_log() (once per process). */
void ksc_ebpf_quiet_libbpf(void);

/* err (0 or negative) with libbpf's own codes (-LIBBPF_ERRNO__*) made errnos. */
int ksc_ebpf_errno(int err);

#endif /* KSC_LIBBPF_GLUE_H */
