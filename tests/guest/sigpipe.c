/* sigpipe: writing to a pipe whose read end is closed kills a child with
 * SIGPIPE by default; with SIGPIPE ignored the write fails with EPIPE; a
 * blocked SIGPIPE is left pending. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *status(int st)
{
    static char buf[64];
    if (WIFSIGNALED(st))
        snprintf(buf, sizeof buf, "killed by signal %d%s", WTERMSIG(st), WTERMSIG(st) == SIGPIPE ? " (SIGPIPE)" : "");
    else
        snprintf(buf, sizeof buf, "exited %d", WEXITSTATUS(st));
    return buf;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2], st;

    pipe(p);
    close(p[0]);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    waitpid(pid, &st, 0);
    printf("child writing to a closed pipe: %s\n", status(st));

    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_IGN);
        errno = 0;
        ssize_t r = write(p[1], "x", 1);
        _exit(r == -1 && errno == EPIPE ? 32 : 1);
    }
    waitpid(pid, &st, 0);
    printf("child with SIGPIPE ignored: %s (32 means EPIPE)\n", status(st));

    pid = fork();
    if (pid == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGPIPE);
        sigprocmask(SIG_BLOCK, &s, NULL);
        errno = 0;
        ssize_t r = write(p[1], "x", 1);
        int e = errno;
        sigset_t pend;
        sigpending(&pend);
        printf("  blocked child: write %zd %s, SIGPIPE pending %d\n", r, e == EPIPE ? "EPIPE" : "other",
               sigismember(&pend, SIGPIPE));
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        _exit(3);
    }
    waitpid(pid, &st, 0);
    printf("child with SIGPIPE blocked, then unblocked: %s\n", status(st));

    /* the parent itself, with SIGPIPE ignored, survives */
    signal(SIGPIPE, SIG_IGN);
    errno = 0;
    ssize_t r = write(p[1], "x", 1);
    printf("parent with SIGPIPE ignored: write %zd %s\n", r, errno == EPIPE ? "EPIPE" : "other");
    close(p[1]);

    return 0;
}
