/* Signals, for now: dispositions pass through to the host, except for the
 * signals lbw needs itself (SIGSYS for the trap, SIGSEGV and SIGBUS for
 * safe guest-memory access), which are virtual. SIGSYS is never blocked on
 * the host. The guest's sigaltstack is virtual: lbw's stack stays the
 * host's. (Issue 3 replaces this with fully virtual signal delivery.) */
#include "table.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../trap/trap.h"

#define MINSIGSTKSZ_LINUX 2048

long sys_rt_sigaction(struct task *t, struct sc *c)
{
	(void)t;
	int sig = (int)c->a[0];
	if (c->a[3] != 8)
		return -EINVAL;
	if (sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	struct k_sigaction act, old;
	if (c->a[1] && copy_from_guest(&act, (void *)c->a[1], sizeof act) < 0)
		return -EFAULT;
	if (sig_is_lbws(sig)) {
		old = guest_sigact[sig];
		if (c->a[1]) {
			act.mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
			guest_sigact[sig] = act;
		}
		if (c->a[2] && copy_to_guest((void *)c->a[2], &old, sizeof old) < 0)
			return -EFAULT;
		return 0;
	}
	if (c->a[1])
		act.mask &= ~sigbit(SIGSYS);
	long r = sys4(SYS_rt_sigaction, sig, c->a[1] ? (long)&act : 0, c->a[2] ? (long)&old : 0, 8);
	if (r == 0 && c->a[2] && copy_to_guest((void *)c->a[2], &old, sizeof old) < 0)
		return -EFAULT;
	return r;
}

/* The guest's mask is the one the kernel restores when lbw's SIGSYS
 * handler returns: uc_sigmask in the trap frame, not the handler's mask. */
long sys_rt_sigprocmask(struct task *t, struct sc *c)
{
	(void)t;
	int how = (int)c->a[0];
	if (c->a[3] != 8)
		return -EINVAL;
	uint64_t set = 0, old = c->uc->uc_sigmask;
	if (c->a[1]) {
		if (copy_from_guest(&set, (void *)c->a[1], 8) < 0)
			return -EFAULT;
		uint64_t m = old;
		switch (how) {
		case SIG_BLOCK: m |= set; break;
		case SIG_UNBLOCK: m &= ~set; break;
		case SIG_SETMASK: m = set; break;
		default: return -EINVAL;
		}
		m &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP) | sigbit(SIGSYS));
		c->uc->uc_sigmask = m;
	}
	if (c->a[2] && copy_to_guest((void *)c->a[2], &old, 8) < 0)
		return -EFAULT;
	return 0;
}

/* The guest's handler returned through its restorer: resume the frame the
 * kernel built for it, exactly as the kernel would. */
long sys_rt_sigreturn(struct task *t, struct sc *c)
{
	(void)t;
	lbw_sigreturn_at(c->uc->uc_mcontext.rsp);
	return 0;
}

long sys_sigaltstack(struct task *t, struct sc *c)
{
	k_stack_t ss, old = t->guest_altstack;
	if (!old.ss_size && !old.ss_sp)
		old.ss_flags = SS_DISABLE;
	if (c->a[0]) {
		if (copy_from_guest(&ss, (void *)c->a[0], sizeof ss) < 0)
			return -EFAULT;
		int mode = ss.ss_flags & ~(1 << 31); /* SS_AUTODISARM */
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_sp = NULL;
			ss.ss_size = 0;
			ss.ss_flags = SS_DISABLE;
		} else if (ss.ss_size < MINSIGSTKSZ_LINUX) {
			return -ENOMEM;
		} else {
			ss.ss_flags = 0;
		}
	}
	if (c->a[1] && copy_to_guest((void *)c->a[1], &old, sizeof old) < 0)
		return -EFAULT;
	if (c->a[0])
		t->guest_altstack = ss;
	return 0;
}
