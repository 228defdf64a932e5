/* Delivering guest signals.
 *
 * For a signal the guest handles, the host runs lbw's handler (on lbw's
 * sigaltstack). If the guest was running, lbw builds the guest's
 * rt_sigframe (siginfo, ucontext with the interrupted registers, mask and
 * sigaltstack, and the XSAVE area) on the guest's stack or altstack, and
 * points its own saved context at the guest handler: when lbw's handler
 * returns, the kernel starts the guest handler as it would have itself.
 * If lbw was running (its SIGSYS handler is on the stack), the signal waits
 * in the task and is delivered on the way back to the guest; a blocking call
 * that lbw was making for the guest is cut short (lbw_sys_cp) and restarted
 * or failed with EINTR as the kernel would. Default and ignore dispositions
 * are left to the host kernel, so default actions (terminate, core, stop,
 * continue) are the kernel's own. */
#include "sig.h"
#include "../rt/rt.h"
#include "../trap/trap.h"

/* Never in the host's mask: SIGKILL and SIGSTOP cannot be, SIG_LBW are
 * virtual. */
#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP) | SIG_LBW)
#define FAULT_SIGS (sigbit(SIGSEGV) | sigbit(SIGBUS) | sigbit(SIGFPE) | sigbit(SIGILL) | sigbit(SIGTRAP))

static void host_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc);

static int is_lbws(int sig)
{
	return sig == SIGSYS || sig == SIGSEGV || sig == SIGBUS;
}

static long host_set(int sig, unsigned long handler, unsigned long flags)
{
	struct k_sigaction a = {handler, flags, 0, 0};
	if (handler != SIG_DFL && handler != SIG_IGN) {
		a.flags |= SA_SIGINFO | SA_ONSTACK | SA_RESTORER;
		a.restorer = (unsigned long)lbw_restorer_checked;
		/* Nothing else interrupts lbw's short handler. */
		a.mask = ~UNBLOCKABLE;
	}
	return sys4(SYS_rt_sigaction, sig, (long)&a, 0, 8);
}

static int ign_inherited, mask_inherited;
static uint64_t ign_mask, mask_passed;
static uint64_t vmask_inherited, vheld_inherited;
static k_siginfo_t held_inherited[3]; /* one per signal of SIG_LBW */

void sig_inherit_vmask(uint64_t vmask)
{
	vmask_inherited = vmask & SIG_LBW;
}

void sig_inherit_held(const k_siginfo_t *info)
{
	int sig = info->si_signo;
	if (sig < 1 || sig > 64 || !(sigbit(sig) & SIG_LBW))
		return;
	vheld_inherited |= sigbit(sig);
	held_inherited[sig == SIGSYS ? 0 : sig == SIGSEGV ? 1 : 2] = *info;
}

void sig_inherit_mask(uint64_t mask)
{
	mask_inherited = 1;
	mask_passed = mask;
}

void sig_inherit_ignored(uint64_t mask)
{
	ign_inherited = 1;
	ign_mask = mask;
}

uint64_t sig_ignored_mask(const struct task *t)
{
	uint64_t m = 0;
	for (int sig = 1; sig <= NSIG_LINUX; sig++)
		if (t->sighand->act[sig].handler == SIG_IGN)
			m |= 1ULL << (sig - 1);
	return m;
}

long sig_init(struct task *t)
{
	/* The first task's, once per image: static, so that a short process
	 * maps no allocator arena for it (an mmap and a fault in a fresh part
	 * of the address space). Never freed: only clone's copies are. */
	static struct sighand first LBW_BIG_BSS;
	static int first_taken;
	struct sighand *h = first_taken ? lbw_alloc(sizeof *h) : &first;
	if (!h)
		return -ENOMEM;
	first_taken = 1;
	/* Only SIG_IGN survives an execve. The lbw that exec'd this one says
	 * which (the guest's view: that includes lbw's own SIGSEGV and the
	 * like, which the host never ignores); else the kernel, one call per
	 * signal: ~20 us in a new process, where its /proc/self/status (one
	 * read) cost ~40 us, its /proc entries made on first use. */
	if (ign_inherited) {
		for (int sig = 1; sig <= NSIG_LINUX; sig++)
			if (ign_mask & (1ULL << (sig - 1)))
				h->act[sig].handler = SIG_IGN;
	} else {
		for (int sig = 1; sig <= NSIG_LINUX; sig++) {
			struct k_sigaction old;
			if (sig == SIGKILL || sig == SIGSTOP)
				continue;
			if (sys4(SYS_rt_sigaction, sig, 0, (long)&old, 8) == 0 && old.handler == SIG_IGN)
				h->act[sig].handler = SIG_IGN;
		}
	}
	t->sighand = h;
	/* The mask lbw was started with may block SIGSEGV, SIGBUS or SIGSYS:
	 * the guest's then, unblocked on the host. */
	uint64_t lbws = SIG_LBW, started = 0;
	sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&lbws, (long)&started, 8);
	if (mask_inherited) {
		/* The exec blocked every signal: the guest's mask back (what
		 * came meanwhile, or was held, the kernel delivers now, to the
		 * new image's dispositions). */
		uint64_t m = mask_passed & ~(SIG_LBW | UNBLOCKABLE);
		sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&m, 0, 8);
	}
	/* (An exec that passed the mask on had blocked lbw's three too.) */
	t->vmask = vmask_inherited | (mask_inherited ? 0 : started & SIG_LBW);
	t->vheld = vheld_inherited;
	for (int i = 0; i < 3; i++)
		if (held_inherited[i].si_signo)
			t->pending_info[held_inherited[i].si_signo] = held_inherited[i];
	return 0;
}

struct sighand *sig_copy_hand(const struct sighand *h)
{
	struct sighand *n = lbw_alloc(sizeof *n);
	if (n)
		memcpy(n, h, sizeof *n);
	return n;
}

long sig_set_action(struct task *t, int sig, const struct k_sigaction *act)
{
	if (sig == SIGKILL || sig == SIGSTOP)
		return -EINVAL;
	struct k_sigaction a = *act;
	a.mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP)); /* SIGSYS stays: it is virtual */
	t->sighand->act[sig] = a;
	if (is_lbws(sig)) {
		if (a.handler == SIG_IGN) /* a pending ignored signal is dropped */
			__atomic_fetch_and(&t->vheld, ~sigbit(sig), __ATOMIC_SEQ_CST);
		return 0; /* the host keeps lbw's handler */
	}
	unsigned long pass = a.flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
	if (a.handler == SIG_DFL || a.handler == SIG_IGN)
		return host_set(sig, a.handler, pass);
	/* SA_RESTART on the host makes the kernel restart (or not) a call the
	 * guest made through the fast path exactly as the guest asked. */
	return host_set(sig, (unsigned long)host_handler, pass | (a.flags & SA_RESTART));
}

void sig_exec_reset(struct task *t)
{
	for (int sig = 1; sig <= NSIG_LINUX; sig++) {
		struct k_sigaction *a = &t->sighand->act[sig];
		/* The kernel clears every action's flags and mask too. */
		unsigned long handler = a->handler == SIG_IGN ? SIG_IGN : SIG_DFL;
		int host_differs = a->handler != handler || (a->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT));
		memset(a, 0, sizeof *a);
		a->handler = handler;
		if (host_differs && !is_lbws(sig))
			host_set(sig, handler, 0);
	}
	memset(&t->guest_altstack, 0, sizeof t->guest_altstack);
}

int sig_on_altstack(const struct task *t, unsigned long sp)
{
	const k_stack_t *ss = &t->guest_altstack;
	/* As the kernel: with SS_AUTODISARM one is never "on" it. */
	if (!ss->ss_size || (ss->ss_flags & (SS_DISABLE | SS_AUTODISARM)))
		return 0;
	return sp > (unsigned long)ss->ss_sp && sp - (unsigned long)ss->ss_sp <= ss->ss_size;
}

size_t sig_fpstate_size(const void *fp)
{
	const uint32_t *sw = (const uint32_t *)((const char *)fp + 464); /* fxsave sw_reserved */
	if (sw[0] == 0x46505853U /* FP_XSTATE_MAGIC1 */ && sw[1] >= 512 && sw[1] <= 65536)
		return sw[1];
	return 512;
}

static void requeue(int sig, const k_siginfo_t *si)
{
	sys4(SYS_rt_tgsigqueueinfo, sys0(SYS_getpid), sys0(SYS_gettid), sig, (long)si);
}

/* Each signal of sigs back to the kernel, with the siginfo lbw kept. */
static void requeue_set(struct task *t, uint64_t sigs)
{
	for (; sigs; sigs &= sigs - 1) {
		int sig = __builtin_ctzll(sigs) + 1;
		requeue(sig, &t->pending_info[sig]);
	}
}

/* The guest cannot take its signal (bad stack, no restorer): it dies of
 * SIGSEGV, as the kernel's force_sigsegv would make it. */
static void force_segv(struct task *t)
{
	t->sighand->act[SIGSEGV].handler = SIG_DFL;
	struct k_sigaction dfl = {SIG_DFL, 0, 0, 0};
	sys4(SYS_rt_sigaction, SIGSEGV, (long)&dfl, 0, 8);
	k_siginfo_t si;
	memset(&si, 0, sizeof si);
	si.si_signo = SIGSEGV;
	si.si_code = 0x80; /* SI_KERNEL */
	requeue(SIGSEGV, &si);
}

struct rt_frame {
	uint64_t pretcode;
	k_ucontext_t uc;
	k_siginfo_t info;
};

/* Sends sig to the guest's disposition from the guest context uc (lbw's
 * own saved context, which it rewrites to enter the handler). */
static void deliver(struct task *t, int sig, const k_siginfo_t *si, k_ucontext_t *uc)
{
	struct k_sigaction *a = &t->sighand->act[sig];
	int fault = si->si_code > 0 && (FAULT_SIGS & sigbit(sig));
	unsigned long handler = a->handler;
	if (handler == SIG_IGN && !fault)
		return;
	if (handler == SIG_DFL || handler == SIG_IGN) {
		/* The kernel's default action: a fault recurs when we return, a
		 * sent signal is queued again; either now meets SIG_DFL. */
		host_set(sig, SIG_DFL, 0);
		if (!fault)
			requeue(sig, si);
		return;
	}
	if (!(a->flags & SA_RESTORER)) {
		force_segv(t);
		return;
	}
	struct k_sigcontext *r = &uc->uc_mcontext;
	int on = sig_on_altstack(t, r->rsp);
	unsigned long sp = r->rsp - 128; /* the red zone */
	int to_alt = (a->flags & SA_ONSTACK) && t->guest_altstack.ss_size &&
		     !(t->guest_altstack.ss_flags & SS_DISABLE) && !on;
	if (to_alt)
		sp = (unsigned long)t->guest_altstack.ss_sp + t->guest_altstack.ss_size;
	const void *fp = (const void *)r->fpstate;
	size_t fpsz = fp ? sig_fpstate_size(fp) : 0;
	unsigned long fpaddr = 0;
	if (fp) {
		sp = (sp - fpsz) & ~63UL;
		fpaddr = sp;
	}
	sp -= sizeof(struct rt_frame);
	sp = (sp & ~15UL) - 8; /* as after a call: (sp + 8) % 16 == 0 */

	struct rt_frame f;
	memset(&f, 0, sizeof f);
	f.pretcode = a->restorer;
	f.uc.uc_flags = uc->uc_flags;
	f.uc.uc_stack = t->guest_altstack;
	/* The kernel stores the sigaltstack as set, not whether it is in use. */
	if (!t->guest_altstack.ss_size || (t->guest_altstack.ss_flags & SS_DISABLE))
		f.uc.uc_stack.ss_flags = SS_DISABLE;
	else
		f.uc.uc_stack.ss_flags = t->guest_altstack.ss_flags & SS_AUTODISARM;
	f.uc.uc_mcontext = *r;
	f.uc.uc_mcontext.fpstate = fpaddr;
	/* Signals lbw holds are blocked on the host only until it hands them
	 * back: not part of the mask the handler's return restores. */
	f.uc.uc_sigmask = (uc->uc_sigmask & ~(t->pending & ~SIG_LBW)) | t->vmask;
	f.info = *si;
	if ((fp && copy_to_guest((void *)fpaddr, fp, fpsz) < 0) ||
	    copy_to_guest((void *)sp, &f, sizeof f) < 0) {
		force_segv(t);
		return;
	}
	if (to_alt && (t->guest_altstack.ss_flags & SS_AUTODISARM)) {
		/* Disarmed while the handler runs; its rt_sigreturn restores it. */
		t->guest_altstack.ss_sp = NULL;
		t->guest_altstack.ss_size = 0;
		t->guest_altstack.ss_flags = SS_DISABLE;
	}
	r->rip = handler;
	r->rsp = sp;
	r->rdi = sig;
	r->rsi = sp + __builtin_offsetof(struct rt_frame, info);
	r->rdx = sp + __builtin_offsetof(struct rt_frame, uc);
	r->rax = 0;
	r->eflags &= ~(0x400UL | 0x100UL | 0x10000UL | 0x40000UL); /* DF, TF, RF, AC */
	r->fpstate = 0; /* the handler starts with a clean FPU, as from the kernel */
	uint64_t m = uc->uc_sigmask | a->mask;
	if (!(a->flags & SA_NODEFER))
		m |= sigbit(sig);
	t->vmask |= m & SIG_LBW; /* virtual: the host never blocks them */
	uc->uc_sigmask = m & ~UNBLOCKABLE;
	if (a->flags & SA_RESETHAND) {
		a->handler = SIG_DFL;
		a->flags &= ~SA_SIGINFO;
		if (!is_lbws(sig))
			host_set(sig, SIG_DFL, 0);
	}
}

/* True while lbw's own code runs on t's stack (its SIGSYS handler). */
static int in_lbw(const struct task *t, unsigned long sp)
{
	return sp >= (unsigned long)t && sp < t->stack_hi;
}

/* The host handler of every signal the guest handles, and the guest path
 * of lbw's SIGSYS, SIGSEGV and SIGBUS handlers. */
void sig_from_host(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	struct task *t = task_current();
	struct k_sigcontext *r = &uc->uc_mcontext;
	if (t->vmask & sigbit(sig)) {
		if (si->si_code > 0 && (FAULT_SIGS & sigbit(sig))) {
			/* A fault the guest blocks: the kernel would unblock it
			 * and take the default action, which the fault meets
			 * again when we return. */
			t->vmask &= ~sigbit(sig);
			t->sighand->act[sig].handler = SIG_DFL;
			host_set(sig, SIG_DFL, 0);
			return;
		}
		/* Sent, and blocked by the guest: it waits until the guest
		 * unblocks it (one at most, as for any standard signal). */
		t->pending_info[sig] = *si;
		__atomic_fetch_or(&t->vheld, sigbit(sig), __ATOMIC_SEQ_CST);
		return;
	}
	if (!in_lbw(t, r->rsp)) {
		deliver(t, sig, si, uc);
		return;
	}
	/* lbw was running: keep the signal for the way back to the guest, and
	 * keep further ones queued in the kernel until then. */
	t->pending |= sigbit(sig);
	t->pending_info[sig] = *si;
	if (!(sigbit(sig) & SIG_LBW)) /* those must stay deliverable to lbw */
		uc->uc_sigmask |= sigbit(sig);
	/* In the last look at pending before lbw returns to the guest: made
	 * again (rt/gate.S). */
	if (r->rip >= (unsigned long)lbw_restorer_checked && r->rip <= (unsigned long)lbw_restorer_checked_insn)
		r->rip = (unsigned long)lbw_restorer_checked;
	else if (r->rip >= (unsigned long)lbw_cp_begin && r->rip <= (unsigned long)lbw_cp_insn) {
		/* The guest's call had not started, or the kernel rewound it to
		 * restart: cut it short; the guest makes it again after its
		 * handler, as the kernel would have. */
		r->rip = (unsigned long)lbw_cp_cancel;
	}
}

static void host_handler(int sig, k_siginfo_t *si, k_ucontext_t *uc)
{
	sig_from_host(sig, si, uc);
}

/* Calls that install a temporary mask for their duration: a signal that
 * ends them is delivered even if the guest's usual mask blocks it. */
static int temp_mask_call(long nr)
{
	return nr == SYS_rt_sigsuspend || nr == SYS_pselect6 || nr == SYS_ppoll ||
	       nr == SYS_epoll_pwait || nr == SYS_epoll_pwait2;
}

/* lbw's own signals cannot wait in the kernel unblocked: they would come
 * straight back into lbw. They wait blocked on the host until lbw returns
 * to the guest, whose mask (which the kernel restores then) lets the kernel
 * deliver them. Only after lbw's last access to guest memory: a fault
 * there while SIGSEGV is blocked would not reach lbw. */
static void requeue_on_return(struct task *t, uint64_t sigs)
{
	sys4(SYS_rt_sigprocmask, SIG_BLOCK, (long)&sigs, 0, 8);
	requeue_set(t, sigs);
}

void sig_deliver_pending(struct task *t, k_ucontext_t *uc, long nr)
{
	int delivered = 0;
	uint64_t lbws = 0;
	while (t->pending) {
		int sig = __builtin_ctzll(t->pending) + 1;
		t->pending &= ~sigbit(sig);
		k_siginfo_t *si = &t->pending_info[sig];
		struct k_sigaction *a = &t->sighand->act[sig];
		int own = (sigbit(sig) & SIG_LBW) != 0;
		uint64_t mask = own ? t->vmask : uc->uc_sigmask;
		int blocked = (mask & sigbit(sig)) && !temp_mask_call(nr);
		if (own && blocked) {
			__atomic_fetch_or(&t->vheld, sigbit(sig), __ATOMIC_SEQ_CST); /* blocked virtually */
			continue;
		}
		if (own && (a->handler == SIG_DFL || a->handler == SIG_IGN)) {
			deliver(t, sig, si, uc); /* ignored, or the default action */
			continue;
		}
		if (delivered || blocked || a->handler == SIG_DFL || a->handler == SIG_IGN) {
			/* the kernel keeps it, or acts on it */
			if (own)
				lbws |= sigbit(sig);
			else
				requeue(sig, si);
			continue;
		}
		deliver(t, sig, si, uc);
		delivered = 1;
	}
	sig_returning(t, lbws);
}

void sig_returning(struct task *t, uint64_t lbws)
{
	/* One that came since the last look at pending goes back to the
	 * kernel too. (One that comes after this is found by the last look,
	 * in rt/gate.S, right before the return to the guest.) */
	uint64_t late = __atomic_exchange_n(&t->pending, 0, __ATOMIC_SEQ_CST);
	requeue_set(t, late & ~SIG_LBW);
	__atomic_fetch_or(&t->vheld, late & t->vmask, __ATOMIC_SEQ_CST); /* blocked virtually */
	lbws |= late & SIG_LBW & ~t->vmask;
	if (lbws)
		requeue_on_return(t, lbws);
}

uint64_t sig_block_all(void)
{
	uint64_t all = ~0ULL, old = 0; /* lbw's own three too: nothing can come */
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&old, 8);
	return old;
}

/* Called by rt/gate.S's last look at pending: those that came after the
 * handler's own look go back to the kernel. */
void lbw_pending_late(struct task *t)
{
	sig_returning(t, 0);
}

void sig_release_held(struct task *t)
{
	uint64_t held = __atomic_exchange_n(&t->pending, 0, __ATOMIC_SEQ_CST);
	__atomic_fetch_or(&t->vheld, held & t->vmask, __ATOMIC_SEQ_CST); /* blocked virtually */
	requeue_set(t, held & ~t->vmask);
	/* Held, they were blocked in the host mask (sig_from_host), which
	 * the guest's mask left them out of. */
	sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, (long)&held, 0, 8);
}

uint64_t sig_mask_fast(struct task *t, int how, uint64_t set)
{
	uint64_t host_old, held;
	if (how < 0 || how == SIG_BLOCK) {
		/* Blocking more, in one call. A signal lbw holds is blocked in
		 * the host's mask but not in the guest's: one held before the
		 * call is in host_old, one held after it was deliverable under
		 * both masks, so is not. */
		uint64_t add = set & ~UNBLOCKABLE;
		sys4(SYS_rt_sigprocmask, SIG_BLOCK, how < 0 ? 0 : (long)&add, (long)&host_old, 8);
		held = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~SIG_LBW;
		uint64_t old = (host_old & ~held) | t->vmask;
		if (how == SIG_BLOCK) {
			sig_set_vmask(t, t->vmask | set);
			/* held signals the guest now blocks: the kernel keeps them */
			requeue_set(t, __atomic_fetch_and(&t->pending, ~add, __ATOMIC_SEQ_CST) & add);
		}
		return old;
	}
	/* Unblocking (or setting): first every signal blocked, so that what
	 * lbw holds (t->pending) stays as it is while the mask changes. */
	uint64_t all = ~UNBLOCKABLE;
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&all, (long)&host_old, 8);
	held = __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~SIG_LBW;
	uint64_t old = (host_old & ~held) | t->vmask;
	uint64_t m = (how == SIG_UNBLOCK ? old & ~set : set) & ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
	sig_set_vmask(t, m);
	/* Held signals the new mask blocks wait in the kernel; the others stay
	 * blocked on the host until lbw_fast_finish hands them back. */
	uint64_t now = held & m;
	if (now) {
		__atomic_fetch_and(&t->pending, ~now, __ATOMIC_SEQ_CST);
		requeue_set(t, now);
	}
	uint64_t host_new = (m | (held & ~now)) & ~UNBLOCKABLE;
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&host_new, 0, 8);
	return old;
}

void sig_set_vmask(struct task *t, uint64_t mask)
{
	t->vmask = mask & SIG_LBW;
	/* Unblocked: deliver them on the way back to the guest. (Atomic: a
	 * signal handler on this thread may add to vheld meanwhile.) */
	uint64_t freed = __atomic_fetch_and(&t->vheld, t->vmask, __ATOMIC_SEQ_CST) & ~t->vmask;
	if (freed)
		__atomic_fetch_or(&t->pending, freed, __ATOMIC_SEQ_CST);
}

void sig_return(struct task *t, unsigned long sp)
{
	k_ucontext_t *guc = (k_ucontext_t *)sp;
	k_stack_t gs;
	uint64_t mask;
	if (copy_from_guest(&gs, &guc->uc_stack, sizeof gs) == 0 &&
	    copy_from_guest(&mask, &guc->uc_sigmask, sizeof mask) == 0) {
		/* The frame's sigaltstack is the guest's; the host's stays lbw's. */
		if (!sig_on_altstack(t, sp)) {
			t->guest_altstack = gs;
			t->guest_altstack.ss_flags &= SS_DISABLE | SS_AUTODISARM;
		}
		k_stack_t mine = {(void *)t->stack_lo, 0, t->stack_hi - t->stack_lo};
		sig_set_vmask(t, mask);
		mask &= ~UNBLOCKABLE;
		copy_to_guest(&guc->uc_stack, &mine, sizeof mine);
		copy_to_guest(&guc->uc_sigmask, &mask, sizeof mask);
	}
	/* Keep anything lbw was holding for the guest in the kernel, which
	 * delivers it once the frame's mask is back (lbw's own signals that
	 * mask blocks, lbw keeps). Every signal blocked first: none can come
	 * after this last look (the rt_sigreturn puts the frame's mask back). */
	sig_block_all();
	sig_returning(t, 0);
	/* A bad frame makes the kernel's rt_sigreturn kill the guest (SIGSEGV). */
	lbw_sigreturn_at(sp);
	__builtin_unreachable();
}
