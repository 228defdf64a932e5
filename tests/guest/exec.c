/* exec: fork + execve of /bin/true, /bin/false and of this program itself
 * with arguments; fd inheritance and close-on-exec across execve; errors;
 * and finally an execve of the top process itself.
 * argv[0] must be a path to this program (the runner gives an absolute one). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *ename(int e)
{
    switch (e) {
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case ENOTDIR: return "ENOTDIR";
    case EBADF: return "EBADF";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static int wait_status(pid_t pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1000;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return -WTERMSIG(st);
}

static void run(const char *what, const char *path, char *const argv[], char *const envp[])
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(path, argv, envp);
        printf("  %s: execve failed: %s\n", what, ename(errno));
        _exit(127);
    }
    printf("%s: status %d\n", what, wait_status(pid));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 2 && strcmp(argv[1], "child") == 0) {
        printf("  in exec'd child: argc=%d", argc);
        for (int i = 1; i < argc; i++)
            printf(" [%s]", argv[i]);
        const char *v = getenv("LBWT_EXEC");
        printf(" LBWT_EXEC=%s\n", v ? v : "(unset)");
        return 5;
    }
    if (argc >= 3 && strcmp(argv[1], "fdcheck") == 0) {
        int keep = atoi(argv[2]), cloexec = atoi(argv[3]);
        int ok = write(keep, "inherited fd works\n", 19) == 19;
        errno = 0;
        int r = fcntl(cloexec, F_GETFD);
        printf("  fdcheck: inherited fd %s, close-on-exec fd %s (%s)\n", ok ? "writable" : "BROKEN",
               r < 0 ? "closed" : "STILL OPEN", r < 0 ? ename(errno) : "-");
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "final") == 0) {
        printf("final image running, pid unchanged: %s\n", argc >= 3 && atoi(argv[2]) == getpid() ? "yes" : "no");
        return 9;
    }

    char *self = argv[0];
    char *true_argv[] = {"true", NULL};
    run("/bin/true", "/bin/true", true_argv, environ);
    char *false_argv[] = {"false", NULL};
    run("/bin/false", "/bin/false", false_argv, environ);

    char *child_argv[] = {self, "child", "two words", "", "last", NULL};
    run("self child (inherited environ)", self, child_argv, environ);
    char *env[] = {"LBWT_EXEC=from-envp", "PATH=/usr/bin:/bin", NULL};
    run("self child (explicit envp)", self, child_argv, env);
    char *empty_env[] = {NULL};
    run("self child (empty envp)", self, child_argv, empty_env);

    /* an inherited fd and a close-on-exec fd */
    int p[2];
    pipe(p);
    int cl = open("/dev/null", O_RDONLY | O_CLOEXEC);
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", p[1]);
    snprintf(b, sizeof b, "%d", cl);
    char *fd_argv[] = {self, "fdcheck", a, b, NULL};
    run("self fdcheck", self, fd_argv, environ);
    close(p[1]);
    close(cl);
    char buf[64];
    ssize_t n = read(p[0], buf, sizeof buf);
    printf("parent read from pipe: [%.*s]\n", (int)(n > 0 ? n - 1 : 0), buf);
    close(p[0]);

    /* errors, each in a child */
    char *x_argv[] = {"x", NULL};
    run("missing file", "/nonexistent/program", x_argv, environ);
    run("directory", "/", x_argv, environ);
    run("not executable", "/etc/passwd", x_argv, environ);
    run("through a file", "/etc/passwd/x", x_argv, environ);

    /* execvp looks in PATH */
    pid_t pid = fork();
    if (pid == 0) {
        execlp("true", "true", (char *)NULL);
        _exit(127);
    }
    printf("execlp true: status %d\n", wait_status(pid));

    /* a failed execve in the parent leaves it intact */
    errno = 0;
    execve("/nonexistent", x_argv, environ);
    printf("failed execve in the top process: %s, still running\n", ename(errno));

    /* replace the top process */
    char pidbuf[16];
    snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
    char *final_argv[] = {self, "final", pidbuf, NULL};
    execve(self, final_argv, environ);
    printf("execve of self failed: %s\n", ename(errno));
    return 1;
}
