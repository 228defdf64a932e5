/* Guest signals, delivered by lbw. The guest's dispositions, mask and
 * sigaltstack are virtual; lbw owns the host handlers and its own
 * sigaltstack, and builds the guest's rt_sigframe itself on the guest's
 * stack or altstack, as the kernel would. */
#ifndef LBW_SIG_H
#define LBW_SIG_H

#include "../task.h"

/* lbw's own signals: the trap, and faults in its guest-memory routines. The
 * host never blocks them (a blocked forced SIGSYS kills; a blocked fault
 * resets lbw's handler and kills): the guest's mask bits for them are
 * virtual (task.vmask). */
#define SIG_LBW (sigbit(SIGSYS) | sigbit(SIGSEGV) | sigbit(SIGBUS))

/* Dispositions shared by the threads of a process (CLONE_SIGHAND). */
struct sighand {
	struct k_sigaction act[NSIG_LINUX + 1];
};

/* Reads the dispositions this image inherited (SIG_IGN survives execve)
 * and installs lbw's own handlers. 0 or -errno. */
long sig_init(struct task *t);
/* The signals t's guest ignores, as a mask (bit sig-1). */
uint64_t sig_ignored_mask(const struct task *t);
/* The ignored set passed on by the lbw that exec'd this one (LBW_STATE):
 * sig_init takes it instead of reading /proc/self/status. */
void sig_inherit_ignored(uint64_t mask);
/* The guest's virtual mask bits (SIG_LBW) and one signal of them held
 * while blocked (its siginfo), passed on the same way; sig_init applies
 * them. */
void sig_inherit_vmask(uint64_t vmask);
void sig_inherit_held(const k_siginfo_t *info);
/* A copy of t's dispositions for a child that shares memory but not
 * handlers (vfork, posix_spawn). NULL when out of memory. */
struct sighand *sig_copy_hand(const struct sighand *h);
/* Sets the guest's disposition for sig and the host's to match. */
long sig_set_action(struct task *t, int sig, const struct k_sigaction *act);
/* What execve does to signal state: caught signals back to their default
 * action (ignored ones stay ignored), no alternate signal stack. */
void sig_exec_reset(struct task *t);
/* After a trapped call: delivers a signal that arrived while lbw ran.
 * uc is the guest's context; nr and ret the call just serviced. */
void sig_deliver_pending(struct task *t, k_ucontext_t *uc, long nr);
/* The end of a trap, past the last guest memory access: what came since
 * the last look at pending goes back to the kernel (lbws: lbw's own
 * signals to requeue as well). */
void sig_returning(struct task *t, uint64_t lbws);
/* Blocks every signal on the host (lbw's own three too: only after lbw's
 * last access to guest memory), before a last look at pending that is
 * followed by a return to the guest which restores its mask (rt_sigreturn
 * of a frame, an exec that passes the mask on). Returns the mask it was. */
uint64_t sig_block_all(void);
/* The guest's mask passed on by the lbw that exec'd this one through the
 * kernel, which blocked every signal for the exec: sig_init restores it. */
void sig_inherit_mask(uint64_t mask);
/* After a call made on the fast path, back on the guest's stack: the
 * signals held while lbw ran go back to the kernel and are unblocked, so
 * that it delivers them (to sig_from_host, which finds the guest running). */
void sig_release_held(struct task *t);
/* rt_sigprocmask made from a rewritten site (no signal frame's mask to
 * edit): the thread's own mask, and the virtual bits; how < 0 only reads.
 * Returns the guest's mask as it was. */
uint64_t sig_mask_fast(struct task *t, int how, uint64_t set);
/* The guest's mask now blocks, of SIG_LBW, those in mask (virtually);
 * one held that it unblocks is delivered on the way back to the guest. */
void sig_set_vmask(struct task *t, uint64_t mask);
/* The guest handler returned through rt_sigreturn: resume its frame. */
__attribute__((noreturn)) void sig_return(struct task *t, unsigned long sp);
/* True when the guest's stack pointer sp is on its sigaltstack. */
int sig_on_altstack(const struct task *t, unsigned long sp);
/* Bytes of the saved FPU/vector state at fp (the xsave size the kernel
 * wrote in the fxsave area's software-reserved words, else 512). */
size_t sig_fpstate_size(const void *fp);

#endif
