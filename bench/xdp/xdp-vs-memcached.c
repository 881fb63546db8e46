// SPDX-License-Identifier: MIT
/*
 * ksc-xdp-vs-memcached: the bench helper's own tools on the veth pair.
 * ksc-memcached (one thread, libksc's syscall backend: one recvmsg/sendmsg
 * per datagram) serves in the server namespace; ksc-loadgen drives it from
 * the client namespace (closed loop, every reply checked). Each value size
 * is measured ROUNDS times each way, alternating: user space alone, then
 * with the XDP cache attached in front of the server and holding every key
 * of the load generator's key space (the same names and values, from its
 * own key-space code), so that every GET is a hit answered by XDP; the
 * medians are printed. Needs root.
 *
 * Usage: ksc-xdp-vs-memcached [SECONDS [KEYS [THREADS]]]
 *        (default 3 s, 1000 keys, 1 load generator thread; both paths get
 *        the same load generator)
 * ksc-memcached and ksc-loadgen are taken from this program's directory.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "keys.h"
#include "ksc_ebpf.h"
#include "median.h"
#include "veth_pair.h"

#define PORT 11211
#define KEY_SIZE 16
#define ROUNDS 3	/* alternating runs per path and size; the median is reported */

static char bindir[PATH_MAX];
static const char *threads = "1";	/* ksc-loadgen -t */

/* /proc/loadavg's first three fields: other load skews the figures. */
static const char *load_average(void)
{
	static char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");
	int spaces = 0;

	if (!f)
		return line;
	if (fgets(line, sizeof(line), f))
		for (char *p = line; *p; p++)
			if (*p == ' ' && ++spaces == 3)
				*p = 0;
	fclose(f);
	return line;
}

/* Starts argv[0] (from bindir) in one side's namespace, stdout to out_fd. */
static pid_t spawn_in(const struct veth_pair *vp, enum veth_side side, char *const argv[],
		      int out_fd)
{
	pid_t pid = fork();
	char path[PATH_MAX + 64];

	if (pid != 0)
		return pid;
	snprintf(path, sizeof(path), "%s/%s", bindir, argv[0]);
	if (veth_pair_enter(vp, side) || (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0))
		_exit(127);
	setenv("KSC_BACKEND", "syscall", 1);
	execv(path, argv);
	fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Waits up to 5 s until the server answers on UDP (a datagram comes back). */
static int wait_for_server(const struct veth_pair *vp)
{
	static const char version[] = "\0\1\0\0\0\1\0\0version\r\n";
	int fd = veth_pair_udp_socket(vp, VETH_CLIENT, AF_INET, PORT, 100);
	char reply[64];
	int ok = 0;

	for (int i = 0; fd >= 0 && i < 50 && !ok; i++)
		ok = send(fd, version, sizeof(version) - 1, 0) > 0 &&
		     recv(fd, reply, sizeof(reply), 0) > 0;
	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* One ksc-loadgen run; its requests per second, or -1 when it failed. */
static double loadgen(const struct veth_pair *vp, size_t value_size, const char *keys,
		      const char *seconds)
{
	char vsize[32], out[4096] = "", *rps;
	char *argv[] = { "ksc-loadgen", "-s", VETH_SERVER_IP, "-t", (char *)threads, "-c", "32", "-k",
			 (char *)keys, "-v", vsize, "-w", "1", "-d", (char *)seconds,
			 "--json", "-q", NULL };
	int pipefd[2], status;
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	snprintf(vsize, sizeof(vsize), "%zu", value_size);
	if (pipe(pipefd))
		return -1;
	pid = spawn_in(vp, VETH_CLIENT, argv, pipefd[1]);
	close(pipefd[1]);
	while ((n = read(pipefd[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(pipefd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "ksc-loadgen failed (it checks every reply): %s\n", out);
		return -1;
	}
	rps = strstr(out, "\"rps\": ");
	return rps ? strtod(rps + 7, NULL) : -1;
}

/* The load generator's key space, cached by XDP. */
static int fill_cache(struct ksc_ebpf_cache *cache, uint64_t nkeys, size_t value_size)
{
	struct lg_keyspace ks;
	char name[KEY_SIZE];
	int err = 0;

	if (!lg_keyspace_init(&ks, nkeys, KEY_SIZE, value_size, false, 0))
		return -EINVAL;
	for (uint64_t i = 0; i < nkeys && !err; i++) {
		lg_key_name(&ks, i, name);
		err = ksc_ebpf_cache_set(cache, name, KEY_SIZE, 0, 0, lg_key_value(&ks, i),
					 value_size);
	}
	lg_keyspace_free(&ks);
	return err;
}

/* ROUNDS alternating runs of each path: user space alone, then with XDP. */
static int measure(struct veth_pair *vp, struct ksc_ebpf_cache *cache, size_t value_size,
		   const char *keys, const char *seconds, double *user, double *xdp)
{
	double user_rps[ROUNDS], xdp_rps[ROUNDS];
	int err = 0;

	for (int round = 0; round < ROUNDS && !err; round++) {
		user_rps[round] = loadgen(vp, value_size, keys, seconds);
		err = veth_pair_attach_cache(vp, cache, KSC_EBPF_XDP_NATIVE);
		if (err) {
			fprintf(stderr, "XDP cache: %s\n", ksc_ebpf_strerror(err));
			break;
		}
		xdp_rps[round] = loadgen(vp, value_size, keys, seconds);
		ksc_ebpf_cache_detach(cache);
		if (user_rps[round] < 0 || xdp_rps[round] < 0)
			err = -EIO;
	}
	if (!err) {
		*user = median(user_rps, ROUNDS);
		*xdp = median(xdp_rps, ROUNDS);
	}
	return err;
}

static int compare(struct veth_pair *vp, struct ksc_ebpf_cache *cache, const char *keys,
		   const char *seconds)
{
	static const size_t sizes[] = { 32, 128, 512, 1024 };

	printf("%-7s %16s %14s %7s %12s\n", "value", "ksc-memcached/s", "XDP req/s", "ratio",
	       "XDP-served");
	for (int i = 0; i < 4; i++) {
		struct ksc_ebpf_cache_stats before, after;
		double user, xdp;
		int err = fill_cache(cache, strtoull(keys, NULL, 10), sizes[i]);

		if (!err)
			err = ksc_ebpf_cache_stats(cache, &before);
		if (!err)
			err = measure(vp, cache, sizes[i], keys, seconds, &user, &xdp);
		if (!err)
			err = ksc_ebpf_cache_stats(cache, &after);
		if (err) {
			fprintf(stderr, "%zu B: %s\n", sizes[i], ksc_ebpf_strerror(err));
			return 1;
		}
		ksc_ebpf_cache_flush(cache);
		printf("%-7zu %16.0f %14.0f %6.2fx %11.1f%%\n", sizes[i], user, xdp, xdp / user,
		       100.0 * (after.hits - before.hits) /
			       (after.hits - before.hits + after.misses - before.misses +
				after.errors - before.errors + 1e-9));
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *seconds = argc > 1 ? argv[1] : "3";
	const char *keys = argc > 2 ? argv[2] : "1000";
	struct ksc_ebpf_cache_opts opts = { .sz = sizeof(opts), .port = PORT };
	/* ksc-memcached drops root: to nobody, or to ksc where there is no nobody (the guest). */
	char *server_argv[] = { "ksc-memcached", "-p", "11211", "-U", "11211", "-t", "1",
				"-u", getpwnam("nobody") ? "nobody" : "ksc", NULL };
	char self[PATH_MAX];
	struct ksc_ebpf_cache *cache;
	struct veth_pair vp;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t server;
	int err;

	if (argc > 3)
		threads = argv[3];
	if (len < 0 || atof(seconds) <= 0 || strtoull(keys, NULL, 10) < 2 || atoi(threads) < 1) {
		fprintf(stderr, "usage: ksc-xdp-vs-memcached [SECONDS [KEYS (>= 2) [THREADS (>= 1)]]]\n");
		return 2;
	}
	self[len] = 0;
	snprintf(bindir, sizeof(bindir), "%s", dirname(self));
	opts.capacity = strtoull(keys, NULL, 10);
	err = ksc_ebpf_cache_open(&opts, &cache);
	if (err) {
		fprintf(stderr, "ksc-xdp-vs-memcached: %s\n", ksc_ebpf_strerror(err));
		return 1;
	}
	if (veth_pair_create(&vp)) {
		ksc_ebpf_cache_close(cache);
		return 1;
	}
	printf("ksc-xdp-vs-memcached: veth pair, native XDP; ksc-memcached -t 1 "
	       "(KSC_BACKEND=syscall); ksc-loadgen -t %s -c 32 -k %s --key-size %d, "
	       "1 s warm-up + %s s, median of %d alternating runs; load average %s\n", threads, keys,
	       KEY_SIZE, seconds, ROUNDS, load_average());
	server = spawn_in(&vp, VETH_SERVER, server_argv, -1);
	err = server < 0 || wait_for_server(&vp) ? 1 : compare(&vp, cache, keys, seconds);
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	ksc_ebpf_cache_close(cache);
	veth_pair_destroy(&vp);
	return err;
}
