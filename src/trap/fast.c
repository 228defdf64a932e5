/* The fast path into the dispatcher: a call lbw emulates, made from a
 * rewritten site without a signal (trap/fastemu.S is the way in). The
 * handlers of such calls never need the guest's whole context (c->uc is
 * NULL): rewrite.c gives this way only to the path, owner and fake-root
 * rows and to a few others (emulated_without_frame), whose handlers take
 * their arguments and return a value. */
#include "../task.h"
#include "../rt/rt.h"
#include "../sys/dispatch.h"
#include "../sig/sig.h"
#include "rewrite.h"

/* What fastemu.S keeps on the guest's stack, from its %rbx up. */
struct fast_frame {
	k_stack_t ss;    /* sigaltstack's answer: where the lbw stack is */
	struct task *t;
	long result;
	long done;       /* 1: done; 0: the site's syscall makes it (trap) */
	unsigned long rbx, nr, r10, r9, r8, rdx, rsi, rdi, flags, ret;
};
_Static_assert(sizeof(k_stack_t) == 24, "fastemu.S: ss at 0");
_Static_assert(__builtin_offsetof(struct fast_frame, t) == 24, "fastemu.S: task at 24");
_Static_assert(__builtin_offsetof(struct fast_frame, result) == 32, "fastemu.S: result at 32");
_Static_assert(__builtin_offsetof(struct fast_frame, done) == 40, "fastemu.S: done at 40");
_Static_assert(__builtin_offsetof(struct fast_frame, rbx) == 48, "fastemu.S: registers at 48");
_Static_assert(__builtin_offsetof(struct task, stack_hi) == 40, "fastemu.S: TASK_STACK_HI");
_Static_assert(LBW_STACK_SIZE == 0x40000, "fastemu.S: LBW_STACK_SIZE");
_Static_assert(TASK_MAGIC == 0x6c62777461736b31UL, "fastemu.S: TASK_MAGIC");

long lbw_fast_dispatch(struct task *t, struct fast_frame *f);
void lbw_fast_finish(struct task *t);

long lbw_fast_dispatch(struct task *t, struct fast_frame *f)
{
	struct sc c;
	c.nr = (int)f->nr; /* the kernel reads %eax */
	c.a[0] = (long)f->rdi;
	c.a[1] = (long)f->rsi;
	c.a[2] = (long)f->rdx;
	c.a[3] = (long)f->r10;
	c.a[4] = (long)f->r8;
	c.a[5] = (long)f->r9;
	c.uc = NULL;
	c.via = VIA_FAST;
	/* The stub stepped over the red zone before calling fastemu.S. */
	c.sp = (unsigned long)(f + 1) + RED_ZONE;
	/* A thread's (or vfork child's) clone from a fork's site: the site's
	 * own syscall makes it by the trap, counted once, there. */
	if (clone_needs_frame(c.nr, (unsigned long)c.a[0], (unsigned long)c.a[1])) {
		f->done = 0;
		return -ERESTARTSYS;
	}
	long ret = dispatch(t, &c);
	/* Cut short by a signal before it was made: after the handler (which
	 * lbw_fast_finish lets the kernel run first), the site's own syscall
	 * makes it again, as the kernel restarts a call. */
	f->done = ret != -ERESTARTSYS;
	return ret;
}

/* Back on the guest's stack: signals held while lbw ran go back to the
 * kernel, which delivers them now. */
void lbw_fast_finish(struct task *t)
{
	if (__atomic_load_n(&t->pending, __ATOMIC_SEQ_CST))
		sig_release_held(t);
}
