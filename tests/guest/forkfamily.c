/* forkfamily: a syscall site that only fork children reach (as glibc's
 * set_robust_list after fork, a shell's redirections in its children).
 * Each child calls it a few times and exits; some fork a grandchild that
 * does the same; some exec this program again, whose image calls it too
 * (at the same address when the program is not PIE). Every call must give
 * its answer; under lbw, tests/programs/fork_family.sh checks with --stats
 * that the later children found the site rewritten by their parent. */
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
    return bad != 0;
}
