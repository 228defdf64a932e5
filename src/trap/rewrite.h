/* The fast path: rewriting trapped syscall sites into calls through lbw's
 * gate (rewrite.c). */
#ifndef LBW_TRAP_REWRITE_H
#define LBW_TRAP_REWRITE_H

#include "../task.h"

/* The x86-64 ABI's red zone below %rsp, which a stub steps over before it
 * calls into lbw (the lea -0x80(%rsp),%rsp of each stub). */
#define RED_ZONE 128

/* A clone that makes a thread or a vfork child (CLONE_VM, or a new stack)
 * needs the trap's frame (its copy, its stack): never made from a
 * rewritten site, nor a reason to rewrite one. */
static inline int clone_needs_frame(long nr, unsigned long flags, unsigned long stack)
{
	return nr == SYS_clone && ((flags & CLONE_VM) || stack);
}

/* After a call trapped at c's site, rewrite the site if it is safe. */
void rewrite_site(struct sc *c);
/* Before a fork: the first makes the fast path's counts shared with the
 * children, later ones rewrite here the sites the family listed. */
void rewrite_before_fork(void);
/* After a fork, on both sides (child: 1 in the child). */
void rewrite_after_fork(int child);
/* Around a fork of a process with several threads: no rewrite half made. */
void rewrite_fork_lock(void);
void rewrite_fork_unlock(void);
/* The guest image is gone (an exec in place): drop its stubs and counts. */
void rewrite_forget(void);

#endif
