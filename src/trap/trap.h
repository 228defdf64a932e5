/* Catching the guest's system calls: Syscall User Dispatch, lbw's own
 * signal handlers, and the per-thread lbw stack. */
#ifndef LBW_TRAP_H
#define LBW_TRAP_H

#include "../task.h"

/* Allocates a thread's lbw stack with its task at the base, the task's first
 * page and hot_pages at the stack's top mapped at once. NULL on failure. */
struct task *task_new(unsigned hot_pages);
/* Tasks running in this memory: threads, and processes sharing it
 * (clone(CLONE_VM) but not vfork), all made by lbw. With one, nothing else
 * can run the code lbw patches or hold lbw's locks. */
extern int lbw_nthreads;
/* The task of the one thread running in this memory, while there is one
 * (a vfork child's while it runs, its parent waiting); NULL once a thread
 * or a process sharing the memory was made. trap/fastemu.S finds the lbw
 * stack here without asking the kernel (a sigaltstack call, ~1 us). */
extern struct task *lbw_solo;
/* The free-stack list's lock, taken around a fork. */
void trap_fork_lock(void);
void trap_fork_unlock(void);
/* Puts a task that no thread runs on any more (a vfork child's, once it
 * has exec'd or exited) on the free list: the next thread or vfork child
 * gets its stack with its pages already there (each first touch of a page
 * costs ~12 us on a VM). */
void task_free(struct task *t);
/* Ends the calling thread; its lbw stack goes to the next new thread. */
__attribute__((noreturn)) void task_exit(struct task *t, long code);
/* Arms Syscall User Dispatch for the calling thread; 0 or -errno. */
long trap_arm(struct task *t);
/* Sets the calling thread's sigaltstack to its lbw stack; 0 or -errno. */
long trap_altstack(struct task *t);
/* Installs lbw's SIGSYS, SIGSEGV and SIGBUS handlers; 0 or -errno. */
long trap_install_handlers(void);

/* Hands a signal that is the guest's to guest delivery (sig/deliver.c). */
void sig_from_host(int sig, k_siginfo_t *si, k_ucontext_t *uc);

/* rt_sigreturn from lbw's stack with %rsp = sp (the frame at sp - 8), for
 * the guest's own rt_sigreturn and a new thread's first entry: its callers
 * block every signal and look at t->pending first (rt/gate.S). */
void lbw_sigreturn_at(unsigned long sp);
/* The restorer of lbw's signal handlers (rt/gate.S). */
void lbw_restorer_checked(void);
extern const char lbw_restorer_checked_insn[];
void lbw_pending_late(struct task *t);

#endif
