// SPDX-License-Identifier: MIT
/*
 * ksc-handlers CASE: socket handlers (ksc.handle) as an unprivileged user,
 * on loopback. Each case prints ok/FAIL lines and exits 1 if one failed.
 *
 *   answer    echo over IPv4 and IPv6; tables shared with CALLs; pass-through
 *   refuse    what ksc.handle refuses (TCP, twice, steps above the ceiling)
 *   failing   errors, runaway loops, memory bombs, recursion: user space gets
 *             the datagram; a handler that keeps failing stops, STATS says why
 *   busy      a CALL running while datagrams arrive: they pass, counted
 *   cpu       a flood of costly datagrams: the state's CPU share holds
 *   close     socket closed, state closed, each while attached (and flooded)
 *   hold PORT attach an echo handler on 127.0.0.1:PORT and sleep (for the
 *             suite: killed, rmmod while attached)
 *   ask PORT MSG  send MSG to 127.0.0.1:PORT, print the answer ("" if none)
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
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

static int failures;
static char err_text[1024];

static void report(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf(ok ? "  ok   " : "  FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf(" (last message: %s)", err_text);
		failures++;
	}
	printf("\n");
	fflush(stdout);
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
	"function spin(ms) local t = ksc.time() + ms * 1000000 while ksc.time() < t do end end\n";

static int dev_open(void)
{
	int fd = open(KSC_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		printf("FAIL: open %s: %s\n", KSC_DEVICE_PATH, strerror(errno));
		exit(1);
	}
	return fd;
}

static int load(int fd, const char *text)
{
	struct ksc_load_args a = {
		.size = sizeof(a),
		.script = (uintptr_t)text,
		.script_len = strlen(text),
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	err_text[0] = '\0';
	return ioctl(fd, KSC_IOC_LOAD, &a) < 0 ? -errno : 0;
}

/* 0 or -errno; the first result, if an integer, in *res. */
static int call(int fd, const char *func, struct ksc_value *args, uint32_t nargs, int64_t *res)
{
	struct ksc_value out = { 0 };
	struct ksc_call_args a = {
		.size = sizeof(a),
		.func = (uintptr_t)func,
		.args = (uintptr_t)args,
		.nargs = nargs,
		.results = (uintptr_t)&out,
		.nresults = 1,
		.err = { .ptr = (uintptr_t)err_text, .len = sizeof(err_text) },
	};

	err_text[0] = '\0';
	if (ioctl(fd, KSC_IOC_CALL, &a) < 0)
		return -errno;
	if (res)
		*res = out.type == KSC_TYPE_INTEGER ? out.v.i : INT64_MIN;
	return 0;
}

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
	struct timeval tv = { .tv_usec = 300000 };
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

/* Send msg to the server; what the client gets back (NUL-terminated), or "" */
static const char *ask(struct pair *p, const char *msg)
{
	static char buf[2048];
	ssize_t n;

	sendto(p->client, msg, strlen(msg), 0, (struct sockaddr *)&p->srv, p->srvlen);
	n = recv(p->client, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Whether the server socket (user space) got msg. */
static bool server_got(struct pair *p, const char *msg)
{
	char buf[2048];
	ssize_t n = recv(p->server, buf, sizeof(buf), 0);

	return n == (ssize_t)strlen(msg) && !memcmp(buf, msg, n);
}

/* A state with the script loaded. */
static int state_open(void)
{
	int kfd = dev_open();

	if (load(kfd, script)) {
		printf("FAIL: LOAD: %s\n", err_text);
		exit(1);
	}
	return kfd;
}

static void answer_family(int family, const char *name)
{
	struct pair p = pair_open(family);
	int kfd = state_open();
	int64_t hits = 0;
	int ret;
	struct ksc_value kv[2] = { str_arg("k"), str_arg("value-of-k") };

	report(attach(kfd, p.server, "echo", 0) == 0, "%s: ksc.handle attaches", name);
	report(!strcmp(ask(&p, "hello"), "echo:hello"), "%s: the handler answers in the kernel", name);
	report(!strcmp(ask(&p, "again"), "echo:again"), "%s: and again, from the socket's port", name);
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
	report(!strcmp(ask(&p, "get k"), "value-of-k"), "%s: a hit is answered from a table", name);
	report(!strcmp(ask(&p, "get other"), "") && server_got(&p, "get other"),
	       "%s: a miss passes to the socket unchanged", name);
	report(stats(kfd).handler_passed == 1, "%s: STATS counts the pass (%llu)", name,
	       (unsigned long long)stats(kfd).handler_passed);
	close(kfd);
	pair_close(&p);
}

static void answer_cases(void)
{
	struct pair p = pair_open(AF_INET6);
	int kfd = state_open();

	answer_family(AF_INET, "IPv4");
	answer_family(AF_INET6, "IPv6");
	attach(kfd, p.server, "family", 0);
	report(!strcmp(ask(&p, "x"), "28"), "IPv6: the source is a sockaddr_in6");
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

/*
 * Handler name fails every datagram: each still reaches user space,
 * counted as errors (want 'e'), out of steps ('b') or either ('a').
 */
static void failing_case(const char *name, int sent, char want)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct ksc_stats st;
	char msg[32];
	int i, got = 0;

	attach(kfd, p.server, name, 0);
	for (i = 0; i < sent; i++) {
		snprintf(msg, sizeof(msg), "m%d", i);
		sendto(p.client, msg, strlen(msg), 0, (struct sockaddr *)&p.srv, p.srvlen);
		got += server_got(&p, msg);
	}
	st = stats(kfd);
	report(got == sent, "%s: all %d datagrams reached user space (%d)", name, sent, got);
	report(st.pass_error + st.pass_budget == (uint64_t)sent &&
	       (want == 'a' || (want == 'e' ? st.pass_error : st.pass_budget) == (uint64_t)sent),
	       "%s: counted (pass_error %llu, pass_budget %llu)", name,
	       (unsigned long long)st.pass_error, (unsigned long long)st.pass_budget);
	report(load(kfd, "x = 1") == 0, "%s: the state still works", name);
	close(kfd);
	pair_close(&p);
}

static void failing_cases(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct ksc_stats st;
	int i;

	failing_case("fail", 5, 'e');
	failing_case("loop", 5, 'b');
	failing_case("bomb", 3, 'e');
	failing_case("deep", 3, 'a');
	failing_case("nosuchfunction", 2, 'e');
	attach(kfd, p.server, "loop", 0);
	for (i = 0; i < 40; i++)
		sendto(p.client, "x", 1, 0, (struct sockaddr *)&p.srv, p.srvlen);
	usleep(100000);
	st = stats(kfd);
	report(st.pass_budget == 32 && st.handlers_failed == 1 && st.handlers_attached == 0 &&
	       st.handler_fail_reason == KSC_HANDLER_FAILED_BUDGET,
	       "a handler that keeps failing stops (%llu failures, failed %u, reason %u, attached %u)",
	       (unsigned long long)st.pass_budget, st.handlers_failed, st.handler_fail_reason,
	       st.handlers_attached);
	close(kfd);
	pair_close(&p);
}

struct busy_arg {
	int kfd;
	int ms;
};

static void *busy_thread(void *v)
{
	struct busy_arg *b = v;
	struct ksc_value arg = { .type = KSC_TYPE_INTEGER, .v.i = b->ms };

	call(b->kfd, "spin", &arg, 1, NULL);
	return NULL;
}

static void busy_case(void)
{
	struct pair p = pair_open(AF_INET);
	int kfd = state_open();
	struct busy_arg b = { kfd, 600 };
	struct ksc_stats st;
	pthread_t t;
	int i, got = 0;

	attach(kfd, p.server, "echo", 0);
	pthread_create(&t, NULL, busy_thread, &b);
	usleep(100000);
	for (i = 0; i < 10; i++) {
		sendto(p.client, "b", 1, 0, (struct sockaddr *)&p.srv, p.srvlen);
		got += server_got(&p, "b");
	}
	pthread_join(t, NULL);
	st = stats(kfd);
	report(got == 10 && st.pass_busy + st.pass_fpu == 10,
	       "during a CALL datagrams pass to the socket (%d; busy %llu, fpu %llu)", got,
	       (unsigned long long)st.pass_busy, (unsigned long long)st.pass_fpu);
	report(!strcmp(ask(&p, "z"), "echo:z"), "after the CALL the handler answers again");
	close(kfd);
	pair_close(&p);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
	report(attach(kfd, q.server, "echo", 0) == 0 && !strcmp(ask(&q, "q"), "echo:q"),
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

/* Send msg to 127.0.0.1:port; print the answer, if one comes. */
static int ask_port(int port, const char *msg)
{
	struct pair p = pair_open(AF_INET);

	((struct sockaddr_in *)&p.srv)->sin_port = htons(port);
	printf("%s\n", ask(&p, msg));
	pair_close(&p);
	return 0;
}

int main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

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
	else if (!strcmp(c, "hold") && argc > 2)
		hold(atoi(argv[2]));
	else if (!strcmp(c, "ask") && argc > 3)
		return ask_port(atoi(argv[2]), argv[3]);
	else {
		fprintf(stderr, "usage: ksc-handlers answer|refuse|failing|busy|cpu|close|hold PORT|ask PORT MSG\n");
		return 2;
	}
	return failures ? 1 : 0;
}
