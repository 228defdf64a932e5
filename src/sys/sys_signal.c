/* Signal calls. The guest's dispositions, mask and sigaltstack are
 * virtual; delivery is in sig/. SIGSYS, SIGSEGV and SIGBUS (SIG_LBW) are
 * never blocked on the host. */
#include "table.h"
#include "dispatch.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../trap/trap.h"
#include "../sig/sig.h"

#define MINSIGSTKSZ_LINUX 2048

long sys_rt_sigaction(struct task *t, struct sc *c)
{
	int sig = (int)c->a[0];
	if (c->a[3] != 8)
		return -EINVAL;
	if (sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	struct k_sigaction act, old = t->sighand->act[sig];
	if (c->a[1]) {
		if (copy_from_guest(&act, (void *)c->a[1], sizeof act) < 0)
			return -EFAULT;
		long r = sig_set_action(t, sig, &act);
		if (r < 0)
			return r;
	}
	if (c->a[2] && copy_to_guest((void *)c->a[2], &old, sizeof old) < 0)
		return -EFAULT;
	return 0;
}

/* The guest's mask is the one the kernel restores when lbw's SIGSYS
 * handler returns: uc_sigmask in the trap frame, not the handler's mask.
 * From a rewritten site, the thread's own (sig_mask_fast). */
long sys_rt_sigprocmask(struct task *t, struct sc *c)
{
	int how = (int)c->a[0];
	if (c->a[3] != 8)
		return -EINVAL;
	uint64_t set = 0, old;
	if (c->a[1]) {
		if (copy_from_guest(&set, (void *)c->a[1], 8) < 0)
			return -EFAULT;
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
	}
	if (!c->uc) {
		old = sig_mask_fast(t, c->a[1] ? how : -1, set);
	} else {
		old = c->uc->uc_sigmask | t->vmask;
		if (c->a[1]) {
			uint64_t m = how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set;
			m &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
			sig_set_vmask(t, m);
			c->uc->uc_sigmask = m & ~SIG_LBW;
		}
	}
	if (c->a[2] && copy_to_guest((void *)c->a[2], &old, 8) < 0)
		return -EFAULT;
	return 0;
}

/* The guest's handler returned through its restorer: resume the frame the
 * kernel built for it, exactly as the kernel would. */
long sys_rt_sigreturn(struct task *t, struct sc *c)
{
	sig_return(t, c->sp);
}

long sys_sigaltstack(struct task *t, struct sc *c)
{
	k_stack_t ss, old = t->guest_altstack;
	int on = sig_on_altstack(t, c->uc->uc_mcontext.rsp);
	if (!old.ss_size || (old.ss_flags & SS_DISABLE))
		old.ss_flags = SS_DISABLE;
	else
		old.ss_flags = (on ? SS_ONSTACK : 0) | (old.ss_flags & SS_AUTODISARM);
	if (c->a[0]) {
		if (copy_from_guest(&ss, (void *)c->a[0], sizeof ss) < 0)
			return -EFAULT;
		if (on)
			return -EPERM;
		int mode = ss.ss_flags & ~SS_AUTODISARM;
		if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			ss.ss_sp = NULL;
			ss.ss_size = 0;
			ss.ss_flags = SS_DISABLE;
		} else if (ss.ss_size < MINSIGSTKSZ_LINUX) {
			return -ENOMEM;
		} else {
			ss.ss_flags &= SS_AUTODISARM;
		}
	}
	if (c->a[1] && copy_to_guest((void *)c->a[1], &old, sizeof old) < 0)
		return -EFAULT;
	if (c->a[0])
		t->guest_altstack = ss;
	return 0;
}

/* A SIGSYS, SIGSEGV or SIGBUS waiting in lbw (blocked by the guest) that
 * the temporary mask lets through is delivered at once, as the kernel
 * would: it is not in the kernel's queue to end the wait. */
long sys_rt_sigsuspend(struct task *t, struct sc *c)
{
	if (c->a[1] != 8)
		return sys_pass(t, c);
	uint64_t m;
	if (copy_from_guest(&m, (void *)c->a[0], 8) < 0)
		return -EFAULT;
	uint64_t go = __atomic_fetch_and(&t->vheld, m | ~SIG_LBW, __ATOMIC_SEQ_CST) & ~m;
	for (uint64_t g = go; g; g &= g - 1) {
		int sig = __builtin_ctzll(g) + 1;
		if (t->sighand->act[sig].handler == SIG_IGN)
			go &= ~sigbit(sig); /* an ignored one is dropped; the wait goes on */
	}
	if (go) {
		/* delivered (or its default action taken) on the way back:
		 * sig_deliver_pending knows the call's mask lets it through */
		__atomic_fetch_or(&t->pending, go, __ATOMIC_SEQ_CST);
		return -EINTR;
	}
	/* While it waits, the guest's mask is the call's: one of lbw's own
	 * signals that it lets through is delivered, not held. */
	uint64_t saved = t->vmask;
	t->vmask = m & SIG_LBW;
	long r = sys_pass(t, c);
	t->vmask = saved;
	return r;
}

/* The guest's pending set includes SIGSYS, SIGSEGV or SIGBUS waiting,
 * blocked by it (virtually). */
long sys_rt_sigpending(struct task *t, struct sc *c)
{
	if (c->a[1] != 8)
		return -EINVAL;
	uint64_t set;
	long r = sys2(SYS_rt_sigpending, (long)&set, 8);
	if (r < 0)
		return r;
	set |= t->vheld;
	return copy_to_guest((void *)c->a[0], &set, sizeof set) < 0 ? -EFAULT : 0;
}
