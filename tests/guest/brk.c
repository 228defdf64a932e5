/* brk: grow and shrink the program break with the raw brk call (musl's
 * sbrk refuses non-zero increments, so syscall(SYS_brk) is used directly).
 * Nothing here prints an address. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MB (1UL << 20)

static uintptr_t xbrk(uintptr_t want) { return (uintptr_t)syscall(SYS_brk, want); }

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    uintptr_t b0 = xbrk(0);
    printf("brk(0) == sbrk(0): %d\n", (uintptr_t)sbrk(0) == b0);
    printf("brk(0) twice gives the same: %d\n", xbrk(0) == b0);
    extern char end;
    printf("break is above the program's end: %d\n", b0 >= (uintptr_t)&end);

    uintptr_t base = (b0 + 4095) & ~4095UL;
    uintptr_t b1 = xbrk(base + 4 * MB);
    printf("grow by 4 MiB: %s\n", b1 == base + 4 * MB ? "ok" : "failed");
    unsigned char *p = (unsigned char *)base;
    int zero = 1;
    for (size_t i = 0; i < 4 * MB; i++)
        if (p[i])
            zero = 0;
    printf("new heap is zero: %d\n", zero);
    memset(p, 0x5a, 4 * MB);
    int good = 1;
    for (size_t i = 0; i < 4 * MB; i++)
        if (p[i] != 0x5a)
            good = 0;
    printf("heap write/read back: %d\n", good);

    /* an unaligned break is kept as asked */
    uintptr_t b2 = xbrk(base + 4 * MB + 123);
    printf("unaligned break returned as asked: %d\n", b2 == base + 4 * MB + 123);

    /* a child sees a copy of the heap and may move its own break */
    pid_t pid = fork();
    if (pid == 0) {
        int ok = p[4 * MB - 1] == 0x5a;
        uintptr_t cb = xbrk(base + 8 * MB);
        ((unsigned char *)base)[8 * MB - 1] = 1;
        _exit(ok && cb == base + 8 * MB ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("child grew its own break: status %d\n", WEXITSTATUS(st));
    printf("parent break unchanged by child: %d\n", xbrk(0) == base + 4 * MB + 123);

    /* shrink: the released pages are gone, regrowing gives zero pages */
    uintptr_t b3 = xbrk(base + MB);
    printf("shrink to 1 MiB: %s\n", b3 == base + MB ? "ok" : "failed");
    printf("memory below the break kept: %d\n", p[MB - 1] == 0x5a);
    pid = fork();
    if (pid == 0) {
        volatile unsigned char x = p[2 * MB];
        (void)x;
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("access above the shrunk break in child: %s\n",
           WIFSIGNALED(st) ? (WTERMSIG(st) == 11 ? "SIGSEGV" : "other signal") : "no fault");
    uintptr_t b4 = xbrk(base + 3 * MB);
    printf("grow again: %s\n", b4 == base + 3 * MB ? "ok" : "failed");
    printf("regrown pages are zero: %d\n", p[2 * MB] == 0 && p[MB + 10] == 0);

    /* an impossible request returns the current break */
    uintptr_t b5 = xbrk(base + (1UL << 46));
    printf("huge grow refused, current break returned: %d\n", b5 == base + 3 * MB);
    uintptr_t b6 = xbrk(1);
    printf("break below the start refused, current break returned: %d\n", b6 == base + 3 * MB);

    /* give it all back */
    uintptr_t b7 = xbrk(b0);
    printf("back to the start: %d\n", b7 == b0);
    return 0;
}
