/* fork: fork + wait4, exit statuses, children killed by signals. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *signame(int s)
{
    switch (s) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGABRT: return "SIGABRT";
    case SIGKILL: return "SIGKILL";
    case SIGSEGV: return "SIGSEGV";
    case SIGTERM: return "SIGTERM";
    case SIGUSR1: return "SIGUSR1";
    case SIGPIPE: return "SIGPIPE";
    case SIGBUS: return "SIGBUS";
    default: return "other";
    }
}

static void report(const char *what, pid_t pid)
{
    int status = 0;
    struct rusage ru;
    pid_t got = wait4(pid, &status, 0, &ru);
    printf("%s: wait4 %s; ", what, got == pid ? "got the child" : "WRONG pid");
    if (WIFEXITED(status))
        printf("exited, status %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("killed by signal %d (%s)\n", WTERMSIG(status), signame(WTERMSIG(status)));
    else
        printf("other status\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    pid_t pid;

    pid = fork();
    if (pid == 0) {
        printf("child: getppid matches parent: %s\n", getppid() == me ? "yes" : "no");
        printf("child: getpid differs from parent: %s\n", getpid() != me ? "yes" : "no");
        _exit(7);
    }
    report("exit(7)", pid);

    pid = fork();
    if (pid == 0)
        exit(0);
    report("exit(0)", pid);

    pid = fork();
    if (pid == 0)
        _exit(255);
    report("_exit(255)", pid);

    pid = fork();
    if (pid == 0) {
        kill(getpid(), SIGTERM);
        _exit(100);
    }
    report("kill(self, SIGTERM)", pid);

    pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(100);
    }
    report("raise(SIGKILL)", pid);

    pid = fork();
    if (pid == 0) {
        signal(SIGABRT, SIG_DFL);
        abort();
    }
    report("abort()", pid);

    pid = fork();
    if (pid == 0) {
        volatile int *volatile bad = (volatile int *)16;
        *bad = 1;
        _exit(100);
    }
    report("store to address 16", pid);

    /* the parent kills a child that waits in pause() */
    int p[2];
    pipe(p);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "r", 1);
        for (;;)
            pause();
    }
    close(p[1]);
    char c;
    read(p[0], &c, 1);
    close(p[0]);
    kill(pid, SIGUSR1);
    report("parent sends SIGUSR1", pid);

    /* several children, reaped by pid in a fixed order */
    pid_t kids[4];
    for (int i = 0; i < 4; i++) {
        kids[i] = fork();
        if (kids[i] == 0)
            _exit(10 + i);
    }
    for (int i = 3; i >= 0; i--) {
        char what[32];
        snprintf(what, sizeof what, "child %d", i);
        report(what, kids[i]);
    }

    /* any child, with waitpid(-1) */
    pid = fork();
    if (pid == 0)
        _exit(42);
    int status;
    pid_t got = waitpid(-1, &status, 0);
    printf("waitpid(-1): %s, status %d\n", got == pid ? "got the child" : "WRONG pid", WEXITSTATUS(status));

    /* grandchild: the child forks again and waits */
    pid = fork();
    if (pid == 0) {
        pid_t g = fork();
        if (g == 0)
            _exit(3);
        int st;
        waitpid(g, &st, 0);
        _exit(WEXITSTATUS(st) * 2);
    }
    report("grandchild status doubled", pid);

    errno = 0;
    got = wait4(-1, &status, 0, NULL);
    printf("wait4 with no children: %d %s\n", (int)got, errno == ECHILD ? "ECHILD" : "other");
    errno = 0;
    got = waitpid(-1, &status, WNOHANG);
    printf("waitpid WNOHANG with no children: %d %s\n", (int)got, errno == ECHILD ? "ECHILD" : "other");
    return 0;
}
