// SPDX-License-Identifier: MIT
/*
 * ksc-bench-floor OBJECT IFACE PORT VALUE_SIZE: the floor row of make bench.
 * Loads xdp_floor.bpf.o, stores the reply ksc-loadgen expects for its one
 * key (ksc-loadgen -k 1) with values of VALUE_SIZE bytes, attaches the
 * program to IFACE in native mode, prints "attached" and waits for SIGTERM
 * or SIGINT, then detaches. No user-space server runs: XDP answers all.
 */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "parse_number.h"
#include "xdp_floor.h"

#define KEY_SIZE 16	/* ksc-loadgen's default --key-size */

/* The reply to a GET of key 0: "VALUE <key> 0 <n>\r\n<value>\r\nEND\r\n". */
static int build_reply(struct ksc_floor_reply *reply, size_t value_size)
{
	struct lg_keyspace ks;
	char key[KEY_SIZE];
	int head;

	if (!lg_keyspace_init(&ks, 1, KEY_SIZE, value_size, false, 0))
		return -1;
	lg_key_name(&ks, 0, key);
	head = snprintf((char *)reply->text, sizeof(reply->text), "VALUE %.*s 0 %zu\r\n",
			KEY_SIZE, key, value_size);
	if (head + value_size + 7 > sizeof(reply->text)) {
		fprintf(stderr, "ksc-bench-floor: a %zu-byte value does not fit one reply\n",
			value_size);
		lg_keyspace_free(&ks);
		return -1;
	}
	memcpy(reply->text + head, lg_key_value(&ks, 0), value_size);
	memcpy(reply->text + head + value_size, "\r\nEND\r\n", 7);
	reply->len = (__u32)(head + value_size + 7);
	lg_keyspace_free(&ks);
	return 0;
}

/* Waits for SIGTERM or SIGINT (blocked first, so none is missed). */
static void wait_for_stop(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("attached\n");
	fflush(stdout);
	sigwait(&set, &sig);
}

static int serve(const char *path, int ifindex, const struct ksc_floor_reply *reply)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	__u32 zero = 0;
	int err;

	if (!obj) {
		fprintf(stderr, "ksc-bench-floor: %s: %s\n", path, strerror(errno));
		return -1;
	}
	err = bpf_object__load(obj);
	prog = bpf_object__find_program_by_name(obj, "ksc_xdp_floor");
	if (!err && !prog)
		err = -ENOENT;
	if (!err)
		err = bpf_map_update_elem(bpf_object__find_map_fd_by_name(obj, "ksc_floor"),
					  &zero, reply, BPF_ANY);
	if (!err)
		err = bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE, NULL);
	if (err) {
		fprintf(stderr, "ksc-bench-floor: loading and attaching %s: %s\n", path,
			strerror(-err));
		bpf_object__close(obj);
		return -1;
	}
	wait_for_stop();
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	static struct ksc_floor_reply reply;
	uint64_t port, value_size;
	int ifindex;

	if (argc != 5 || !parse_u64(argv[3], 1, 65535, &port) ||
	    !parse_u64(argv[4], 1, KSC_FLOOR_REPLY_MAX, &value_size)) {
		fprintf(stderr, "usage: ksc-bench-floor OBJECT IFACE PORT VALUE_SIZE\n");
		return 2;
	}
	ifindex = (int)if_nametoindex(argv[2]);
	if (!ifindex) {
		fprintf(stderr, "ksc-bench-floor: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	reply.port = (__u16)port;
	if (build_reply(&reply, value_size))
		return 1;
	return serve(argv[1], ifindex, &reply) ? 1 : 0;
}
