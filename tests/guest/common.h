/* Helpers shared by the guest test programs (header only). */
#ifndef LBW_TESTS_GUEST_COMMON_H
#define LBW_TESTS_GUEST_COMMON_H

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

/* A system call made with the syscall instruction itself, not through libc. */
static inline long raw6(long n, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

/* Reads up to cap bytes of a file; the count, or -1. */
static inline ssize_t slurp(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    size_t n = 0;
    ssize_t r;
    while (n < cap && (r = read(fd, buf + n, cap - n)) > 0)
        n += r;
    close(fd);
    return (ssize_t)n;
}

static inline const char *m(int ok) { return ok ? "match" : "mismatch"; }

#endif
