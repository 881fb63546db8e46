// SPDX-License-Identifier: MIT
#include <bpf/bpf.h>

#include "mc_packet.h"
#include "run_xdp.h"

int run_xdp(int prog_fd, const void *frame, uint32_t len, void *out, uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frame, .data_size_in = len,
		    .data_out = out, .data_size_out = MC_PACKET_MAX);
	int err = bpf_prog_test_run_opts(prog_fd, &run);

	if (err)
		return err;
	*out_len = run.data_size_out;
	return run.retval;
}
