/* lbw's freestanding runtime: the raw syscall gate, memory and string
 * routines, formatted output to an fd, an mmap-backed allocator and safe
 * access to guest memory. No libc, no TLS, no %fs/%gs. Every function here
 * returns -errno on failure where it can fail; there is no errno. */
#ifndef LBW_RT_H
#define LBW_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "../abi/linux.h"

/* Where lbw names a descriptor of its own by path: the calling thread's
 * table (/proc/self is the thread-group leader's, which a thread that
 * unshared its table, or outlived the leader, does not see). */
#define PROC_FD "/proc/thread-self/fd/"

/* ---- the gate (rt/gate.S): the only place lbw executes `syscall` ---- */
long lbw_sys(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
extern char lbw_gate_start[], lbw_gate_end[];
/* The same, for a call made for the guest that a guest signal may cut short
 * (see gate.S): -ERESTARTSYS, the call not made, when *pending. */
long lbw_sys_cp(long nr, long a1, long a2, long a3, long a4, long a5, long a6,
		volatile uint64_t *pending);
extern char lbw_cp_begin[], lbw_cp_insn[], lbw_cp_cancel[];

static inline long sys0(long n) { return lbw_sys(n, 0, 0, 0, 0, 0, 0); }
static inline long sys1(long n, long a) { return lbw_sys(n, a, 0, 0, 0, 0, 0); }
static inline long sys2(long n, long a, long b) { return lbw_sys(n, a, b, 0, 0, 0, 0); }
static inline long sys3(long n, long a, long b, long c) { return lbw_sys(n, a, b, c, 0, 0, 0); }
static inline long sys4(long n, long a, long b, long c, long d) { return lbw_sys(n, a, b, c, d, 0, 0); }
static inline long sys5(long n, long a, long b, long c, long d, long e) { return lbw_sys(n, a, b, c, d, e, 0); }
static inline long sys6(long n, long a, long b, long c, long d, long e, long f) { return lbw_sys(n, a, b, c, d, e, f); }

/* ---- memory and strings (rt/string.c) ---- */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t strlcpy(char *d, const char *s, size_t size);
int starts_with(const char *s, const char *prefix);
/* Parses a decimal (or 0x hex) unsigned number; returns 0 and sets *out, or -EINVAL. */
int parse_ulong(const char *s, unsigned long *out);
/* Reads lower-case hex digits at *p, advancing *p past them (as in /proc's
 * files); the count of digits in *digits when it is not NULL. */
unsigned long scan_hex(const char **p, int *digits);

/* ---- formatted output (rt/fmt.c) ----
 * %d %i %u %x %lx %ld %lu %lld %llu %zu %zd %p %s %.*s %c %o %lo %% and widths
 * with 0 padding (%08lx). Returns the length that would have been written. */
int lbw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int lbw_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Writes the whole formatted text to fd in one write(2) when it fits 4 KiB. */
int lbw_dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "lbw: ..." plus newline on stderr. */
void lbw_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* lbw_warn, then exit_group(code). */
__attribute__((noreturn)) void lbw_die(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Name of an errno value ("ENOENT"), or NULL. */
const char *errno_name(long err);

/* ---- allocation (rt/alloc.c): thread-safe, backed by lbw-owned mmaps ---- */
void *lbw_alloc(size_t n);   /* zeroed, 16-byte aligned; NULL when out of memory */
void lbw_free(void *p);
/* Maps n bytes of anonymous memory for lbw and records it as lbw's own
 * (guest mmap/munmap/mprotect cannot touch it). Returns the address or -errno. */
long lbw_map(size_t n, int prot);
void lbw_unmap(void *p, size_t n);
/* True when [addr, addr+len) overlaps memory that belongs to lbw. */
int lbw_owns(unsigned long addr, unsigned long len);
/* Records a region as lbw's (the image, stacks, shared tables). */
void lbw_own_region(unsigned long addr, unsigned long len);
void lbw_disown_region(unsigned long addr, unsigned long len);
/* The lowest lbw region that ends above addr: 1 and its bounds, or 0. */
int lbw_region_from(unsigned long addr, unsigned long *lo, unsigned long *hi);

/* The kernel's initial stack pointer of this process (rt/start.c). */
extern unsigned long *lbw_kernel_sp;

/* Large zeroed tables go after the rest of .bss (the linker puts .lbss
 * last), so that the small variables every process touches share a page or
 * two instead of being spread between them, and are not mapped ahead at
 * start-up (rt/start.c): each of their pages faults in when first used. */
#define LBW_BIG_BSS __attribute__((section(".lbss")))

/* ---- locks (spin, for the few shared structures) ---- */
typedef struct { volatile int v; } lbw_lock_t;
void lbw_lock(lbw_lock_t *l);
void lbw_unlock(lbw_lock_t *l);
/* Taken by a forking thread around the fork (allocator and region table). */
void rt_fork_lock(void);
void rt_fork_unlock(void);

/* ---- guest memory (rt/guestmem.S): a bad guest pointer gives -EFAULT ----
 * A fault inside these routines is caught by lbw's SIGSEGV/SIGBUS handler,
 * which resumes at the routine's fixup (see trap/). */
long copy_from_guest(void *dst, const void *gsrc, size_t n);   /* 0 or -EFAULT */
long copy_to_guest(void *gdst, const void *src, size_t n);     /* 0 or -EFAULT */
/* Copies a NUL-terminated guest string into dst (size bytes). Returns its
 * length, -EFAULT, or -ENAMETOOLONG when it does not fit. */
long strncpy_from_guest(char *dst, const char *gsrc, size_t size);
extern char guestmem_start[], guestmem_end[];
/* Where a faulting guestmem routine resumes: returns -EFAULT. */
extern char guestmem_fixup[];

/* ---- misc ---- */
static inline unsigned long page_down(unsigned long a) { return a & ~4095UL; }
static inline unsigned long page_up(unsigned long a) { return (a + 4095) & ~4095UL; }
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
/* 64 random bits from getrandom(2), or from rdtsc if that fails. */
uint64_t lbw_random(void);

#endif
