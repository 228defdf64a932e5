/* mmap: anonymous and file-backed mappings, MAP_PRIVATE copy-on-write,
 * MAP_SHARED|MAP_FIXED at an address and file offset that are 4 KiB but not
 * 64 KiB aligned, msync, and reading the result back with read(). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL
#define FILE_SIZE (64 * PG + 123)

static unsigned char pat(unsigned long i) { return (unsigned char)(i * 7 + i / PG); }

static const char *ename(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case EACCES: return "EACCES";
    case ENOMEM: return "ENOMEM";
    case EEXIST: return "EEXIST";
    default: return "other";
    }
}

static int child_status(pid_t pid)
{
    int st;
    waitpid(pid, &st, 0);
    return WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* anonymous */
    size_t alen = 1 << 20;
    unsigned char *a = mmap(NULL, alen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("anon mmap: %s, page aligned: %d\n", a != MAP_FAILED ? "ok" : "failed", ((uintptr_t)a & (PG - 1)) == 0);
    int zero = 1;
    for (size_t i = 0; i < alen; i++)
        if (a[i])
            zero = 0;
    printf("anon memory is zero: %d\n", zero);
    for (size_t i = 0; i < alen; i++)
        a[i] = pat(i);
    int good = 1;
    for (size_t i = 0; i < alen; i++)
        if (a[i] != pat(i))
            good = 0;
    printf("anon write/read back: %d\n", good);
    printf("munmap: %d\n", munmap(a, alen));

    /* anonymous shared memory survives fork and is seen by the parent */
    int *sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *sh = 1;
    pid_t pid = fork();
    if (pid == 0) {
        *sh = 4242;
        _exit(0);
    }
    child_status(pid);
    printf("MAP_SHARED|MAP_ANONYMOUS written by child, parent sees %d\n", *sh);
    munmap(sh, PG);

    /* a file with a known pattern */
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], path[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/lbwt-mmap-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/data", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unsigned char *buf = malloc(FILE_SIZE);
    for (size_t i = 0; i < FILE_SIZE; i++)
        buf[i] = pat(i);
    printf("write file: %zd\n", write(fd, buf, FILE_SIZE));

    /* MAP_PRIVATE of the whole file */
    size_t flen = (FILE_SIZE + PG - 1) & ~(PG - 1);
    unsigned char *m = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    good = m != MAP_FAILED && memcmp(m, buf, FILE_SIZE) == 0;
    printf("MAP_PRIVATE file content matches: %d\n", good);
    int tailzero = 1;
    for (size_t i = FILE_SIZE; i < flen; i++)
        if (m[i])
            tailzero = 0;
    printf("bytes after EOF in the last page are zero: %d\n", tailzero);
    m[100] ^= 0xff;
    unsigned char c;
    pread(fd, &c, 1, 100);
    printf("private write not in file: %d\n", c == pat(100));
    munmap(m, FILE_SIZE);

    /* MAP_PRIVATE at offset 5 pages */
    m = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 5 * PG);
    printf("MAP_PRIVATE at offset 0x5000 matches: %d\n", m != MAP_FAILED && memcmp(m, buf + 5 * PG, 3 * PG) == 0);
    munmap(m, 3 * PG);

    /* MAP_SHARED|MAP_FIXED at an address 4 KiB but not 64 KiB aligned, file
     * offset 0x5000 (4 KiB but not 64 KiB aligned). */
    size_t rlen = 64 * PG;
    unsigned char *res = mmap(NULL, rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    uintptr_t target = (((uintptr_t)res + 0xffff) & ~(uintptr_t)0xffff) + 3 * PG;
    unsigned char *f = mmap((void *)target, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 5 * PG);
    printf("MAP_SHARED|MAP_FIXED at 64K+0x3000 offset 0x5000: %s\n",
           f == (void *)target ? "at the address asked" : f == MAP_FAILED ? "failed" : "elsewhere");
    if (f == MAP_FAILED)
        return 1;
    printf("shared map content matches file: %d\n", memcmp(f, buf + 5 * PG, 4 * PG) == 0);
    memcpy(f + 10, "SHARED-WRITE", 12);
    memcpy(f + 3 * PG + 5, "LAST-PAGE", 9);
    printf("msync: %d\n", msync(f, 4 * PG, MS_SYNC));
    char rb[32] = {0};
    lseek(fd, 5 * PG + 10, SEEK_SET);
    printf("read() after msync: %zd [%.12s]\n", read(fd, rb, 12), rb);
    lseek(fd, 8 * PG + 5, SEEK_SET);
    printf("read() last page: %zd [%.9s]\n", read(fd, rb, 9), rb);
    /* a write() to the file shows through the shared map */
    pwrite(fd, "VIA-WRITE", 9, 6 * PG + 1);
    printf("pwrite seen in the map: %d\n", memcmp(f + PG + 1, "VIA-WRITE", 9) == 0);
    printf("neighbour page still PROT_NONE reservation, map ends at page: %d\n",
           (uintptr_t)(f + 4 * PG) < (uintptr_t)(res + rlen));
    munmap(res, rlen);

    /* a child writes through its own MAP_SHARED view */
    unsigned char *s2 = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * PG);
    pid = fork();
    if (pid == 0) {
        memcpy(s2, "CHILD", 5);
        _exit(0);
    }
    child_status(pid);
    printf("child's write through MAP_SHARED seen by parent: %d\n", memcmp(s2, "CHILD", 5) == 0);
    pread(fd, rb, 5, 2 * PG);
    printf("and in the file: %d\n", memcmp(rb, "CHILD", 5) == 0);
    munmap(s2, PG);

    /* touching a page wholly beyond EOF: SIGBUS */
    unsigned char *big = mmap(NULL, 80 * PG, PROT_READ, MAP_SHARED, fd, 0);
    pid = fork();
    if (pid == 0) {
        volatile unsigned char x = big[70 * PG];
        (void)x;
        _exit(0);
    }
    printf("read beyond EOF in a mapping: status %d (-7 is SIGBUS)\n", child_status(pid));
    munmap(big, 80 * PG);

    /* errors */
    errno = 0;
    void *e = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100);
    printf("unaligned offset: %s %s\n", e == MAP_FAILED ? "failed" : "ok", ename(errno));
    errno = 0;
    e = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0);
    printf("bad fd: %s %s\n", e == MAP_FAILED ? "failed" : "ok", ename(errno));
    errno = 0;
    e = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("zero length: %s %s\n", e == MAP_FAILED ? "failed" : "ok", ename(errno));
    int ro = open(path, O_RDONLY);
    errno = 0;
    e = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("writable shared map of O_RDONLY fd: %s %s\n", e == MAP_FAILED ? "failed" : "ok", ename(errno));
    close(ro);
    unsigned char *one = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    errno = 0;
    e = mmap(one, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    printf("MAP_FIXED_NOREPLACE over a mapping: %s %s\n", e == MAP_FAILED ? "failed" : "ok", ename(errno));
    munmap(one, 2 * PG);

    close(fd);
    unlink(path);
    rmdir(dir);
    free(buf);
    return 0;
}
