/* Syscall User Dispatch and lbw's signal entry points.
 *
 * Every guest syscall instruction outside lbw's gate raises SIGSYS. The
 * kernel delivers it on the thread's sigaltstack, which is the thread's lbw
 * stack, so lbw finds its task from %rsp. The handler decodes the call from
 * the saved registers, dispatches it, and writes the result into the saved
 * %rax; rt_sigreturn (from the gate) resumes the guest after its syscall. */
#include "trap.h"
#include "../rt/rt.h"
#include "../config.h"
#include "../sys/dispatch.h"
#include "rewrite.h"
#include "../sig/sig.h"



void lbw_thread_exit(struct task **free_list, struct task *t, long code);

/* Stacks of exited threads, ready for new ones. Pushed without a lock by a
 * dying thread (gate.S); popped under pop_lock, so no ABA. */
int lbw_nthreads = 1;
struct task *lbw_solo;
static struct task *free_tasks;
static lbw_lock_t pop_lock;

void trap_fork_lock(void)
{
	lbw_lock(&pop_lock);
}

void trap_fork_unlock(void)
{
	lbw_unlock(&pop_lock);
}

static struct task *task_reuse(void)
{
	lbw_lock(&pop_lock);
	struct task *t = __atomic_load_n(&free_tasks, __ATOMIC_ACQUIRE);
	while (t && !__atomic_compare_exchange_n(&free_tasks, &t, t->next_free, 0, __ATOMIC_ACQ_REL,
						 __ATOMIC_ACQUIRE))
		;
	lbw_unlock(&pop_lock);
	if (!t)
		return NULL;
	unsigned long lo = t->stack_lo, hi = t->stack_hi;
	memset(t, 0, sizeof *t);
	t->magic = TASK_MAGIC;
	t->stack_lo = lo;
	t->stack_hi = hi;
	t->sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	return t;
}

void task_free(struct task *t)
{
	struct task *head = __atomic_load_n(&free_tasks, __ATOMIC_ACQUIRE);
	do
		t->next_free = head;
	while (!__atomic_compare_exchange_n(&free_tasks, &head, t, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
}

__attribute__((noreturn)) void task_exit(struct task *t, long code)
{
	uint64_t all = ~0ULL;
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&all, 0, 8);
	if (t->is_thread)
		__atomic_fetch_sub(&lbw_nthreads, 1, __ATOMIC_SEQ_CST);
	if (t->parent_frees) /* a vfork child: its parent takes the stack back */
		for (;;)
			sys1(SYS_exit, code);
	lbw_thread_exit(&free_tasks, t, code);
	__builtin_unreachable();
}

struct task *task_new(unsigned hot_pages)
{
	struct task *reused = task_reuse();
	if (reused)
		return reused;
	/* Map twice the size and trim, to get a stack aligned to its size. */
	long p = sys6(SYS_mmap, 0, 2 * LBW_STACK_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p < 0 && p > -4096)
		return NULL;
	unsigned long base = ((unsigned long)p + LBW_STACK_SIZE - 1) & ~((unsigned long)LBW_STACK_SIZE - 1);
	if (base > (unsigned long)p)
		sys2(SYS_munmap, p, base - p);
	unsigned long end = (unsigned long)p + 2 * LBW_STACK_SIZE;
	if (end > base + LBW_STACK_SIZE)
		sys2(SYS_munmap, base + LBW_STACK_SIZE, end - (base + LBW_STACK_SIZE));
	lbw_own_region(base, LBW_STACK_SIZE);
	/* Every signal frame lands in the stack's top pages, and the task's
	 * first page is written at once: map them now, one call each instead
	 * of a fault per page (see populate_self in rt/start.c). Only as many
	 * as will be used: a page mapped for nothing costs as much. Measured:
	 * start-up touches 6, a thread's calls 1 to 4. */
	unsigned long hot = (unsigned long)hot_pages * 4096;
	sys3(SYS_madvise, base + LBW_STACK_SIZE - hot, hot, MADV_POPULATE_WRITE);
	sys3(SYS_madvise, base, 4096, MADV_POPULATE_WRITE);
	/* The task, then a guard page between it and the stack below. */
	_Static_assert(sizeof(struct task) <= TASK_PAGES * 4096, "task too large");
	_Static_assert(__builtin_offsetof(struct task, next_free) == 8, "gate.S pushes at offset 8");
	sys3(SYS_mprotect, base + TASK_PAGES * 4096, 4096, PROT_NONE);
	struct task *t = (struct task *)base;
	t->magic = TASK_MAGIC;
	t->stack_lo = base + (TASK_PAGES + 1) * 4096;
	t->stack_hi = base + LBW_STACK_SIZE;
	t->sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	return t;
}

long trap_arm(struct task *t)
{
	t->sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
	return sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		    (long)lbw_gate_start, lbw_gate_end - lbw_gate_start, (long)&t->sud_selector);
}

long trap_altstack(struct task *t)
{
	k_stack_t ss = {(void *)t->stack_lo, 0, t->stack_hi - t->stack_lo};
	return sys2(SYS_sigaltstack, (long)&ss, 0);
}

static void sigsys_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc);
static void fault_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc);

_Static_assert(LBW_STACK_SIZE == 0x40000, "gate.S: LBW_STACK_SIZE");
_Static_assert(__builtin_offsetof(struct task, stack_hi) == 40, "gate.S: TASK_STACK_HI");
_Static_assert(__builtin_offsetof(struct task, pending) == 96, "gate.S: TASK_PENDING");
_Static_assert(__builtin_offsetof(k_ucontext_t, uc_mcontext.rsp) == 160, "gate.S: UC_RSP");

/* These handlers leave other signals unblocked (a blocking call lbw makes
 * for the guest can be cut short): their restorer looks for guest signals
 * that came meanwhile (rt/gate.S). */
static long set_host_action(int sig, unsigned long handler, unsigned long flags)
{
	struct k_sigaction a = {handler, flags | SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
				(unsigned long)lbw_restorer_checked, 0};
	return sys4(SYS_rt_sigaction, sig, (long)&a, 0, 8);
}

long trap_install_handlers(void)
{
	/* SA_NODEFER: a guest signal handler running on top of lbw may trap
	 * again, and the kernel kills a thread whose forced SIGSYS is blocked. */
	long r = set_host_action(SIGSYS, (unsigned long)sigsys_handler, SA_NODEFER);
	if (r < 0)
		return r;
	/* A fault in lbw's guest-memory routines must come back as -EFAULT;
	 * SA_NODEFER so that a guest fault inside a guest handler still reaches us. */
	r = set_host_action(SIGSEGV, (unsigned long)fault_handler, SA_NODEFER);
	if (r < 0)
		return r;
	return set_host_action(SIGBUS, (unsigned long)fault_handler, SA_NODEFER);
}

extern char __ehdr_start[], _etext[];

static int in_lbw_text(unsigned long ip)
{
	return ip >= (unsigned long)__ehdr_start && ip < (unsigned long)_etext;
}

static void sigsys_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	if (si->si_code != SYS_USER_DISPATCH) {
		/* Sent by someone: the guest's own SIGSYS. */
		sig_from_host(sig, si, uc);
		return;
	}
	struct task *t = task_current();
	struct k_sigcontext *r = &uc->uc_mcontext;
	struct sc c;
	c.nr = (int)r->rax; /* the kernel reads %eax (do_syscall_64's int nr) */
	c.a[0] = r->rdi;
	c.a[1] = r->rsi;
	c.a[2] = r->rdx;
	c.a[3] = r->r10;
	c.a[4] = r->r8;
	c.a[5] = r->r9;
	c.uc = uc;
	c.via = VIA_TRAP;
	c.sp = r->rsp;
	/* rt_sigreturn does not come back here: its site now or never. */
	if (c.nr == SYS_rt_sigreturn)
		rewrite_site(&c);
	long ret = dispatch(t, &c);
	rewrite_site(&c);
	if (ret == -ERESTARTSYS) {
		/* lbw did not make the call for a signal: the guest makes it
		 * again after the handler (or right away). */
		r->rip -= 2;
		r->rax = c.nr;
	} else {
		r->rax = ret;
	}
	if (t->pending)
		sig_deliver_pending(t, uc, c.nr);
}

/* Faults: in lbw's guest-memory routines they become -EFAULT; in the guest
 * they go to the guest's disposition; anywhere else in lbw they are a bug. */
static void fault_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	unsigned long ip = uc->uc_mcontext.rip;
	/* (A SIGSEGV sent by someone, si_code <= 0, is the guest's signal.) */
	if (si->si_code > 0 && ip >= (unsigned long)guestmem_start && ip < (unsigned long)guestmem_end) {
		uc->uc_mcontext.rip = (unsigned long)guestmem_fixup;
		return;
	}
	if (in_lbw_text(ip) && si->si_code > 0) {
		lbw_warn("internal error: signal %d at lbw+0x%lx, address %p", sig,
			 ip - (unsigned long)__ehdr_start, si->f.addr);
		struct k_sigaction dfl = {SIG_DFL, 0, 0, 0};
		sys4(SYS_rt_sigaction, sig, (long)&dfl, 0, 8);
		return;
	}
	sig_from_host(sig, si, uc);
}
