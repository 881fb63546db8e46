// SPDX-License-Identifier: MIT
/*
 * ksc-memcached: binds the ports, starts the TCP and UDP threads (which
 * open libksc's backend, privileged for ebpf) held at a gate, drops root,
 * lets them serve, and then sweeps expired items until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "mirror.h"
#include "options.h"
#include "server.h"
#include "store.h"
#include "tcp.h"
#include "udp.h"

/* The expiry sweep: this many buckets every MC_REAP_INTERVAL_MS. */
#define MC_REAP_BUCKETS 4096
#define MC_REAP_INTERVAL_MS 100
#define MC_UDP_RCVBUF (4 << 20)

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* A socket of the given type bound to addr:port (addr NULL: 0.0.0.0);
 * listening when it is a stream. -1 with a message on failure. */
static int bind_socket(const char *addr, int port, int type)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = type,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char portstr[8];
	int fd = -1, one = 1, rc;

	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(addr ? addr : "0.0.0.0", portstr, &hints, &res);
	if (rc) {
		fprintf(stderr, "ksc-memcached: %s: %s\n", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
			    (type == SOCK_STREAM ? SOCK_NONBLOCK : 0), 0);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (type == SOCK_DGRAM) {
			int size = MC_UDP_RCVBUF;

			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    (type != SOCK_STREAM || listen(fd, 1024) == 0))
			break;
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		fprintf(stderr, "ksc-memcached: cannot bind %s port %d: %s\n",
			type == SOCK_STREAM ? "TCP" : "UDP", port, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

/* memcached refuses to run as root unless told which user to become. */
static int drop_root(const char *user)
{
	struct passwd *pw;

	if (getuid() != 0 && geteuid() != 0)
		return 0;
	if (!user) {
		fprintf(stderr, "ksc-memcached: can't run as root without the -u switch\n");
		return -1;
	}
	pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "ksc-memcached: can't find the user %s to switch to\n", user);
		return -1;
	}
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		fprintf(stderr, "ksc-memcached: failed to become %s: %s\n", user,
			strerror(errno));
		return -1;
	}
	return 0;
}

static void sweep_until_stopped(struct mc_store *store)
{
	struct timespec tick = { 0, MC_REAP_INTERVAL_MS * 1000000L };

	while (!stopping) {
		nanosleep(&tick, NULL);
		mc_store_reap(store, MC_REAP_BUCKETS);
	}
}

static int start_threads(struct mc_server *srv, int tcp_fd, int udp_fd)
{
	unsigned nt = srv->settings->threads;
	pthread_t *threads = calloc(2 * (size_t)nt, sizeof(*threads));
	int rc = 0;

	/* stats[0..nt) count TCP threads, stats[nt..2nt) UDP threads. */
	srv->nstats = 2 * (size_t)nt;
	srv->stats = aligned_alloc(64, srv->nstats * sizeof(*srv->stats));
	if (!threads || !srv->stats)
		return -ENOMEM;
	memset(srv->stats, 0, srv->nstats * sizeof(*srv->stats));
	if (tcp_fd >= 0)
		rc = mc_tcp_start(srv, tcp_fd, srv->stats, nt, threads);
	if (!rc && udp_fd >= 0)
		rc = mc_udp_start(srv, udp_fd, srv->stats + nt, nt, threads + nt);
	return rc;
}

int main(int argc, char **argv)
{
	/* Static: the threads use them until exit() ends the process, after main returns. */
	static struct mc_settings cfg;
	static struct mc_server srv = { .settings = &cfg, .start_gate = PTHREAD_MUTEX_INITIALIZER };
	static struct mc_store_hooks hooks;
	int tcp_fd = -1, udp_fd = -1, rc;
	struct sigaction sa = { .sa_handler = on_signal };

	rc = mc_parse_options(argc, argv, &cfg);
	if (rc)
		return rc > 0 ? 0 : 2;
	mc_clock_init();
	atomic_store(&srv.verbose, cfg.verbose);
	if (cfg.tcp_port && (tcp_fd = bind_socket(cfg.listen, cfg.tcp_port, SOCK_STREAM)) < 0)
		return 1;
	if (cfg.udp_port && (udp_fd = bind_socket(cfg.listen, cfg.udp_port, SOCK_DGRAM)) < 0)
		return 1;
	/* While still root: the ebpf backend's XDP cache needs it. */
	if (cfg.handler && mc_mirror_start(&cfg, udp_fd, &hooks) < 0)
		return 1;
	if (cfg.handler)
		srv.ahead_stats = mc_mirror_stats;
	srv.store = mc_store_create(&(struct mc_store_config){
		.mem_limit = cfg.mem_limit, .item_max = cfg.item_max, .hooks = &hooks });
	if (!srv.store) {
		fprintf(stderr, "ksc-memcached: out of memory\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* Before dropping root: the ebpf backend needs it to open. The drop
	 * then applies to every thread (glibc's set*id act process-wide),
	 * which waits at the gate until then. */
	pthread_mutex_lock(&srv.start_gate);
	rc = start_threads(&srv, tcp_fd, udp_fd);
	if (rc) {
		if (rc != -EIO)	/* -EIO: libksc's reason is printed already */
			fprintf(stderr, "ksc-memcached: cannot start: %s\n", strerror(-rc));
		return 1;
	}
	if (drop_root(cfg.user) < 0)
		return 1;
	pthread_mutex_unlock(&srv.start_gate);
	if (cfg.verbose)
		fprintf(stderr, "ksc-memcached: TCP %d, UDP %d (libksc %s), %u thread(s), %zu MB\n",
			cfg.tcp_port, cfg.udp_port,
			srv.udp_io_name ? srv.udp_io_name : "-", cfg.threads,
			cfg.mem_limit >> 20);
	sweep_until_stopped(srv.store);
	return 0;
}
