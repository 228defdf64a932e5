/* mremap, mprotect, madvise and munmap on anonymous memory; faults are
 * provoked in forked children and reported by signal number. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EACCES: return "EACCES";
    default: return "other";
    }
}

/* Run fn(p) in a child; return its exit status or -signal. */
static int in_child(void (*fn)(volatile unsigned char *), volatile unsigned char *p)
{
    pid_t pid = fork();
    if (pid == 0) {
        fn(p);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
}
static void do_write(volatile unsigned char *p) { p[0] = 1; }
static void do_read(volatile unsigned char *p) { (void)p[0]; }
static void do_exec(volatile unsigned char *p) { ((void (*)(void))(uintptr_t)p)(); }

static int check_pattern(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(i * seed + 1))
            return 0;
    return 1;
}
static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * seed + 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* mremap: grow in place or move, keeping the content */
    unsigned char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(p, 4 * PG, 3);
    unsigned char *q = mremap(p, 4 * PG, 256 * PG, MREMAP_MAYMOVE);
    printf("mremap grow (MAYMOVE): %s\n", q == MAP_FAILED ? "failed" : "ok");
    printf("content kept: %d\n", check_pattern(q, 4 * PG, 3));
    q[256 * PG - 1] = 9;
    int z = 1;
    for (size_t i = 4 * PG; i < 256 * PG - 1; i++)
        if (q[i])
            z = 0;
    printf("new part zero, last byte writable: %d %d\n", z, q[256 * PG - 1] == 9);
    unsigned char *r = mremap(q, 256 * PG, 2 * PG, 0);
    printf("mremap shrink in place: %s\n", r == q ? "same address" : r == MAP_FAILED ? "failed" : "moved");
    printf("content kept after shrink: %d\n", check_pattern(r, 2 * PG, 3));
    printf("page after the shrunk area is unmapped (child read): %d\n", in_child(do_read, r + 2 * PG));

    /* MREMAP_FIXED to a reserved spot */
    unsigned char *spot = mmap(NULL, 16 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned char *dest = spot + 5 * PG;
    unsigned char *s = mremap(r, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, dest);
    printf("mremap MREMAP_FIXED: %s\n", s == dest ? "at the address asked" : s == MAP_FAILED ? "failed" : "elsewhere");
    printf("content moved: %d\n", check_pattern(s, 2 * PG, 3));
    printf("old address now unmapped (child read): %d\n", in_child(do_read, r));
    errno = 0;
    void *bad = mremap(s + 1, PG, 2 * PG, MREMAP_MAYMOVE);
    printf("mremap unaligned: %s %s\n", bad == MAP_FAILED ? "failed" : "ok", ename(errno));
    errno = 0;
    bad = mremap(s, PG, 2 * PG, MREMAP_FIXED);
    printf("mremap FIXED without MAYMOVE: %s %s\n", bad == MAP_FAILED ? "failed" : "ok", ename(errno));
    munmap(spot, 16 * PG);

    /* mprotect */
    unsigned char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fill(m, 4 * PG, 5);
    printf("write to RW page in child: %d\n", in_child(do_write, m));
    printf("mprotect(PROT_READ): %d\n", mprotect(m, 2 * PG, PROT_READ));
    printf("read still works: %d\n", check_pattern(m, 4 * PG, 5));
    printf("write to read-only page in child: %d (-11 is SIGSEGV)\n", in_child(do_write, m + PG));
    printf("write to the next, still RW, page in child: %d\n", in_child(do_write, m + 2 * PG));
    printf("mprotect(PROT_NONE): %d\n", mprotect(m, PG, PROT_NONE));
    printf("read of PROT_NONE page in child: %d\n", in_child(do_read, m));
    printf("mprotect back to RW: %d\n", mprotect(m, 2 * PG, PROT_READ | PROT_WRITE));
    m[0] = 77;
    printf("write after restore: %d\n", m[0] == 77);
    errno = 0;
    int rc = (int)syscall(SYS_mprotect, m + 1, PG, PROT_READ); /* musl would align it */
    printf("mprotect unaligned: %d %s\n", rc, ename(errno));
    errno = 0;
    rc = (int)syscall(SYS_mprotect, m, PG, 0x1000);
    printf("mprotect bad prot: %d %s\n", rc, ename(errno));

    /* executable memory: a `ret` instruction */
    unsigned char *x = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    x[0] = 0xc3;
    printf("call into RW (no exec) page in child: %d\n", in_child(do_exec, x));
    mprotect(x, PG, PROT_READ | PROT_EXEC);
    printf("call into R-X page in child: %d\n", in_child(do_exec, x));
    ((void (*)(void))(uintptr_t)x)();
    printf("call into R-X page in parent: returned\n");
    munmap(x, PG);

    /* madvise */
    printf("madvise(MADV_DONTNEED): %d\n", madvise(m, 4 * PG, MADV_DONTNEED));
    z = 1;
    for (size_t i = 0; i < 4 * PG; i++)
        if (m[i])
            z = 0;
    printf("private anonymous memory is zero after MADV_DONTNEED: %d\n", z);
    printf("madvise(MADV_WILLNEED): %d\n", madvise(m, PG, MADV_WILLNEED));
    errno = 0;
    rc = (int)syscall(SYS_madvise, m + 1, PG, MADV_DONTNEED);
    printf("madvise unaligned: %d %s\n", rc, ename(errno));

    /* munmap part of a mapping */
    printf("munmap middle page: %d\n", munmap(m + PG, PG));
    printf("read of unmapped middle page in child: %d\n", in_child(do_read, m + PG));
    printf("neighbours still usable: %d\n", in_child(do_write, m) == 0 && in_child(do_write, m + 2 * PG) == 0);
    errno = 0;
    rc = (int)syscall(SYS_munmap, m + 1, PG);
    printf("munmap unaligned: %d %s\n", rc, ename(errno));
    printf("munmap of already unmapped range: %d\n", munmap(m + PG, PG));
    munmap(m, 4 * PG);
    return 0;
}
