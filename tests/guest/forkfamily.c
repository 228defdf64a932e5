/* forkfamily: a syscall site that only fork children reach (as glibc's
 * set_robust_list after fork, a shell's redirections in its children).
 * Each child calls it a few times and exits; some fork a grandchild that
 * does the same; some exec this program again, whose image calls it too
 * (at the same address when the program is not PIE). Every call must give
 * its answer; under lbw, tests/programs/fork_family.sh checks with --stats
 * that the later children found the site rewritten by their parent.
 * Then a site one child makes hot and rewrites for itself (a form not
 * shared: `mov $0,%edi` before the syscall), which the parent then calls
 * 1000 times: its own copy of the code must be rewritten too. And four
 * workers started together (a prefork server) that call one site 2000
 * times each, counting together. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* long child_getppid(void): getppid from a site of its own */
long child_getppid(void);
__asm__(".text\n"
        ".globl child_getppid\n"
        "child_getppid:\n"
        "  mov $110,%eax\n"
        "  syscall\n"
        "  ret\n");

/* long own_getpgid0(void): getpgid(0), the mov to %edi last */
long own_getpgid0(void);
__asm__(".text\n"
        ".globl own_getpgid0\n"
        "own_getpgid0:\n"
        "  mov $121,%eax\n"
        "  mov $0,%edi\n"
        "  syscall\n"
        "  ret\n");

/* long own_yield(void): sched_yield from a site of its own */
long own_yield(void);
__asm__(".text\n"
        ".globl own_yield\n"
        "own_yield:\n"
        "  mov $24,%eax\n"
        "  syscall\n"
        "  ret\n");

/* 0 when three calls from the site give want */
static int calls(long want)
{
    int bad = 0;
    for (int k = 0; k < 3; k++)
        bad += child_getppid() != want;
    return bad;
}

static int wait_ok(pid_t p)
{
    int st;
    return waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "exec")) /* the exec'd image */
        return calls(atol(argv[2])) != 0;
    int bad = 0, children = 0;
    for (int i = 0; i < 60; i++) {
        pid_t me = getpid();
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 1;
        }
        if (p == 0) {
            int b = calls(me);
            if (i % 10 == 3) {
                pid_t child = getpid();
                pid_t g = fork();
                if (g == 0)
                    _exit(calls(child) != 0);
                b += !wait_ok(g);
            }
            if (i % 20 == 7) {
                char ppid[32];
                snprintf(ppid, sizeof ppid, "%d", (int)me);
                execl("/proc/self/exe", argv[0], "exec", ppid, (char *)NULL);
                _exit(127);
            }
            _exit(b != 0);
        }
        children++;
        bad += !wait_ok(p);
    }
    printf("%d children, %d with a wrong answer\n", children, bad);

    long pgid = getpgrp();
    pid_t p = fork();
    if (p == 0) {
        int b = 0;
        for (int k = 0; k < 40; k++)
            b += own_getpgid0() != pgid;
        _exit(b != 0);
    }
    int pbad = !wait_ok(p);
    for (int k = 0; k < 1000; k++)
        pbad += own_getpgid0() != pgid;
    printf("getpgid after a child's: %d wrong\n", pbad);

    int go[4][2], wbad = 0;
    pid_t w[4];
    for (int i = 0; i < 4; i++) {
        if (pipe(go[i]) < 0)
            return 1;
        w[i] = fork();
        if (w[i] == 0) {
            char c;
            if (read(go[i][0], &c, 1) != 1) /* all started before any works */
                _exit(2);
            int b = 0;
            for (int k = 0; k < 2000; k++)
                b += own_yield() != 0;
            _exit(b != 0);
        }
    }
    for (int i = 0; i < 4; i++)
        if (write(go[i][1], "g", 1) != 1)
            return 1;
    for (int i = 0; i < 4; i++)
        wbad += !wait_ok(w[i]);
    printf("workers: %d of 4 failed\n", wbad);
    return bad != 0 || pbad != 0 || wbad != 0;
}
