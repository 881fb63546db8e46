// SPDX-License-Identifier: MIT
/*
 * ksc-handlers CASE: socket handlers (ksc.handle) as an unprivileged user,
 * on loopback. Each case prints ok/FAIL lines and exits 1 if one failed.
 *
 *   answer    echo over IPv4 and IPv6; tables shared with CALLs; pass-through;
 *             answers of every shape
 *   refuse    what ksc.handle refuses (TCP, twice, steps above the ceiling)
 *   failing   errors, runaway loops, memory bombs, recursion: user space gets
 *             the datagram; a handler that keeps failing stops, STATS says why
 *   busy      a CALL running while datagrams arrive: they pass, counted
 *   cpu       a flood of costly datagrams: the state's CPU share holds
 *   close     socket closed, state closed, each while attached (and flooded)
 *   free      memory a handler frees goes back (arena_bytes stays bounded)
 *   hold PORT attach an echo handler on 127.0.0.1:PORT and sleep (for the
 *             suite: killed, rmmod while attached)
 *   ask PORT MSG  send MSG to 127.0.0.1:PORT, print the answer ("" if none)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ksc_ioctl.h"
#include "ksc_dev.h"

/*
 * How long a datagram may take to be answered or to reach the socket. A
 * guest on a loaded host stalls for long stretches; a datagram that is
 * truly lost still fails its case, only this late.
 */
#define DEADLINE_MS 10000

static int diag_kfd = -1;	/* the state whose STATS a failure shows */
static uint64_t load_passed;	/* datagrams passed unrun for the load: shown at the end */

static void report_stats(void)
{
	struct ksc_stats st = { .size = sizeof(st) };

	if (diag_kfd < 0 || ioctl(diag_kfd, KSC_IOC_STATS, &st) < 0)
		return;
	printf(" (STATS: runs %llu, answered %llu, passed %llu, busy %llu, fpu %llu, cpu %llu, error %llu, budget %llu, reply %llu)",
	       (unsigned long long)st.handler_runs, (unsigned long long)st.handler_answered,
	       (unsigned long long)st.handler_passed, (unsigned long long)st.pass_busy,
	       (unsigned long long)st.pass_fpu, (unsigned long long)st.pass_cpu,
	       (unsigned long long)st.pass_error, (unsigned long long)st.pass_budget,
	       (unsigned long long)st.pass_reply);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char script[] =
	"hits = 0\n"
	"store = {}\n"
	"function attach(fd, name, steps) return ksc.handle(ksc.socket(fd), name, steps) end\n"
	"function echo(p, from) hits = hits + 1 return 'echo:' .. p end\n"
	"function pass(p) hits = hits + 1 end\n"
	"function fail(p) error('boom') end\n"
	"function loop(p) while true do end end\n"
	"function bomb(p) return string.rep('x', 64 * 1024 * 1024) end\n"
	"function deep(p) local function f(n) return f(n + 1) + 1 end return f(1) end\n"
	"function kv(p) local k = p:match('^get (%S+)$') return k and store[k] end\n"
	"function set(k, v) store[k] = v end\n"
	"function get_hits() return hits end\n"
	"function family(p, from) return tostring(#from) end\n"
	"function costly(p) local x = 0 for i = 1, 4000 do x = x + i end return 'c' end\n"
	"function spin(ms) local t = ksc.time() + ms * 1000000 while ksc.time() < t do end end\n"
	"function grow(n) local t = {} for i = 1, n do t[i] = i end big = t end\n"
	"function grow_string(n) big = string.rep('y', n) end\n"
	"function drop(p) big = nil collectgarbage() return 'dropped' end\n"
	"function shapes(p) local k = p:sub(1, 4)\n"
	"  if k == 'trim' then return 4, '+' end\n"
	"  if k == 'grow' then return 4, string.rep('g', 1400) end\n"
	"  if k == 'late' then return '<', 4 end\n"
	"  if k == 'full' then return 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h' end\n"
	"  if k == 'many' then return 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i' end\n"
	"  if k == 'frac' then return 2.5, 'x' end\n"
	"  return 3, 3 end\n";

static struct ksc_value str_arg(const char *s)
{
	return (struct ksc_value){ .type = KSC_TYPE_STRING, .v.ptr = (uintptr_t)s, .len = strlen(s) };
}

/* ksc.handle on sock for the global name; 0 or -errno. */
static int attach(int kfd, int sock, const char *name, int64_t steps)
{
	struct ksc_value args[3] = {
		{ .type = KSC_TYPE_FD, .v.i = sock }, str_arg(name),
		{ .type = steps ? KSC_TYPE_INTEGER : KSC_TYPE_NIL, .v.i = steps },
	};

	return call(kfd, "attach", args, 3, NULL);
}

static struct ksc_stats stats(int kfd)
{
	struct ksc_stats st = { .size = sizeof(st) };

	if (ioctl(kfd, KSC_IOC_STATS, &st) < 0)
		report(false, "STATS: %s", strerror(errno));
	return st;
}

/* A UDP socket bound to loopback (family), any port; its address in *a. */
static int udp_bound(int family, struct sockaddr_storage *a, socklen_t *alen)
{
	struct timeval tv = { .tv_sec = DEADLINE_MS / 1000 };
	int s = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(a, 0, sizeof(*a));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)a;

		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*alen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)a;

		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		*alen = sizeof(*in6);
	}
	if (s < 0 || bind(s, (struct sockaddr *)a, *alen) < 0 ||
	    getsockname(s, (struct sockaddr *)a, alen) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		printf("FAIL: UDP socket: %s\n", strerror(errno));
		exit(1);
	}
	return s;
}

/* A server socket and a client socket of family; the server's address in *srv. */
struct pair {
	int server, client;
	struct sockaddr_storage srv;
	socklen_t srvlen;
};

static struct pair pair_open(int family)
{
	struct pair p;
	struct sockaddr_storage c;
	socklen_t clen;

	p.server = udp_bound(family, &p.srv, &p.srvlen);
	p.client = udp_bound(family, &c, &clen);
	return p;
}

static void pair_close(struct pair *p)
{
	close(p->server);
	close(p->client);
}

static void send_msg(struct pair *p, const char *msg)
{
	sendto(p->client, msg, strlen(msg), 0, (struct sockaddr *)&p->srv, p->srvlen);
}

/* Where a datagram sent to the server went. */
enum fate { LOST, ANSWERED, PASSED };

/*
 * Wait for the fate of the datagram just sent: an answer to the client
 * (read into buf, NUL-terminated; an ICMP error reads as ""), or the
 * datagram queued on the server socket (left there for server_got()).
 */
static enum fate await_fate(struct pair *p, char *buf, size_t size)
{
	struct pollfd fds[2] = { { .fd = p->client, .events = POLLIN },
				 { .fd = p->server, .events = POLLIN } };
	ssize_t n;

	buf[0] = '\0';
	if (poll(fds, 2, DEADLINE_MS) <= 0)
		return LOST;
	if (!fds[0].revents)
		return PASSED;
	n = recv(p->client, buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return ANSWERED;
}

/* Send msg to the server; what the client gets back (NUL-terminated), or "" */
static const char *ask(struct pair *p, const char *msg)
{
	static char buf[2048];

	send_msg(p, msg);
	await_fate(p, buf, sizeof(buf));
	return buf;
}

/* Whether the server socket (user space) got msg. */
static bool server_got(struct pair *p, const char *msg)
{
	char buf[2048];
	ssize_t n = recv(p->server, buf, sizeof(buf), 0);

	return n == (ssize_t)strlen(msg) && !memcmp(buf, msg, n);
}

/* A state with the script loaded; its STATS show in failures. */
static int state_open(void)
{
	int kfd = dev_open();

	if (load(kfd, script)) {
		printf("FAIL: LOAD: %s\n", err_text);
		exit(1);
	}
	diag_kfd = kfd;
	return kfd;
}

/* Datagrams the state passed unrun for the machine's load: its CPU share, a busy FPU. */
static uint64_t load_passes(int kfd)
{
	struct ksc_stats st = stats(kfd);

	return st.pass_cpu + st.pass_fpu;
}

/*
 * ask() for an answer the handler must give. The state's CPU share (its
 * 10 ms window, a wall-clock one in the ordinary guest, where a vCPU the
 * host deschedules counts as handler time) or a busy FPU may pass a
 * datagram to the socket unrun: STATS says so, and it is taken off the
 * socket and sent again. Any other pass is the handler's answer ("").
 */
static const char *ask_kernel(struct pair *p, int kfd, const char *msg)
{
	double end = now_s() + DEADLINE_MS / 1000.0;

	for (;;) {
		uint64_t before = load_passes(kfd);
		const char *answer = ask(p, msg);

		if (*answer || load_passes(kfd) == before || now_s() > end)
			return answer;
		load_passed++;
		server_got(p, msg);
		usleep(1000);
	}
}

static void answer_family(int family, const char *name)
{
	struct pair p = pair_open(family);
	int kfd = state_open();
	int64_t hits = 0;
	int ret;
	struct ksc_value kv[2] = { str_arg("k"), str_arg("value-of-k") };

	report(attach(kfd, p.server, "echo", 0) == 0, "%s: ksc.handle attaches", name);
	report(!strcmp(ask_kernel(&p, kfd, "hello"), "echo:hello"),
	       "%s: the handler answers in the kernel", name);
	report(!strcmp(ask_kernel(&p, kfd, "again"), "echo:again"),
	       "%s: and again, from the socket's port", name);
	ret = call(kfd, "get_hits", NULL, 0, &hits);
	report(ret == 0 && hits == 2, "%s: a CALL reads what the handler wrote (%d, hits = %lld)",
	       name, ret, (long long)hits);
	report(stats(kfd).handler_answered == 2 && stats(kfd).handlers_attached == 1,
	       "%s: STATS counts the answers", name);
	close(kfd);
	report(!strcmp(ask(&p, "after"), "") && server_got(&p, "after"),
	       "%s: after the state closed, datagrams reach the socket", name);
	pair_close(&p);

	p = pair_open(family);
	kfd = state_open();
	call(kfd, "set", kv, 2, NULL);
	report(attach(kfd, p.server, "kv", 0) == 0, "%s: a key-value handler attaches", name);
	report(!strcmp(ask_kernel(&p, kfd, "get k"), "value-of-k"),
	       "%s: a hit is answered from a table", name);
	report(!strcmp(ask_kernel(&p, kfd, "get other"), "") && server_got(&p, "get other"),
	       "%s: a miss passes to the socket unchanged", name);
	report(stats(kfd).handler_passed == 1, "%s: STATS counts the pass (%llu)", name,
	       (unsigned long long)stats(kfd).handler_passed);
	close(kfd);
	pair_close(&p);
}

/* Whether the answer to msg is a prefix of msg of n bytes, then c repeated. */
static bool answer_is(const char *answer, const char *msg, size_t n, char c, size_t reps)
{
	size_t i;

	if (strlen(answer) != n + reps || memcmp(answer, msg, n))
		return false;
	for (i = n; i < n + reps; i++)
		if (answer[i] != c)
			return false;
	return true;
}

/*
 * Answers of every shape: in the request's own buffer (a prefix first,
 * shorter or longer than the request), in a new one (a prefix after other
 * bytes, longer than the request's buffer has room for), the most parts;
 * and what is no answer: too many parts, a prefix that is no integer, no
 * string at all (the datagram goes to the socket as it came).
 */
static void shape_cases(int family, const char *name)
{
	struct pair p = pair_open(family);
	int kfd = state_open();

	report(attach(kfd, p.server, "shapes", 0) == 0, "%s: shapes: attach", name);
	report(answer_is(ask_kernel(&p, kfd, "trim-this-long-request"), "trim", 4, '+', 1),
	       "%s: a prefix and a string, shorter than the request", name);
	report(answer_is(ask_kernel(&p, kfd, "grow"), "grow", 4, 'g', 1400),
	       "%s: a prefix and 1400 bytes", name);
	report(!strcmp(ask_kernel(&p, kfd, "late"), "<late"), "%s: a prefix after a string", name);
	report(!strcmp(ask_kernel(&p, kfd, "full"), "abcdefgh"), "%s: eight parts", name);
	report(!strcmp(ask_kernel(&p, kfd, "many"), "") && server_got(&p, "many"),
	       "%s: nine parts: the datagram goes to the socket", name);
	report(!strcmp(ask_kernel(&p, kfd, "frac"), "") && server_got(&p, "frac"),
	       "%s: a prefix of 2.5 bytes: the datagram goes to the socket", name);
	report(!strcmp(ask_kernel(&p, kfd, "none-of-these"), "") && server_got(&p, "none-of-these"),
	       "%s: no string: the datagram goes to the socket unchanged", name);
	report(stats(kfd).pass_reply == 2 && stats(kfd).handler_passed == 1,
	       "%s: STATS: 2 answers not made, 1 pass", name);
	close(kfd);
	pair_close(&p);
}

/* One datagram's fate, as "echo:..." (answered) or "socket:..." (passed). */
static void fate_text(struct pair *p, char *out, size_t size)
{
	char buf[64];
	ssize_t n;

	if (await_fate(p, buf, sizeof(buf)) == ANSWERED) {
		snprintf(out, size, "%s", buf);
		return;
	}
	n = recv(p->server, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(out, size, "socket:%s", buf);
}

/*
 * A client's UDP_SEGMENT send over loopback is one buffer of two
 * datagrams, which a socket that turned UDP_GRO on would get merged: the
 * handler still gets each datagram on its own (one may pass unrun for the
 * load, as in ask_kernel()).
 */
static void merged_case(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open(), on = 1, seg = 4;
	char one[80], two[80];
	uint64_t runs;

	if (setsockopt(p.server, IPPROTO_UDP, UDP_GRO, &on, sizeof(on)) < 0 ||
	    setsockopt(p.client, IPPROTO_UDP, UDP_SEGMENT, &seg, sizeof(seg)) < 0) {
		printf("FAIL: UDP_GRO, UDP_SEGMENT: %s\n", strerror(errno));
		exit(1);
	}
	report(attach(kfd, p.server, "echo", 0) == 0, "UDP_GRO: the handler attaches");
	send_msg(&p, "abcdefgh");
	fate_text(&p, one, sizeof(one));
	fate_text(&p, two, sizeof(two));
	runs = stats(kfd).handler_runs;
	report((!strcmp(one, "echo:abcd") || !strcmp(one, "socket:abcd")) &&
	       (!strcmp(two, "echo:efgh") || !strcmp(two, "socket:efgh")) &&
	       runs + load_passes(kfd) == 2,
	       "UDP_GRO: two datagrams sent as one buffer, each its own ('%s', '%s', %llu runs)",
	       one, two, (unsigned long long)runs);
	close(kfd);
	pair_close(&p);
}

static void answer_cases(void)
{
	struct pair p = pair_open(AF_INET6);
	int kfd = state_open();

	answer_family(AF_INET, "IPv4");
	answer_family(AF_INET6, "IPv6");
	shape_cases(AF_INET, "IPv4");
	shape_cases(AF_INET6, "IPv6");
	merged_case();
	attach(kfd, p.server, "family", 0);
	report(!strcmp(ask_kernel(&p, kfd, "x"), "28"), "IPv6: the source is a sockaddr_in6");
	close(kfd);
	pair_close(&p);
}

static void refuse_cases(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open(), other = state_open();
	int tcp = socket(AF_INET, SOCK_STREAM, 0);

	report(attach(kfd, tcp, "echo", 0) == -EOPNOTSUPP, "a TCP socket is refused (EOPNOTSUPP)");
	report(attach(kfd, p.server, "echo", 1000000000) == -EPERM,
	       "steps above handler_steps_max are refused (EPERM)");
	report(attach(kfd, p.server, "echo", 0) == 0, "attach");
	report(attach(other, p.server, "echo", 0) == -EBUSY,
	       "a second handler on the socket is refused (EBUSY)");
	close(other);
	close(kfd);
	close(tcp);
	pair_close(&p);
}

/* Runs of the handler that failed (errors or out of steps). */
static uint64_t failed_runs(const struct ksc_stats *st)
{
	return st->pass_error + st->pass_budget;
}

/*
 * Send numbered datagrams to p's server, each after the last reached user
 * space, until done(STATS) or the deadline; how many were sent, and in
 * *got how many reached the server socket.
 */
static int send_until(struct pair *p, int kfd, bool (*done)(const struct ksc_stats *, int),
		      int arg, struct ksc_stats *st, int *got)
{
	double end = now_s() + DEADLINE_MS / 1000.0;
	char msg[32];
	int sent = 0;

	*got = 0;
	*st = stats(kfd);
	while (!done(st, arg) && now_s() < end) {
		snprintf(msg, sizeof(msg), "m%d", sent++);
		send_msg(p, msg);
		*got += server_got(p, msg);
		*st = stats(kfd);
	}
	load_passed += st->pass_cpu + st->pass_fpu;
	return sent;
}

static bool failed_n(const struct ksc_stats *st, int n)
{
	return failed_runs(st) >= (uint64_t)n;
}

static bool stopped_n(const struct ksc_stats *st, int n)
{
	return st->handlers_failed >= (uint32_t)n;
}

/*
 * Handler name fails every datagram until it has failed runs times: each
 * datagram still reaches user space, counted as errors (want 'e'), out of
 * steps ('b') or either ('a'). Datagrams the CPU share passes unrun are
 * sent on top (the handler's runs are costly: a burst goes over the share).
 */
static void failing_case(const char *name, int runs, char want)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct ksc_stats st;
	int sent, got;

	attach(kfd, p.server, name, 0);
	sent = send_until(&p, kfd, failed_n, runs, &st, &got);
	report(got == sent && (uint64_t)sent == runs + st.pass_cpu + st.pass_fpu,
	       "%s: all %d datagrams reached user space (%d; %llu over the CPU share)", name,
	       sent, got, (unsigned long long)st.pass_cpu);
	report(failed_runs(&st) == (uint64_t)runs &&
	       (want == 'a' || (want == 'e' ? st.pass_error : st.pass_budget) == (uint64_t)runs),
	       "%s: counted (pass_error %llu, pass_budget %llu)", name,
	       (unsigned long long)st.pass_error, (unsigned long long)st.pass_budget);
	report(load(kfd, "x = 1") == 0, "%s: the state still works", name);
	close(kfd);
	pair_close(&p);
}

static void failing_cases(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd;
	struct ksc_stats st;
	int sent, got;

	failing_case("fail", 5, 'e');
	failing_case("loop", 5, 'b');
	failing_case("bomb", 3, 'e');
	failing_case("deep", 3, 'a');
	failing_case("nosuchfunction", 2, 'e');
	kfd = state_open();
	attach(kfd, p.server, "loop", 0);
	sent = send_until(&p, kfd, stopped_n, 1, &st, &got);
	report(got == sent && (uint64_t)sent == st.pass_budget + st.pass_cpu + st.pass_fpu &&
	       st.pass_budget == 32 && st.handlers_failed == 1 && st.handlers_attached == 0 &&
	       st.handler_fail_reason == KSC_HANDLER_FAILED_BUDGET,
	       "a handler that keeps failing stops (%d sent, %d received, %llu failures, failed %u, reason %u, attached %u)",
	       sent, got, (unsigned long long)st.pass_budget, st.handlers_failed,
	       st.handler_fail_reason, st.handlers_attached);
	send_msg(&p, "after");
	report(server_got(&p, "after") && stats(kfd).handler_runs == st.handler_runs,
	       "a stopped handler runs no more: datagrams reach user space");
	close(kfd);
	pair_close(&p);
}

/* /sys/kernel/ksc/arena_bytes: memory mapped for all states' Lua heaps now. */
static long long arena_bytes(void)
{
	FILE *f = fopen("/sys/kernel/ksc/arena_bytes", "r");
	long long n = -1;

	if (f) {
		if (fscanf(f, "%lld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * Memory a handler frees (softirq) goes back: CALLs (func) make a large
 * object, one of LuaJIT's large chunks with an area of the arena for it
 * alone; the handler drops it and collects. The state's mapped memory
 * stays what one such object needs, and all of it goes when the state
 * closes.
 */
static void free_case(const char *func, int64_t n, const char *what)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct ksc_value size = { .type = KSC_TYPE_INTEGER, .v.i = n };
	long long before = arena_bytes(), most = before;
	const char *answer = "";
	int i, dropped = 0;

	attach(kfd, p.server, "drop", 0);
	for (i = 0; i < 16; i++) {
		call(kfd, func, &size, 1, NULL);
		answer = ask_kernel(&p, kfd, "drop");
		dropped += !strcmp(answer, "dropped");
		if (arena_bytes() > most)
			most = arena_bytes();
	}
	report(dropped == 16 && before >= 0, "16 %s dropped by the handler (%d; last answer '%s')",
	       what, dropped, answer);
	report(most - before < 16LL << 20,
	       "%s: the state's mapped memory stays bounded (%lld bytes more at most)", what,
	       most - before);
	close(kfd);
	pair_close(&p);
}

/*
 * Tables of a 4 MiB array; 3 MiB strings, whose making grows LuaJIT's
 * temporary buffer: the collector shrinks it in the handler, where no new
 * area can be mapped (a shrink keeps its block then).
 */
static void free_cases(void)
{
	free_case("grow", 300000, "large tables");
	free_case("grow_string", 3 << 20, "large strings");
}

struct busy_arg {
	int kfd;
	int ms;
	volatile bool done;
};

static void *busy_thread(void *v)
{
	struct busy_arg *b = v;
	struct ksc_value arg = { .type = KSC_TYPE_INTEGER, .v.i = b->ms };

	call(b->kfd, "spin", &arg, 1, NULL);
	b->done = true;
	return NULL;
}

static void busy_case(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct busy_arg b = { kfd, 600, false };
	struct ksc_stats st;
	pthread_t t;
	int passed = 0, answered = 0, lost = 0;
	double end = now_s() + DEADLINE_MS / 1000.0;
	char buf[64];

	attach(kfd, p.server, "echo", 0);
	pthread_create(&t, NULL, busy_thread, &b);
	/*
	 * The handler answers until the CALL holds the state (the thread may
	 * start late); from then on datagrams pass to the socket: 10 of them,
	 * or as many as the CALL lasts for.
	 */
	while (!b.done && passed < 10 && now_s() < end) {
		send_msg(&p, "b");
		switch (await_fate(&p, buf, sizeof(buf))) {
		case PASSED:
			passed += server_got(&p, "b");
			break;
		case ANSWERED:
			answered++;
			usleep(1000);
			break;
		case LOST:
			lost++;
			break;
		}
	}
	pthread_join(t, NULL);
	st = stats(kfd);
	load_passed += st.pass_cpu;
	report(passed > 0 && !lost && st.pass_busy + st.pass_fpu > 0 &&
	       (uint64_t)passed == st.pass_busy + st.pass_fpu + st.pass_cpu,
	       "during a CALL datagrams pass to the socket (%d passed, %d answered before, %d lost; busy %llu, fpu %llu, cpu %llu)",
	       passed, answered, lost, (unsigned long long)st.pass_busy,
	       (unsigned long long)st.pass_fpu, (unsigned long long)st.pass_cpu);
	report(!strcmp(ask_kernel(&p, kfd, "z"), "echo:z"), "after the CALL the handler answers again");
	close(kfd);
	pair_close(&p);
}

static void cpu_case(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct ksc_stats st;
	double t0 = now_s(), secs;
	long sent = 0;
	char buf[64];

	attach(kfd, p.server, "costly", 0);
	while (now_s() - t0 < 1.0) {
		sendto(p.client, "c", 1, MSG_DONTWAIT, (struct sockaddr *)&p.srv, p.srvlen);
		sent++;
		while (recv(p.server, buf, sizeof(buf), MSG_DONTWAIT) > 0 ||
		       recv(p.client, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	secs = now_s() - t0;
	st = stats(kfd);
	/* 25% of each window, and the one run that crosses the line. */
	report(st.pass_cpu > 0 && st.handler_time_ns < secs * 1e9 * 0.4,
	       "a flood: handlers kept to their CPU share (%ld sent, %llu run, %llu over the share, %.1f ms of %.0f ms, longest stretch %llu ns)",
	       sent, (unsigned long long)st.handler_runs, (unsigned long long)st.pass_cpu,
	       st.handler_time_ns / 1e6, secs * 1e3, (unsigned long long)st.max_nopreempt_ns);
	close(kfd);
	pair_close(&p);
}

struct flood_arg {
	struct pair *p;
	volatile bool stop;
};

static void *flood_thread(void *v)
{
	struct flood_arg *f = v;

	while (!f->stop)
		sendto(f->p->client, "f", 1, MSG_DONTWAIT, (struct sockaddr *)&f->p->srv,
		       f->p->srvlen);
	return NULL;
}

/* A flood on p while close_what closes the state or the socket. */
static void flood_close(bool close_state)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct flood_arg f = { &p, false };
	pthread_t t;

	attach(kfd, p.server, "echo", 0);
	pthread_create(&t, NULL, flood_thread, &f);
	usleep(200000);
	if (close_state)
		close(kfd);
	else
		close(p.server);
	usleep(100000);
	f.stop = true;
	pthread_join(t, NULL);
	report(true, "flooded while the %s closed", close_state ? "state" : "socket");
	if (!close_state) {
		report(stats(kfd).handlers_attached == 0, "the closed socket's handler is gone");
		close(kfd);
	} else {
		close(p.server);
	}
	close(p.client);
}

static void close_cases(void)
{
	struct pair p = pair_open(AF_INET), q = pair_open(AF_INET);
	int kfd = state_open();

	attach(kfd, p.server, "echo", 0);
	close(p.server);
	report(stats(kfd).handlers_attached == 0, "a socket closed while attached: detached");
	report(attach(kfd, q.server, "echo", 0) == 0 && !strcmp(ask_kernel(&q, kfd, "q"), "echo:q"),
	       "another socket attaches after it");
	close(kfd);
	close(p.client);
	pair_close(&q);
	flood_close(true);
	flood_close(false);
}

static void hold(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int s = socket(AF_INET, SOCK_DGRAM, 0), kfd = state_open();

	if (bind(s, (struct sockaddr *)&a, sizeof(a)) || attach(kfd, s, "echo", 0)) {
		printf("FAIL: hold: %s %s\n", strerror(errno), err_text);
		exit(1);
	}
	printf("holding %d\n", (int)getpid());
	fflush(stdout);
	for (;;)
		pause();
}

/*
 * Send msg to 127.0.0.1:port; print the answer, if one comes. Connected:
 * a port nobody holds answers at once (ICMP, read as "").
 */
static int ask_port(int port, const char *msg)
{
	struct pair p = pair_open(AF_INET);

	((struct sockaddr_in *)&p.srv)->sin_port = htons(port);
	if (connect(p.client, (struct sockaddr *)&p.srv, p.srvlen) < 0) {
		printf("FAIL: connect: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", ask(&p, msg));
	pair_close(&p);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	report_more = report_stats;

	if (!strcmp(c, "answer"))
		answer_cases();
	else if (!strcmp(c, "refuse"))
		refuse_cases();
	else if (!strcmp(c, "failing"))
		failing_cases();
	else if (!strcmp(c, "busy"))
		busy_case();
	else if (!strcmp(c, "cpu"))
		cpu_case();
	else if (!strcmp(c, "close"))
		close_cases();
	else if (!strcmp(c, "free"))
		free_cases();
	else if (!strcmp(c, "hold") && argc > 2)
		hold(atoi(argv[2]));
	else if (!strcmp(c, "ask") && argc > 3)
		return ask_port(atoi(argv[2]), argv[3]);
	else {
		fprintf(stderr, "usage: ksc-handlers answer|refuse|failing|busy|cpu|close|free|hold PORT|ask PORT MSG\n");
		return 2;
	}
	if (load_passed)
		printf("  note: %llu datagrams passed unrun for the load (CPU share, FPU), sent again\n",
		       (unsigned long long)load_passed);
	return failures ? 1 : 0;
}
