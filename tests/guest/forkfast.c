/* forkfast: forks, many, from the C library's fork and from a site of the
 * program's own -- which lbw serves from the rewritten site, the child
 * going on from lbw's stack like its parent -- while another process
 * sends SIGUSR1 every 50 us. Each child must have its parent's mask
 * (SIGUSR2 blocked, SIGUSR1 not: a signal lbw held in the parent during
 * the fork is the parent's, and must not stay blocked in the child), and
 * the registers, vector registers, direction flag and red zone must come
 * back the same on both sides of the raw fork. Then 40 threads from a
 * raw clone site of its own, which lbw must keep making by the trap. */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define FORKS 300
#define RAW_FORKS 60

/* long fork_keeping(long *ok): fork(2) from a site of its own, keeping
 * values in the red zone, %rbx, %r12-%r14, %xmm7 and the direction flag
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

/* long raw_thread(void *stack_top, volatile int *flag): a thread cloned
 * from a site of its own (`mov $56,%eax; syscall`, as Go makes its
 * threads), which sets *flag and exits: lbw must make it by the trap
 * (it needs the frame), however often the site is called. */
long raw_thread(void *stack_top, volatile int *flag);
__asm__(".text\n"
        ".globl raw_thread\n"
        "raw_thread:\n"
        "  mov %rsi,%r8\n"
        "  mov %rdi,%rsi\n"
        "  mov $0x50f00,%edi\n" /* VM|FS|FILES|SIGHAND|THREAD|SYSVSEM */
        "  xor %edx,%edx\n"
        "  xor %r10d,%r10d\n"
        "  mov $56,%eax\n"
        "  syscall\n"
        "  test %rax,%rax\n"
        "  jnz 1f\n"
        "  movl $1,(%r8)\n"
        "  xor %edi,%edi\n"
        "  mov $60,%eax\n"
        "  syscall\n"
        "  ud2\n"
        "1: ret\n");

#define THREADS 40
static char thread_stacks[THREADS][16384] __attribute__((aligned(16)));
static volatile int thread_ran[THREADS];

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled = handled + 1;
}

/* 0 when this process's mask is its parent's: SIGUSR2 in, SIGUSR1 out */
static int mask_bad(void)
{
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    return sigismember(&m, SIGUSR1) || !sigismember(&m, SIGUSR2);
}

static int wait_ok(pid_t p)
{
    int st;
    pid_t w;
    while ((w = waitpid(p, &st, 0)) < 0)
        ; /* EINTR: SIGUSR1's handler */
    return w == p && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int main(void)
{
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    sigprocmask(SIG_BLOCK, &usr2, NULL);
    pid_t me = getpid();
    pid_t sender = fork();
    if (sender == 0) {
        alarm(60);
        for (;;) {
            kill(me, SIGUSR1);
            usleep(50);
        }
    }
    int bad = 0;
    for (int i = 0; i < FORKS; i++) {
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 1;
        }
        if (p == 0)
            _exit(mask_bad() || getppid() != me);
        bad += !wait_ok(p);
    }
    int kept = 0, lost = 0;
    for (int i = 0; i < RAW_FORKS; i++) {
        long ok = 0;
        long p = fork_keeping(&ok);
        if (p == 0)
            _exit(!ok || mask_bad() || getppid() != me);
        if (p < 0) {
            perror("fork");
            return 1;
        }
        kept += ok && wait_ok((pid_t)p);
        lost += !ok;
    }
    kill(sender, SIGKILL);
    waitpid(sender, NULL, 0);
    int threads = 0;
    for (int i = 0; i < THREADS; i++) {
        if (raw_thread(thread_stacks[i + 1], &thread_ran[i]) <= 0)
            break;
        while (!thread_ran[i])
            sched_yield();
        threads++;
    }
    printf("forks: %d children, %d with a wrong mask or parent\n", FORKS, bad);
    printf("raw forks: %d kept everything on both sides, %d lost something\n", kept, lost);
    printf("parent's mask kept: %s; SIGUSR1 handled: %s\n", mask_bad() ? "no" : "yes",
           handled > 0 ? "yes" : "no");
    printf("raw threads: %d of %d ran\n", threads, THREADS);
    return bad != 0 || kept != RAW_FORKS || threads != THREADS;
}
