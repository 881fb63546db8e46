// SPDX-License-Identifier: MIT
/* Two namespaces and a veth pair (see veth_pair.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "veth_pair.h"

static int run(const char *cmd)
{
	return system(cmd) == 0 ? 0 : -EIO;
}

static int open_ns(const char *name)
{
	char path[96];

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

/* XDP_PASS on the client's veth (native), through a link. */
static int attach_pass_program(const char *ifname)
{
	static const struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	int prog = bpf_prog_load(BPF_PROG_TYPE_XDP, "ksc_veth_pass", "GPL", pass, 2, NULL);
	int link;

	if (prog < 0)
		return prog;
	link = bpf_link_create(prog, if_nametoindex(ifname), BPF_XDP, &opts);
	close(prog);	/* the link holds the program */
	return link;
}

int veth_pair_create(struct veth_pair *vp)
{
	const char *srv = vp->ns[0], *cli = vp->ns[1];
	char cmd[768];

	memset(vp, 0, sizeof(*vp));
	vp->nsfd[VETH_HOST] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	vp->client_xdp_link = -1;
	snprintf(vp->ns[0], sizeof(vp->ns[0]), "ksc-srv-%d", getpid());
	snprintf(vp->ns[1], sizeof(vp->ns[1]), "ksc-cli-%d", getpid());
	snprintf(cmd, sizeof(cmd),
		 "/sbin/ip netns add %s && /sbin/ip netns add %s && "
		 "/sbin/ip link add ksc0 netns %s type veth peer name ksc1 netns %s && "
		 "/sbin/ip -n %s addr add " VETH_SERVER_IP "/24 dev ksc0 && "
		 "/sbin/ip -n %s addr add " VETH_CLIENT_IP "/24 dev ksc1 && "
		 "/sbin/ip -n %s addr add " VETH_SERVER_IP6 "/64 dev ksc0 nodad && "
		 "/sbin/ip -n %s addr add " VETH_CLIENT_IP6 "/64 dev ksc1 nodad && "
		 "/sbin/ip -n %s link set ksc0 up && /sbin/ip -n %s link set ksc1 up",
		 srv, cli, srv, cli, srv, cli, srv, cli, srv, cli);
	if (vp->nsfd[VETH_HOST] < 0 || run(cmd))
		goto fail;
	vp->nsfd[VETH_SERVER] = open_ns(vp->ns[0]);
	vp->nsfd[VETH_CLIENT] = open_ns(vp->ns[1]);
	if (vp->nsfd[VETH_SERVER] < 0 || vp->nsfd[VETH_CLIENT] < 0 ||
	    veth_pair_enter(vp, VETH_SERVER))
		goto fail;
	vp->server_ifindex = if_nametoindex("ksc0");
	if (veth_pair_enter(vp, VETH_CLIENT))
		goto fail;
	vp->client_xdp_link = attach_pass_program("ksc1");
	if (vp->client_xdp_link < 0 || veth_pair_enter(vp, VETH_HOST))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "veth pair: setup failed: %s\n", strerror(errno));
	veth_pair_destroy(vp);
	return -EIO;
}

int veth_pair_enter(const struct veth_pair *vp, enum veth_side side)
{
	return setns(vp->nsfd[side], CLONE_NEWNET) ? -errno : 0;
}

/* The server's address of family, or the wildcard when bind is set. */
static socklen_t server_addr(struct sockaddr_storage *ss, int family, int port, int bind)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *in = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET6 || bind) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(port);
		if (!bind)
			inet_pton(AF_INET6, VETH_SERVER_IP6, &in6->sin6_addr);
		return sizeof(*in6);
	}
	in->sin_family = AF_INET;
	in->sin_port = htons(port);
	inet_pton(AF_INET, VETH_SERVER_IP, &in->sin_addr);
	return sizeof(*in);
}

int veth_pair_udp_socket(const struct veth_pair *vp, enum veth_side side, int family,
			 int port, int timeout_ms)
{
	struct timeval timeout = { timeout_ms / 1000, timeout_ms % 1000 * 1000 };
	int bind_it = side == VETH_SERVER;
	struct sockaddr_storage addr;
	socklen_t len = server_addr(&addr, family, port, bind_it);
	int fd, err, saved;

	if (veth_pair_enter(vp, side))
		return -1;
	/* The server's IPv6 socket takes IPv4 too (IPV6_V6ONLY is off by default). */
	fd = socket(addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	err = fd < 0 ? -1 : bind_it ? bind(fd, (void *)&addr, len) : connect(fd, (void *)&addr, len);
	if (!err)
		err = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	saved = errno;
	if (err && fd >= 0)
		close(fd);
	veth_pair_enter(vp, VETH_HOST);
	errno = saved;
	return err ? -1 : fd;
}

void veth_pair_destroy(struct veth_pair *vp)
{
	if (vp->client_xdp_link >= 0)
		close(vp->client_xdp_link);
	if (vp->nsfd[VETH_HOST] > 0)
		veth_pair_enter(vp, VETH_HOST);
	for (int side = VETH_HOST; side <= VETH_CLIENT; side++)
		if (vp->nsfd[side] > 0)
			close(vp->nsfd[side]);
	if (vp->ns[0][0]) {
		char cmd[160];

		snprintf(cmd, sizeof(cmd), "/sbin/ip netns del %s 2>/dev/null; /sbin/ip netns del %s 2>/dev/null",
			 vp->ns[0], vp->ns[1]);
		run(cmd);
	}
	memset(vp, 0, sizeof(*vp));
}

int veth_pair_attach_cache(const struct veth_pair *vp, struct ksc_ebpf_cache *cache,
			   enum ksc_ebpf_xdp_mode mode)
{
	int err;

	/* The interface index is the server namespace's. */
	veth_pair_enter(vp, VETH_SERVER);
	err = ksc_ebpf_cache_attach(cache, vp->server_ifindex, mode);
	veth_pair_enter(vp, VETH_HOST);
	return err;
}
