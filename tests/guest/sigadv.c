/* sigadv: signal delivery beyond the basics: a handler on an alternate
 * stack, SA_RESTART versus EINTR on a blocking read, sigsuspend,
 * siglongjmp out of a SIGSEGV handler, SIGCHLD on child exit, and the
 * registers and stack alignment a handler sees. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t hits, on_alt, chld, aligned;
static char *alt_lo, *alt_hi;
static sigjmp_buf jb;

static void alt_handler(int sig)
{
    (void)sig;
    char here;
    on_alt = &here >= alt_lo && &here < alt_hi;
    aligned = ((uintptr_t)__builtin_frame_address(0) & 15) == 0;
    hits++;
}
static void count_handler(int sig) { (void)sig; hits++; }
static void chld_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    chld = si->si_code == CLD_EXITED && si->si_status == 21 ? 1 : -1;
}
static void segv_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    siglongjmp(jb, si->si_addr == (void *)64 ? 1 : 2);
}

static void timer_ms(int ms)
{
    struct itimerval it = {{0, 0}, {0, ms * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);

    /* sigaltstack */
    size_t sz = 64 * 1024;
    alt_lo = malloc(sz);
    alt_hi = alt_lo + sz;
    stack_t ss = {.ss_sp = alt_lo, .ss_size = sz, .ss_flags = 0}, old;
    printf("sigaltstack: %d\n", sigaltstack(&ss, NULL));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = alt_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler ran on the alternate stack: %d, frame 16-byte aligned: %d\n", on_alt, aligned);
    sigaltstack(NULL, &old);
    printf("sigaltstack query: size kept %d, not on it now %d\n", old.ss_size == sz, !(old.ss_flags & SS_ONSTACK));
    sa.sa_flags = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("handler without SA_ONSTACK ran on the alternate stack: %d\n", on_alt);

    /* EINTR versus SA_RESTART on a blocking pipe read */
    int p[2];
    pipe(p);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = count_handler;
    sigaction(SIGALRM, &sa, NULL);
    timer_ms(50);
    char c;
    errno = 0;
    ssize_t r = read(p[0], &c, 1);
    printf("read interrupted without SA_RESTART: %zd %s\n", r, errno == EINTR ? "EINTR" : "other");

    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(500 * 1000);
        write(p[1], "R", 1);
        _exit(0);
    }
    hits = 0;
    timer_ms(50);
    errno = 0;
    r = read(p[0], &c, 1);
    printf("read with SA_RESTART: %zd [%c], handler ran %d\n", r, r == 1 ? c : '?', hits);
    waitpid(pid, NULL, 0);

    /* sigsuspend */
    sigset_t block, old_mask, wait_mask;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, &old_mask);
    sigaction(SIGUSR2, &sa, NULL);
    hits = 0;
    pid = fork();
    if (pid == 0) {
        kill(getppid(), SIGUSR2);
        _exit(0);
    }
    sigemptyset(&wait_mask);
    errno = 0;
    int s = sigsuspend(&wait_mask);
    printf("sigsuspend: %d %s, handler ran %d\n", s, errno == EINTR ? "EINTR" : "other", hits);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("mask restored after sigsuspend: SIGUSR2 blocked %d\n", sigismember(&cur, SIGUSR2));
    waitpid(pid, NULL, 0);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);

    /* SIGCHLD with siginfo */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = chld_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    pid = fork();
    if (pid == 0)
        _exit(21);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    printf("SIGCHLD: %s\n", chld == 1 ? "CLD_EXITED status 21" : chld == 0 ? "not delivered" : "wrong info");
    signal(SIGCHLD, SIG_DFL);

    /* recover from SIGSEGV with siglongjmp */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 3; i++) {
        int v = sigsetjmp(jb, 1);
        if (v == 0) {
            volatile int *volatile bad = (volatile int *)64;
            *bad = 1;
            printf("no fault?\n");
        } else {
            printf("SIGSEGV %d caught, si_addr right: %d\n", i, v == 1);
        }
    }
    signal(SIGSEGV, SIG_DFL);
    printf("done\n");
    return 0;
}
