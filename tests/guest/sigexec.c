/* sigexec: what execve keeps of signal state: ignored signals stay ignored,
 * handled ones go back to the default, the blocked mask and pending signals
 * are kept. Needs argv[0] to be a path to this program. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
static void handler(int sig) { (void)sig; }

static const char *disp(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    if (sa.sa_handler == SIG_IGN)
        return "ignored";
    if (sa.sa_handler == SIG_DFL)
        return "default";
    return "handler";
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "after") == 0) {
        sigset_t cur, pend;
        sigprocmask(SIG_BLOCK, NULL, &cur);
        sigpending(&pend);
        printf("after execve: SIGUSR1 %s, SIGUSR2 %s, SIGPIPE %s, SIGTERM %s\n", disp(SIGUSR1), disp(SIGUSR2),
               disp(SIGPIPE), disp(SIGTERM));
        printf("after execve: SIGHUP blocked %d, SIGINT blocked %d, SIGHUP pending %d\n", sigismember(&cur, SIGHUP),
               sigismember(&cur, SIGINT), sigismember(&pend, SIGHUP));
        /* an ignored SIGPIPE: a write to a closed pipe gives EPIPE, no death */
        int p[2];
        pipe(p);
        close(p[0]);
        printf("after execve: write to closed pipe returned %zd\n", write(p[1], "x", 1));
        /* unblocking the pending SIGHUP (default action) ends the process */
        sigprocmask(SIG_UNBLOCK, &cur, NULL);
        printf("after execve: still here after unblocking SIGHUP (WRONG)\n");
        return 0;
    }

    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        signal(SIGUSR2, handler);
        signal(SIGTERM, handler);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGHUP);
        sigprocmask(SIG_BLOCK, &s, NULL);
        raise(SIGHUP);
        printf("before execve: SIGUSR1 %s, SIGUSR2 %s, SIGPIPE %s, SIGTERM %s\n", disp(SIGUSR1), disp(SIGUSR2),
               disp(SIGPIPE), disp(SIGTERM));
        char *av[] = {argv[0], "after", NULL};
        execve(argv[0], av, environ);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        printf("exec'd child killed by signal %d (1 is SIGHUP)\n", WTERMSIG(st));
    else
        printf("exec'd child exited %d\n", WEXITSTATUS(st));

    /* the shell sees an ignored SIGINT/SIGQUIT in its child too */
    pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, SIG_IGN);
        execl("/bin/sh", "sh", "-c", "kill -USR1 $$; echo sh survived an ignored SIGUSR1", (char *)NULL);
        _exit(127);
    }
    waitpid(pid, &st, 0);
    printf("sh: %s %d\n", WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
    return 0;
}
