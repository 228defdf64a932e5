/* vforkstat: a vfork child making the same calls as its parent, from the
 * same (by then rewritten) call sites, while the parent waits inside its
 * vfork. In a guest root lbw serves stat and open itself, on the fast path
 * on its own stack: the child must use a stack of its own, not the one the
 * parent's vfork is waiting on, and the parent must find its own again. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char longpath[4000];

static int probe(int n)
{
    struct stat st;
    int ok = 0;
    for (int i = 0; i < n; i++) {
        if (stat(i & 1 ? longpath : "/etc/passwd", &st) == 0 && st.st_size > 0)
            ok++;
        int fd = open("/etc/passwd", O_RDONLY);
        if (fd >= 0) {
            char c;
            if (read(fd, &c, 1) == 1)
                ok++;
            close(fd);
        }
        if (lstat("/nonexistent/x", &st) < 0)
            ok++;
    }
    return ok;
}

/* AVX-512 in use: %xmm31 exists. */
static int have_avx512(void)
{
    unsigned a, b, c, d;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & (1u << 27))) /* OSXSAVE */
        return 0;
    unsigned lo, hi;
    __asm__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0xe6) != 0xe6) /* SSE, AVX, opmask, ZMM state enabled */
        return 0;
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    return (b >> 16) & 1;
}

/* A value in %xmm31 across a vfork whose child makes calls: the parent's
 * registers wait in lbw's signal frame meanwhile, at the top of the
 * parent's lbw stack, where AVX-512's upper registers are kept; a child
 * running lbw's code on that stack would overwrite them. */
static int zmm_survives_vfork(void)
{
    unsigned long v = 0x1234567890abcdefUL, out;
    __asm__ volatile("vmovq %0, %%xmm31" : : "r"(v));
    long pid;
    __asm__ volatile("syscall" : "=a"(pid) : "a"(SYS_vfork) : "rcx", "r11", "memory");
    if (pid == 0) {
        long code = probe(20) == 60 ? 0 : 1;
        __asm__ volatile("syscall" : : "a"(SYS_exit), "D"(code) : "rcx", "r11", "memory");
        __builtin_unreachable();
    }
    __asm__ volatile("vmovq %%xmm31, %0" : "=r"(out));
    int status;
    if (pid < 0 || waitpid((pid_t)pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        return 0;
    return out == v;
}

int main(void)
{
    static int bad; /* static: vfork children share it */
    /* /etc/./././.../passwd: a long path fills lbw's buffers (deep in its
     * stack) where a short one touches a few bytes */
    size_t n = 0;
    n += (size_t)snprintf(longpath, sizeof longpath, "/etc");
    while (n + 2 < sizeof longpath - 8)
        longpath[n++] = '/', longpath[n++] = '.';
    snprintf(longpath + n, sizeof longpath - n, "/passwd");
    if (probe(40) != 120)
        bad++;
    for (int round = 0; round < 20; round++) {
        pid_t pid = vfork();
        if (pid == 0)
            _exit(probe(20) == 60 ? 0 : 1);
        int status;
        if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
            bad++;
        if (probe(5) != 15)
            bad++;
    }
    /* a vfork child that runs a program */
    pid_t pid = vfork();
    if (pid == 0) {
        probe(3);
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
        bad++;
    if (probe(40) != 120)
        bad++;
    if (have_avx512())
        for (int i = 0; i < 10; i++)
            if (!zmm_survives_vfork())
                bad++;
    printf("vforkstat: %d wrong\n", bad);
    return bad != 0;
}
