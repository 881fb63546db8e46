// SPDX-License-Identifier: MIT
/* Messages for the eBPF backend's errors, privileges first. */
#include <errno.h>
#include <string.h>

#include "ksc_ebpf.h"

const char *ksc_ebpf_strerror(int err)
{
	switch (-err) {
	case EPERM:
		return "the eBPF backend needs CAP_BPF and CAP_NET_ADMIN (or root); "
		       "the luajit backend does not";
	case E2BIG:
		return "the reply would not fit one UDP datagram";
	case ENOSPC:
		return "the XDP cache is full";
	case EBUSY:
		return "the XDP cache is already attached";
	default:
		return strerror(-err);
	}
}
