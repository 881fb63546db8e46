/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the files of the ksc module. */
#ifndef KSC_KMOD_H
#define KSC_KMOD_H

#include <linux/hrtimer.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>

#include "ksc_ioctl.h"
#include "lj_ksc.h"

struct file;
struct ksc_entry;
struct lua_State;
struct luaL_Reg;

/* Module parameters (main.c): defaults and hard maxima of every state. */
struct ksc_params {
	unsigned long mem_max_bytes;
	unsigned long call_time_max_ms;
	unsigned long stack_max_bytes;
	unsigned long out_max_bytes;
	unsigned long script_max_bytes;
	unsigned int states_per_user;
	unsigned int states_max;
	unsigned int socket_ops_per_call;
	unsigned int handler_steps_max;	/* socket handlers (handler.c) */
	unsigned int mcode_max_kb;	/* JIT machine code of all states (mcode.c) */
	unsigned int handler_cpu_percent;
	unsigned int dev_uid;		/* /dev/ksc's owner, group and mode */
	unsigned int dev_gid;
	unsigned short dev_mode;
};
extern struct ksc_params ksc_params;

/* Trace abort reasons STATS counts (LuaJIT has fewer). */
#define KSC_JIT_REASONS 64

/* Most values a CALL passes or returns. */
#define KSC_MAX_VALUES 256
/* Longest function or chunk name. */
#define KSC_MAX_NAME 256

/* One open /dev/ksc: a private Lua state. */
struct ksc_state {
	struct mutex lock;		/* serialises every use of the fields below */
	struct lua_State *L;
	kuid_t user;			/* counted against this user's states */
	struct pid *owner;		/* the process that opened it */
	bool shareable;			/* other processes may use it too */

	struct ksc_limits limits;	/* in force (size and flags unused) */
	bool no_jit;

	/* LuaJIT's JIT compiler (jit.c, mcode.c). */
	size_t mcode_bytes;
	u64 jit_traces;
	u64 jit_aborts;
	u32 jit_abort_why[KSC_JIT_REASONS];

	/* Accounting (lj_ksc.c, alloc.c, call.c). */
	struct ksc_lj_mem mem;		/* LuaJIT's heap over arena areas, its bytes */
	struct llist_head areas_unmapped;	/* given back by socket handlers (alloc.c) */
	u64 loads;
	u64 calls;
	u64 errors;
	u64 run_time_ns;
	u64 max_nopreempt_ns;		/* longest FPU section (section.c) */

	/* The running entry (budget.c); times are ksc_clock_ns(). */
	struct hrtimer tick;		/* arms the count hook every KSC_TICK_NS */
	spinlock_t ticker_lock;		/* the tick's view: the three fields below */
	bool ticking;			/* the timer runs */
	bool in_entry;			/* an entry runs (or is paused) */
	unsigned int idle_ticks;	/* ticks since the last entry ended */
	u64 entry_ns;			/* when the entry started */
	u64 deadline_ns;
	u64 section_ns;			/* when the FPU section was last entered */
	int vm_cpu;			/* the CPU running the section, or -1 */
	bool tick_due;			/* a tick came: leave the section at the next yield */
	int run_errno;			/* why the entry fails, when a limit says */
	u64 call_gen;			/* buffer and fd objects of other calls are stale */
	int main_ref;			/* registry: the protected entry function */
	int msgh_ref;			/* registry: its message handler */
	const struct ksc_entry *entry;	/* what the running entry does */

	/* print() output of the running entry (print.c). */
	char *out;
	size_t out_kept;
	size_t out_total;

	/* Files the running call holds (lib_fd.c); none outside a CALL. */
	bool in_call;
	struct file *files[KSC_MAX_VALUES];
	unsigned int nfiles;

	/* Socket handlers (handler.c): the Lua state is theirs only when free. */
	unsigned long vm_busy;		/* bit 0: a LOAD, CALL or handler uses L */
	struct ksc_handlers *handlers;	/* NULL until the first ksc.handle() */
};

/* mcode.c: machine code pool; jit.c: the JIT in a state */
void ksc_mcode_init(void);
bool ksc_mcode_available(void);
size_t ksc_mcode_in_use(void);
void ksc_jit_enter(struct ksc_state *ks);
void ksc_jit_read_stats(struct ksc_state *ks, struct ksc_stats *st);

/* jit_code.c: copies of recent traces' code for root (debugfs) */
struct ksc_lj_mcode;
void ksc_jit_code_keep(const struct ksc_lj_mcode *mc);
void ksc_jit_code_init(void);
void ksc_jit_code_exit(void);

/* state.c */
int ksc_state_open(struct ksc_state **ksp);
void ksc_state_close(struct ksc_state *ks);
int ksc_state_set_limits(struct ksc_state *ks, const struct ksc_limits *want,
			 bool set);
void ksc_state_read_stats(struct ksc_state *ks, struct ksc_stats *st);
bool ksc_state_usable(const struct ksc_state *ks);

/* users.c: states per user and in all */
kuid_t ksc_user_of_current(void);
int ksc_user_get(kuid_t uid);
void ksc_user_put(kuid_t uid);
unsigned int ksc_states_open(void);

/*
 * call.c: LOAD and CALL. Results and the error message stay valid, and the
 * VM claimed (no socket handler runs), until ksc_entry_release().
 */
struct ksc_outcome {
	int err;			/* 0 or -errno */
	const char *msg;		/* Lua error message (in the Lua heap) */
	size_t msg_len;
};
struct ksc_result {			/* one result, before it is copied out */
	struct ksc_value v;
	const char *str;		/* STRING: the bytes (in the Lua heap) */
};
void ksc_entry_init(struct lua_State *L);
void ksc_entry_release(struct ksc_state *ks);
void ksc_entry_load(struct ksc_state *ks, const char *text, size_t len,
	      const char *name, struct ksc_outcome *oc);
void ksc_entry_call(struct ksc_state *ks, const char *func,
	      const struct ksc_value *args, u32 nargs,
	      struct ksc_result *res, u32 *nres, struct ksc_outcome *oc);

/* section.c: the FPU section (preemption off) and its longest stretches. */
static inline u64 ksc_clock_ns(void)
{
	return local_clock();
}
void ksc_vm_resume(struct ksc_state *ks);
void ksc_vm_pause(struct ksc_state *ks);
struct ksc_state *ksc_section_state(void);
void ksc_section_yield(struct ksc_state *ks);
u64 ksc_nopreempt_max(void);
void ksc_nopreempt_reset(void);

/* budget.c: time, signals and kernel stack of an entry. */
void ksc_budget_init(struct ksc_state *ks);
void ksc_budget_stop(struct ksc_state *ks);
void ksc_budget_setup(void);
void ksc_budget_exit(void);
void ksc_vm_arm(struct ksc_state *ks, bool closing);
void ksc_vm_enter(struct ksc_state *ks);
void ksc_vm_leave(struct ksc_state *ks);
/* Raise a Lua error (never returns) that ends the entry with err if uncaught. */
__printf(3, 4) void ksc_raise(struct lua_State *L, int err,
					const char *fmt, ...);

/* alloc.c, arena.c */
void ksc_alloc_drain(struct ksc_state *ks);
void ksc_alloc_exit(void);
int ksc_arena_init(void);
void ksc_arena_exit(void);
void *ksc_arena_alloc(size_t size);
void ksc_arena_free(void *p, size_t size);
size_t ksc_arena_in_use(void);

/* Every state's allocator data (allocd) is its struct ksc_lj_mem. */
static inline struct ksc_state *ksc_state_of_allocd(void *allocd)
{
	return container_of(allocd, struct ksc_state, mem);
}

/* state.c */
struct ksc_state *ksc_state_of(struct lua_State *L);

/* class.c */
void ksc_class_register(struct lua_State *L, const char *meta, const struct luaL_Reg *methods,
			size_t shared_bytes, int (*tostring)(struct lua_State *L));

/* sandbox.c: the libraries a script gets, the ids it sees instead of addresses. */
int ksc_open_libs(struct lua_State *L);
void ksc_sandbox_init(void);

/*
 * lib_ksc.c, lib_buf.c, lib_fd.c, lib_socket*.c: the ksc Lua library, one file per part
 * (each with its luaL_Reg table). A new part adds its open function to
 * ksc_libs[] in sandbox.c and uses ksc_buf_user_span(), ksc_fd_check() and
 * ksc_vm_pause()/ksc_vm_resume() around anything that may sleep.
 */
int ksc_open_lib_ksc(struct lua_State *L);
int ksc_open_lib_buf(struct lua_State *L);

/* A binding the JIT records, and how (KSC_LJ_REC_*, jit.c). */
struct ksc_binding {
	int (*f)(struct lua_State *L);
	int desc;
};

int ksc_binding_find(const struct ksc_binding *table, int (*f)(struct lua_State *L));
int ksc_buf_binding(int (*f)(struct lua_State *L));
int ksc_lib_binding(int (*f)(struct lua_State *L));
int ksc_open_lib_fd(struct lua_State *L);
int ksc_open_lib_socket(struct lua_State *L);
void ksc_buf_push(struct lua_State *L, u64 uptr, u64 len);
void __user *ksc_buf_user_span(struct lua_State *L, int idx, s64 off, u64 n);
void __user *ksc_buf_user_region(struct lua_State *L, int idx, u64 *len);
void ksc_fd_push(struct lua_State *L, int fd);
void ksc_fd_release_all(struct ksc_state *ks);
struct file *ksc_fd_check(struct lua_State *L, int idx);

/*
 * handler.c, handler_reply.c, handler_view.c, lib_handler.c: global
 * functions run in the receive path of a process's own UDP sockets
 * (ksc.handle).
 */
struct ksc_handlers;
void ksc_vm_claim(struct ksc_state *ks);
void ksc_vm_unclaim(struct ksc_state *ks);
void ksc_handlers_close(struct ksc_state *ks);
void ksc_handlers_read_stats(struct ksc_state *ks, struct ksc_stats *st);
void ksc_handler_ticks_out(struct lua_State *L);
int ksc_open_lib_handler(struct lua_State *L);

/* sysfs.c: /sys/kernel/ksc */
int ksc_sysfs_init(void);
void ksc_sysfs_exit(void);

/* device.c */
int ksc_device_register(void);
void ksc_device_unregister(void);

#endif /* KSC_KMOD_H */
