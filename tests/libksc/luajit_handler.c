// SPDX-License-Identifier: MIT
/*
 * ksc_handler_* on the luajit backend, on loopback sockets: GET hits
 * answered in the kernel (IPv4 and IPv6), everything else (misses, several
 * keys, expired, deleted, flushed, too big, other commands) reaching the
 * socket; the argument errors; handlers of the application's own script
 * that fail (an error, a runaway loop, a memory bomb, deep recursion): the
 * datagram reaches user space, counted by reason, and the state works on;
 * a CALL running on another thread while datagrams arrive; a context
 * closed with its handler attached; a handler of the "view" kind (request
 * prefixes in its answer, a view kept past its run); the process that
 * attached killed (the socket, shared with another process, gets the
 * datagrams); a flood of costly datagrams (the state's CPU share holds).
 * Needs /dev/ksc (the guest), else skips.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ksc.h"
#include "ksc_test.h"

#define FRAME 8

static struct ksc *open_luajit(void)
{
	KSC_OPTS(ksc_open_opts, opts, .backend = "luajit");
	struct ksc *ctx;

	REQUIRE(ksc_open(&ctx, &opts) == 0);
	return ctx;
}

/* A UDP socket of family bound to loopback, port 0. */
static int bound(int family)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	REQUIRE(fd >= 0);
	if (family == AF_INET)
		REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0);
	else
		REQUIRE(bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0);
	return fd;
}

/* A client socket connected to server's address. */
static int client_of(int server)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd;

	REQUIRE(getsockname(server, (struct sockaddr *)&ss, &len) == 0);
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	REQUIRE(fd >= 0 && connect(fd, (struct sockaddr *)&ss, len) == 0);
	return fd;
}

/* Whether fd has a datagram within ms; takes it. */
static bool arrives(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char buf[2048];

	if (poll(&p, 1, ms) != 1)
		return false;
	return recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0;
}

/*
 * Send text behind a frame header (request id) from client; the kernel's
 * answer, if one came within 300 ms, into answer (NUL-ended, without the
 * header); else "". Whether the server socket got the request: *passed.
 */
static void ask(int client, int server, uint16_t id, const char *text, char *answer,
		bool *passed)
{
	char req[1600], rep[1600];
	size_t n = strlen(text);
	ssize_t got;

	req[0] = (char)(id >> 8);
	req[1] = (char)id;
	memcpy(req + 2, "\0\0\0\1\0\0", 6);
	memcpy(req + FRAME, text, n);
	REQUIRE(send(client, req, FRAME + n, 0) == (ssize_t)(FRAME + n));
	*passed = arrives(server, 300);
	answer[0] = 0;
	if (*passed)
		return;
	got = recv(client, rep, sizeof(rep), 0);
	if (got >= FRAME && !memcmp(rep, req, 2) && !memcmp(rep + 2, req + 2, 6)) {
		memcpy(answer, rep + FRAME, (size_t)got - FRAME);
		answer[got - FRAME] = 0;
	}
}

/* A GET of key must be answered in the kernel with want ... */
static void expect_answer(int client, int server, const char *key, const char *want)
{
	char text[300], answer[1600];
	bool passed;

	snprintf(text, sizeof(text), "get %s\r\n", key);
	ask(client, server, 0x1234, text, answer, &passed);
	CHECK(!passed && !strcmp(answer, want), "GET %s: answer '%s', want '%s'%s", key, answer,
	      want, passed ? " (it reached the socket)" : "");
}

/* ... or reach the socket unanswered. */
static void expect_pass(int client, int server, const char *text)
{
	char answer[1600];
	bool passed;

	ask(client, server, 7, text, answer, &passed);
	CHECK(passed, "'%.20s' reached the socket (answer '%s')", text, answer);
}

static struct ksc_handler_stats stats_of(struct ksc *ctx)
{
	KSC_OPTS(ksc_handler_stats, st);

	CHECK(ksc_handler_stats(ctx, &st) == 0, "stats: %s", ksc_errmsg(ctx));
	return st;
}

static int set(struct ksc *ctx, const char *key, const char *value, int64_t exptime)
{
	return ksc_handler_set(ctx, key, strlen(key), 5, exptime, value, strlen(value));
}

static void answers_and_passes(int family)
{
	struct ksc *ctx = open_luajit();
	int server = bound(family), client = client_of(server);
	char big[1500];
	struct ksc_handler_stats st;

	CHECK(set(ctx, "k", "v", 0) == -ENOTCONN, "set before attach: -ENOTCONN");
	CHECK(ksc_handler_attach(ctx, server, NULL) == 0, "attach: %s", ksc_errmsg(ctx));
	CHECK(ksc_handler_attach(ctx, server, NULL) == -EBUSY, "a second attach: -EBUSY");
	CHECK(set(ctx, "k", "hello", 0) == 0 && set(ctx, "other", "x", 0) == 0, "set");
	expect_answer(client, server, "k", "VALUE k 5 5\r\nhello\r\nEND\r\n");
	CHECK(set(ctx, "k", "world", 0) == 0, "set again");
	expect_answer(client, server, "k", "VALUE k 5 5\r\nworld\r\nEND\r\n");
	expect_pass(client, server, "get missing\r\n");
	expect_pass(client, server, "get k other\r\n");
	expect_pass(client, server, "gets k\r\n");
	expect_pass(client, server, "set k 0 0 1\r\nx\r\n");
	CHECK(set(ctx, "bad key", "x", 0) == -EINVAL, "a key with a space: -EINVAL");
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	CHECK(set(ctx, "k", big, 0) == -E2BIG, "a value over one datagram: -E2BIG");
	expect_pass(client, server, "get k\r\n");
	CHECK(set(ctx, "t", "soon", (int64_t)time(NULL) + 1) == 0, "set with an exptime");
	expect_answer(client, server, "t", "VALUE t 5 4\r\nsoon\r\nEND\r\n");
	sleep(2);
	expect_pass(client, server, "get t\r\n");
	CHECK(ksc_handler_delete(ctx, "other", 5) == 0, "delete");
	CHECK(ksc_handler_delete(ctx, "other", 5) == -ENOENT, "delete again: -ENOENT");
	expect_pass(client, server, "get other\r\n");
	CHECK(set(ctx, "f", "1", 0) == 0 && ksc_handler_flush(ctx) == 0, "flush");
	expect_pass(client, server, "get f\r\n");
	st = stats_of(ctx);
	/*
	 * Eight passes: the handler's own choice, or the module's when it did
	 * not run the handler (a slow, loaded guest may find the FPU or the
	 * state's CPU share taken): counted either way, never as errors.
	 */
	CHECK(st.answered == 3 && st.attached == 1 && st.pass_error == 0 &&
	      st.passed + st.pass_busy + st.pass_fpu + st.pass_cpu + st.pass_budget >= 8,
	      "stats: answered %llu passed %llu (busy %llu fpu %llu cpu %llu budget %llu) "
	      "errors %llu attached %u", (unsigned long long)st.answered,
	      (unsigned long long)st.passed, (unsigned long long)st.pass_busy,
	      (unsigned long long)st.pass_fpu, (unsigned long long)st.pass_cpu,
	      (unsigned long long)st.pass_budget, (unsigned long long)st.pass_error, st.attached);
	ksc_close(ctx);
	expect_pass(client, server, "get k\r\n");	/* closed: no handler */
	close(client);
	close(server);
}

/*
 * The application's own script: the shipped contract, with answer's body,
 * which fails: out of steps (budget), or any way (an error or out of steps).
 */
static void failing(const char *what, const char *body, bool budget)
{
	char script[1024];
	struct ksc *ctx = open_luajit();
	KSC_OPTS(ksc_handler_opts, opts, .script = script, .steps = 5000);
	int server = bound(AF_INET), client = client_of(server);
	struct ksc_val res;
	struct ksc_handler_stats st;

	snprintf(script, sizeof(script),
		 "function ksc_kv_attach(fd, steps) ksc.handle(ksc.socket(fd), 'ksc_kv_answer', steps) end\n"
		 "function ksc_kv_set() end function ksc_kv_delete() return true end\n"
		 "function ksc_kv_flush() end function alive() return 42 end\n"
		 "function ksc_kv_answer(req) %s end\n", body);
	CHECK(ksc_handler_attach(ctx, server, &opts) == 0, "%s: attach: %s", what, ksc_errmsg(ctx));
	for (int i = 0; i < 3; i++)
		expect_pass(client, server, "get k\r\n");
	st = stats_of(ctx);
	/* After a long failure the state's CPU share of the window may be spent. */
	CHECK((budget ? st.pass_budget : st.pass_error + st.pass_budget) >= 1 &&
	      st.pass_error + st.pass_budget + st.pass_cpu == 3 && st.answered == 0,
	      "%s: 3 counted as %s or the CPU share (error %llu, budget %llu, cpu %llu)", what,
	      budget ? "budget" : "failures", (unsigned long long)st.pass_error,
	      (unsigned long long)st.pass_budget, (unsigned long long)st.pass_cpu);
	CHECK(ksc_call(ctx, "alive", NULL, 0, &res, 1) == 1 && res.v.i == 42,
	      "%s: the state works on: %s", what, ksc_errmsg(ctx));
	ksc_close(ctx);
	close(client);
	close(server);
}

struct busy_call {
	struct ksc *ctx;
	int ret;
};

static void *run_busy(void *arg)
{
	struct busy_call *b = arg;
	struct ksc_val res;

	b->ret = ksc_call(b->ctx, "spin", NULL, 0, &res, 1);
	return NULL;
}

/* A CALL holds the state on another thread: datagrams pass to the socket. */
static void busy(void)
{
	static const char spin[] =
		"function spin() local t = ksc.time() + 300000000 "
		"while ksc.time() < t do end return 1 end";
	struct ksc *ctx = open_luajit();
	int server = bound(AF_INET), client = client_of(server);
	struct busy_call b = { .ctx = ctx };
	struct ksc_handler_stats st;
	pthread_t thread;
	int passed = 0;

	CHECK(ksc_handler_attach(ctx, server, NULL) == 0 && set(ctx, "k", "v", 0) == 0 &&
	      ksc_load(ctx, spin, strlen(spin), "=spin") == 0, "busy: setup: %s", ksc_errmsg(ctx));
	REQUIRE(pthread_create(&thread, NULL, run_busy, &b) == 0);
	usleep(50000);
	for (int i = 0; i < 5; i++) {
		char answer[1600];
		bool p;

		ask(client, server, (uint16_t)i, "get k\r\n", answer, &p);
		passed += p;
	}
	pthread_join(thread, NULL);
	st = stats_of(ctx);
	CHECK(b.ret == 1 && passed >= 1 && st.pass_busy >= (uint64_t)passed,
	      "busy: %d of 5 reached the socket during the CALL, pass_busy %llu (call %d)", passed,
	      (unsigned long long)st.pass_busy, b.ret);
	expect_answer(client, server, "k", "VALUE k 5 1\r\nv\r\nEND\r\n");
	ksc_close(ctx);
	close(client);
	close(server);
}

/* The shipped script's contract for a handler of the "view" kind, whose data calls do nothing. */
#define VIEW_CONTRACT \
	"function ksc_kv_attach(fd, steps) " \
	"ksc.handle(ksc.socket(fd), 'ksc_kv_answer', steps, 'view') end\n" \
	"function ksc_kv_set() end function ksc_kv_delete() return true end\n" \
	"function ksc_kv_flush() end\n"

/* A handler of the "view" kind: prefixes of the request in the answer; the view outlives no run. */
static void view(void)
{
	static const char script[] =
		VIEW_CONTRACT
		"function ksc_kv_answer(v, n) kept = v\n"
		"  if v:byte(9) == 33 then return 9999, 'x' end\n"
		"  return 8, 'len=' .. n .. ' src=' .. #v:source() .. ' ' .. v:sub(-3) end\n"
		"function use_kept() return kept:sub(1, 2) end\n";
	KSC_OPTS(ksc_handler_opts, opts, .script = script);
	struct ksc *ctx = open_luajit();
	int server = bound(AF_INET), client = client_of(server);
	struct ksc_handler_stats st;
	struct ksc_val res;
	char answer[1600];
	bool passed;

	CHECK(ksc_handler_attach(ctx, server, &opts) == 0, "view: attach: %s", ksc_errmsg(ctx));
	ask(client, server, 1, "hello", answer, &passed);
	CHECK(!passed && !strcmp(answer, "len=13 src=16 llo"), "view: answer '%s'", answer);
	expect_pass(client, server, "!prefix out of range");
	st = stats_of(ctx);
	CHECK(st.answered == 1 && st.pass_reply == 1, "view: answered %llu, pass_reply %llu",
	      (unsigned long long)st.answered, (unsigned long long)st.pass_reply);
	CHECK(ksc_call(ctx, "use_kept", NULL, 0, &res, 1) < 0 &&
	      strstr(ksc_errmsg(ctx), "valid only in its handler's run"),
	      "view: a kept view fails outside its run: %s", ksc_errmsg(ctx));
	ksc_close(ctx);
	close(client);
	close(server);
}

/*
 * A child process attaches to a socket this one shares and is killed with
 * SIGKILL: its state goes, and with it the handler; the socket gets the
 * datagrams again.
 */
static void killed(void)
{
	int server = bound(AF_INET), client = client_of(server), ready[2];
	char answer[1600], c = 0;
	bool passed;
	pid_t pid;

	REQUIRE(pipe(ready) == 0);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		struct ksc *ctx = open_luajit();

		c = ksc_handler_attach(ctx, server, NULL) == 0 && set(ctx, "k", "v", 0) == 0;
		REQUIRE(write(ready[1], &c, 1) == 1);
		for (;;)
			pause();
	}
	REQUIRE(read(ready[0], &c, 1) == 1);
	CHECK(c == 1, "killed: the child attached");
	expect_answer(client, server, "k", "VALUE k 5 1\r\nv\r\nEND\r\n");
	kill(pid, SIGKILL);
	REQUIRE(waitpid(pid, NULL, 0) == pid);
	ask(client, server, 9, "get k\r\n", answer, &passed);
	CHECK(passed, "killed: the datagram reaches the socket (answer '%s')", answer);
	close(ready[0]);
	close(ready[1]);
	close(client);
	close(server);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A second of datagrams to a costly handler: the module keeps the state's
 * handlers to their share of each window (25% by default), passing the
 * rest to the socket unrun.
 */
static void flood(void)
{
	static const char script[] =
		VIEW_CONTRACT
		"function ksc_kv_answer(v, n) local x = 0 for i = 1, 4000 do x = x + i end "
		"return 8, 'c' end\n";
	KSC_OPTS(ksc_handler_opts, opts, .script = script);
	struct ksc *ctx = open_luajit();
	int server = bound(AF_INET), client = client_of(server);
	struct ksc_handler_stats st;
	double t0 = now_s(), secs;
	char buf[64];
	long sent = 0;

	CHECK(ksc_handler_attach(ctx, server, &opts) == 0, "flood: attach: %s", ksc_errmsg(ctx));
	while (now_s() - t0 < 1.0) {
		send(client, "01234567x", 9, MSG_DONTWAIT);
		sent++;
		while (recv(server, buf, sizeof(buf), MSG_DONTWAIT) > 0 ||
		       recv(client, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
	}
	secs = now_s() - t0;
	st = stats_of(ctx);
	CHECK(st.pass_cpu > 0 && st.answered > 0 && st.time_ns < secs * 1e9 * 0.4,
	      "flood: the CPU share holds (%ld sent, %llu answered, %llu over the share, %.1f ms of %.0f ms)",
	      sent, (unsigned long long)st.answered, (unsigned long long)st.pass_cpu,
	      st.time_ns / 1e6, secs * 1e3);
	ksc_close(ctx);
	close(client);
	close(server);
}

int main(void)
{
	ksc_test_need_device("/dev/ksc");
	answers_and_passes(AF_INET);
	answers_and_passes(AF_INET6);
	failing("an error", "error('boom')", false);
	failing("a runaway loop", "while true do end", true);
	failing("a memory bomb", "local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 4096) .. i end", false);
	failing("deep recursion", "local function r(n) return r(n + 1) + 1 end return r(1)", false);
	busy();
	view();
	killed();
	flood();
	return ksc_test_summary("luajit_handler");
}
