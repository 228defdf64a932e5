/* execve in place: the new guest image replaces the old one inside this
 * same lbw process, without the kernel's execve of lbw.
 *
 * Re-executing lbw for each new image costs the kernel's exec of lbw and
 * lbw's own start-up: ~0.7 ms here, nearly all of it first touches of
 * pages (each ~12 us on a VM with shadowed page tables). lbw already starts
 * the first guest in its own process (loader_start_guest); an exec in place
 * does the same after doing by hand what the kernel's exec would do to the
 * old image: close close-on-exec descriptors, reset caught signals and the
 * alternate stack, drop the rseq and robust-list registrations, unmap every
 * guest mapping, reset the FPU state and the TLS bases.
 *
 * Only where that is all there is to do: one thread, memory and
 * descriptor table shared with no other process (vfork children share
 * their parent's memory), no POSIX timers or AIO contexts (which the
 * kernel deletes at exec and lbw cannot enumerate), a modest argument list
 * (the kernel's E2BIG rules stay the kernel's). Otherwise lbw re-executes
 * itself as before. */
#include "loader.h"
#include "../rt/rt.h"
#include "../config.h"
#include "../task.h"
#include "../trap/trap.h"
#include "../sig/sig.h"
#include "../trap/rewrite.h"
#include "../sys/dispatch.h"

int exec_via_kernel;

#define INPLACE_ARGS_MAX (96 * 1024) /* far below the kernel's smallest E2BIG limit (128 KiB) */

/* The guest's argv (after the #! prefix) and envp, copied into one lbw
 * buffer: the guest memory they live in is about to go. */
struct strings {
	char *buf;
	size_t size;
	char **argv, **envp;
};

static long copy_strv(char *const *v, long skip, char **out, char **pos, char *end)
{
	long n = 0;
	for (long i = 0;; i++) {
		char *s;
		if (copy_from_guest(&s, &v[i], sizeof s) < 0)
			return -EFAULT;
		if (!s)
			break;
		if (i < skip)
			continue;
		long len = strncpy_from_guest(*pos, s, end - *pos);
		if (len < 0)
			return len == -ENAMETOOLONG ? -E2BIG : len;
		if (out)
			out[n] = *pos;
		*pos += len + 1;
		n++;
	}
	if (out)
		out[n] = NULL;
	return n;
}

static long gather(const struct exec_plan *p, char *const *gargv, char *const *genvp, struct strings *s)
{
	s->buf = NULL;
	s->size = INPLACE_ARGS_MAX;
	long b = lbw_map(s->size, PROT_READ | PROT_WRITE);
	if (b < 0 && b > -4096)
		return b;
	s->buf = (char *)b;
	/* Pointers first (at most one per two bytes of strings), then strings. */
	long argc = exec_count_strv(gargv), envc = exec_count_strv(genvp);
	if (argc < 0)
		return argc;
	if (envc < 0)
		return envc;
	long skip = p->npre && argc ? 1 : 0; /* #! replaces argv[0] */
	size_t ptrs = (p->npre + argc + 1 + envc + 1) * sizeof(char *);
	if (ptrs >= s->size / 2)
		return -E2BIG;
	s->argv = (char **)s->buf;
	s->envp = s->argv + p->npre + argc + 1;
	char *pos = s->buf + ptrs, *end = s->buf + s->size;
	for (int i = 0; i < p->npre; i++) {
		size_t len = strlen(p->pre[i]) + 1;
		if ((size_t)(end - pos) < len)
			return -E2BIG;
		memcpy(pos, p->pre[i], len);
		s->argv[i] = pos;
		pos += len;
	}
	long r = argc ? copy_strv(gargv, skip, s->argv + p->npre, &pos, end) : 0;
	if (!argc)
		s->argv[p->npre] = NULL;
	if (r >= 0)
		r = envc ? copy_strv(genvp, 0, s->envp, &pos, end) : 0;
	if (!envc)
		s->envp[0] = NULL;
	return r < 0 ? r : 0;
}

/* Closes the close-on-exec descriptors, as execve does. The process has
 * one thread and its own descriptor table here (exec_in_place), so
 * /proc/self/fd lists them: after read_maps it costs one lookup where
 * /proc/thread-self/fd costs three (5.6 against 10.7 us in a fresh fork
 * child here). */
static void close_cloexec(void)
{
	long dir = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir < 0)
		lbw_die(127, "exec: cannot list descriptors (%s)", errno_name(dir));
	char buf[2048];
	int fds[256];
	for (;;) {
		long n = sys3(SYS_getdents64, dir, (long)buf, sizeof buf);
		if (n <= 0)
			break;
		/* Collect first: closing while reading the directory is fine for
		 * the kernel, but keep the listing simple to reason about. */
		int nfds = 0;
		for (long off = 0; off < n;) {
			const char *name = buf + off + 19;
			unsigned short reclen;
			memcpy(&reclen, buf + off + 16, sizeof reclen);
			off += reclen;
			long fd = 0;
			if (name[0] < '0' || name[0] > '9')
				continue;
			for (; *name >= '0' && *name <= '9'; name++)
				fd = fd * 10 + (*name - '0');
			if (fd != dir && nfds < 256)
				fds[nfds++] = (int)fd;
		}
		for (int i = 0; i < nfds; i++) {
			long fl = sys2(SYS_fcntl, fds[i], F_GETFD);
			if (fl >= 0 && (fl & FD_CLOEXEC))
				sys1(SYS_close, fds[i]);
		}
	}
	sys1(SYS_close, dir);
}

/* The maps of this process, read whole into an lbw buffer. */
static char *read_maps(size_t *len)
{
	size_t cap = 64 * 1024;
	for (;;) {
		long b = lbw_map(cap, PROT_READ | PROT_WRITE);
		if (b < 0 && b > -4096)
			return NULL;
		long fd = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0) {
			lbw_unmap((void *)b, cap);
			return NULL;
		}
		size_t have = 0;
		long n;
		while ((n = sys3(SYS_read, fd, b + (long)have, cap - 1 - have)) > 0)
			have += n;
		sys1(SYS_close, fd);
		if (n == 0 && have < cap - 1) {
			((char *)b)[have] = 0;
			*len = cap;
			return (char *)b;
		}
		lbw_unmap((void *)b, cap);
		cap *= 4;
	}
}

/* The "[name]" of the maps line [l, nl), or NULL. */
static const char *special_name(const char *l, const char *nl)
{
	for (; *l && l != nl; l++)
		if (*l == '[')
			return l;
	return NULL;
}

/* True when the maps text shows the vDSO at addr (the new image gets the
 * same AT_SYSINFO_EHDR: it must still be there). */
static int has_vdso(const char *maps, unsigned long addr)
{
	for (const char *l = maps; *l;) {
		const char *p = l;
		unsigned long lo = scan_hex(&p, NULL);
		const char *nl = strchr(l, '\n');
		const char *name = special_name(l, nl);
		if (lo == addr && name && starts_with(name, "[vdso]"))
			return 1;
		if (!nl)
			break;
		l = nl + 1;
	}
	return 0;
}

/* Unmaps [lo, hi) except lbw's own regions inside it. */
static void unmap_guest_part(unsigned long lo, unsigned long hi)
{
	unsigned long cur = lo, rlo, rhi;
	while (cur < hi) {
		if (!lbw_region_from(cur, &rlo, &rhi) || rlo >= hi) {
			sys2(SYS_munmap, cur, hi - cur);
			return;
		}
		if (rlo > cur)
			sys2(SYS_munmap, cur, rlo - cur);
		cur = rhi;
	}
}

/* Every mapping but lbw's own, the vDSO pages and the stack that holds
 * lbw's arguments (the new image's stack goes there too; its old pages
 * are dropped below the new stack pointer later). The mappings between
 * two that stay go in one munmap (holes and all): each call is a TLB
 * flush, and a program has ~40 of them (fork+exec of /bin/true: ~8
 * calls instead of ~45). */
static void unmap_guest(const char *maps, unsigned long *stack_lo)
{
	unsigned long ksp = (unsigned long)lbw_kernel_sp;
	unsigned long run_lo = 0, run_hi = 0; /* mappings to go, not yet unmapped */
	for (const char *l = maps; *l;) {
		const char *nl = strchr(l, '\n');
		const char *p = l;
		unsigned long lo = scan_hex(&p, NULL), hi = 0;
		if (*p == '-') {
			p++;
			hi = scan_hex(&p, NULL);
		}
		const char *name = special_name(p, nl);
		int special = name && (starts_with(name, "[vdso]") || starts_with(name, "[vvar") ||
				       starts_with(name, "[vsyscall]"));
		int stack = ksp >= lo && ksp < hi;
		if (stack)
			*stack_lo = lo;
		if (stack || special || hi <= lo || hi > 0x800000000000UL) {
			if (run_hi > run_lo)
				unmap_guest_part(run_lo, run_hi);
			run_lo = run_hi = 0;
		} else {
			if (run_hi <= run_lo)
				run_lo = lo;
			run_hi = hi;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	if (run_hi > run_lo)
		unmap_guest_part(run_lo, run_hi);
}

/* The FPU, SSE and AVX state the new image starts with: the initial state,
 * as after the kernel's exec (set in the frame rt_sigreturn restores). */
static void reset_fpstate(k_ucontext_t *uc)
{
	unsigned char *fp = (unsigned char *)uc->uc_mcontext.fpstate;
	if (!fp)
		return;
	uint32_t mxcsr_mask;
	memcpy(&mxcsr_mask, fp + 28, 4);
	memset(fp, 0, 464); /* the legacy area up to its software-reserved words */
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80;
	memcpy(fp, &fcw, 2);
	memcpy(fp + 24, &mxcsr, 4);
	memcpy(fp + 28, &mxcsr_mask, 4);
	if (sig_fpstate_size(fp) > 512) {
		/* XSAVE header: every component in its initial state but PKRU
		 * (bit 9), which the kernel keeps across exec. */
		uint64_t bv;
		memcpy(&bv, fp + 512, 8);
		bv &= 1UL << 9;
		memcpy(fp + 512, &bv, 8);
	}
}

long exec_in_place(struct task *t, struct sc *c, const struct exec_plan *p, char *const *gargv,
		   char *const *genvp)
{
	if (exec_via_kernel || t->parent_frees || __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) != 1 ||
	    !lbw_kernel_sp)
		return 1;
	struct strings s;
	long r = gather(p, gargv, genvp, &s);
	if (r < 0) {
		if (s.buf)
			lbw_unmap(s.buf, s.size);
		return r == -EFAULT ? r : 1; /* E2BIG and the like: the kernel's call */
	}
	size_t maps_len;
	char *maps = read_maps(&maps_len);
	unsigned long vdso = 0;
	for (unsigned long *a = loader_host_auxv(lbw_kernel_sp); a[0] != AT_NULL; a += 2)
		if (a[0] == AT_SYSINFO_EHDR)
			vdso = a[1];
	if (!maps || (vdso && !has_vdso(maps, vdso))) {
		if (maps)
			lbw_unmap(maps, maps_len);
		lbw_unmap(s.buf, s.size);
		return 1;
	}

	/* The point of no return. */
	dispatch_trace_exec(c);
	close_cloexec();
	if (t->rseq_addr)
		sys4(SYS_rseq, t->rseq_addr, t->rseq_len, 1 /* RSEQ_FLAG_UNREGISTER */, t->rseq_sig);
	t->rseq_addr = 0;
	sys2(SYS_set_robust_list, 0, 24);
	sys1(SYS_set_tid_address, 0);
	sys0(SYS_munlockall);
	sig_exec_reset(t);
	rewrite_forget();
	unsigned long stack_lo = 0;
	unmap_guest(maps, &stack_lo);
	lbw_unmap(maps, maps_len);
	sys2(SYS_arch_prctl, ARCH_SET_FS, 0);
	sys2(SYS_arch_prctl, ARCH_SET_GS, 0);

	strlcpy(cfg.exe_host, p->load, sizeof cfg.exe_host);
	loader_pinned_fd = p->pinned_fd;
	unsigned long sp, entry = loader_build_guest(lbw_kernel_sp, s.argv, s.envp, p->load, p->execfn, &sp);
	lbw_unmap(s.buf, s.size);
	/* The old image's stack pages below the new one: free them. */
	unsigned long keep = (sp & ~4095UL) - 4096;
	if (stack_lo && keep > stack_lo)
		sys3(SYS_madvise, stack_lo, keep - stack_lo, MADV_DONTNEED);

	struct k_sigcontext *m = &c->uc->uc_mcontext;
	uint16_t cs = m->cs, ss = m->ss;
	uint64_t fpstate = m->fpstate;
	memset(m, 0, sizeof *m);
	m->cs = cs;
	m->ss = ss;
	m->fpstate = fpstate;
	m->rip = entry;
	m->rsp = sp;
	reset_fpstate(c->uc);
	return 0;
}
