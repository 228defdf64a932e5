/* signals: sigaction handlers with siginfo, raise, kill(getpid()), SIGALRM
 * from alarm(1) while in pause(), sigprocmask block/pending/unblock,
 * SA_RESETHAND, SIG_IGN, the mask inside a handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count[65];
static volatile sig_atomic_t last_code, last_pid_ok, last_signo, blocked_inside, other_blocked_inside;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    count[sig]++;
    last_signo = si->si_signo;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    blocked_inside = sigismember(&cur, sig);
    other_blocked_inside = sigismember(&cur, SIGUSR2) && sig != SIGUSR2;
}

static void plain(int sig) { count[sig]++; }

static const char *code(int c)
{
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_QUEUE: return "SI_QUEUE";
    default: return "other";
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    printf("sigaction(SIGUSR1): %d\n", sigaction(SIGUSR1, &sa, &old));
    printf("old handler was SIG_DFL: %d\n", old.sa_handler == SIG_DFL);

    printf("raise(SIGUSR1): %d\n", raise(SIGUSR1));
    printf("  handler ran %d time(s), si_signo %d, signal blocked inside handler %d, sa_mask applied %d\n",
           count[SIGUSR1], last_signo, blocked_inside, other_blocked_inside);

    printf("kill(getpid(), SIGUSR1): %d\n", kill(getpid(), SIGUSR1));
    printf("  handler ran %d time(s), si_code %s, si_pid is me %d\n", count[SIGUSR1], code(last_code), last_pid_ok);

    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("mask restored after handler: SIGUSR1 %d SIGUSR2 %d\n", sigismember(&cur, SIGUSR1), sigismember(&cur, SIGUSR2));

    /* query without changing */
    struct sigaction q;
    sigaction(SIGUSR1, NULL, &q);
    printf("query: handler is ours %d, SA_SIGINFO %d\n", q.sa_sigaction == handler, (q.sa_flags & SA_SIGINFO) != 0);

    /* SIGALRM in pause() */
    struct sigaction al;
    memset(&al, 0, sizeof al);
    al.sa_handler = plain;
    sigaction(SIGALRM, &al, NULL);
    printf("alarm(1): %u\n", alarm(1));
    errno = 0;
    int r = pause();
    printf("pause returned %d %s, SIGALRM handled %d time(s)\n", r, errno == EINTR ? "EINTR" : "other", count[SIGALRM]);
    printf("alarm(0) after it fired: %u\n", alarm(0));
    alarm(100);
    unsigned left = alarm(0);
    printf("alarm(100) then alarm(0) returns a value in 99..100: %d\n", left >= 99 && left <= 100);

    /* block, pending, unblock */
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    printf("block SIGUSR1: %d\n", sigprocmask(SIG_BLOCK, &set, NULL));
    int before = count[SIGUSR1];
    raise(SIGUSR1);
    kill(getpid(), SIGUSR1);
    sigpending(&pend);
    printf("while blocked: handler ran %d more, SIGUSR1 pending %d, SIGUSR2 pending %d\n", count[SIGUSR1] - before,
           sigismember(&pend, SIGUSR1), sigismember(&pend, SIGUSR2));
    printf("unblock SIGUSR1: %d\n", sigprocmask(SIG_UNBLOCK, &set, NULL));
    printf("after unblock: handler ran %d more (raise queues on the thread, kill on the process)\n", count[SIGUSR1] - before);
    sigpending(&pend);
    printf("nothing pending now: %d\n", !sigismember(&pend, SIGUSR1));
    sigset_t oldset;
    sigprocmask(SIG_SETMASK, &set, &oldset);
    sigprocmask(SIG_SETMASK, &oldset, &cur);
    printf("SIG_SETMASK round trip: %d\n", sigismember(&cur, SIGUSR1));
    errno = 0;
    r = sigprocmask(12345, &set, NULL);
    printf("sigprocmask bad how: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");

    /* SIGKILL and SIGSTOP cannot be caught */
    errno = 0;
    r = sigaction(SIGKILL, &sa, NULL);
    printf("sigaction(SIGKILL): %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");
    /* nor blocked: the mask silently drops them */
    sigemptyset(&set);
    sigaddset(&set, SIGKILL);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("SIGKILL in mask after blocking it: %d\n", sigismember(&cur, SIGKILL));

    /* SA_RESETHAND: handler once, then the default */
    struct sigaction once;
    memset(&once, 0, sizeof once);
    once.sa_handler = plain;
    once.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &once, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &q);
    printf("SA_RESETHAND: handled %d, disposition now SIG_DFL %d\n", count[SIGUSR2], q.sa_handler == SIG_DFL);

    /* SIG_IGN */
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("ignored SIGUSR2 survived, handled count still %d\n", count[SIGUSR2]);
    /* signal() installs a handler too */
    signal(SIGHUP, plain);
    kill(getpid(), SIGHUP);
    printf("signal(SIGHUP) handler ran %d time(s)\n", count[SIGHUP]);

    /* real-time signals queue */
    struct sigaction rt;
    memset(&rt, 0, sizeof rt);
    rt.sa_handler = plain;
    sigaction(SIGRTMIN + 1, &rt, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    for (int i = 0; i < 3; i++)
        kill(getpid(), SIGRTMIN + 1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("SIGRTMIN+1 sent 3 times while blocked, delivered %d times\n", count[SIGRTMIN + 1]);
    return 0;
}
