/* sigdefault: the default action of every signal 1..64 (raw rt_sigaction
 * to SIG_DFL, so no libc keeps any for itself), each sent by kill() to a
 * child that made itself a process group leader (stop signals are not
 * discarded as for an orphaned group): terminate (with or without core,
 * judged by WTERMSIG only, under RLIMIT_CORE 0), stop, continue, ignore.
 * Then: SIGCONT with a handler wakes a stopped child and runs the handler,
 * SIGKILL ends a stopped child, SIG_IGN keeps a child alive, and a blocked
 * default-action signal kills only once unblocked. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct ksigaction {
    void *handler;
    unsigned long flags;
    void *restorer;
    uint64_t mask;
};

static void child_for(int sig)
{
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl);
    setpgid(0, 0);
    struct ksigaction dfl = {0};
    syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
    uint64_t none = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
    kill(getpid(), sig);
    _exit(0); /* survived: ignored (or stopped and continued) */
}

static char lists[4][512];
static void add(int which, int sig)
{
    char n[8];
    snprintf(n, sizeof n, " %d", sig);
    strcat(lists[which], n);
}

static int reap(pid_t p, int flags)
{
    int st = 0;
    while (waitpid(p, &st, flags) < 0 && errno == EINTR)
        ;
    return st;
}

static volatile int conts;
static void on_cont(int s)
{
    (void)s;
    conts++;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    for (int sig = 1; sig <= 64; sig++) {
        pid_t p = fork();
        if (p == 0)
            child_for(sig);
        int st = reap(p, WUNTRACED);
        if (WIFSTOPPED(st)) {
            kill(p, SIGCONT);
            st = reap(p, 0);
            if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
                add(1, sig);
            else
                printf("signal %d: stopped, then status %#x after SIGCONT\n", sig, st);
        } else if (WIFSIGNALED(st) && WTERMSIG(st) == sig) {
            add(0, sig);
        } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            add(2, sig);
        } else {
            printf("signal %d: status %#x\n", sig, st);
        }
    }
    printf("default action terminates (WTERMSIG is the signal):%s\n", lists[0]);
    printf("default action stops (then SIGCONT, exit 0):%s\n", lists[1]);
    printf("default action ignores (the child went on, exit 0):%s\n", lists[2]);

    /* SIGCONT with a handler: the stopped child resumes and runs it */
    int pfd[2];
    pipe(pfd);
    pid_t p = fork();
    if (p == 0) {
        signal(SIGCONT, on_cont);
        raise(SIGSTOP);
        /* the handler ran on the way out of the stop */
        char c = conts == 1 ? 'c' : 'x';
        write(pfd[1], &c, 1);
        _exit(0);
    }
    int st = reap(p, WUNTRACED);
    printf("a child stopped itself: stopped by %d\n", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
    kill(p, SIGCONT);
    char c = 0;
    read(pfd[0], &c, 1);
    st = reap(p, 0);
    printf("SIGCONT with a handler: the child continued and its handler ran %s, exit %d\n",
           c == 'c' ? "once" : "not once", WIFEXITED(st) ? WEXITSTATUS(st) : -1);

    /* SIGKILL ends a stopped child */
    p = fork();
    if (p == 0) {
        raise(SIGSTOP);
        _exit(0);
    }
    reap(p, WUNTRACED);
    kill(p, SIGKILL);
    st = reap(p, 0);
    printf("SIGKILL to a stopped child: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    /* SIGTERM to a stopped child is held until SIGCONT, then kills it */
    p = fork();
    if (p == 0) {
        raise(SIGSTOP);
        _exit(0);
    }
    reap(p, WUNTRACED);
    kill(p, SIGTERM);
    kill(p, SIGCONT);
    st = reap(p, 0);
    printf("SIGTERM to a stopped child, then SIGCONT: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    /* SIG_IGN keeps a child alive; a blocked SIGTERM kills at unblock */
    p = fork();
    if (p == 0) {
        signal(SIGTERM, SIG_IGN);
        kill(getpid(), SIGTERM);
        signal(SIGTERM, SIG_DFL);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGTERM);
        sigprocmask(SIG_BLOCK, &s, NULL);
        kill(getpid(), SIGTERM);
        printf("  [child] ignored SIGTERM and blocked SIGTERM both survived\n");
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        printf("  [child] still alive after unblocking (WRONG)\n");
        _exit(0);
    }
    st = reap(p, 0);
    printf("blocked SIGTERM pending, then unblocked: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    /* an ignored signal that is pending is discarded by SIG_IGN */
    p = fork();
    if (p == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        sigprocmask(SIG_BLOCK, &s, NULL);
        kill(getpid(), SIGUSR1);
        signal(SIGUSR1, SIG_IGN); /* discards the pending one */
        sigset_t pend;
        sigpending(&pend);
        printf("  [child] pending SIGUSR1 discarded by SIG_IGN: %d\n", !sigismember(&pend, SIGUSR1));
        signal(SIGUSR1, SIG_DFL);
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        _exit(0);
    }
    st = reap(p, 0);
    printf("  exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    printf("done\n");
    return 0;
}
