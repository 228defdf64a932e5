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

void lbw_restorer(void);

struct k_sigaction guest_sigact[NSIG_LINUX + 1];
static volatile int fault_displaced;

struct task *task_new(void)
{
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
	/* Page 0: the task. Page 1: a guard between it and the stack below. */
	sys3(SYS_mprotect, base + 4096, 4096, PROT_NONE);
	struct task *t = (struct task *)base;
	t->magic = TASK_MAGIC;
	t->stack_lo = base + 2 * 4096;
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

static long set_host_action(int sig, unsigned long handler, unsigned long flags)
{
	struct k_sigaction a = {handler, flags | SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
				(unsigned long)lbw_restorer, 0};
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

void trap_restore_fault_handlers(void)
{
	if (!fault_displaced)
		return;
	fault_displaced = 0;
	set_host_action(SIGSEGV, (unsigned long)fault_handler, SA_NODEFER);
	set_host_action(SIGBUS, (unsigned long)fault_handler, SA_NODEFER);
}

extern char __ehdr_start[], _etext[];

static int in_lbw_text(unsigned long ip)
{
	return ip >= (unsigned long)__ehdr_start && ip < (unsigned long)_etext;
}

/* A SIGSYS that is not a trapped syscall: sent by someone, so it is the
 * guest's own SIGSYS, handled by its virtual disposition. */
static void foreign_sigsys(k_siginfo_t *si)
{
	struct k_sigaction *ga = &guest_sigact[SIGSYS];
	if (ga->handler == SIG_IGN)
		return;
	if (ga->handler == SIG_DFL) {
		/* Die of SIGSYS as the guest would: pending until we return. */
		struct k_sigaction dfl = {SIG_DFL, 0, 0, 0};
		sys4(SYS_rt_sigaction, SIGSYS, (long)&dfl, 0, 8);
		sys4(SYS_rt_tgsigqueueinfo, sys0(SYS_getpid), sys0(SYS_gettid), SIGSYS, (long)si);
		return;
	}
	/* TODO(issue 3): deliver to a guest SIGSYS handler by building its frame. */
	lbw_warn("guest SIGSYS handler not supported yet; signal dropped");
}

static void sigsys_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	(void)sig;
	if (si->si_code != SYS_USER_DISPATCH) {
		foreign_sigsys(si);
		return;
	}
	trap_restore_fault_handlers();
	struct k_sigcontext *r = &uc->uc_mcontext;
	struct sc c;
	c.nr = (long)r->rax;
	c.a[0] = r->rdi;
	c.a[1] = r->rsi;
	c.a[2] = r->rdx;
	c.a[3] = r->r10;
	c.a[4] = r->r8;
	c.a[5] = r->r9;
	c.uc = uc;
	c.via = VIA_TRAP;
	r->rax = dispatch(task_current(), &c);
	rewrite_site(&c);
}

/* Faults: in lbw's guest-memory routines they become -EFAULT; in the guest
 * they go to the guest's disposition; anywhere else in lbw they are a bug. */
static void fault_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	unsigned long ip = uc->uc_mcontext.rip;
	if (ip >= (unsigned long)guestmem_start && ip < (unsigned long)guestmem_end) {
		uc->uc_mcontext.rip = (unsigned long)guestmem_fixup;
		return;
	}
	struct k_sigaction *ga = &guest_sigact[sig];
	if (in_lbw_text(ip) && si->si_code > 0) {
		lbw_warn("internal error: signal %d at lbw+0x%lx, address %p", sig,
			 ip - (unsigned long)__ehdr_start, si->f.addr);
		ga = &(struct k_sigaction){SIG_DFL, 0, 0, 0};
	}
	int sent = si->si_code <= 0; /* kill/tgkill/sigqueue, not a fault */
	if (sent && ga->handler == SIG_IGN)
		return;
	/* Put the guest's disposition on the host for a moment: a real fault
	 * recurs when we return, a sent signal is queued again, and the kernel
	 * delivers it as it would have without lbw. lbw's handler comes back on
	 * the next trapped call. */
	struct k_sigaction a = *ga;
	if (a.handler == SIG_IGN)
		a.handler = SIG_DFL; /* an ignored fault still kills, as in the kernel */
	a.mask &= ~sigbit(SIGSYS);
	sys4(SYS_rt_sigaction, sig, (long)&a, 0, 8);
	if (a.handler != SIG_DFL) {
		fault_displaced = 1;
		if (a.flags & SA_RESETHAND)
			ga->handler = SIG_DFL;
	}
	if (sent)
		sys4(SYS_rt_tgsigqueueinfo, sys0(SYS_getpid), sys0(SYS_gettid), sig, (long)si);
}
