/* Processes: fork, vfork, clone, clone3, execve, exit. Every new process or
 * thread starts in lbw code and arms the trap before any guest instruction
 * runs (Syscall User Dispatch is not inherited); execve re-executes lbw. */
#include "table.h"
#include "dispatch.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../trap/trap.h"
#include "../trap/rewrite.h"
#include "../loader/loader.h"
#include "../trace/stats.h"
#include "../sig/sig.h"
#include "../vfs/vfs.h"

long lbw_clone_vm(long nr, unsigned long a1, unsigned long a2, unsigned long a3, unsigned long a4,
		  unsigned long a5);

/* In a fork child: this process's own state, then the trap again.
 * Every signal is blocked (fork_begin). */
static void child_after_fork(struct task *t)
{
	/* Only the forking thread goes on in the child. Each page written
	 * here costs a copy-on-write fault: write only what changes. */
	if (lbw_nthreads != 1)
		lbw_nthreads = 1;
	if (lbw_solo != t)
		lbw_solo = t;
	t->is_thread = 0;
	t->pending = 0; /* pending signals are not inherited */
	if (t->vheld)
		t->vheld = 0;
	t->tid = (int)sys0(SYS_gettid);
	if (trap_arm(t) < 0)
		lbw_die(127, "cannot arm the trap in a child process");
}

/* Size of the guest's FPU/XSAVE area behind uc_mcontext.fpstate. */
/* The first C code of a child that shares lbw's memory, on its own lbw
 * stack: arm the trap, then hand back the guest frame to resume. */
__attribute__((used)) unsigned long lbw_child_start(unsigned long sp)
{
	(void)sp;
	struct task *t = task_current();
	t->tid = (int)sys0(SYS_gettid);
	if (trap_arm(t) < 0)
		lbw_die(127, "cannot arm the trap in a new thread");
	/* A signal sent to the new thread meanwhile waits in t->pending: it
	 * goes back to the kernel, with every signal blocked until the frame's
	 * rt_sigreturn puts the guest's mask back. */
	sig_block_all();
	sig_returning(t, 0);
	return t->resume_sp;
}

/* A vfork child starts with its parent's sigaltstack (the kernel clears
 * it only for CLONE_VM without CLONE_VFORK): the parent's lbw stack, with
 * the parent's SIGSYS frame on it, which a signal framed there would
 * overwrite. Every signal waits (the parent waits anyway) until the
 * child's rt_sigreturn puts the guest's mask back, and the parent's after
 * the clone. */
static uint64_t vfork_mask(unsigned long flags)
{
	return flags & CLONE_VFORK ? sig_block_all() : 0;
}

static void vfork_unmask(unsigned long flags, uint64_t old)
{
	if (flags & CLONE_VFORK)
		sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8);
}

/* A child sharing memory (thread, vfork) must not run on the parent's lbw
 * stack: give it a new one holding a copy of the parent's guest frame,
 * with rax = 0 and the stack the guest asked for; the child resumes the
 * guest through rt_sigreturn, which also installs its sigaltstack. */
static struct task *prepare_vm_child(struct sc *c, unsigned long guest_sp, unsigned long flags)
{
	struct task *ct = task_new(2); /* a signal frame and a call or two */
	if (!ct)
		return NULL;
	k_ucontext_t *puc = c->uc;
	const void *pfp = (const void *)puc->uc_mcontext.fpstate;
	size_t fpsz = pfp ? sig_fpstate_size(pfp) : 0;
	unsigned long top = ct->stack_hi;
	unsigned long fp = (top - fpsz - 64) & ~63UL;
	unsigned long ucp = (fp - sizeof(k_ucontext_t)) & ~15UL;
	/* rt_sigreturn takes the frame at %rsp - 8: a pretcode slot, then uc. */
	unsigned long frame = ucp - 8;
	k_ucontext_t *uc = (k_ucontext_t *)ucp;
	memcpy(uc, puc, sizeof *uc);
	if (pfp) {
		memcpy((void *)fp, pfp, fpsz);
		uc->uc_mcontext.fpstate = fp;
	}
	uc->uc_mcontext.rax = 0;
	if (guest_sp)
		uc->uc_mcontext.rsp = guest_sp;
	uc->uc_stack.ss_sp = (void *)ct->stack_lo;
	uc->uc_stack.ss_size = ct->stack_hi - ct->stack_lo;
	uc->uc_stack.ss_flags = 0;
	uc->uc_flags = puc->uc_flags;
	ct->resume_sp = ucp;
	/* Handlers are shared by threads (CLONE_SIGHAND), copied otherwise. */
	struct task *pt = task_current();
	ct->vmask = pt->vmask; /* the mask is inherited, not what is pending */
	ct->sighand = (flags & CLONE_SIGHAND) ? pt->sighand : sig_copy_hand(pt->sighand);
	if (!ct->sighand) {
		task_free(ct);
		return NULL;
	}
	/* The child's own C code runs below the frame. */
	ct->child_sp = (frame - 256) & ~15UL;
	return ct;
}

/* Before the clone of a child sharing the memory: a thread (or process
 * sharing it) is counted, and there is no solo task any more; a vfork
 * child is the solo task while it runs. What lbw_solo was, for
 * vm_child_back. */
static struct task *vm_child_enter(struct task *ct)
{
	struct task *solo = lbw_solo;
	if (ct->is_thread) {
		__atomic_fetch_add(&lbw_nthreads, 1, __ATOMIC_SEQ_CST);
		__atomic_store_n(&lbw_solo, NULL, __ATOMIC_SEQ_CST);
	} else if (solo) {
		lbw_solo = ct;
	}
	return solo;
}

/* After it (r: the clone's result): a thread that was not made is not
 * counted; the vfork child has exec'd or exited, the parent is solo again. */
static void vm_child_back(struct task *ct, struct task *solo, long r)
{
	if (ct->is_thread) {
		if (r < 0)
			__atomic_fetch_sub(&lbw_nthreads, 1, __ATOMIC_SEQ_CST);
	} else if (solo && __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) == 1) {
		lbw_solo = solo; /* (unless the child made threads that live on) */
	}
}

static void vm_child_free(struct task *ct)
{
	if (ct->sighand != task_current()->sighand)
		lbw_free(ct->sighand);
	task_free(ct);
}

/* A process sharing its memory or descriptor table with another (not a
 * thread of its own, not a vfork child that will exec or exit first) must
 * get the kernel's exec, which unshares them. Set before the clone, so the
 * child has it too. */
static void note_sharing(unsigned long flags)
{
	if (flags & CLONE_THREAD)
		return;
	if (((flags & CLONE_VM) && !(flags & CLONE_VFORK)) || (flags & CLONE_FILES))
		exec_via_kernel = 1;
}

/* No other thread may hold an lbw lock across a fork. With no other
 * thread there is none to wait for, and the lock words' page is left
 * unwritten (it would cost a copy-on-write fault in parent and child). */
static int fork_lock(void)
{
	if (__atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) == 1)
		return 0;
	trap_fork_lock();
	rewrite_fork_lock();
	rt_fork_lock();
	return 1;
}

static void fork_unlock(int locked)
{
	if (!locked)
		return;
	rt_fork_unlock();
	rewrite_fork_unlock();
	trap_fork_unlock();
}

/* Every signal blocked across a fork: one lbw caught in the child
 * before child_after_fork would be taken for the parent's and dropped. */
static uint64_t fork_begin(unsigned long flags)
{
	/* (With CLONE_VFORK the parent waits in the call for the child's
	 * exec or exit: a fatal signal must still end it, as natively.) */
	if (flags & CLONE_VFORK) {
		uint64_t old = 0;
		sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&old, 8);
		return old;
	}
	return sig_block_all();
}

/* After the fork, the mask from before it. The signals the parent held
 * (caught while lbw ran, blocked on the host until lbw hands them back to
 * the kernel) are the parent's: the child has them unblocked, as its
 * guest mask says. A trap's rt_sigreturn would restore that mask anyway;
 * a call from a rewritten site (no frame) has only this. */
static void fork_end(struct task *t, long r, uint64_t old)
{
	if (r == 0) {
		old &= ~(__atomic_load_n(&t->pending, __ATOMIC_SEQ_CST) & ~SIG_LBW);
		child_after_fork(t);
		rewrite_after_fork(1);
	}
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&old, 0, 8);
}

static long do_clone(struct sc *c, unsigned long flags, unsigned long guest_sp, int *ptid, int *ctid,
		     unsigned long tls)
{
	struct task *t = task_current();
	note_sharing(flags);
	if ((flags & CLONE_VM) || (flags & CLONE_VFORK)) {
		if (!(flags & CLONE_VM)) {
			/* vfork without shared memory: a fork that keeps the wait. */
		} else {
			struct task *ct = prepare_vm_child(c, guest_sp, flags);
			if (!ct)
				return -ENOMEM;
			/* Whatever runs in this memory alongside the caller is
			 * counted (a thread, or a process sharing it), all but
			 * the vfork child, which runs while its parent waits. */
			ct->is_thread = !(flags & CLONE_VFORK);
			ct->parent_frees = (flags & CLONE_VFORK) != 0;
			struct task *solo = vm_child_enter(ct);
			uint64_t mask = vfork_mask(flags);
			long r = lbw_clone_vm(SYS_clone, flags, ct->child_sp, (unsigned long)ptid,
					      (unsigned long)ctid, tls);
			vfork_unmask(flags, mask);
			vm_child_back(ct, solo, r);
			/* With CLONE_VFORK the child has exec'd or exited: its stack
			 * and handler copy are free again. */
			if (r < 0 || (flags & CLONE_VFORK))
				vm_child_free(ct);
			return r;
		}
	}
	rewrite_before_fork();
	int locked = fork_lock();
	uint64_t mask = fork_begin(flags);
	long r = sys5(SYS_clone, flags, 0, (long)ptid, (long)ctid, tls);
	fork_unlock(locked);
	fork_end(t, r, mask);
	if (r == 0 && guest_sp)
		c->uc->uc_mcontext.rsp = guest_sp;
	return r;
}

long sys_clone(struct task *t, struct sc *c)
{
	(void)t;
	return do_clone(c, c->a[0], c->a[1], (int *)c->a[2], (int *)c->a[3], c->a[4]);
}

long sys_fork(struct task *t, struct sc *c)
{
	(void)t;
	return do_clone(c, SIGCHLD, 0, NULL, NULL, 0);
}

long sys_vfork(struct task *t, struct sc *c)
{
	(void)t;
	return do_clone(c, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
}

long sys_clone3(struct task *t, struct sc *c)
{
	(void)t;
	struct clone_args ca;
	size_t size = c->a[1];
	if (size < 64 || size > 4096)
		return -EINVAL;
	memset(&ca, 0, sizeof ca);
	if (copy_from_guest(&ca, (void *)c->a[0], size < sizeof ca ? size : sizeof ca) < 0)
		return -EFAULT;
	unsigned long guest_sp = ca.stack ? ca.stack + ca.stack_size : 0;
	if (ca.stack && !ca.stack_size)
		return -EINVAL;
	if (ca.set_tid || ca.cgroup || (ca.flags & (CLONE_PIDFD | CLONE_INTO_CGROUP)) ||
	    (ca.flags & ~0xffffffffULL)) {
		note_sharing(ca.flags);
		/* Keep the kernel's answer for what lbw does not rewrite: run
		 * it as clone3 with lbw's own stack handling. */
		if (ca.flags & CLONE_VM) {
			struct task *ct = prepare_vm_child(c, guest_sp, ca.flags);
			if (!ct)
				return -ENOMEM;
			ca.stack = ct->stack_lo;
			ca.stack_size = ct->child_sp - ct->stack_lo;
			ct->is_thread = !(ca.flags & CLONE_VFORK); /* as in do_clone */
			ct->parent_frees = (ca.flags & CLONE_VFORK) != 0;
			struct task *solo = vm_child_enter(ct);
			uint64_t mask = vfork_mask(ca.flags);
			long r = lbw_clone_vm(SYS_clone3, (unsigned long)&ca, sizeof ca, 0, 0, 0);
			vfork_unmask(ca.flags, mask);
			vm_child_back(ct, solo, r);
			if (r < 0 || (ca.flags & CLONE_VFORK))
				vm_child_free(ct);
			return r;
		}
		ca.stack = ca.stack_size = 0;
		rewrite_before_fork();
		int locked = fork_lock();
		uint64_t mask = fork_begin(ca.flags);
		long r = sys2(SYS_clone3, (long)&ca, sizeof ca);
		fork_unlock(locked);
		fork_end(task_current(), r, mask);
		if (r == 0 && guest_sp)
			c->uc->uc_mcontext.rsp = guest_sp;
		return r;
	}
	if (ca.exit_signal & ~CSIGNAL)
		return -EINVAL;
	return do_clone(c, ca.flags | ca.exit_signal, guest_sp, (int *)ca.parent_tid,
			(int *)ca.child_tid, ca.tls);
}

/* The new image: in this process when nothing needs the kernel's exec,
 * else by re-executing lbw. */
static long exec_image(struct task *t, struct sc *c, struct exec_plan *p, char *const *gargv,
		       char *const *genvp)
{
	long r = exec_pin_load(p);
	if (r < 0)
		return r;
	r = exec_in_place(t, c, p, gargv, genvp);
	if (r == 1) {
		dispatch_trace_noreturn(c);
		/* The new lbw puts the guest's mask back (exec_lbw blocks every
		 * signal for the exec). */
		p->sigmask = c->uc->uc_sigmask;
		p->has_sigmask = 1;
		r = exec_lbw(p, gargv, genvp); /* closes p->pinned_fd when it fails */
	} else if (r < 0 && p->pinned_fd >= 0) {
		sys1(SYS_close, p->pinned_fd);
	}
	return r;
}

static long do_execve(struct task *t, struct sc *c, const char *gpath, char *const *gargv,
		      char *const *genvp)
{
	/* All on lbw's stack: see exec_lbw on vfork children. */
	struct exec_plan plan, *p = &plan;
	char path[PATH_MAX_LBW];
	long r = strncpy_from_guest(path, gpath, PATH_MAX_LBW);
	if (r < 0)
		goto out;
	r = exec_resolve(path, path, p);
	if (r < 0)
		goto out;
	r = exec_image(t, c, p, gargv, genvp);
out:
	return r;
}

long sys_execve(struct task *t, struct sc *c)
{
	return do_execve(t, c, (const char *)c->a[0], (char *const *)c->a[1], (char *const *)c->a[2]);
}

long sys_execveat(struct task *t, struct sc *c)
{
	int dirfd = (int)c->a[0];
	int flags = (int)c->a[4];
	char path[PATH_MAX_LBW];
	long r = strncpy_from_guest(path, (const char *)c->a[1], sizeof path);
	if (r < 0)
		return r;
	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	/* The file is found through the fd (its guest path inside a root,
	 * /proc/thread-self/fd otherwise); the new image's name for it is the
	 * kernel's: /dev/fd/N[/path]. */
	char full[PATH_MAX_LBW + 64], name[PATH_MAX_LBW + 64];
	int via_fd = path[0] != '/' && (!path[0] || dirfd != AT_FDCWD);
	int host_path = 0;
	if (!path[0] && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	if (!via_fd) {
		strlcpy(full, path, sizeof full);
		strlcpy(name, path, sizeof name);
	} else {
		if (path[0])
			lbw_snprintf(name, sizeof name, "/dev/fd/%d/%s", dirfd, path);
		else
			lbw_snprintf(name, sizeof name, "/dev/fd/%d", dirfd);
		if (vfs_active() && !path[0]) {
			/* The descriptor itself: an open file needs no lookup in the
			 * guest's tree (a memfd has no path there at all). */
			lbw_snprintf(full, sizeof full, PROC_FD "%d", dirfd);
			host_path = 1;
		} else if (vfs_active()) {
			r = vfs_fd_guest_path(dirfd, full, PATH_MAX_LBW);
			if (r < 0)
				return r;
			if (path[0] && strlen(full) + strlen(path) + 2 < sizeof full) {
				if (strcmp(full, "/"))
					strlcpy(full + strlen(full), "/", 2);
				strlcpy(full + strlen(full), path, sizeof full - strlen(full));
			}
		} else if (path[0]) {
			lbw_snprintf(full, sizeof full, PROC_FD "%d/%s", dirfd, path);
		} else {
			lbw_snprintf(full, sizeof full, PROC_FD "%d", dirfd);
		}
	}
	struct exec_plan plan, *p = &plan;
	r = exec_resolve_as(full, name, p, host_path);
	/* A script reached through a close-on-exec fd: its interpreter could
	 * not open /dev/fd/N after the exec, so the kernel says ENOENT. */
	if (r == 0 && via_fd && p->npre && (sys2(SYS_fcntl, dirfd, F_GETFD) & FD_CLOEXEC))
		r = -ENOENT;
	if (r == 0)
		r = exec_image(t, c, p, (char *const *)c->a[2], (char *const *)c->a[3]);
	return r;
}

/* Registered per thread: an exec in place must undo it, as the kernel's
 * exec does, or the kernel would go on writing into the old image's TLS. */
long sys_rseq(struct task *t, struct sc *c)
{
	long r = sys_pass(t, c);
	if (r == 0 && c->a[2] == 0) {
		t->rseq_addr = c->a[0];
		t->rseq_len = (uint32_t)c->a[1];
		t->rseq_sig = (uint32_t)c->a[3];
	} else if (r == 0 && (c->a[2] & 1 /* RSEQ_FLAG_UNREGISTER */)) {
		t->rseq_addr = 0;
	}
	return r;
}

/* What the kernel's exec deletes and lbw cannot list: after these, an exec
 * re-executes lbw. */
long sys_timer_create(struct task *t, struct sc *c)
{
	exec_via_kernel = 1;
	return sys_pass(t, c);
}

long sys_io_setup(struct task *t, struct sc *c)
{
	exec_via_kernel = 1;
	return sys_pass(t, c);
}

long sys_exit(struct task *t, struct sc *c)
{
	task_exit(t, c->a[0]);
}

long sys_exit_group(struct task *t, struct sc *c)
{
	/* A process sharing its memory with others leaves them: they may go
	 * back to lock-free forks. (A thread's exit_group ends its process's
	 * other threads uncounted: the count stays high, which only costs.) */
	if (t->is_thread)
		__atomic_fetch_sub(&lbw_nthreads, 1, __ATOMIC_SEQ_CST);
	if (cfg.stats_area && sys0(SYS_getpid) == cfg.root_pid)
		lbw_stats_finish();
	for (;;)
		sys1(SYS_exit_group, c->a[0]);
}

long sys_ptrace(struct task *t, struct sc *c)
{
	(void)t;
	(void)c;
	return -EPERM; /* until ptrace is emulated: the host's would see lbw */
}

long sys_prctl(struct task *t, struct sc *c)
{
	(void)t;
	switch (c->a[0]) {
	case PR_SET_SYSCALL_USER_DISPATCH:
		return -EPERM; /* lbw's own trap: cannot be nested */
	case PR_SET_SECCOMP:
		return -EINVAL; /* a host filter would judge lbw's own calls */
	}
	return sys5(SYS_prctl, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}

long sys_seccomp(struct task *t, struct sc *c)
{
	(void)t;
	(void)c;
	return -EINVAL;
}
