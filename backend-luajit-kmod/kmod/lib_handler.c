// SPDX-License-Identifier: GPL-2.0
/*
 * ksc.handle: attach a global function of the state, as a handler, to one
 * of the caller's own UDP sockets (handler.c runs it).
 *
 *   ksc.handle(s, name [, steps [, how]]) -> true
 *        s: a ksc.socket of this call (AF_INET or AF_INET6 UDP); name: the
 *        global function; steps: its budget per datagram, at most (and by
 *        default) the module's handler_steps_max. Every datagram that
 *        arrives on s from now on runs name(payload, source) in the
 *        kernel's receive path (source: a sockaddr string, as
 *        s:recvmsg() gives). how "view" (default "string"):
 *        name(view, len) instead, where len is the payload's length and
 *        view the state's one view table, whose methods read the running
 *        datagram only: view:byte(i [, j]) and view:sub(i [, j]) as the
 *        string functions, view:source(); reading a request then makes no
 *        garbage. Results: strings (and numbers n, the
 *        datagram's first n bytes), at least one string, joined, go back
 *        to the source, from the address and port the datagram came to;
 *        anything else passes the datagram on to the socket unchanged.
 *        The handler stays until the socket or the state closes, or it
 *        keeps failing.
 *        Errors: EBUSY (the socket has a handler or encapsulation already),
 *        EMFILE (too many handlers in the state), EPERM (steps above the
 *        ceiling), EOPNOTSUPP (not a UDP socket).
 */
#include <linux/in.h>
#include <linux/net.h>
#include <linux/string.h>
#include <net/sock.h>

#include "lua.h"
#include "lauxlib.h"
#include "ksc_kmod.h"
#include "lib_socket.h"
#include "handler.h"

/* ksc.handle(s, name [, steps [, how]]) */
static int ksc_handle(struct lua_State *L)
{
	struct ksc_socket *s = ksc_socket_check(L);
	size_t len;
	const char *name = luaL_checklstring(L, 2, &len);
	u32 max = ksc_handler_steps_max();
	lua_Integer steps = luaL_optinteger(L, 3, max);
	const char *how = luaL_optstring(L, 4, "string");
	struct sock *sk = s->sock->sk;

	if (sk->sk_type != SOCK_DGRAM || sk->sk_protocol != IPPROTO_UDP)
		ksc_raise(L, -EOPNOTSUPP, "handlers run on UDP sockets only");
	if (len >= KSC_MAX_NAME || strlen(name) != len)
		ksc_raise(L, -EINVAL, "not a function name");
	if (steps < 1 || steps > max)
		ksc_raise(L, -EPERM, "steps must be within 1..%d (handler_steps_max)", (int)max);
	if (strcmp(how, "string") && strcmp(how, "view"))
		ksc_raise(L, -EINVAL, "how: \"string\" or \"view\"");
	ksc_handler_attach(L, sk, name, (u32)steps, how[0] == 'v');
	lua_pushboolean(L, 1);
	return 1;
}

int ksc_open_lib_handler(struct lua_State *L)
{
	lua_getglobal(L, "ksc");
	lua_pushcfunction(L, ksc_handle);
	lua_setfield(L, -2, "handle");
	lua_pop(L, 1);
	return 0;
}
