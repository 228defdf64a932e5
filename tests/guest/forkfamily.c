/* forkfamily: a syscall site that only fork children reach (as glibc's
 * set_robust_list after fork, a shell's redirections in its children).
 * Each child calls it a few times and exits; some fork a grandchild that
 * does the same; some exec this program again, whose image calls it too
 * (at the same address when the program is not PIE). Every call must give
 * its answer; under lbw, tests/programs/fork_family.sh checks with --stats
 * that the later children found the site rewritten by their parent. Then
 * forks from a site of its own (raw fork), which lbw serves from the
 * rewritten site too: registers, vector registers, flags and the red zone
 * must come back the same on both sides. */
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

/* long fork_keeping(long *ok): fork(2) from a site of its own, keeping
 * values in the red zone, %rbx, %r12-%r15, %xmm7 and the direction flag
 * across it; *ok = 1 when all came back (on either side) */
long fork_keeping(long *ok);
__asm__(".text\n"
        ".globl fork_keeping\n"
        "fork_keeping:\n"
        "  push %rbx\n push %r12\n push %r13\n push %r14\n push %r15\n"
        "  mov %rdi,%r15\n"
        "  movabs $0x1122334455667788,%rax\n"
        "  mov %rax,-64(%rsp)\n"
        "  movq %rax,%xmm7\n"
        "  mov $0x101,%ebx\n mov $0x202,%r12d\n mov $0x303,%r13d\n mov $0x404,%r14d\n"
        "  std\n"
        "  mov $57,%eax\n"
        "  syscall\n"
        "  pushf\n pop %rcx\n cld\n"
        "  xor %edx,%edx\n"
        "  bt $10,%rcx\n adc $0,%edx\n" /* DF still set */
        "  movabs $0x1122334455667788,%rsi\n"
        "  cmp -64(%rsp),%rsi\n jne 1f\n"
        "  movq %xmm7,%rdi\n cmp %rdi,%rsi\n jne 1f\n"
        "  cmp $0x101,%rbx\n jne 1f\n cmp $0x202,%r12\n jne 1f\n"
        "  cmp $0x303,%r13\n jne 1f\n cmp $0x404,%r14\n jne 1f\n"
        "  mov %rdx,(%r15)\n"
        "  jmp 2f\n"
        "1: movq $0,(%r15)\n"
        "2: pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbx\n"
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
    int kept = 0, lost = 0;
    for (int i = 0; i < 40; i++) {
        long ok = 0;
        long p = fork_keeping(&ok);
        if (p == 0)
            _exit(ok ? 0 : 1);
        if (p < 0) {
            perror("fork");
            return 1;
        }
        kept += ok && wait_ok((pid_t)p);
        lost += !ok;
    }
    printf("raw forks: %d kept everything on both sides, %d lost something\n", kept, lost);
    return bad != 0 || kept != 40;
}
