/* Per-thread lbw state and the call being serviced. A thread's task lives
 * at the base of its lbw stack, so lbw finds it from %rsp alone (no TLS). */
#ifndef LBW_TASK_H
#define LBW_TASK_H

#include "abi/linux.h"

#define LBW_STACK_SIZE (256 * 1024) /* a power of two: task = rsp & ~(size-1) */

enum { VIA_TRAP, VIA_FAST };

/* One guest system call in flight. */
struct sc {
	long nr;
	long a[6];
	k_ucontext_t *uc; /* the guest's registers at the call (kernel layout) */
	int via;          /* VIA_TRAP or VIA_FAST */
	unsigned long sp; /* the guest's %rsp at its syscall instruction */
};

struct task {
	unsigned long magic;      /* TASK_MAGIC: catches a stack that is not lbw's */
	struct task *next_free;   /* offset 8: the free list of exited threads (gate.S) */
	int tid;
	volatile char sud_selector; /* Syscall User Dispatch switch for this thread */
	int in_lbw;               /* nesting depth of lbw's handlers on this stack */
	unsigned long stack_lo, stack_hi; /* usable stack (above the guard page) */
	unsigned long child_sp;   /* a new thread's first lbw stack pointer */
	unsigned long resume_sp;  /* ... and the guest frame it resumes through */
	k_stack_t guest_altstack; /* the guest's sigaltstack: virtual */
	struct sighand *sighand;  /* the guest's dispositions (sig/) */
	uint64_t pending;         /* guest signals that arrived while lbw ran */
	int is_thread;            /* counted in lbw_nthreads: runs in this memory
	                           * beside others (thread, CLONE_VM but not vfork) */
	int parent_frees;         /* a vfork child: its parent frees this stack */
	uint64_t vmask;           /* the guest's mask bits of lbw's own signals (SIG_LBW:
	                           * SIGSYS, SIGSEGV, SIGBUS), virtual: the host never
	                           * blocks them */
	uint64_t vheld;           /* those of them sent while so blocked: they wait
	                           * for the guest to unblock them (pending_info) */
	unsigned long rseq_addr;  /* the guest's rseq registration: undone by an */
	uint32_t rseq_len, rseq_sig; /* exec in place, as the kernel's exec does */
	k_siginfo_t pending_info[NSIG_LINUX + 1];
};
/* The task takes the first pages of the stack; a guard page follows. */
#define TASK_PAGES 3
#define TASK_MAGIC 0x6c62777461736b31UL /* "lbwtask1" */

static inline struct task *task_current(void)
{
	unsigned long sp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	return (struct task *)(sp & ~((unsigned long)LBW_STACK_SIZE - 1));
}

#endif
