/* SPDX-License-Identifier: MIT */
/* What the UDP batch tests share: a context on the backend named by argv[1], loopback sockets. */
#ifndef KSC_TEST_UDP_UTIL_H
#define KSC_TEST_UDP_UTIL_H

#include <stddef.h>

#include "ksc.h"

#define SLOT_BYTES 2048

/* A context on backend name (the test's argv[1]); exits on failure. */
struct ksc *open_backend(const char *name);

/* A UDP socket bound to an ephemeral port of 127.0.0.1. */
int udp_socket(void);

/* Connect client to server's address. */
void udp_connect(int client, int server);

/* Send one datagram of len bytes, byte i = (seed + i) & 0xff, from client. */
void send_pattern(int client, size_t len, unsigned int seed);

/* Whether buf holds len bytes of that pattern. */
int is_pattern(const void *buf, size_t len, unsigned int seed);

/* n receive slots of SLOT_BYTES (or cap if smaller) each, in fresh memory. */
struct ksc_msg *recv_slots(unsigned int n, unsigned int cap);

/* Milliseconds on the monotonic clock. */
long long now_ms(void);

#endif /* KSC_TEST_UDP_UTIL_H */
