// SPDX-License-Identifier: MIT
/*
 * (Guest, luajit.) s:recv_records and s:send_records, driven by a script of
 * the test's own: a partial batch fills only the records it received, an
 * empty queue gives -EAGAIN, a send error stops the batch with the records
 * before it marked sent and the rest untouched, and every bad argument
 * (count, record span, payload outside the region, address length,
 * unreadable records, too many operations) fails the call with its errno
 * and a message, before anything is received.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ksc_test.h"
#include "ksc_udp_record.h"
#include "udp_util.h"

#define NREC 8
#define UNTOUCHED 0xa5

static const char script[] =
	"function recv(fd, region, recs, off, n, flags)\n"
	"  return ksc.socket(fd):recv_records(region, recs, off, n, flags)\n"
	"end\n"
	"function send(fd, region, recs, off, n)\n"
	"  return ksc.socket(fd):send_records(region, recs, off, n)\n"
	"end\n";

struct batch {
	struct ksc_udp_record recs[NREC];
	unsigned char region[NREC * 64];
};

static struct ksc *ctx;

/* Call f(fd, region, recs, off, n, flags); the integer result or the call's -errno. */
static long long call_records(const char *f, int fd, struct batch *b, long long off,
			      long long n, size_t recs_len)
{
	struct ksc_val args[6] = {
		ksc_fd(fd), ksc_ubuf(b->region, sizeof(b->region)), ksc_ubuf(b->recs, recs_len),
		ksc_integer(off), ksc_integer(n), ksc_integer(MSG_DONTWAIT),
	};
	struct ksc_val res;
	int err = ksc_call(ctx, f, args, 6, &res, 1);

	if (err < 0) {
		fprintf(stderr, "%s: %d: %s\n", f, err, ksc_errmsg(ctx));	/* shown if a check fails */
		return err;
	}
	REQUIRE(res.type == KSC_VAL_INTEGER);
	fprintf(stderr, "%s: returned %lld\n", f, (long long)res.v.i);
	return res.v.i;
}

/* Request records: slot i of 64 bytes in the region, the rest of each record marked. */
static void reset_requests(struct batch *b)
{
	memset(b->recs, UNTOUCHED, sizeof(b->recs));
	for (unsigned int i = 0; i < NREC; i++) {
		b->recs[i].len = 64;
		b->recs[i].off = (uint64_t)i * 64;
	}
}

/* Reply record i: len bytes at slot i to address to. */
static void set_reply(struct batch *b, unsigned int i, size_t len, const struct sockaddr_in *to)
{
	memset(&b->recs[i], 0, sizeof(b->recs[i]));
	b->recs[i].len = (uint32_t)len;
	b->recs[i].off = (uint64_t)i * 64;
	b->recs[i].addrlen = sizeof(*to);
	memcpy(b->recs[i].addr, to, sizeof(*to));
	memset(b->region + i * 64, 'a' + (int)i, len);
}

static void test_partial_and_empty(int server, int client)
{
	static struct batch b;

	for (unsigned int i = 0; i < 3; i++)
		send_pattern(client, 10 + i, i);
	reset_requests(&b);
	REQUIRE(call_records("recv", server, &b, 0, NREC, sizeof(b.recs)) == 3);
	for (unsigned int i = 0; i < 3; i++) {
		REQUIRE(b.recs[i].len == 10 + i && b.recs[i].flags == 0);
		REQUIRE(b.recs[i].addrlen == sizeof(struct sockaddr_in));
		REQUIRE(is_pattern(b.region + i * 64, 10 + i, i));
	}
	REQUIRE(b.recs[3].len == 64 && b.recs[3].addrlen == 0xa5a5a5a5u);
	REQUIRE(call_records("recv", server, &b, 0, NREC, sizeof(b.recs)) == -EAGAIN);
}

static void test_send_error_midway(int client, int peer)
{
	static struct batch b;
	struct sockaddr_in to, nowhere;
	socklen_t len = sizeof(to);
	unsigned char got[64];

	REQUIRE(getsockname(peer, (struct sockaddr *)&to, &len) == 0);
	nowhere = to;
	nowhere.sin_port = 0;	/* UDP refuses port 0: -EINVAL */
	set_reply(&b, 0, 5, &to);
	set_reply(&b, 1, 6, &nowhere);
	set_reply(&b, 2, 7, &to);
	REQUIRE(call_records("send", client, &b, 0, 3, sizeof(b.recs)) == -EINVAL);
	REQUIRE(b.recs[0].flags == KSC_RECORD_SENT);
	REQUIRE(b.recs[1].flags == 0 && b.recs[2].flags == 0);
	REQUIRE(recv(peer, got, sizeof(got), MSG_DONTWAIT) == 5 && got[0] == 'a');
	REQUIRE(recv(peer, got, sizeof(got), MSG_DONTWAIT) < 0 && errno == EAGAIN);
	b.recs[0].flags = 0;
	set_reply(&b, 1, 6, &to);
	REQUIRE(call_records("send", client, &b, 0, 3, sizeof(b.recs)) == 3);
	for (unsigned int i = 0; i < 3; i++) {
		REQUIRE(b.recs[i].flags == KSC_RECORD_SENT);
		REQUIRE(recv(peer, got, sizeof(got), MSG_DONTWAIT) == (ssize_t)(5 + i) &&
		      got[0] == 'a' + i);
	}
}

/* A call that must fail with err and a message naming why, receiving nothing. */
static void expect_refused(const char *f, int fd, struct batch *b, long long off, long long n,
			   size_t recs_len, int err, const char *why)
{
	REQUIRE(call_records(f, fd, b, off, n, recs_len) == err);
	REQUIRE(strstr(ksc_errmsg(ctx), why));
}

static void test_bad_arguments(int server, int client)
{
	static struct batch b;
	struct batch *unreadable;

	send_pattern(client, 8, 7);	/* must still be queued after every refusal */
	reset_requests(&b);
	expect_refused("recv", server, &b, 0, -1, sizeof(b.recs), -EINVAL, "negative record count");
	expect_refused("recv", server, &b, 0, NREC + 1, sizeof(b.recs), -ERANGE, "out of bounds");
	expect_refused("recv", server, &b, 8, NREC, sizeof(b.recs), -ERANGE, "out of bounds");
	b.recs[0].off = sizeof(b.region) - 8;	/* 64 bytes of room from there: past the end */
	expect_refused("recv", server, &b, 0, 1, sizeof(b.recs), -ERANGE,
		       "record 0 names a payload outside the region buffer");
	b.recs[0].off = UINT64_MAX;
	expect_refused("recv", server, &b, 0, 1, sizeof(b.recs), -ERANGE, "outside the region");
	reset_requests(&b);
	b.recs[0].addrlen = 200;
	expect_refused("send", server, &b, 0, 1, sizeof(b.recs), -EINVAL,
		       "record 0 has an address longer than 128 bytes");

	unreadable = mmap(NULL, sizeof(*unreadable), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(unreadable != MAP_FAILED);
	expect_refused("recv", server, unreadable, 0, 1, sizeof(unreadable->recs), -EFAULT,
		       "record 0 is not readable");
	munmap(unreadable, sizeof(*unreadable));

	reset_requests(&b);
	REQUIRE(call_records("recv", server, &b, 0, 1, sizeof(b.recs)) == 1);
	REQUIRE(b.recs[0].len == 8 && is_pattern(b.region, 8, 7));
}

/* More records than one call may operate on: refused before any is tried. */
static void test_ops_cap(int server)
{
	size_t len = 4097 * sizeof(struct ksc_udp_record);
	struct batch *big = mmap(NULL, sizeof(struct batch) + len, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(big != MAP_FAILED);
	expect_refused("recv", server, big, 0, 4097, len, -E2BIG, "socket operations in one call");
	munmap(big, sizeof(struct batch) + len);
}

int main(void)
{
	int server = udp_socket(), client = udp_socket(), peer = udp_socket();

	ctx = open_backend("luajit");
	udp_connect(client, server);
	REQUIRE(ksc_load(ctx, script, strlen(script), "=records") == 0);
	test_partial_and_empty(server, client);
	test_send_error_midway(client, peer);
	test_bad_arguments(server, client);
	test_ops_cap(server);
	ksc_close(ctx);
	close(server);
	close(client);
	close(peer);
	return 0;
}
