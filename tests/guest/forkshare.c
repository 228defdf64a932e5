/* forkshare: fork while another process shares this one's memory
 * (clone(CLONE_VM) without CLONE_THREAD or CLONE_VFORK), that process busy
 * with calls that lbw serves with one of its own locks taken (mprotect:
 * lbw checks the range against its regions under a lock; made through
 * syscall(), whose site loads the number from a register, so it traps every
 * time). A fork child must never inherit a lock held by the sibling: it
 * would wait for it forever. lbw skips its fork locks when nothing else runs
 * in the process's memory, so it must count such a sibling. Every fork
 * child makes the same call. The window is a few instructions wide, so this
 * catches a miscount only by chance; it also checks that fork, and the
 * sibling, work at all in such a process. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 300

static volatile int stop;
static volatile long sibling_calls;
static char page[2][4096] __attribute__((aligned(4096)));

/* Only raw calls here: the sibling shares the caller's TLS. */
static int flip(char *p)
{
    return syscall(SYS_mprotect, p, 4096, PROT_READ) == 0 &&
           syscall(SYS_mprotect, p, 4096, PROT_READ | PROT_WRITE) == 0;
}

static int sibling(void *arg)
{
    (void)arg;
    while (!stop)
        if (flip(page[0]))
            sibling_calls++;
    return 0;
}

int main(void)
{
    size_t stack_size = 256 * 1024;
    char *stack = malloc(stack_size);
    if (!stack)
        return 1;
    pid_t sib = clone(sibling, stack + stack_size, CLONE_VM | SIGCHLD, NULL);
    if (sib < 0) {
        perror("clone");
        return 1;
    }
    int bad = 0;
    for (int i = 0; i < FORKS; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            perror("fork");
            bad++;
            break;
        }
        if (pid == 0)
            _exit(flip(page[1]) ? 0 : 1);
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            bad++;
    }
    stop = 1;
    int status;
    if (waitpid(sib, &status, 0) != sib || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        bad++;
    printf("%d forks beside a memory-sharing process: %s\n", FORKS, bad ? "FAILED" : "all exited 0");
    printf("the sibling made its calls: %s\n", sibling_calls > 0 ? "yes" : "no");
    return bad != 0;
}
