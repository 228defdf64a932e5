/* The fast path: after a guest site traps, rewrite it so that later calls
 * go straight to the kernel through lbw's gate, without a signal.
 *
 * A site is the common `mov $nr,%eax; syscall` pair (b8 imm32 0f 05). Its
 * first five bytes become `jmp stub`; the syscall bytes stay, so a jump
 * straight to them still traps. The stub, in an lbw page within 2 GiB of
 * the site, steps over the guest's red zone, sets %eax, calls the gate's
 * `syscall; ret`, and jumps back after the site:
 *
 *     lea -128(%rsp),%rsp ; mov $nr,%eax ; call *gate(%rip)
 *     lea 128(%rsp),%rsp  ; jmp site+7
 *
 * With --stats the stub also counts the call (and an error result) in the
 * shared table itself, restoring the flags the kernel returned in %r11.
 *
 * Calls the table passes through unchanged are rewritten so; the path,
 * owner and fake-root calls that lbw serves (in a guest root, under -0),
 * and the emulated calls whose handlers need no signal frame (signal
 * masks and actions, rseq, uname), get a stub that calls lbw's dispatcher
 * instead (trap/fastemu.S):
 *
 *     lea -128(%rsp),%rsp ; mov $nr,%eax ; call *emulate(%rip)
 *     lea 128(%rsp),%rsp  ; jrcxz 1f ; jmp site+7
 *  1: mov $nr,%eax ; jmp site+5       (lbw says: make it by the trap)
 *
 * A site may also be `mov $imm,%edi; syscall` (or %esi, %edx), %eax set
 * before it: the stub first checks that %eax holds the number the site
 * trapped with (any other call goes to the trap), then replays the mov:
 *
 *     lea -nr(%rax),%ecx ; jrcxz 1f ; jmp 2f
 *  1: mov $imm,%edi ; (the stub as above)
 *  2: mov $imm,%edi ; jmp site+5
 *
 * or `mov $imm,%r10d; syscall`, whose six bytes the stub replays the same
 * way (the jump takes the first five). The register such a mov sets must
 * hold its value at the trap, and no prefix may come before it: bytes read
 * backwards from a syscall may be the end of a longer instruction.
 *
 * Other emulated calls keep trapping. The five bytes are replaced with one atomic
 * compare-and-exchange inside an aligned 8- or 16-byte word, so a thread
 * running the same code sees either the old pair or the new jump. */
#include "rewrite.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../sys/table.h"
#include "../trace/stats.h"
#include "../vfs/vfs.h"
#include "../fake/fake.h"
#include "../sys/memory.h"
#include "../loader/loader.h"
#include "trap.h"
#include "vma.h"

void lbw_gate_pass(void);
void lbw_probe_proc(void);
void lbw_probe_vfs(void);
void lbw_probe_mmap(void);
void lbw_probe_range(void);
void lbw_fast_emulate(void);

#define STUB_SIZE 168 /* the largest, a register site's stub that counts,
			  its number from a load of the stack, is 163 bytes */
/* Each stub page starts with the addresses of the gate and the probes. */
enum { SLOT_GATE, SLOT_PROBE_PATH, SLOT_PROBE_MMAP, SLOT_PROBE_RANGE, SLOT_EMULATE, SLOT_PROBE_VFS, NSLOTS };
#define SLOTS (NSLOTS * 8)
#define STUB_PAGE 4096
#define MAX_STUB_PAGES 64
#define NEAR (1L << 31)

static struct stub_page {
	unsigned long addr;
	unsigned int used; /* bytes used, the gate pointer included */
} pages[MAX_STUB_PAGES] LBW_BIG_BSS;
static int npages;
static lbw_lock_t rewrite_lock;
static int disabled;

/* What lbw knows of the sites that trapped: how many times each did, or
 * that it cannot be rewritten (so it is not examined again on every call).
 * A rewrite costs ~40-60 us on the VMs lbw is measured on (a query of the
 * mapping, a copy-on-write text page written through /proc/self/mem, a
 * stub page) and saves ~3 us per later call: a site is rewritten once it
 * has trapped about as many times as the rewrite costs in traps, the
 * break-even rule that never pays more than twice the best choice made
 * knowing the future. With 3, every exec'd image rewrote a few of the
 * dynamic loader's sites it then called only a few times more: /bin/true
 * and a shell loop of fork+exec were measurably faster with no rewriting
 * at all. One page, one word per entry (site << 16 | count): each page a
 * process first touches costs it a fault. Two entries per bucket, the one
 * with the lower count giving way: two sites of one bucket called in turn
 * (a thread's stat and another's tgkill, tests/programs/fast_emulate.sh)
 * kept resetting each other's count, direct-mapped, and never got
 * rewritten. A loss only delays a rewrite or repeats an examination. */
#define HOT_AFTER 16
#define SEEN_UNPATCHABLE 0xffffUL
#define SEEN_BUCKETS 256
typedef unsigned long seen_table[SEEN_BUCKETS][2];
static seen_table seen __attribute__((aligned(4096))) LBW_BIG_BSS;

/* A fork child runs its parent's code, but its traps and rewrites were
 * its own: a site only children reach (glibc's set_robust_list after
 * fork, a shell child's redirections and writes) trapped in every child,
 * each starting from its parent's counts, and none rewrote it for the
 * next. So a process's first fork moves the counts (only the counts) to a
 * shared page its children, and theirs until one execs, count in; a
 * process's marks (rewritten, unpatchable) stay in its own seen[], for
 * its own code. A member other than the first lists each site it
 * rewrites in a form that the bytes and the number alone prove (a mov of
 * the number to %eax or %rax, that mov before an xor), with the file and
 * offset of the code and the 32 bytes before the syscall's end as it
 * found them; before each fork a member rewrites the listed sites in its
 * own memory where its code is that same file's, not writable, and those
 * bytes are the same (a process may have written its private copy: bytes
 * there may be no instruction), and its next children start with them
 * rewritten. */
#define KIN_MAX 100
#define KIN_WINDOW 32
#define KIN_TRIES 4 /* forks that find a listed site unmapped, at most */
struct kin_site {
	unsigned long rip, ino, off, dev;
	uint32_t nr;
	uint32_t ready; /* written last: the entry is whole */
	unsigned char code[KIN_WINDOW]; /* the bytes before rip */
};
struct family {
	seen_table counts; /* page 0 */
	uint32_t n;        /* page 1: entries claimed */
	uint32_t pad[15];
	struct kin_site s[KIN_MAX];
};
_Static_assert(sizeof(struct family) <= 3 * 4096, "family table: three pages");
static struct family *family;
/* The process that made it (its code: nothing to list); a pid, not a
 * flag its children would have to clear (see rewrite_after_fork). */
static long family_maker;
/* The entries this process has taken up (or that are its own), and how
 * many of its forks found each one's address unmapped. */
static uint64_t kin_done[(KIN_MAX + 63) / 64];
static unsigned char kin_tries[KIN_MAX];
static int kin_lock;  /* one thread takes up at a time */
static uint32_t kin_all; /* the entries below this are all done with */
static int kin_retry; /* a take-up met a passing obstacle: next fork */

/* The bucket of site in table t, from all of its bits (a library's sites
 * are a page offset apart from another's more often than chance would
 * have it). */
static unsigned long *seen_bucket(seen_table *t, unsigned long site)
{
	return (*t)[(site * 0x9e3779b97f4a7c15UL) >> 56];
}

/* The table counting traps: the family's once there is one. */
static seen_table *count_table(void)
{
	struct family *f = __atomic_load_n(&family, __ATOMIC_ACQUIRE);
	return f ? &f->counts : &seen;
}

/* The entry of t holding site, or NULL. */
static unsigned long *seen_find(seen_table *t, unsigned long site, unsigned long *v)
{
	unsigned long *b = seen_bucket(t, site);
	for (int w = 0; w < 2; w++) {
		*v = __atomic_load_n(&b[w], __ATOMIC_RELAXED);
		if (*v >> 16 == site)
			return &b[w];
	}
	return NULL;
}

/* Gives site an entry, the one of its bucket with the lower count (an
 * unpatchable mark counts as high: it saves an examination per call). */
static void seen_put(seen_table *t, unsigned long site, unsigned long tag)
{
	unsigned long *b = seen_bucket(t, site);
	unsigned long c0 = __atomic_load_n(&b[0], __ATOMIC_RELAXED) & 0xffff;
	unsigned long c1 = __atomic_load_n(&b[1], __ATOMIC_RELAXED) & 0xffff;
	__atomic_store_n(&b[c1 < c0], site << 16 | tag, __ATOMIC_RELAXED);
}

static int known_unpatchable(unsigned long site)
{
	unsigned long v;
	return seen_find(&seen, site, &v) && (v & 0xffff) == SEEN_UNPATCHABLE;
}

/* Set while a listed site is taken up: what fails there says nothing of
 * this process's own code at that address (nothing is marked). */
static const struct kin_site *kin_now;

static void mark_seen(unsigned long site)
{
	unsigned long v, *e = seen_find(&seen, site, &v);
	if (e)
		__atomic_store_n(e, site << 16 | SEEN_UNPATCHABLE, __ATOMIC_RELAXED);
	else
		seen_put(&seen, site, SEEN_UNPATCHABLE);
}

static void mark_unpatchable(unsigned long site)
{
	if (!kin_now)
		mark_seen(site);
}

static int hot_enough(unsigned long site)
{
	/* Racy by design: a lost count only delays a rewrite. */
	seen_table *t = count_table();
	unsigned long v, *e = seen_find(t, site, &v);
	if (!e) {
		seen_put(t, site, 1);
		return 0;
	}
	unsigned long n = v & 0xffff;
	if (n < HOT_AFTER)
		__atomic_store_n(e, v + 1, __ATOMIC_RELAXED);
	return n + 1 >= HOT_AFTER;
}

/* The five bytes at site fit an aligned 8- or 16-byte word (patch_jump). */
static int window_ok(unsigned long site)
{
	return (site & 7) <= 3 || (site & 15) <= 11;
}

static int near(unsigned long a, unsigned long b)
{
	long d = (long)(a - b);
	return d > -NEAR + STUB_PAGE && d < NEAR - STUB_PAGE;
}

static void add_stub_page(unsigned long p, unsigned used)
{
	lbw_own_region(p, STUB_PAGE);
	((unsigned long *)p)[SLOT_GATE] = (unsigned long)lbw_gate_pass;
	((unsigned long *)p)[SLOT_PROBE_PATH] = (unsigned long)lbw_probe_proc;
	((unsigned long *)p)[SLOT_PROBE_MMAP] = (unsigned long)lbw_probe_mmap;
	((unsigned long *)p)[SLOT_PROBE_RANGE] = (unsigned long)lbw_probe_range;
	((unsigned long *)p)[SLOT_EMULATE] = (unsigned long)lbw_fast_emulate;
	((unsigned long *)p)[SLOT_PROBE_VFS] = (unsigned long)lbw_probe_vfs;
	pages[npages].addr = p;
	pages[npages].used = used;
	npages++;
}

/* glibc's read is `xor %eax,%eax; syscall; cmp $-4096,%rax` (31 c0 0f 05
 * 48 3d 00 f0 ff ff): no room for a jump before the syscall. The jump is
 * written over the xor, the syscall and the cmp's first byte, to a stub at
 * an address chosen so that the jump's own bytes pun: its displacement
 * 0x90050fNN puts `0f 05` (syscall) where the syscall was and `90` (nop)
 * where the cmp began, after which the cmp's other bytes read `cmp
 * $-4096,%eax` -- the same test for any result read can give. So a thread
 * that resumes at the old syscall (a restart) or after it (a trap, a
 * signal) still runs correct code: the syscall traps, the nop and the
 * 32-bit cmp do glibc's check. The stub gets a page of its own ~1.8 GB
 * below the site; NULL when that place is taken. */
#define PUN_DISP 0x90050f00u
static unsigned char *stub_at_pun(unsigned long site, unsigned long *gateslot)
{
	if (npages >= MAX_STUB_PAGES)
		return NULL;
	unsigned long s0 = site + 5 + (unsigned long)(long)(int32_t)PUN_DISP;
	if (s0 >= site || s0 < 0x10000)
		return NULL;
	unsigned long off = s0 & 4095, d0;
	if (off < SLOTS)
		d0 = SLOTS - off; /* after the page's slots */
	else if (off + STUB_SIZE <= STUB_PAGE)
		d0 = 0;
	else
		d0 = STUB_PAGE - off + SLOTS; /* the next page */
	unsigned long st = s0 + d0, pg = page_down(st);
	if (vma_map_page(pg, PROT_READ | PROT_WRITE | PROT_EXEC) < 0)
		return NULL;
	add_stub_page(pg, (unsigned)(st - pg + STUB_SIZE));
	*gateslot = pg;
	return (unsigned char *)st;
}

static long new_stub_page(unsigned long site)
{
	unsigned long lo = site > NEAR - STUB_PAGE ? site - NEAR + 2 * STUB_PAGE : 0x10000;
	unsigned long hi = site + NEAR - 2 * STUB_PAGE;
	if (lo < 0x10000)
		lo = 0x10000;
	if (hi > 0x7fffffff0000UL)
		hi = 0x7fffffff0000UL;
	long p = vma_map_near(site, lo, hi, PROT_READ | PROT_WRITE | PROT_EXEC);
	if (p < 0 && p > -4096)
		return p;
	add_stub_page((unsigned long)p, SLOTS);
	return p;
}

static unsigned char *stub_alloc(unsigned long site, unsigned long *gateslot)
{
	for (int i = 0; i < npages; i++)
		if (near(pages[i].addr, site) && pages[i].used + STUB_SIZE <= STUB_PAGE) {
			unsigned char *s = (unsigned char *)pages[i].addr + pages[i].used;
			pages[i].used += STUB_SIZE;
			*gateslot = pages[i].addr;
			return s;
		}
	if (npages >= MAX_STUB_PAGES || new_stub_page(site) < 0)
		return NULL;
	struct stub_page *pg = &pages[npages - 1];
	unsigned char *s = (unsigned char *)pg->addr + pg->used;
	pg->used += STUB_SIZE;
	*gateslot = pg->addr;
	return s;
}

/* A stub at an address in lo..hi (straddle_range), near site: in a stub
 * page that has room there, or a new page there. */
static unsigned char *stub_alloc_in(unsigned long site, unsigned long lo, unsigned long hi,
				    unsigned long *gateslot)
{
	for (int i = 0; i < npages; i++) {
		unsigned long s = pages[i].addr + pages[i].used;
		if (s >= lo && s <= hi && pages[i].used + STUB_SIZE <= STUB_PAGE) {
			pages[i].used += STUB_SIZE;
			*gateslot = pages[i].addr;
			return (unsigned char *)s;
		}
	}
	if (npages >= MAX_STUB_PAGES || lo > hi || hi > 0x7fffffff0000UL)
		return NULL;
	unsigned long plo = page_down(lo) + (lo - page_down(lo) > SLOTS ? STUB_PAGE : 0);
	unsigned long plast = page_down(hi - SLOTS);
	/* not where the brk heap would grow (as for register sites) */
	unsigned long heap = mem_brk_start();
	if (plo < 0x10000 || plo > plast || (heap <= hi && hi - heap < (1UL << 32)))
		return NULL;
	/* vma_map_near walks from its hint down, then up: a hint inside the
	 * window keeps both walks in it */
	unsigned long hint = site < plo ? plo + STUB_PAGE : site > plast ? plast : page_down(site);
	long p = vma_map_near(hint, plo, plast + STUB_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC);
	if (p < 0 && p > -4096)
		return NULL;
	if ((unsigned long)p < plo || (unsigned long)p > plast) {
		sys2(SYS_munmap, p, STUB_PAGE);
		return NULL;
	}
	add_stub_page((unsigned long)p, SLOTS + STUB_SIZE);
	*gateslot = (unsigned long)p;
	return (unsigned char *)p + SLOTS;
}

static int cas8(unsigned long addr, uint64_t old, uint64_t new)
{
	return __atomic_compare_exchange_n((uint64_t *)addr, &old, new, 0, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

static int cas16(unsigned long addr, const uint64_t old[2], const uint64_t new[2])
{
	unsigned char ok;
	uint64_t lo = old[0], hi = old[1];
	__asm__ volatile("lock cmpxchg16b %1\n\tsete %0"
			 : "=q"(ok), "+m"(*(volatile uint64_t(*)[2])addr), "+a"(lo), "+d"(hi)
			 : "b"(new[0]), "c"(new[1])
			 : "memory", "cc");
	return ok;
}

/* Writes the 5-byte jmp at site atomically; 0 if the window is unsuitable. */
static int patch_jump(unsigned long site, const unsigned char jmp[5])
{
	if ((site & 7) <= 3) {
		unsigned long w = site & ~7UL;
		uint64_t old = *(volatile uint64_t *)w, new = old;
		memcpy((unsigned char *)&new + (site - w), jmp, 5);
		return cas8(w, old, new);
	}
	/* Across a 16-byte boundary: only when the jump's bytes past it are
	 * those already there (straddle_range chose the stub so), the word
	 * before it holding all that changes. */
	unsigned long w = site & ~15UL, in = w + 16 - site < 5 ? w + 16 - site : 5;
	if (in < 5 && memcmp((const void *)(site + in), jmp + in, 5 - in) != 0)
		return 0;
	uint64_t old[2], new[2];
	memcpy(old, (const void *)w, 16);
	memcpy(new, old, 16);
	memcpy((unsigned char *)new + (site - w), jmp, in);
	return cas16(w, old, new);
}

/* A five-byte window across a 16-byte boundary can still be patched with
 * one atomic write when the jump's bytes beyond the boundary are the ones
 * already there: its displacement's top byte (or two) then come from the
 * site's own bytes (for `mov $nr,%eax` the 00 of a small number), which
 * bounds where the stub may be: within 16 MiB (or 64 KiB) of the site.
 * The range of stub addresses that gives such a jump, in *lo..*hi; 0
 * when fewer than three bytes lie before the boundary. */
static int straddle_range(unsigned long site, unsigned long *lo, unsigned long *hi)
{
	unsigned in = 16 - (unsigned)(site & 15); /* bytes before the boundary */
	if (in >= 5 || in < 3)
		return 0;
	unsigned char cur[5];
	if (copy_from_guest(cur, (void *)site, 5) < 0)
		return 0;
	/* rel32's bytes in-1..3 must be cur[in..4] */
	uint32_t top = 0;
	for (unsigned i = in; i < 5; i++)
		top |= (uint32_t)cur[i] << (8 * (i - 1));
	uint32_t span = 1U << (8 * (in - 1));
	long first = (long)(int32_t)top, last = first + (long)span - 1;
	*lo = site + 5 + (unsigned long)first;
	*hi = site + 5 + (unsigned long)last;
	return 1;
}

/* Emulated calls whose handlers take their arguments and return a value,
 * never reading or editing the guest's context (c->uc): they may be made
 * from a rewritten site (trap/fast.c). rt_sigreturn needs the guest's
 * %rsp only (c->sp); a fork (clone without CLONE_VM or a new stack, fork)
 * nothing: its child goes on from lbw's stack like its parent. The others
 * (execve, a thread's clone, exit, sigaltstack...) need the trap's
 * signal frame. */
static int emulated_without_frame(unsigned long nr)
{
	return nr == SYS_rt_sigprocmask || nr == SYS_rt_sigaction || nr == SYS_rt_sigpending ||
	       nr == SYS_rseq || nr == SYS_uname || nr == SYS_rt_sigreturn || nr == SYS_clone ||
	       nr == SYS_fork;
}

/* close, dup2, dup3 and close_range only guard lbw's own descriptors:
 * when lbw holds none (no --trace, no --stats), they are plain calls. */
static int fd_call_is_plain(unsigned long nr)
{
	if (cfg.trace_fd >= 0 || cfg.stats_fd >= 0 || cfg.report_fd >= 0)
		return 0;
	return nr == SYS_close || nr == SYS_dup2 || nr == SYS_dup3 || nr == SYS_close_range;
}

/* How a register site's stub makes each call: PASS_TRAP by the trap,
 * PASS_PLAIN through the gate, PASS_PATH0/1 through the gate after the
 * path probe of argument 0 or 1 (as rewrite_site chooses for a site of
 * one number; a guest root made later is the probe's to see). Made once,
 * when the first such stub is. */
enum { PASS_TRAP, PASS_PLAIN, PASS_PATH0, PASS_PATH1 };
static unsigned char pass_table[SC_MAX];
static int pass_table_made;

void rewrite_forget(void)
{
	for (int i = 0; i < npages; i++)
		lbw_unmap((void *)pages[i].addr, STUB_PAGE);
	npages = 0;
	pass_table_made = 0; /* the brk may be the kernel's in one image only */
	/* seen[] holds the old image's addresses, its rewritten sites marked
	 * as not to be examined again: a new image at the same addresses (a
	 * non-PIE program run again) would keep trapping there. Dropping the
	 * page clears it without touching it. */
	_Static_assert(sizeof seen == 4096, "seen is one page");
	sys3(SYS_madvise, (long)seen, sizeof seen, MADV_DONTNEED);
	/* The family's table is the old image's too; it stays the others'. */
	if (family) {
		struct family *f = family;
		__atomic_store_n(&family, NULL, __ATOMIC_RELEASE);
		lbw_unmap(f, sizeof *f);
		memset(kin_done, 0, sizeof kin_done);
		memset(kin_tries, 0, sizeof kin_tries);
		kin_all = 0;
		family_maker = 0;
	}
}

/* The stub's pieces. A rel32 operand ends its instruction, so it counts
 * from the byte after it. */
static unsigned char *put_rel32(unsigned char *p, unsigned long target)
{
	int32_t d = (int32_t)((long)target - (long)(p + 4));
	memcpy(p, &d, 4);
	return p + 4;
}

/* Whether a jump to one of the stub pages starts 9 to 5 bytes before rip:
 * the site is rewritten already (another number reached its stub and
 * trapped), and its bytes, read as a mov or a lea, must not be rewritten
 * again over the jump. Its seen entry says so too, unless it was lost. */
static int jumps_to_stub(unsigned long rip)
{
	unsigned char j[5 + 4];
	if (copy_from_guest(j, (void *)(rip - 9), sizeof j) < 0)
		return 0;
	for (int at = 0; at < 5; at++) {
		if (j[at] != 0xe9)
			continue;
		int32_t rel;
		memcpy(&rel, j + at + 1, 4);
		unsigned long to = rip - 9 + at + 5 + (unsigned long)(long)rel;
		for (int i = 0; i < npages; i++)
			if (to - pages[i].addr < STUB_PAGE)
				return 1;
	}
	return 0;
}

/* A register of the trapped context by its encoding number. */
static unsigned long reg_value(const struct k_sigcontext *r, unsigned n)
{
	switch (n) {
	case 0: return r->rax;
	case 1: return r->rcx;
	case 2: return r->rdx;
	case 3: return r->rbx;
	case 4: return r->rsp;
	case 5: return r->rbp;
	case 6: return r->rsi;
	case 7: return r->rdi;
	default: return (&r->r8)[n - 8];
	}
}

/* Bytes read backwards that start with a REX.W prefix may instead be the
 * last byte of the instruction before and the same instruction without
 * it: 32 bits wide, on the registers without REX's extension, its result
 * zero-extended. A jump written at the REX would then cut into the
 * instruction before. Whether that reading fits the trap's registers too:
 * reg32 would hold val32 (the low half of what it computes from them).
 * %rcx and %rsp, whose values at the syscall lbw does not know, never
 * fit. Such a site waits for a trap whose values tell the two apart. */
static int fits_without_rex(const struct k_sigcontext *r, unsigned reg32, uint64_t val32)
{
	return reg32 != 1 && reg32 != 4 && reg_value(r, reg32) == (uint32_t)val32;
}

/* `lea disp32(%base),%reg` or `lea disp32(%rip),%reg` (REX.W 8d modrm
 * disp32: 7 bytes) in l, ending at next, setting an argument register:
 * glibc's start_thread passes a signal mask so. As for the movs, the
 * register must hold
 * the address at the trap (bytes read backwards may end another
 * instruction). Its encoding number, the address in *addr, -1, or -2 when
 * `8d` after a byte of the instruction before fits too (fits_without_rex). */
static int lea_form(const unsigned char *l, const struct k_sigcontext *r, unsigned long next,
		    unsigned long *addr)
{
	if ((l[0] & 0xfa) != 0x48 || l[1] != 0x8d) /* REX.W (R, B allowed, no X) */
		return -1;
	unsigned mod = l[2] >> 6, rm = l[2] & 7;
	unsigned reg = ((l[2] >> 3) & 7) | (l[0] & 4 ? 8 : 0);
	int32_t disp;
	memcpy(&disp, l + 3, 4);
	unsigned long base;
	if (mod == 0 && rm == 5) {
		base = next; /* RIP-relative */
	} else if (mod == 2 && rm != 4) { /* (4 would take a SIB byte) */
		unsigned b = rm | (l[0] & 1 ? 8 : 0);
		/* Its value before the lea is gone if the lea set it; the
		 * syscall instruction itself sets %rcx and %r11 (and the stub's
		 * check of %eax %rcx). */
		if (b == reg || b == 1 || b == 11)
			return -1;
		base = reg_value(r, b);
	} else {
		return -1;
	}
	if (!(reg == 7 || reg == 6 || reg == 2 || reg == 10 || reg == 8 || reg == 9))
		return -1;
	*addr = base + (long)disp;
	if (reg_value(r, reg) != *addr)
		return -1;
	/* without REX: the same RIP, or the base without its extension */
	if (mod == 0 || (rm != 1 && rm != 4)) {
		unsigned long base32 = mod == 0 ? next : reg_value(r, rm);
		if (fits_without_rex(r, reg & 7, base32 + (long)disp))
			return -2;
	}
	return (int)reg;
}


/* Writes the jump's five bytes at site (only the first differ where the
 * jump's displacement ends with the bytes already there): through
 * /proc/self/mem while alone, else atomically within an aligned word.
 * 1 when written. */
static int write_jump(unsigned long site, const unsigned char jmp[5], int prot)
{
	if (__atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) == 1 && vma_write_code(site, jmp, 5) == 0)
		return 1;
	unsigned long pg = page_down(site);
	if (!(prot & PROT_WRITE) && sys3(SYS_mprotect, pg, 4096, prot | PROT_WRITE) < 0) {
		disabled = 1; /* W^X enforced here: keep trapping */
		return 0;
	}
	/* (patch_jump declines a straddling site whose bytes past the
	 * boundary would change) */
	int done = patch_jump(site, jmp);
	if (!done && !window_ok(site) && __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) == 1) {
		/* No other thread can be running this code, and a signal
		 * arriving now waits for lbw: a plain write is safe. */
		memcpy((void *)site, jmp, 5);
		done = 1;
	}
	if (!(prot & PROT_WRITE))
		sys3(SYS_mprotect, pg, 4096, prot);
	return done;
}

/* How a rewritten site makes call nr: the one place that says so, for
 * both kinds of site. */
enum way {
	WAY_TRAP,    /* lbw needs the trap (the frame, or it answers itself) */
	WAY_PLAIN,   /* straight to the kernel, through the gate */
	WAY_PROBE,   /* to the kernel if a probe says so (*slot, of argument
	              * *arg: -1 none), else by the trap */
	WAY_EMULATE, /* into lbw's dispatcher without a frame (trap/fast.c) */
};

static enum way call_way(unsigned long nr, int *slot, int *arg)
{
	*slot = 0;
	*arg = -1;
	if (nr >= SC_MAX || !sc_table[nr].name[0])
		return WAY_TRAP; /* a hole: lbw answers ENOSYS */
	unsigned status = sc_table[nr].status;
	if (status == ST_PATH || status == ST_OWNER) {
		/* Without a guest root, a path call goes to the kernel after a
		 * check of its (first) path for /proc/, and a call without a
		 * path (sockets, getcwd) after a check that there is still no
		 * root (a chroot under -0 makes one later). Under fake root
		 * only the owner calls need lbw: open, unlink, rename... give
		 * the host's answer there too. */
		if (vfs_active() || (status == ST_OWNER && fake.on))
			return WAY_EMULATE;
		*slot = SLOT_PROBE_VFS;
		for (int i = 0; i < sc_table[nr].nargs; i++)
			if (sc_table[nr].args[i] == A_PATH) {
				*slot = SLOT_PROBE_PATH;
				*arg = i;
				break;
			}
		return WAY_PROBE;
	}
	if (status == ST_FAKE)
		return fake.on ? WAY_EMULATE : WAY_PLAIN;
	if (status == ST_EMU && emulated_without_frame(nr))
		return WAY_EMULATE;
	/* Memory calls after a check that they leave lbw's own memory be. */
	if (nr == SYS_mmap) {
		*slot = SLOT_PROBE_MMAP;
		return WAY_PROBE;
	}
	if (nr == SYS_munmap || nr == SYS_mprotect || nr == SYS_madvise) {
		*slot = SLOT_PROBE_RANGE;
		return WAY_PROBE;
	}
	if (status == ST_PASS || fd_call_is_plain(nr) || (nr == SYS_brk && mem_brk_is_native()))
		return WAY_PLAIN;
	return WAY_TRAP;
}

/* A register site's stub has the plain way and the path probe of
 * argument 0 or 1; the others trap. */
static unsigned char pass_class(unsigned long nr)
{
	int slot, arg;
	switch (call_way(nr, &slot, &arg)) {
	case WAY_PLAIN:
		return PASS_PLAIN;
	case WAY_PROBE:
		if (slot == SLOT_PROBE_PATH && arg == 0)
			return PASS_PATH0;
		if (slot == SLOT_PROBE_PATH && arg == 1)
			return PASS_PATH1;
		return PASS_TRAP;
	default:
		return PASS_TRAP;
	}
}

/* A site whose number comes in a register, not from a mov before it: Go
 * makes the calls of its syscall package from one such site,
 * runtime/internal/syscall.Syscall6 (`mov %rbx,%rdi; syscall; cmp
 * $-4095,%rax`), glibc those of syscall(3) from another (`mov
 * 0x8(%rsp),%r9; syscall`). The stub replays that instruction, looks the
 * number up in pass_table, calls the gate for a call that goes straight
 * to the kernel and sends any other to the site's syscall, which traps;
 * the flags are the guest's at the call. A five-byte load of a register
 * from the stack is replaced by the jump as the movs of the other forms
 * are. A three-byte register mov is shorter than the jump: the jump over
 * it takes a displacement that ends with 0f 05 (the stub ~84 MB above, in
 * a window of 64 KiB, on a page of its own), so the syscall's bytes stay
 * in place and one instruction is replaced all the same. (Go's
 * rawSyscallNoError, `mov 0x8(%rsp),%rax; syscall`, has its five bytes
 * across a 16-byte word: no atomic patch.) Returns -1 when the site is
 * neither. */
static int rewrite_register_site(unsigned long rip, const struct k_sigcontext *r, unsigned long key)
{
	unsigned char m[7];
	if (copy_from_guest(m, (void *)(rip - 7), 7) < 0 || m[5] != 0x0f || m[6] != 0x05)
		return -1;
	unsigned ilen, dst;
	int ambiguous;
	if ((m[2] & 0xfa) == 0x48 && (m[3] == 0x89 || m[3] == 0x8b) && (m[4] & 0xc0) == 0xc0) {
		unsigned regf = ((m[4] >> 3) & 7) | (m[2] & 4 ? 8 : 0);
		unsigned rmf = (m[4] & 7) | (m[2] & 1 ? 8 : 0);
		unsigned src = m[3] == 0x89 ? regf : rmf;
		dst = m[3] == 0x89 ? rmf : regf;
		if (src == 1 || src == 11 || dst == src || reg_value(r, dst) != reg_value(r, src))
			return -1;
		ambiguous = (src & 7) != 1 && fits_without_rex(r, dst & 7, reg_value(r, src & 7));
		/* Go's Syscall6 moves small numbers (`mov %rbx,%rdi`: the first
		 * argument): its whole body before the syscall, from its
		 * 16-byte aligned entry, says where the instructions begin. */
		static const unsigned char go_syscall6[12] = {0x49, 0x89, 0xf2, 0x48, 0x89, 0xfa,
							       0x48, 0x89, 0xce, 0x48, 0x89, 0xdf};
		unsigned char body[12];
		if (ambiguous && ((rip - 14) & 15) == 0 &&
		    copy_from_guest(body, (void *)(rip - 14), 12) == 0 && !memcmp(body, go_syscall6, 12))
			ambiguous = 0;
		ilen = 3;
	} else if ((m[0] & 0xfb) == 0x48 && m[1] == 0x8b && (m[2] & 0xc7) == 0x44 && m[3] == 0x24) {
		/* mov disp8(%rsp),%reg (REX.W 8b, modrm mod 01 rm 100, SIB 24) */
		uint64_t v;
		dst = ((m[2] >> 3) & 7) | (m[0] & 4 ? 8 : 0);
		if (copy_from_guest(&v, (void *)(r->rsp + (long)(signed char)m[4]), 8) < 0 ||
		    v != reg_value(r, dst))
			return -1;
		ambiguous = fits_without_rex(r, dst & 7, v);
		ilen = 5;
	} else {
		return -1;
	}
	/* %rcx and %r11 the syscall instruction overwrites (and so the
	 * values checked above are not theirs); a mov to %rsp would move the
	 * stack the stub uses. */
	if (dst == 1 || dst == 11 || dst == 4)
		return -1;
	const unsigned char *ins = m + 5 - ilen;
	unsigned long site = rip - 2 - ilen;
	/* A prefix before would be left before the jump (66 e9 is a 16-bit
	 * jump on AMD) or change the load: not such a site, or not now. */
	unsigned char before;
	if (page_down(site) != page_down(site + 4) || copy_from_guest(&before, (void *)(site - 1), 1) < 0 ||
	    before == 0x66 || before == 0x67 || before == 0x64 || before == 0x65)
		return -1;
	if (ambiguous)
		return 0;
	if (!window_ok(site) && __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) != 1)
		return 0; /* again when alone */
	if (__atomic_exchange_n(&rewrite_lock.v, 1, __ATOMIC_ACQUIRE))
		return 0;
	struct vma v;
	if (*(volatile unsigned char *)site != ins[0] || vma_at(site, &v) < 0 || v.shared ||
	    !(v.prot & PROT_EXEC) || npages >= MAX_STUB_PAGES) {
		mark_unpatchable(key);
		goto out;
	}
	unsigned long pg;
	unsigned char *s;
	if (ilen == 5) {
		if (!(s = stub_alloc(site, &pg)))
			goto out;
	} else {
		/* A page of its own in the window, the slots first; not in the
		 * way of the brk heap (~84 MB after a program's own code, it
		 * would be when the brk starts below it: only without ASLR, the
		 * loader starts a randomized brk past BRK_AFTER_STUBS). */
		unsigned long lo = rip + 0x050f0000UL, hi = rip + 0x050fffffUL;
		_Static_assert(BRK_AFTER_STUBS > 0x050fffffUL + STUB_PAGE, "brk past the window");
		unsigned long heap = mem_brk_start();
		if (heap <= hi && hi - heap < (1UL << 32)) {
			mark_unpatchable(key);
			goto out;
		}
		for (pg = page_down(lo); pg + SLOTS < lo; pg += STUB_PAGE)
			;
		while (pg + SLOTS <= hi && vma_map_page(pg, PROT_READ | PROT_WRITE | PROT_EXEC) < 0)
			pg += STUB_PAGE;
		if (pg + SLOTS > hi) {
			mark_unpatchable(key);
			goto out;
		}
		add_stub_page(pg, SLOTS + STUB_SIZE);
		s = (unsigned char *)pg + SLOTS;
	}
	if (!pass_table_made) {
		for (unsigned long n = 0; n < SC_MAX; n++)
			pass_table[n] = pass_class(n);
		pass_table_made = 1;
	}
	unsigned char *p = s, *to_trap[3];
	memcpy(p, ins, ilen); /* the instruction the jump replaces */
	p += ilen;
	memcpy(p, "\x48\x8d\x64\x24\x80", 5); /* lea -0x80(%rsp),%rsp */
	p += 5;
	*p++ = 0x9c;                   /* pushfq */
	memcpy(p, "\x89\xc1", 2);      /* mov %eax,%ecx (the kernel reads %eax) */
	p += 2;
	uint32_t max = SC_MAX;
	*p++ = 0x81; /* cmp $SC_MAX,%ecx */
	*p++ = 0xf9;
	memcpy(p, &max, 4);
	p += 4;
	*p++ = 0x73; /* jae trap */
	to_trap[0] = p++;
	uint64_t table = (uint64_t)pass_table;
	*p++ = 0x49; /* movabs $pass_table,%r11 */
	*p++ = 0xbb;
	memcpy(p, &table, 8);
	p += 8;
	memcpy(p, "\x41\x0f\xb6\x0c\x0b", 5); /* movzbl (%r11,%rcx),%ecx: the class */
	p += 5;
	memcpy(p, "\x83\xf9\x01", 3); /* cmp $PASS_PLAIN,%ecx */
	p += 3;
	*p++ = 0x74; /* je plain */
	unsigned char *to_plain[2] = {p++, NULL};
	*p++ = 0x72; /* jb trap (PASS_TRAP) */
	to_trap[1] = p++;
	memcpy(p, "\x49\x89\xf3", 3); /* mov %rsi,%r11 */
	p += 3;
	memcpy(p, "\x83\xf9\x02", 3); /* cmp $PASS_PATH0,%ecx */
	p += 3;
	memcpy(p, "\x75\x03", 2); /* jne 1f */
	p += 2;
	memcpy(p, "\x49\x89\xfb", 3); /* mov %rdi,%r11 */
	p += 3;
	*p++ = 0x50; /* 1: push %rax (the probe answers in %eax) */
	*p++ = 0xff; /* call *probe_path(%rip) */
	*p++ = 0x15;
	p = put_rel32(p, pg + 8 * SLOT_PROBE_PATH);
	memcpy(p, "\x85\xc0", 2); /* test %eax,%eax */
	p += 2;
	*p++ = 0x58; /* pop %rax */
	*p++ = 0x75; /* jnz trap */
	to_trap[2] = p++;
	*p++ = 0xeb; /* jmp plain */
	to_plain[1] = p++;
	for (int i = 0; i < 3; i++) /* trap: */
		*to_trap[i] = (unsigned char)(p - to_trap[i] - 1);
	*p++ = 0x9d; /* popfq */
	memcpy(p, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8); /* lea 0x80(%rsp),%rsp */
	p += 8;
	*p++ = 0xe9; /* jmp to the syscall, which traps */
	p = put_rel32(p, rip - 2);
	for (int i = 0; i < 2; i++) /* plain: */
		*to_plain[i] = (unsigned char)(p - to_plain[i] - 1);
	if (cfg.stats_area) {
		int calls_off, errors_off, fast_off;
		uint64_t calls = (uint64_t)stats_fast_row(cfg.stats_area, 0, &calls_off, &errors_off, &fast_off);
		uint32_t stride = (uint32_t)((uint64_t)stats_fast_row(cfg.stats_area, 1, &calls_off, &errors_off,
								      &fast_off) - calls);
		memcpy(p, "\x89\xc1", 2); /* mov %eax,%ecx */
		p += 2;
		memcpy(p, "\x4c\x69\xd9", 3); /* imul $stride,%rcx,%r11 */
		memcpy(p + 3, &stride, 4);
		p += 7;
		*p++ = 0x48; /* movabs $calls,%rcx */
		*p++ = 0xb9;
		memcpy(p, &calls, 8);
		p += 8;
		memcpy(p, "\xf0\x4a\xff\x04\x19", 5); /* lock incq (%rcx,%r11) */
		p += 5;
		memcpy(p, "\xf0\x4a\xff\x44\x19", 5); /* lock incq fast(%rcx,%r11) */
		p += 5;
		*p++ = (unsigned char)(fast_off - calls_off);
		*p++ = 0x9d; /* popfq */
		memcpy(p, "\x41\x53", 2); /* push %r11: the row's offset, for the errors */
		p += 2;
		*p++ = 0xff; /* call *gate(%rip) */
		*p++ = 0x15;
		p = put_rel32(p, pg + 8 * SLOT_GATE);
		*p++ = 0x59; /* pop %rcx */
		memcpy(p, "\x48\x3d\x01\xf0\xff\xff", 6); /* cmp $-4095,%rax */
		p += 6;
		*p++ = 0x72; /* jb 1f */
		unsigned char *skip = p++;
		*p++ = 0x50; /* push %rax */
		uint64_t errors = calls + (uint64_t)(long)(errors_off - calls_off);
		*p++ = 0x48; /* movabs $errors,%rax */
		*p++ = 0xb8;
		memcpy(p, &errors, 8);
		p += 8;
		memcpy(p, "\xf0\x48\xff\x04\x08", 5); /* lock incq (%rax,%rcx) */
		p += 5;
		*p++ = 0x58; /* pop %rax */
		*skip = (unsigned char)(p - skip - 1);
		memcpy(p, "\x41\x53\x9d", 3); /* 1: push %r11; popfq: the kernel's flags */
		p += 3;
	} else {
		*p++ = 0x9d; /* popfq */
		*p++ = 0xff; /* call *gate(%rip) */
		*p++ = 0x15;
		p = put_rel32(p, pg + 8 * SLOT_GATE);
	}
	memcpy(p, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8); /* lea 0x80(%rsp),%rsp */
	p += 8;
	*p++ = 0xe9; /* jmp back, after the syscall */
	p = put_rel32(p, rip);
	if (p - s > STUB_SIZE)
		lbw_die(127, "internal error: fast-path stub of %ld bytes", (long)(p - s));
	unsigned char jmp[5] = {0xe9};
	int32_t to = (int32_t)((long)s - (long)(site + 5));
	memcpy(jmp + 1, &to, 4);
	if (ilen == 3 && (jmp[3] != 0x0f || jmp[4] != 0x05))
		lbw_die(127, "internal error: register-site stub at %lx does not keep the syscall",
			(unsigned long)s);
	if (write_jump(site, jmp, v.prot))
		mark_unpatchable(key);
out:
	lbw_unlock(&rewrite_lock);
	return 0;
}

static unsigned char *put_mov_eax(unsigned char *p, uint32_t imm)
{
	*p++ = 0xb8; /* mov $imm,%eax */
	memcpy(p, &imm, 4);
	return p + 4;
}

static void family_list(unsigned long rip, unsigned long nr, const struct vma *v, unsigned long off,
			const unsigned char *code)
{
	/* (prefork workers rewrite the same site each: listed once) */
	uint32_t n = __atomic_load_n(&family->n, __ATOMIC_ACQUIRE);
	for (uint32_t j = 0; j < n && j < KIN_MAX; j++) {
		const struct kin_site *k = &family->s[j];
		if (__atomic_load_n(&k->ready, __ATOMIC_ACQUIRE) && k->off == off && k->ino == v->ino &&
		    k->dev == v->dev && k->nr == nr)
			return;
	}
	uint32_t i = __atomic_fetch_add(&family->n, 1, __ATOMIC_SEQ_CST);
	if (i >= KIN_MAX)
		return;
	kin_done[i / 64] |= 1ULL << (i % 64); /* its own */
	struct kin_site *k = &family->s[i];
	k->rip = rip;
	k->nr = (uint32_t)nr;
	k->ino = v->ino;
	k->dev = v->dev;
	k->off = off;
	memcpy(k->code, code, KIN_WINDOW);
	__atomic_store_n(&k->ready, 1, __ATOMIC_RELEASE);
}

static void rewrite_site_as(struct sc *c, const struct kin_site *kin);

void rewrite_site(struct sc *c)
{
	rewrite_site_as(c, NULL);
}

void rewrite_before_fork(void)
{
	if (disabled || cfg.no_rewrite || cfg.trace_fd >= 0)
		return;
	if (!family) {
		/* (another thread forking now: the next fork makes it) */
		if (__atomic_exchange_n(&rewrite_lock.v, 1, __ATOMIC_ACQUIRE))
			return;
		long p = sys6(SYS_mmap, 0, sizeof(struct family), PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p >= 0 || p < -4095) {
			lbw_own_region(p, page_up(sizeof(struct family)));
			struct family *f = (struct family *)p;
			family_maker = sys0(SYS_getpid);
			/* the counts so far, not the marks (this process's) */
			for (int i = 0; i < SEEN_BUCKETS; i++)
				for (int w = 0; w < 2; w++)
					if ((seen[i][w] & 0xffff) != SEEN_UNPATCHABLE)
						f->counts[i][w] = seen[i][w];
			__atomic_store_n(&family, f, __ATOMIC_RELEASE);
		}
		lbw_unlock(&rewrite_lock);
		return;
	}
	uint32_t n = __atomic_load_n(&family->n, __ATOMIC_ACQUIRE);
	if (n > KIN_MAX)
		n = KIN_MAX;
	/* Nothing new: this page stays unwritten (a fork makes each write
	 * to it a copy-on-write fault). */
	if (__atomic_load_n(&kin_all, __ATOMIC_ACQUIRE) == n)
		return;
	if (__atomic_exchange_n(&kin_lock, 1, __ATOMIC_ACQUIRE))
		return; /* (another thread forking: next time) */
	uint32_t all = n;
	for (uint32_t i = 0; i < n; i++) {
		if (kin_done[i / 64] & (1ULL << (i % 64)))
			continue;
		const struct kin_site *k = &family->s[i];
		/* (one being written, or whose writer died first: later) */
		if (!__atomic_load_n(&k->ready, __ATOMIC_ACQUIRE))
			continue;
		/* The same file's code here, not writable, and as the lister
		 * found it (a private copy may have been written); unmapped:
		 * maybe later (a library loaded after a child's). */
		struct vma v;
		unsigned char code[KIN_WINDOW];
		long q = vma_at(k->rip - 2, &v);
		if (q == -ENOENT && ++kin_tries[i] < KIN_TRIES)
			continue;
		if (q < 0 || v.ino != k->ino || v.dev != k->dev || (v.prot & PROT_WRITE) ||
		    v.off + (k->rip - v.lo) != k->off ||
		    copy_from_guest(code, (void *)(k->rip - KIN_WINDOW), KIN_WINDOW) < 0 ||
		    memcmp(code, k->code, KIN_WINDOW)) {
			kin_done[i / 64] |= 1ULL << (i % 64);
			continue;
		}
		/* For the forms listed, only the number and the address count
		 * of the registers the other process had there. */
		k_ucontext_t uc;
		memset(&uc, 0, sizeof uc);
		uc.uc_mcontext.rip = k->rip;
		uc.uc_mcontext.rax = k->nr;
		struct sc c;
		memset(&c, 0, sizeof c);
		c.nr = (int)k->nr;
		c.uc = &uc;
		c.via = VIA_TRAP;
		kin_retry = 0;
		kin_now = k;
		rewrite_site_as(&c, k);
		kin_now = NULL;
		if (!kin_retry)
			kin_done[i / 64] |= 1ULL << (i % 64);
	}
	for (uint32_t i = 0; i < n && all == n; i++)
		if (!(kin_done[i / 64] & (1ULL << (i % 64))))
			all = i;
	__atomic_store_n(&kin_all, all, __ATOMIC_RELEASE);
	__atomic_store_n(&kin_lock, 0, __ATOMIC_RELEASE);
}

void rewrite_fork_lock(void)
{
	lbw_lock(&rewrite_lock);
}

void rewrite_fork_unlock(void)
{
	lbw_unlock(&rewrite_lock);
}

/* A fork child is not the family's first member; the take-up lock, held
 * by another thread at the fork, is no one's in the child. */
void rewrite_after_fork(int child)
{
	/* (written only if set: each page a child writes costs it a fault) */
	if (child && kin_lock)
		kin_lock = 0;
}

/* kin: the entry of the family's list taken up, else NULL. */
static void rewrite_site_as(struct sc *c, const struct kin_site *kin)
{
	if (disabled || cfg.no_rewrite || cfg.trace_fd >= 0)
		return;
	unsigned long nr = (unsigned long)c->nr;
	int probe_slot, probe, straddle = 0;
	enum way way = call_way(nr, &probe_slot, &probe);
	if (way == WAY_TRAP)
		return;
	/* A clone site that makes threads (or vfork children) would send
	 * each call back to the trap from its stub (do_clone): left alone. */
	if (clone_needs_frame((long)nr, c->a[0], c->a[1]))
		return;
	int emulate = way == WAY_EMULATE;
	unsigned long near_lo = 0, near_hi = 0;
	unsigned long rip = c->uc->uc_mcontext.rip;
	unsigned long site = rip - 7, resume = rip;
	static const unsigned char xor_read[10] = {0x31, 0xc0, 0x0f, 0x05, 0x48, 0x3d, 0x00, 0xf0, 0xff, 0xff};
	int pun = 0;
	if (nr == SYS_read && !emulate && !kin) {
		unsigned char r[10];
		if (copy_from_guest(r, (void *)(rip - 4), 10) == 0 && !memcmp(r, xor_read, 10)) {
			site = rip - 4;
			resume = rip + 6;
			pun = 1;
		}
	}
	/* The five bytes must lie in one page (only that page is opened);
	 * with other threads about, only an atomic patch is safe. Which five
	 * they are depends on the form, found below (a pun's are known). */
	/* (A listed site is hot: its count is the family's.) */
	if (known_unpatchable(site) || (pun && page_down(site) != page_down(site + 4)) ||
	    (!kin && !hot_enough(site)))
		return;
	if (pun && !window_ok(site) && __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) != 1)
		return;
	/* b: the five bytes the jump replaces, an instruction that the stub
	 * replays on its way to the trap, `mov $nr,%eax` or, where %eax was
	 * set earlier, `mov $imm,%edi` (or %esi, %edx): glibc's
	 * open64_nocancel (opendir's open) is `mov $nr,%eax; mov %rdi,%rsi;
	 * mov $AT_FDCWD,%edi; syscall`. Or the six bytes of `mov $imm,%r10d`
	 * (41 ba imm32), the last left in place behind the jump: glibc's and
	 * musl's rt_sigprocmask with its size 8, glibc's rseq with its
	 * signature, are made so. Or the seven of a lea (see lea_form). */
	unsigned char b[9] = {0x31, 0xc0};
	unsigned ilen = 5;        /* bytes of the replaced instruction */
	unsigned char rep[10];    /* what the stub runs in its place */
	unsigned rlen = 0;        /* (0: the instruction itself) */
	unsigned long key = site; /* the seen table's name for the site */
	uint32_t imm = (uint32_t)nr;
	int arg_mov = 0; /* b is a mov to an argument: check %eax first */
	int to_rax = 0;  /* b is c7 c0 imm32, mov $imm,%eax, maybe after a REX.W */
	unsigned char mid[4]; /* an instruction between the mov and the syscall */
	unsigned mid_len = 0;
	if (!pun) {
		if (copy_from_guest(b, (void *)(site - 1), 8) < 0) {
			mark_unpatchable(key);
			return;
		}
		uint32_t v;
		memcpy(&v, b + 2, 4);
		const struct k_sigcontext *r = &c->uc->uc_mcontext;
		/* Bytes read backwards may be the end of a longer instruction
		 * (`41 ba imm32` is a mov to %r10d; a movabs's last bytes can
		 * look like anything): the register the mov would set must hold
		 * its value at the trap, as %eax holds the number. */
		unsigned char op = b[1];
		unsigned long want = op == 0xbf ? r->rdi : op == 0xbe ? r->rsi : op == 0xba ? r->rdx : r->rax;
		if (b[0] == 0xc7 && op == 0xc0 && v < 0x80000000u) {
			/* mov $imm,%eax (c7 c0 imm32), or mov $imm,%rax with a
			 * REX.W before it: glibc's and musl's signal restorer
			 * (`48 c7 c0 0f 00 00 00`), Go's MOVQ $nr, AX. The jump
			 * takes the first five of its six bytes; a REX.W left
			 * before it is ignored by a near jmp, as it is when the
			 * byte ends the instruction before. */
			op = 0xb8;
			to_rax = 1;
			site--;
			ilen = 6;
		} else if (b[0] == 0x41 && op == 0xba && r->rdx != v) {
			/* mov $imm,%r10d (were 0x41 the end of the instruction
			 * before, `mov $imm,%edx` would have set %rdx to imm) */
			op = 0x41;
			want = r->r10;
			site--;
			ilen = 6;
		}
		arg_mov = op == 0xbf || op == 0xbe || op == 0xba || op == 0x41;
		unsigned long addr;
		int reg;
		if (b[6] != 0x0f || b[7] != 0x05 || jumps_to_stub(rip)) {
			mark_unpatchable(key);
			return;
		}
		if (b[2] == 0x40 && b[3] == 0x80 && b[4] == 0xf6 && !arg_mov && !to_rax && way == WAY_PLAIN) {
			/* `mov $nr,%eax; xor $imm8,%sil; syscall`: glibc's
			 * __lll_lock_wait, every contended mutex's wait, turns
			 * FUTEX_PRIVATE_FLAG on so. The jump replaces the mov;
			 * the xor (which leaves %rax alone) stays in place for
			 * the way to the trap, and the stub replays it before
			 * its call (a plain call's stub only: no probe or
			 * dispatcher sees the arguments before it). */
			/* (A REX before the b8 would make it a movabs whose
			 * eight bytes end with the xor's four: no mov, no xor.) */
			unsigned char m[6];
			uint32_t mv;
			if (copy_from_guest(m, (void *)(rip - 12), 6) == 0 && m[1] == 0xb8 &&
			    (m[0] & 0xf0) != 0x40 && (memcpy(&mv, m + 2, 4), mv == nr)) {
				memcpy(mid, b + 2, 4);
				mid_len = 4;
				memcpy(b, m, 6);
				op = 0xb8;
				v = mv;
				want = r->rax;
				site = rip - 11;
			}
		}
		/* A mov's opcode byte after 8d, 8b or 89 is more likely the
		 * modrm of a lea or mov with a disp32 (`lea 0x10(%rdx),%rdi`
		 * is 48 8d ba 10 00 00 00): no mov, then. */
		if (ilen == 5 && (b[0] == 0x8d || b[0] == 0x8b || b[0] == 0x89))
			want = ~(unsigned long)v;
		if (kin && (arg_mov || op != 0xb8 || want != v))
			return; /* (not a form that was listed) */
		if (!(op == 0xb8 || arg_mov) || want != v) {
			/* The seven bytes of a lea, the last two left in place
			 * behind the jump. The stub loads a RIP-relative
			 * address as a constant (movabs): it runs elsewhere. */
			arg_mov = 0;
			if (copy_from_guest(b, (void *)(rip - 9), 9) < 0 ||
			    (reg = lea_form(b, r, rip - 2, &addr)) == -1) {
				/* (its stub serves each number its own way) */
				if (rewrite_register_site(rip, r, key) < 0)
					mark_unpatchable(key);
				return;
			}
			if (reg == -2)
				return; /* one instruction or two: later */
			arg_mov = 1;
			site = rip - 9;
			ilen = 7;
			if ((b[2] & 0xc7) == 0x05) {
				rep[0] = reg >= 8 ? 0x49 : 0x48; /* movabs $addr,%reg */
				rep[1] = 0xb8 + (reg & 7);
				memcpy(rep + 2, &addr, 8);
				rlen = 10;
			}
		}
		if (page_down(site) != page_down(site + 4)) {
			mark_unpatchable(key);
			return;
		}
		/* (the six-byte form moved the site: its window again; with
		 * other threads about, one across a 16-byte boundary needs a
		 * stub in straddle_range, else another try when alone) */
		if (!window_ok(site) && __atomic_load_n(&lbw_nthreads, __ATOMIC_SEQ_CST) != 1 &&
		    !(straddle = straddle_range(site, &near_lo, &near_hi)))
			return;
		if (ilen == 5)
			memmove(b, b + 1, 7);
	}
	if (!rlen) {
		memcpy(rep, b, ilen);
		rlen = ilen;
	}
	/* And no prefix that changes the instruction: 0x66 narrows it; a REX
	 * with B and without W names another register (with W it would be a
	 * movabs holding the syscall's bytes: no such site); before xor
	 * %eax,%eax any REX may. The byte may also end the instruction before
	 * (a disp8 of 0x48...), which only costs the rewrite. */
	unsigned char before;
	if (copy_from_guest(&before, (void *)(site - 1), 1) < 0 || before == 0x66 ||
	    (ilen == 7 && before == 0x67) || /* a 32-bit address */
	    (to_rax && (before & 0xf0) == 0x40 && before != 0x48) || /* REX.B: %r8d */
	    (pun ? (before & 0xf0) == 0x40 : ilen == 5 && (before & 0xf9) == 0x41)) {
		mark_unpatchable(key);
		return;
	}
	/* A guest handler running on top of a rewrite (or a fork taken while
	 * another thread held the lock) must not wait: it just keeps trapping. */
	if (__atomic_exchange_n(&rewrite_lock.v, 1, __ATOMIC_ACQUIRE)) {
		kin_retry = 1;
		return;
	}
	/* Another thread may have patched it meanwhile. */
	if (*(volatile unsigned char *)site != b[0])
		goto out;
	/* Only private code: a shared mapping's bytes are other processes'
	 * too, and they have no stubs. */
	struct vma v;
	if (vma_at(site, &v) < 0 || v.shared || !(v.prot & PROT_EXEC)) {
		mark_unpatchable(key);
		goto out;
	}
	/* Taken up from the family's list: the same file's code, or nothing. */
	if (kin && (!v.ino || v.ino != kin->ino || v.dev != kin->dev || v.off + (rip - v.lo) != kin->off))
		goto out;
	int prot = v.prot;
	unsigned long slot;
	unsigned char *s = pun	    ? stub_at_pun(site, &slot)
			   : straddle ? stub_alloc_in(site, near_lo, near_hi, &slot)
				      : stub_alloc(site, &slot);
	if (!s) {
		/* (a straddling site that found no stub would look again on
		 * every trap) */
		if (pun || straddle)
			mark_unpatchable(pun ? site : key);
		goto out;
	}
	unsigned long st = (unsigned long)s;
	unsigned char *p = s;
	unsigned char *miss_at = NULL;
	if (arg_mov) {
		/* Some other call reaching the site: to the trap. The flags
		 * are the guest's until the call, as the kernel keeps them. */
		int32_t minus = -(int32_t)nr;
		*p++ = 0x8d; /* lea -nr(%rax),%ecx */
		*p++ = 0x88;
		memcpy(p, &minus, 4);
		p += 4;
		*p++ = 0xe3; /* jrcxz 1f */
		*p++ = 5;
		*p++ = 0xe9; /* jmp trap (rel32, patched below) */
		miss_at = p;
		p += 4;
		memcpy(p, rep, rlen); /* 1: the argument's mov (or lea) */
		p += rlen;
	}
	memcpy(p, "\x48\x8d\x64\x24\x80", 5); /* lea -0x80(%rsp),%rsp */
	p += 5;
	if (emulate) {
		/* The call is lbw's to serve: into the dispatcher, and back,
		 * or to the site's own syscall when lbw says %rcx = 0. */
		p = put_mov_eax(p, imm);
		*p++ = 0xff; /* call *emulate_slot(%rip) */
		*p++ = 0x15;
		p = put_rel32(p, slot + 8 * SLOT_EMULATE);
		memcpy(p, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8); /* lea 0x80(%rsp),%rsp */
		p += 8;
		*p++ = 0xe3; /* jrcxz 1f (keeps the flags) */
		*p++ = 5;
		*p++ = 0xe9; /* jmp back, after the site */
		p = put_rel32(p, resume);
		goto trap_tail; /* 1: */
	}
	unsigned char *jnz_at = NULL;
	if (probe_slot) {
		static const unsigned char mov_r11[6][3] = {
			{0x49, 0x89, 0xfb}, {0x49, 0x89, 0xf3}, {0x49, 0x89, 0xd3}, /* rdi rsi rdx */
			{0x4d, 0x89, 0xd3}, {0x4d, 0x89, 0xc3}, {0x4d, 0x89, 0xcb}, /* r10 r8 r9 */
		};
		if (probe >= 0) {
			memcpy(p, mov_r11[probe], 3); /* mov %argN,%r11 */
			p += 3;
		}
		*p++ = 0xff; /* call *probe_slot(%rip) */
		*p++ = 0x15;
		p = put_rel32(p, slot + 8 * probe_slot);
		memcpy(p, "\x85\xc0", 2); /* test %eax,%eax */
		p += 2;
		*p++ = 0x0f; /* jnz trap (rel32, patched below) */
		*p++ = 0x85;
		jnz_at = p;
		p += 4;
	}
	uint64_t row = 0;
	int calls_off = 0, errors_off = 0, fast_off = 0;
	if (cfg.stats_area) {
		row = (uint64_t)stats_fast_row(cfg.stats_area, nr, &calls_off, &errors_off, &fast_off);
		*p++ = 0x49; /* movabs $row,%r11 (clobbered by syscall anyway) */
		*p++ = 0xbb;
		memcpy(p, &row, 8);
		p += 8;
		*p++ = 0xf0; /* lock incq calls(%r11) */
		*p++ = 0x49;
		*p++ = 0xff;
		*p++ = 0x43;
		*p++ = (unsigned char)calls_off;
		*p++ = 0xf0; /* lock incq fast(%r11) */
		*p++ = 0x49;
		*p++ = 0xff;
		*p++ = 0x43;
		*p++ = (unsigned char)fast_off;
	}
	p = put_mov_eax(p, imm);
	memcpy(p, mid, mid_len); /* (the flags are the xor's, as at the syscall) */
	p += mid_len;
	*p++ = 0xff; /* call *slot(%rip) */
	*p++ = 0x15;
	p = put_rel32(p, slot);
	if (cfg.stats_area) {
		memcpy(p, "\x48\x3d\x01\xf0\xff\xff", 6); /* cmp $-4095,%rax */
		p += 6;
		*p++ = 0x72; /* jb 1f */
		*p++ = 15;
		*p++ = 0x48; /* movabs $row,%rcx */
		*p++ = 0xb9;
		memcpy(p, &row, 8);
		p += 8;
		*p++ = 0xf0; /* lock incq errors(%rcx) */
		*p++ = 0x48;
		*p++ = 0xff;
		*p++ = 0x41;
		*p++ = (unsigned char)errors_off;
		/* 1: */
		memcpy(p, "\x41\x53\x9d", 3); /* push %r11; popfq: the kernel's flags */
		p += 3;
	}
	if (pun) {
		memcpy(p, xor_read + 4, 6); /* glibc's cmp $-4096,%rax */
		p += 6;
	}
	memcpy(p, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8); /* lea 0x80(%rsp),%rsp (flags kept) */
	p += 8;
	*p++ = 0xe9; /* jmp back, after the site */
	p = put_rel32(p, resume);
	if (jnz_at || miss_at) {
		if (jnz_at) {
			/* trap: undo the red-zone step and run the site's own
			 * syscall, which traps into lbw with everything as the
			 * guest left it. */
			put_rel32(jnz_at, (unsigned long)p);
			memcpy(p, "\x48\x8d\xa4\x24\x80\x00\x00\x00", 8); /* lea 0x80(%rsp),%rsp */
			p += 8;
		}
	trap_tail:
		if (arg_mov)
			p = put_mov_eax(p, imm); /* the probe or lbw's answer took %eax */
		if (miss_at)
			put_rel32(miss_at, (unsigned long)p);
		memcpy(p, rep, rlen); /* the replaced instruction */
		p += rlen;
		*p++ = 0xe9; /* jmp to the syscall instruction */
		p = put_rel32(p, site + ilen);
	}
	if (p - s > STUB_SIZE)
		lbw_die(127, "internal error: fast-path stub of %ld bytes", (long)(p - s));

	unsigned char jmp[5] = {0xe9};
	int32_t to = (int32_t)((long)st - (long)(site + 5));
	memcpy(jmp + 1, &to, 4);
	if (pun && ((uint32_t)to & 0xffffff00u) != PUN_DISP)
		lbw_die(127, "internal error: read stub at %lx does not pun", st);
	/* Alone, write through /proc/self/mem: no protection change. A
	 * signal arriving meanwhile waits for lbw, so nothing runs the site
	 * half-written. */
	/* Rewritten, the site is not examined again when another number
	 * reaches its stub and traps. */
	/* For the family (its first member's code is where it was: nothing
	 * to list): the bytes as they are before the jump. arg_mov: a form
	 * the registers prove; pun: its stub's own placement. */
	unsigned char code[KIN_WINDOW];
	int list = family && !kin && !arg_mov && !pun && v.ino && !(v.prot & PROT_WRITE) &&
		   family_maker != sys0(SYS_getpid) && copy_from_guest(code, (void *)(rip - KIN_WINDOW), KIN_WINDOW) == 0;
	if (write_jump(site, jmp, prot)) {
		mark_seen(key);
		if (list)
			family_list(rip, nr, &v, v.off + (rip - v.lo), code);
	}
out:
	lbw_unlock(&rewrite_lock);
}
