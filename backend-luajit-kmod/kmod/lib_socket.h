/* SPDX-License-Identifier: GPL-2.0 */
/* Between the ksc.socket library's files: lib_socket.c and lib_socket_records.c. */
#ifndef KSC_LIB_SOCKET_H
#define KSC_LIB_SOCKET_H

#include <linux/types.h>

#include "ksc_udp_record.h"

struct lua_State;
struct msghdr;
struct socket;

#define KSC_SOCKET_META "ksc.socket"

/* What scripts may pass in flags. */
#define KSC_RECV_FLAGS (MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_WAITALL)
#define KSC_SEND_FLAGS MSG_DONTWAIT

struct ksc_socket {
	struct socket *sock;
	u64 gen;		/* the call it belongs to: the file is held for it only */
};

struct ksc_socket *ksc_socket_check(struct lua_State *L);
void ksc_socket_count(struct lua_State *L, u64 n);
int ksc_socket_flags(struct lua_State *L, int idx, int allowed);
void ksc_socket_time_check(struct lua_State *L, long ret);
int ksc_socket_recv_paused(struct socket *sock, void __user *ubuf, u64 len, int flags,
			   struct msghdr *msg, u64 deadline);
int ksc_socket_send_paused(struct socket *sock, void __user *ubuf, u64 len, void *addr,
			   size_t addrlen, int flags, u64 deadline);

/* lib_socket_records.c: the record methods. */
int ksc_socket_recv_record(struct lua_State *L);
int ksc_socket_send_record(struct lua_State *L);
int ksc_socket_recv_records(struct lua_State *L);
int ksc_socket_send_records(struct lua_State *L);

#endif /* KSC_LIB_SOCKET_H */
