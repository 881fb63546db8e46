// SPDX-License-Identifier: MIT
/*
 * ksc-safety: what an unprivileged user cannot make /dev/ksc do, run as
 * that user (uid 1000 in the guest). ksc-safety --userns CAP, as root: user
 * namespaces do not multiply states_per_user (CAP).
 *
 *  - descriptors resolve only while a CALL runs, in the caller's table,
 *    and nothing resolved outlives its CALL: not in LOAD, not in
 *    finalizers at close or at exit, not /dev/ksc itself;
 *  - a state belongs to the process that opened it (a forked child or a
 *    receiver through SCM_RIGHTS gets EPERM) until its owner shares it;
 *  - processes killed mid-LOAD, mid-CALL, mid-batch and mid-close go away
 *    at once and leave no state behind;
 *  - socket batches: counts are 64-bit, the deadline ends a batch, flags
 *    outside the whitelist are refused;
 *  - states opened inside a user namespace count against its owner;
 *  - STATS reports the longest non-preemptible stretch.
 *
 * Prints "ok"/"FAIL" per case; exits 1 if any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_dev.h"
#include "ksc_udp_record.h"
#include "ksc_test.h"

static void set_time_limit(int fd, uint64_t ms)
{
	struct ksc_limits lim = {
		.size = sizeof(lim), .flags = KSC_LIMITS_SET, .call_time_ns = ms * 1000000,
	};

	if (ioctl(fd, KSC_IOC_LIMITS, &lim) < 0)
		report(false, "LIMITS: %s", strerror(errno));
}

static struct ksc_value fd_arg(int fd)
{
	return (struct ksc_value){ .type = KSC_TYPE_FD, .v.i = fd };
}

static struct ksc_value int_arg(int64_t i)
{
	return (struct ksc_value){ .type = KSC_TYPE_INTEGER, .v.i = i };
}

static struct ksc_value buf_arg(void *p, uint64_t len)
{
	return (struct ksc_value){ .type = KSC_TYPE_UBUF, .v.ptr = (uintptr_t)p, .len = len };
}

/* The module's reference count: one per open state. */
static int module_refs(void)
{
	FILE *f = fopen("/sys/module/ksc/refcnt", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/* A UDP socket on 127.0.0.1, its port in *port. */
static int udp_socket(uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(s, (struct sockaddr *)&sin, &len)) {
		printf("FAIL: udp socket: %s\n", strerror(errno));
		exit(1);
	}
	*port = ntohs(sin.sin_port);
	return s;
}

static bool port_free(uint16_t port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(port),
	};
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool free = s >= 0 && !bind(s, (struct sockaddr *)&sin, sizeof(sin));

	close(s);
	return free;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for child pid at most secs seconds; its wait status, or -1 if still alive. */
static int reap(pid_t pid, double secs)
{
	double until = now_s() + secs;
	int status;

	while (now_s() < until) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(10000);
	}
	return -1;
}

/* The module's references drop back to base within a few seconds. */
static bool refs_back_to(int base)
{
	for (int i = 0; i < 300; i++) {
		if (module_refs() == base)
			return true;
		usleep(10000);
	}
	return false;
}

/* --- Descriptors --------------------------------------------------------------- */

static void descriptor_cases(int base)
{
	uint16_t port;
	int sock = udp_socket(&port);
	int fd = dev_open();
	char text[4096];
	int64_t res;
	struct ksc_value arg = fd_arg(sock);

	report(load(fd, "ksc.socket(0)") == -EBADF && strstr(err_text, "only while a CALL"),
	       "LOAD cannot resolve a descriptor (EBADF, says why)");
	snprintf(text, sizeof(text), "ksc.socket(%d)", fd);
	report(load(fd, text) == -EBADF, "LOAD cannot take /dev/ksc itself");
	report(load(fd, "function keep(fd) S = ksc.socket(fd) return 1 end\n"
			"function use() return S:wait(0) end\n") == 0 &&
	       call(fd, "keep", &arg, 1, &res) == 0 && res == 1,
	       "a CALL resolves a socket passed to it");
	report(call(fd, "use", NULL, 0, &res) == -EBADF && strstr(err_text, "earlier call"),
	       "the socket object of an earlier CALL is stale (EBADF)");

	/* Finalizers at close try every binding; none may take a file. */
	snprintf(text, sizeof(text),
		 "local function at_close(f) local p = newproxy(true)\n"
		 "  getmetatable(p).__gc = function() pcall(f) end; return p end\n"
		 "keep = { at_close(function() ksc.socket(%d) end),\n"
		 "  at_close(function() ksc.socket(%d) end),\n"
		 "  at_close(function() ksc.socket(0) end),\n"
		 "  at_close(function() S:recvmsg(B, 0, 1) end),\n"
		 "  at_close(function() B:read(0, 1) end),\n"
		 "  at_close(function() print(ksc.time()) end) }\n"
		 "function hold(fd, b) S = ksc.socket(fd); B = b; return 1 end\n",
		 sock, fd);
	{
		char byte = 0;
		struct ksc_value args[2] = { fd_arg(sock), buf_arg(&byte, 1) };

		report(load(fd, text) == 0 && call(fd, "hold", args, 2, &res) == 0,
		       "finalizers set up that would take files at close");
	}
	close(fd);
	close(sock);
	report(refs_back_to(base), "close: the state is gone (module references back to %d)", base);
	report(port_free(port), "close: no finalizer kept the socket bound");
}

/* A child opens a state, sets finalizers that try every binding, and exits without close. */
static void exit_without_close(int base)
{
	pid_t pid = fork();

	if (!pid) {
		int fd = dev_open();
		char text[1024];

		snprintf(text, sizeof(text),
			 "keep = {}\n"
			 "for n = 0, 8 do local p = newproxy(true)\n"
			 "  getmetatable(p).__gc = function() pcall(ksc.socket, n); ksc.socket(%d) end\n"
			 "  keep[#keep + 1] = p end\n", fd);
		_exit(load(fd, text) ? 2 : 0);
	}
	report(reap(pid, 10) == 0, "a process exits without close; finalizers try ksc.socket");
	report(refs_back_to(base), "exit: the state is gone (module references back to %d)", base);
}

/* Finalizers at close get a short budget of their own, whatever the time limit. */
static void close_bounded(void)
{
	int fd = dev_open();
	double t0;

	load(fd, "keep = newproxy(true) getmetatable(keep).__gc = function() while true do end end");
	t0 = now_s();
	close(fd);
	report(now_s() - t0 < 1, "close with a spinning finalizer returns (%.0f ms)",
	       (now_s() - t0) * 1000);
}

/* --- Killed processes ------------------------------------------------------------ */

/* In the child: what it does until killed. */
enum victim { MID_LOAD, MID_CALL, MID_BATCH, MID_CLOSE, MID_CALL_GC };

static void victim_run(enum victim what)
{
	static struct ksc_udp_record recs[16];
	static char region[16 * 64];
	int fd = dev_open();
	uint16_t port;
	int sock = udp_socket(&port);
	struct ksc_value args[5] = { fd_arg(sock), buf_arg(region, sizeof(region)),
				     buf_arg(recs, sizeof(recs)), int_arg(0), int_arg(16) };

	for (int i = 0; i < 16; i++)
		recs[i] = (struct ksc_udp_record){ .len = 64, .off = i * 64 };
	switch (what) {
	case MID_LOAD:
		load(fd, "while true do end");
		break;
	case MID_CALL:
		load(fd, "function spin() local t = {} while true do t[#t % 1000 + 1] = {} end end");
		call(fd, "spin", NULL, 0, NULL);
		break;
	case MID_BATCH:
		load(fd, "function batch(fd, region, recs, off, n)\n"
			 "  local s = ksc.socket(fd)\n"
			 "  while true do s:recv_records(region, recs, off, n) end end");
		call(fd, "batch", args, 5, NULL);
		break;
	case MID_CLOSE:
		load(fd, "keep = newproxy(true) getmetatable(keep).__gc = function() while true do end end");
		close(fd);
		break;
	case MID_CALL_GC:
		/* The exit closes the state, whose finalizer spins: close gets 100 ms. */
		load(fd, "keep = newproxy(true) getmetatable(keep).__gc = function() while true do end end\n"
			 "function spin() while true do end end");
		call(fd, "spin", NULL, 0, NULL);
		break;
	}
	pause();
	_exit(3);
}

static void killed_cases(int base)
{
	static const char *const names[] = { "LOAD", "CALL", "socket batch", "close",
					     "CALL, a spinning finalizer left for the exit" };

	for (int what = MID_LOAD; what <= MID_CALL_GC; what++) {
		pid_t pid = fork();
		int status;

		if (!pid)
			victim_run(what);
		usleep(300000);
		kill(pid, SIGKILL);
		status = reap(pid, 2);
		report(status >= 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		       "SIGKILL mid-%s: the process is gone within 2 s", names[what]);
		report(refs_back_to(base), "SIGKILL mid-%s: no state left", names[what]);
	}
}

/* --- Owner --------------------------------------------------------------------- */

/* In a child: LOAD, CALL, STATS and SHARE on fd; exit status: a bit per unexpected result. */
static int try_foreign(int fd, bool shared)
{
	struct ksc_stats st = { .size = sizeof(st) };
	int want = shared ? 0 : -EPERM;
	int bad = 0;

	if (load(fd, "y = 2") != want ||
	    (!shared && !strstr(err_text, "belongs to the process that opened it")))
		bad |= 1;
	if (call(fd, "f", NULL, 0, NULL) != want)
		bad |= 2;
	if ((ioctl(fd, KSC_IOC_STATS, &st) < 0 ? -errno : 0) != want)
		bad |= 4;
	if ((ioctl(fd, KSC_IOC_SHARE) < 0 ? -errno : 0) != -EPERM)
		bad |= 8;
	return bad;
}

static int child_status(pid_t pid)
{
	int status = reap(pid, 10);

	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

/* Receive one descriptor over unix socket s. */
static int recv_fd(int s)
{
	char byte, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(s, &msg, 0) != 1 || !(c = CMSG_FIRSTHDR(&msg)) || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

static void send_fd(int s, int fd)
{
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
	if (sendmsg(s, &msg, 0) != 1)
		report(false, "sendmsg SCM_RIGHTS: %s", strerror(errno));
}

static void owner_cases(void)
{
	int fd = dev_open(), sv[2];
	pid_t pid;

	report(load(fd, "function f() return 1 end") == 0, "the owner loads");
	pid = fork();
	if (!pid)
		_exit(try_foreign(fd, false));
	report(child_status(pid) == 0,
	       "a forked child: LOAD (with the reason), CALL, STATS and SHARE fail with EPERM");

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		report(false, "socketpair: %s", strerror(errno));
	pid = fork();
	if (!pid) {
		close(fd);
		fd = recv_fd(sv[1]);
		_exit(fd < 0 ? 100 : try_foreign(fd, false));
	}
	send_fd(sv[0], fd);
	report(child_status(pid) == 0, "a receiver through SCM_RIGHTS gets EPERM too");
	close(sv[0]);
	close(sv[1]);

	report(ioctl(fd, KSC_IOC_SHARE) == 0, "the owner shares the state");
	pid = fork();
	if (!pid)
		_exit(try_foreign(fd, true));
	report(child_status(pid) == 0, "a shared state: the child may LOAD, CALL and STATS");
	close(fd);
}

/* --- Socket batches ------------------------------------------------------------ */

static const char batch_script[] =
	"function send(fd, region, recs, n) return ksc.socket(fd):send_records(region, recs, 0, n) end\n"
	"function recvmsg(fd, b, flags) return ksc.socket(fd):recvmsg(b, 0, 1, flags) end\n"
	"function sendmsg(fd, b, flags) return ksc.socket(fd):sendmsg(b, 0, 1, nil, flags) end\n";

static void batch_cases(void)
{
	enum { N = 4000 };
	uint16_t port;
	int rx = udp_socket(&port), tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct ksc_udp_record *recs = calloc(N, sizeof(*recs));
	int fd = dev_open();
	char region[64] = "x";
	int64_t res;
	double t0;

	for (int i = 0; i < N; i++) {
		recs[i] = (struct ksc_udp_record){ .len = 1, .addrlen = sizeof(to) };
		memcpy(recs[i].addr, &to, sizeof(to));
	}
	load(fd, batch_script);
	{
		/* A record buffer that claims to be huge: only the count can stop it. */
		struct ksc_value args[4] = { fd_arg(tx), buf_arg(region, sizeof(region)),
					     buf_arg(recs, 1ULL << 50), int_arg((1LL << 32) + 5) };

		report(call(fd, "send", args, 4, &res) == -E2BIG &&
		       strstr(err_text, "socket operations in one call"),
		       "send_records of 2^32 + 5 datagrams: E2BIG before any is sent");
	}
	{
		struct ksc_value args[3] = { fd_arg(rx), buf_arg(region, sizeof(region)),
					     int_arg(0x40000000) };

		report(call(fd, "recvmsg", args, 3, &res) == -EINVAL && strstr(err_text, "not allowed"),
		       "recvmsg with a kernel-internal flag: EINVAL");
		args[0] = fd_arg(tx);
		args[2] = int_arg(MSG_PEEK);
		report(call(fd, "sendmsg", args, 3, &res) == -EINVAL, "sendmsg with MSG_PEEK: EINVAL");
		args[2] = int_arg(MSG_DONTWAIT);
		report(call(fd, "recvmsg", args, 3, &res) == 0 && res == -EAGAIN,
		       "recvmsg with MSG_DONTWAIT still works (-EAGAIN)");
	}
	{
		struct ksc_value args[4] = { fd_arg(tx), buf_arg(region, sizeof(region)),
					     buf_arg(recs, (uint64_t)N * sizeof(*recs)), int_arg(N) };
		int ret;

		set_time_limit(fd, 2);
		t0 = now_s();
		ret = call(fd, "send", args, 4, &res);
		report(ret == -ETIME && now_s() - t0 < 1,
		       "send_records of %d datagrams under a 2 ms limit: ETIME (%.0f ms)", N,
		       (now_s() - t0) * 1000);
	}
	close(fd);
	close(rx);
	close(tx);
	free(recs);
}

/* --- Caps and statistics --------------------------------------------------------- */

/*
 * As root: a child drops to uid 1000 and makes a user namespace; root maps
 * 8 uids into it (what newuidmap does for a user with subordinate uids).
 * Each of the 8 then opens states until EMFILE: together no more than the
 * cap of uid 1000, the namespace's owner.
 */
static int userns_opens(int go, int counts)
{
	char c;
	int n = 0;

	if (read(go, &c, 1) != 1)
		return 1;
	for (uid_t uid = 0; uid < 8; uid++) {
		if (fork() == 0) {
			if (setresgid(0, 0, 0) || setresuid(uid, uid, uid))
				_exit(1);
			while (open(KSC_DEVICE_PATH, O_RDWR) >= 0)
				n++;
			if (write(counts, &n, sizeof(n)) != sizeof(n))
				_exit(1);
			pause();
		}
	}
	pause();
	return 0;
}

static bool write_file(const char *path, const char *text)
{
	int f = open(path, O_WRONLY);
	bool ok = f >= 0 && write(f, text, strlen(text)) == (ssize_t)strlen(text);

	if (f >= 0)
		close(f);
	return ok;
}

static void userns_case(int cap)
{
	int go[2], counts[2], total = 0, n;
	char path[64];
	pid_t pid;

	if (pipe(go) || pipe(counts))
		exit(1);
	pid = fork();
	if (!pid) {
		setpgid(0, 0);
		if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
		    setresuid(1000, 1000, 1000) || unshare(CLONE_NEWUSER))
			_exit(1);
		_exit(userns_opens(go[0], counts[1]));
	}
	usleep(200000);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	report(write_file(path, "0 100000 8"), "root maps 8 uids into uid 1000's user namespace");
	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	write_file(path, "0 100000 8");
	if (write(go[1], "g", 1) != 1)
		exit(1);
	for (int i = 0; i < 8; i++)
		if (read(counts[0], &n, sizeof(n)) == sizeof(n))
			total += n;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	reap(pid, 5);
	report(total == cap, "8 uids of that namespace opened %d states together (cap %d)", total, cap);
}

static void stats_case(void)
{
	int fd = dev_open();
	struct ksc_stats st = { .size = sizeof(st) };
	int ret;

	load(fd, "local x = 0 for i = 1, 1e5 do x = x + i end");
	ret = ioctl(fd, KSC_IOC_STATS, &st);
	report(ret == 0 && st.max_nopreempt_ns > 0 && st.max_nopreempt_ns < 1000000000ULL,
	       "STATS: max_nopreempt_ns = %llu", (unsigned long long)st.max_nopreempt_ns);
	close(fd);
}

int main(int argc, char **argv)
{
	bool userns = argc > 2 && !strcmp(argv[1], "--userns");
	int base = module_refs();

	if ((argc != 1 && !userns) || base < 0) {
		fprintf(stderr, "usage: ksc-safety (as a user) | ksc-safety --userns CAP (as root),"
				" with ksc.ko loaded\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (userns) {
		userns_case(atoi(argv[2]));
	} else {
		descriptor_cases(base);
		exit_without_close(base);
		close_bounded();
		killed_cases(base);
		owner_cases();
		batch_cases();
		stats_case();
	}
	report(refs_back_to(base), "no state left behind");
	printf("%s: %d failed\n", failures ? "FAIL" : "ok", failures);
	return failures ? 1 : 0;
}
