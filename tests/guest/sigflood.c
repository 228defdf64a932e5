/* sigflood: a signal flood while the program changes its mask in a tight
 * loop -- the calls lbw serves from rewritten sites on its own stack --
 * delivers every handler on the program's stack, and the program neither
 * hangs nor loses its state: a child sends SIGUSR1 as fast as it can for
 * two seconds, the parent loops on sigprocmask(SIG_BLOCK, empty set) (a
 * no-op call) and getppid, each handler checks its own frame lies in
 * main's stack, near main's locals. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled, off_stack;
static volatile uintptr_t main_sp;

static void on_usr1(int sig)
{
    volatile char here;
    uintptr_t d = main_sp - (uintptr_t)&here;
    (void)sig;
    /* the kernel builds the frame just below the interrupted %rsp: a few
     * KiB (xsave area) below main's locals, never elsewhere */
    if (d > 64 * 1024)
        off_stack = 1;
    handled = handled + 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    volatile char anchor;
    main_sp = (uintptr_t)&anchor;
    struct sigaction sa = {.sa_handler = on_usr1};
    sigaction(SIGUSR1, &sa, NULL);
    pid_t parent = getpid();
    int go[2];
    if (pipe(go) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(go[1]);
        if (read(go[0], &c, 1) != 1)
            _exit(2);
        double end = now() + 2.0;
        while (now() < end)
            for (int i = 0; i < 100; i++)
                if (kill(parent, SIGUSR1) < 0)
                    _exit(3);
        _exit(0);
    }
    close(go[0]);
    sigset_t none;
    sigemptyset(&none);
    (void)write(go[1], "g", 1);
    long calls = 0;
    int status = 0;
    for (;;) {
        for (int i = 0; i < 1000; i++) {
            sigprocmask(SIG_BLOCK, &none, NULL);
            getppid();
        }
        calls += 1000;
        pid_t w = waitpid(child, &status, WNOHANG);
        if (w == child)
            break;
        if (w < 0) {
            perror("waitpid");
            return 1;
        }
    }
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("sender: %s\n", WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "done" : "failed");
    printf("handlers ran: %s\n", handled > 0 ? "yes" : "no");
    printf("all on main's stack: %s\n", off_stack ? "no" : "yes");
    printf("SIGUSR1 unblocked after: %s\n", sigismember(&cur, SIGUSR1) ? "no" : "yes");
    printf("mask calls made: %s\n", calls >= 1000 ? "yes" : "no");
    return 0;
}
