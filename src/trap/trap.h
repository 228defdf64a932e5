/* Catching the guest's system calls: Syscall User Dispatch, lbw's own
 * signal handlers, and the per-thread lbw stack. */
#ifndef LBW_TRAP_H
#define LBW_TRAP_H

#include "../task.h"

/* Allocates a thread's lbw stack with its task at the base. NULL on failure. */
struct task *task_new(void);
/* Arms Syscall User Dispatch for the calling thread; 0 or -errno. */
long trap_arm(struct task *t);
/* Sets the calling thread's sigaltstack to its lbw stack; 0 or -errno. */
long trap_altstack(struct task *t);
/* Installs lbw's SIGSYS, SIGSEGV and SIGBUS handlers; 0 or -errno. */
long trap_install_handlers(void);

/* The guest's own dispositions for the signals lbw keeps for itself
 * (SIGSYS, SIGSEGV, SIGBUS): virtual, never installed on the host except
 * for a moment to let the kernel deliver a guest fault (trap.c). */
extern struct k_sigaction guest_sigact[NSIG_LINUX + 1];
static inline int sig_is_lbws(int sig)
{
	return sig == SIGSYS || sig == SIGSEGV || sig == SIGBUS;
}
/* After a guest fault handler was put in place on the host, puts lbw's back. */
void trap_restore_fault_handlers(void);

/* Builds the child's frame and starts a thread or vfork child on a new lbw
 * stack (trap/clone.c). */
void lbw_sigreturn_at(unsigned long sp);

#endif
