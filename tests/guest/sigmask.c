/* sigmask: the signal mask, read and changed many times through the C
 * library -- so that lbw rewrites the sites and serves the calls without a
 * trap -- behaves as natively: a blocked signal waits, pending, and comes
 * once unblocked; the old mask read back is right, for SIGSEGV, SIGBUS and
 * SIGSYS too (lbw keeps those bits itself); sigaction and uname the same;
 * while another thread keeps sending a signal, none arrives while the
 * mask blocks it; threads created in a loop inherit the mask. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define ROUNDS 200

static volatile sig_atomic_t usr1, usr2, segv, in_blocked, bad, stop;

static void on_signal(int sig)
{
    if (sig == SIGUSR1) {
        usr1++;
        if (in_blocked)
            bad++;
    } else if (sig == SIGUSR2) {
        usr2++;
    } else if (sig == SIGSEGV) {
        segv++;
    }
}

static void on_signal2(int sig)
{
    on_signal(sig);
}

static void *sender(void *arg)
{
    pthread_t main_thread = *(pthread_t *)arg;
    while (!stop) {
        pthread_kill(main_thread, SIGUSR1);
        usleep(50);
    }
    return NULL;
}

static void *child(void *arg)
{
    sigset_t m;
    pthread_sigmask(SIG_BLOCK, NULL, &m);
    *(int *)arg = sigismember(&m, SIGUSR2) && !sigismember(&m, SIGUSR1);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGUSR1, on_signal);
    signal(SIGUSR2, on_signal);
    signal(SIGSEGV, on_signal);

    /* block, raise, unblock */
    int ok = 0;
    for (int i = 0; i < ROUNDS; i++) {
        sigset_t s, old, old2, p;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        int before = usr1;
        sigprocmask(SIG_BLOCK, &s, &old);
        raise(SIGUSR1);
        sigpending(&p);
        int waited = usr1 == before && sigismember(&p, SIGUSR1) && !sigismember(&old, SIGUSR1);
        sigprocmask(SIG_UNBLOCK, &s, &old2);
        ok += waited && usr1 == before + 1 && sigismember(&old2, SIGUSR1);
    }
    printf("block, raise, unblock: %d of %d rounds right\n", ok, ROUNDS);

    /* lbw's own signals in the mask, set and restored whole */
    ok = 0;
    for (int i = 0; i < ROUNDS; i++) {
        sigset_t s, old, now, back, p;
        sigemptyset(&s);
        sigaddset(&s, SIGSEGV);
        sigaddset(&s, SIGBUS);
        sigaddset(&s, SIGSYS);
        sigaddset(&s, SIGUSR2);
        int before = segv;
        sigprocmask(SIG_SETMASK, &s, &old);
        sigprocmask(SIG_SETMASK, NULL, &now);
        raise(SIGSEGV);
        sigpending(&p);
        int held = segv == before && sigismember(&p, SIGSEGV);
        sigprocmask(SIG_SETMASK, &old, &back);
        ok += held && segv == before + 1 && sigismember(&now, SIGSEGV) && sigismember(&now, SIGBUS) &&
              sigismember(&now, SIGSYS) && sigismember(&now, SIGUSR2) && !sigismember(&now, SIGUSR1) &&
              sigismember(&back, SIGSYS) && !sigismember(&old, SIGSYS);
    }
    printf("SIGSEGV, SIGBUS, SIGSYS and SIGUSR2 set, a SIGSEGV raised, the mask put back: %d of %d rounds right\n",
           ok, ROUNDS);

    /* sigaction: each call reads back the one before */
    ok = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct sigaction a, old;
        memset(&a, 0, sizeof a);
        a.sa_handler = i % 2 ? on_signal2 : on_signal;
        a.sa_flags = i % 2 ? SA_RESTART : 0;
        sigemptyset(&a.sa_mask);
        if (i % 3 == 0)
            sigaddset(&a.sa_mask, SIGSEGV);
        sigaction(SIGUSR2, &a, &old);
        if (i == 0) {
            ok++;
            continue;
        }
        int j = i - 1;
        ok += old.sa_handler == (j % 2 ? on_signal2 : on_signal) && (old.sa_flags & SA_RESTART) == (j % 2 ? SA_RESTART : 0) &&
              sigismember(&old.sa_mask, SIGSEGV) == (j % 3 == 0);
    }
    int before = usr2;
    raise(SIGUSR2);
    printf("sigaction: %d of %d read back the one before; the last handler runs %d\n", ok, ROUNDS, usr2 - before);

    /* uname */
    struct utsname u0, u;
    uname(&u0);
    ok = 0;
    for (int i = 0; i < ROUNDS; i++)
        ok += uname(&u) == 0 && !memcmp(&u, &u0, sizeof u);
    printf("uname: %d of %d the same\n", ok, ROUNDS);

    /* another thread keeps sending SIGUSR1 while the mask flips */
    pthread_t self = pthread_self(), t;
    pthread_create(&t, NULL, sender, &self);
    sigset_t s1;
    sigemptyset(&s1);
    sigaddset(&s1, SIGUSR1);
    int start = usr1;
    for (int i = 0; i < 20000 || usr1 == start; i++) {
        pthread_sigmask(SIG_BLOCK, &s1, NULL);
        in_blocked = 1;
        for (volatile int k = 0; k < 200; k++)
            ;
        in_blocked = 0;
        pthread_sigmask(SIG_UNBLOCK, &s1, NULL);
    }
    stop = 1;
    pthread_join(t, NULL);
    printf("a thread sending SIGUSR1 while the mask flips: received some %d, any while blocked %d\n",
           usr1 > start, bad);

    /* threads inherit the mask */
    sigset_t s2;
    sigemptyset(&s2);
    sigaddset(&s2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s2, NULL);
    ok = 0;
    for (int i = 0; i < 60; i++) {
        int r = 0;
        pthread_create(&t, NULL, child, &r);
        pthread_join(t, NULL);
        ok += r;
    }
    pthread_sigmask(SIG_UNBLOCK, &s2, NULL);
    printf("60 threads, each with the mask of its creator: %d\n", ok);
    printf("done\n");
    return 0;
}
