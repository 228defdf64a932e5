/* The dispatcher: one entry for the trap and the fast path alike. */
#ifndef LBW_SYS_DISPATCH_H
#define LBW_SYS_DISPATCH_H

#include "../task.h"

/* Services one guest call; returns the value for the guest's %rax. */
long dispatch(struct task *t, struct sc *c);
/* Hands c to the host kernel unchanged (the PASS rows' handler). */
long sys_pass(struct task *t, struct sc *c);
/* Traces a call that is about to leave (execve, exit) before it goes. */
void dispatch_trace_noreturn(struct sc *c);
/* Traces an exec that succeeds in place, while its arguments are readable. */
void dispatch_trace_exec(struct sc *c);

#endif
