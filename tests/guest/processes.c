/* processes: vfork + execve, posix_spawn (a missing program, a file action,
 * posix_spawnp on PATH), execveat of an fd (AT_EMPTY_PATH) and of #! scripts
 * with an interpreter argument, what execve keeps (SIG_IGN, the signal mask,
 * fds without FD_CLOEXEC), wait4/waitid with WNOHANG, WUNTRACED, WCONTINUED,
 * P_PIDFD, pidfd_open and pidfd_send_signal, the status of children killed
 * by SIGTERM, SIGKILL, SIGSEGV and SIGABRT, and prctl PR_SET_NAME,
 * PR_SET_PDEATHSIG and PR_SET_CHILD_SUBREAPER.
 * argv[0] must be an absolute path to this program (the runner gives one);
 * the new images it execs are this program again, with a role in argv[1].
 * Scripts go to $TMPDIR. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

static const char *self;

static const char *ename(int e)
{
    switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case EINVAL: return "EINVAL";
    case ECHILD: return "ECHILD";
    case EBADF: return "EBADF";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case ENOTDIR: return "ENOTDIR";
    default: return "other";
    }
}

static void show_status(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exited %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else if (WIFSTOPPED(st))
        printf("%s: stopped by signal %d\n", what, WSTOPSIG(st));
    else if (WIFCONTINUED(st))
        printf("%s: continued\n", what);
    else
        printf("%s: status %#x\n", what, st);
}

static int reap(pid_t p)
{
    int st = 0;
    while (waitpid(p, &st, 0) < 0 && errno == EINTR)
        ;
    return st;
}

/* ------------------------------------------------------------ roles of new images */
static const char *disp(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "handler";
}

static int role(int argc, char **argv)
{
    const char *r = argv[1];
    if (strcmp(r, "hello") == 0) {
        printf("  [new image] hello, argc %d, argv[2] '%s'\n", argc, argc > 2 ? argv[2] : "");
        return 12;
    }
    if (strncmp(r, "interp", 6) == 0 || strstr(r, ".sh")) {
        /* run as the #! interpreter: argv[1] is the optional argument of
         * the #! line, if any, then come the script's path and the
         * caller's arguments after its argv[0] */
        printf("  [interpreter] argc %d:", argc);
        for (int i = 1; i < argc; i++) {
            const char *a = argv[i];
            const char *slash = strrchr(a, '/');
            if (slash && strncmp(a, "/dev/fd/", 8) == 0)
                printf(" <fd path>%s", slash);
            else if (slash)
                printf(" <%s>%s", strncmp(a, "/proc/", 6) == 0 ? "a /proc path" : "dir", slash);
            else
                printf(" '%s'", a);
        }
        printf("\n");
        return 13;
    }
    if (strcmp(r, "after-exec") == 0) {
        sigset_t cur;
        sigprocmask(SIG_BLOCK, NULL, &cur);
        printf("  [new image] SIGINT %s, SIGUSR2 %s, SIGCHLD %s, SIGTERM %s, SIGQUIT %s\n", disp(SIGINT), disp(SIGUSR2),
               disp(SIGCHLD), disp(SIGTERM), disp(SIGQUIT));
        printf("  [new image] blocked: SIGUSR1 %d, SIGRTMIN+3 %d, SIGHUP %d, SIGTERM %d\n", sigismember(&cur, SIGUSR1),
               sigismember(&cur, SIGRTMIN + 3), sigismember(&cur, SIGHUP), sigismember(&cur, SIGTERM));
        /* SIG_IGN really ignores: a SIGINT to ourselves does nothing */
        kill(getpid(), SIGINT);
        printf("  [new image] survived an ignored SIGINT\n");
        return 0;
    }
    if (strcmp(r, "check-fds") == 0) {
        for (int i = 2; i < argc; i++) {
            int fd = atoi(argv[i]);
            errno = 0;
            int f = fcntl(fd, F_GETFD);
            char buf[8] = "";
            if (f >= 0) {
                lseek(fd, 0, SEEK_SET);
                ssize_t n = read(fd, buf, 4); /* "\177ELF" */
                buf[n > 0 ? n : 0] = 0;
            }
            printf("  [new image] fd %d: %s%s%s\n", fd, f < 0 ? ename(errno) : "open, starts with '", buf[0] ? buf + 1 : "",
                   f < 0 ? "" : "'");
        }
        return 0;
    }
    printf("unknown role %s\n", r);
    return 99;
}

/* ------------------------------------------------------------ vfork, posix_spawn */
static void vfork_exec(void)
{
    static volatile int shared = 0;
    char *av[] = {(char *)self, "hello", "from vfork", NULL};
    pid_t p = vfork();
    if (p == 0) {
        shared = 1; /* the parent sees it: memory is shared until execve */
        execve(self, av, environ);
        _exit(127);
    }
    int st = reap(p);
    printf("vfork: the parent saw the child's store: %d\n", shared);
    show_status("vfork + execve", st);

    p = vfork();
    if (p == 0) {
        char *bad[] = {"/nonexistent/prog", NULL};
        execve(bad[0], bad, environ);
        shared = errno;
        _exit(126);
    }
    st = reap(p);
    printf("vfork + execve of a missing file: the child saw %s, ", ename(shared));
    show_status("then", st);
}

static void spawn(void)
{
    pid_t p;
    char *missing[] = {"/nonexistent/prog", NULL};
    int r = posix_spawn(&p, missing[0], NULL, NULL, missing, environ);
    printf("posix_spawn of a missing program: %s\n", ename(r));
    if (r == 0)
        show_status("  (spawned anyway)", reap(p));

    char *av[] = {(char *)self, "hello", "from posix_spawn", NULL};
    r = posix_spawn(&p, self, NULL, NULL, av, environ);
    int st = r == 0 ? reap(p) : -1;
    printf("posix_spawn of this program: %s, ", ename(r));
    show_status("status", st);

    /* file actions: the child's stdout goes to a pipe we read */
    int pfd[2];
    pipe(pfd);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    char *echo[] = {"sh", "-c", "echo spawnp found sh on PATH, argv[0] $0", NULL};
    r = posix_spawnp(&p, "sh", &fa, NULL, echo, environ);
    close(pfd[1]);
    char buf[256];
    ssize_t n = 0, k;
    while ((k = read(pfd[0], buf + n, sizeof buf - 1 - n)) > 0)
        n += k;
    buf[n > 0 ? n : 0] = 0;
    close(pfd[0]);
    printf("posix_spawnp sh with stdout to a pipe: %s; read: %s", ename(r), buf);
    if (r == 0)
        show_status("posix_spawnp", reap(p));
    posix_spawn_file_actions_destroy(&fa);

    r = posix_spawnp(&p, "no-such-program-on-path-lbw", NULL, NULL, missing, environ);
    printf("posix_spawnp of a name not on PATH: %s\n", ename(r));
}

/* ------------------------------------------------------------ execveat, scripts */
static char script[512], script2[512], dir[400];

static void write_file(const char *path, const char *text, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    write(fd, text, strlen(text));
    close(fd);
    chmod(path, mode);
}

static void run_child_execveat(const char *what, int dfd, const char *path, char **av, int flags)
{
    pid_t p = fork();
    if (p == 0) {
        syscall(SYS_execveat, dfd, path, av, environ, flags);
        printf("  execveat failed: %s\n", ename(errno));
        _exit(127);
    }
    show_status(what, reap(p));
}

static void execveat_scripts(void)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp)
        tmp = "/tmp";
    snprintf(dir, sizeof dir, "%s/lbw-processes.%d", tmp, (int)getpid());
    mkdir(dir, 0700);
    snprintf(script, sizeof script, "%s/with-arg.sh", dir);
    snprintf(script2, sizeof script2, "%s/no-arg.sh", dir);
    char text[1024];
    /* the interpreter line: this program, with one argument */
    snprintf(text, sizeof text, "#!%s\nnot read by anyone\n", self);
    write_file(script2, text, 0755);
    snprintf(text, sizeof text, "#! %s  interp   the rest is one argument  \n", self);
    write_file(script, text, 0755);

    char *av[] = {(char *)self, "hello", "from execveat of an fd", NULL};
    int fd = open(self, O_RDONLY);
    run_child_execveat("execveat(fd, \"\", AT_EMPTY_PATH) of this program", fd, "", av, AT_EMPTY_PATH);
    close(fd);
    fd = open(self, O_PATH);
    run_child_execveat("execveat of an O_PATH fd", fd, "", av, AT_EMPTY_PATH);
    close(fd);
    fd = open(self, O_RDONLY);
    errno = 0;
    long r = syscall(SYS_execveat, fd, "", av, environ, 0);
    printf("execveat(fd, \"\") without AT_EMPTY_PATH: %ld %s\n", r, ename(errno));
    close(fd);

    char *sav[] = {"script-argv0", "one", "two", NULL};
    pid_t p = fork();
    if (p == 0) {
        execve(script, sav, environ);
        printf("  execve of the script failed: %s\n", ename(errno));
        _exit(127);
    }
    show_status("execve of a #! script with an interpreter argument", reap(p));
    p = fork();
    if (p == 0) {
        execve(script2, sav, environ);
        _exit(127);
    }
    show_status("execve of a #! script, interpreter without argument", reap(p));

    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    run_child_execveat("execveat(dirfd, \"with-arg.sh\") of a script", dfd, "with-arg.sh", sav, 0);
    fd = open(script, O_RDONLY);
    run_child_execveat("execveat(fd, \"\", AT_EMPTY_PATH) of a script", fd, "", sav, AT_EMPTY_PATH);
    close(fd);
    /* a close-on-exec fd cannot be handed to the interpreter: ENOENT */
    fd = open(script, O_RDONLY | O_CLOEXEC);
    run_child_execveat("execveat of a close-on-exec fd of a script", fd, "", sav, AT_EMPTY_PATH);
    close(fd);
    close(dfd);

    /* errors go back to the caller */
    write_file(script2, "#!/nonexistent/interpreter\n", 0755);
    errno = 0;
    r = execve(script2, sav, environ);
    printf("execve of a script whose interpreter is missing: %ld %s\n", r, ename(errno));
    write_file(script2, "#!/bin/sh\necho not executable\n", 0644);
    errno = 0;
    r = execve(script2, sav, environ);
    printf("execve of a script without the x bit: %ld %s\n", r, ename(errno));
    write_file(script2, "just text, no #! line\n", 0755);
    errno = 0;
    r = execve(script2, sav, environ);
    printf("execve of a text file without #!: %ld %s\n", r, ename(errno));
    unlink(script);
    unlink(script2);
    rmdir(dir);
}

/* ------------------------------------------------------------ what execve keeps */
static void on_sig(int s) { (void)s; }

static void exec_keeps(void)
{
    pid_t p = fork();
    if (p == 0) {
        signal(SIGINT, SIG_IGN);
        signal(SIGUSR2, SIG_IGN);
        signal(SIGCHLD, SIG_IGN);
        signal(SIGTERM, on_sig); /* a handler goes back to the default */
        signal(SIGQUIT, SIG_DFL);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGUSR1);
        sigaddset(&s, SIGRTMIN + 3);
        sigprocmask(SIG_BLOCK, &s, NULL);
        char *av[] = {(char *)self, "after-exec", NULL};
        execve(self, av, environ);
        _exit(127);
    }
    show_status("execve keeps SIG_IGN and the mask", reap(p));

    p = fork();
    if (p == 0) {
        int a = open(self, O_RDONLY), b = open(self, O_RDONLY);
        int pfd[2];
        pipe(pfd);
        dup2(pfd[0], 20);
        dup2(a, 21);
        dup2(b, 22);
        fcntl(20, F_SETFD, FD_CLOEXEC);
        fcntl(22, F_SETFD, FD_CLOEXEC);
        int c = open(self, O_RDONLY | O_CLOEXEC);
        dup2(c, 23); /* dup2 clears FD_CLOEXEC on the new fd */
        dup3(c, 24, O_CLOEXEC);
        int d = fcntl(c, F_DUPFD_CLOEXEC, 25);
        (void)d;
        char *av[] = {(char *)self, "check-fds", "20", "21", "22", "23", "24", "25", NULL};
        execve(self, av, environ);
        _exit(127);
    }
    show_status("close-on-exec across execve", reap(p));
}

/* ------------------------------------------------------------ waiting */
static void waiting(void)
{
    int hold[2];
    pipe(hold);
    pid_t p = fork();
    if (p == 0) {
        close(hold[1]);
        char c;
        read(hold[0], &c, 1);
        _exit(3);
    }
    close(hold[0]);
    int st = -1;
    pid_t r = wait4(p, &st, WNOHANG, NULL);
    printf("wait4 WNOHANG on a running child: %d\n", (int)r);
    siginfo_t si;
    memset(&si, 0xff, sizeof si);
    int w = waitid(P_PID, p, &si, WEXITED | WNOHANG);
    printf("waitid WNOHANG on a running child: %d, si_pid zeroed %d\n", w, si.si_pid == 0);
    write(hold[1], "x", 1);
    close(hold[1]);
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, p, &si, WEXITED | WNOWAIT);
    printf("waitid WNOWAIT: %d, si_code CLD_EXITED %d, si_status %d, si_pid right %d\n", w, si.si_code == CLD_EXITED,
           si.si_status, si.si_pid == p);
    r = wait4(p, &st, 0, NULL);
    printf("then wait4 reaps it: right pid %d, ", r == p);
    show_status("status", st);
    errno = 0;
    r = wait4(-1, &st, WNOHANG, NULL);
    printf("wait4 with no children: %d %s\n", (int)r, ename(errno));

    /* stop, continue; the child waits on a pipe so that each event is
     * seen before the next one happens */
    int sync[2];
    pipe(sync);
    p = fork();
    if (p == 0) {
        char c;
        close(sync[1]);
        raise(SIGSTOP);
        read(sync[0], &c, 1);
        _exit(4);
    }
    r = wait4(p, &st, WUNTRACED, NULL);
    show_status("wait4 WUNTRACED", st);
    kill(p, SIGCONT);
    r = wait4(p, &st, WCONTINUED, NULL);
    show_status("wait4 WCONTINUED", st);
    write(sync[1], "x", 1);
    show_status("wait4", reap(p));

    p = fork();
    if (p == 0) {
        char c;
        close(sync[1]);
        raise(SIGSTOP);
        read(sync[0], &c, 1);
        raise(SIGTSTP);
        _exit(5);
    }
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, p, &si, WSTOPPED);
    printf("waitid WSTOPPED: %d, CLD_STOPPED %d, si_status %d\n", w, si.si_code == CLD_STOPPED, si.si_status);
    kill(p, SIGCONT);
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, p, &si, WCONTINUED);
    printf("waitid WCONTINUED: %d, CLD_CONTINUED %d, si_status %d\n", w, si.si_code == CLD_CONTINUED, si.si_status);
    write(sync[1], "x", 1);
    memset(&si, 0, sizeof si);
    w = waitid(P_PID, p, &si, WSTOPPED);
    printf("waitid WSTOPPED again: CLD_STOPPED %d, si_status %d\n", si.si_code == CLD_STOPPED, si.si_status);
    kill(p, SIGCONT);
    show_status("after the second stop", reap(p));
    close(sync[0]);
    close(sync[1]);

    /* pidfd */
    int hold2[2];
    pipe(hold2);
    p = fork();
    if (p == 0) {
        close(hold2[1]);
        char c;
        read(hold2[0], &c, 1);
        _exit(33);
    }
    close(hold2[0]);
    int pfd = (int)syscall(SYS_pidfd_open, p, 0);
    printf("pidfd_open: %s\n", pfd >= 0 ? "ok" : ename(errno));
    struct pollfd pl = {.fd = pfd, .events = POLLIN};
    printf("poll on the pidfd of a running child: %d\n", poll(&pl, 1, 0));
    write(hold2[1], "x", 1);
    close(hold2[1]);
    int pr = poll(&pl, 1, -1);
    printf("poll after it exits: %d, POLLIN %d\n", pr, (pl.revents & POLLIN) != 0);
    memset(&si, 0, sizeof si);
    w = waitid((idtype_t)P_PIDFD, pfd, &si, WEXITED);
    printf("waitid P_PIDFD: %d, CLD_EXITED %d, status %d, pid right %d\n", w, si.si_code == CLD_EXITED, si.si_status,
           si.si_pid == p);
    close(pfd);

    int hold3[2];
    pipe(hold3);
    p = fork();
    if (p == 0) {
        close(hold3[1]);
        char c;
        read(hold3[0], &c, 1);
        _exit(0);
    }
    close(hold3[0]);
    pfd = (int)syscall(SYS_pidfd_open, p, 0);
    long k = syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0);
    memset(&si, 0, sizeof si);
    w = waitid((idtype_t)P_PIDFD, pfd, &si, WEXITED);
    printf("pidfd_send_signal SIGTERM: %ld; waitid P_PIDFD: CLD_KILLED %d, signal %d\n", k, si.si_code == CLD_KILLED,
           si.si_status);
    close(hold3[1]);
    errno = 0;
    k = syscall(SYS_pidfd_send_signal, pfd, SIGTERM, NULL, 0);
    printf("pidfd_send_signal to a reaped child: %ld %s\n", k, ename(errno));
    close(pfd);
    errno = 0;
    k = syscall(SYS_pidfd_open, p, 0);
    printf("pidfd_open of a reaped child: %ld %s\n", k, ename(errno));
}

/* ------------------------------------------------------------ killed children */
static void killed(void)
{
    const int sigs[] = {SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGINT, SIGHUP, SIGQUIT, SIGUSR1};
    const char *names[] = {"SIGTERM", "SIGKILL", "SIGSEGV", "SIGABRT", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1"};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        pid_t p = fork();
        if (p == 0) {
            struct rlimit rl = {0, 0};
            setrlimit(RLIMIT_CORE, &rl);
            switch (sigs[i]) {
            case SIGSEGV: {
                volatile int *volatile bad = (volatile int *)8;
                *bad = 1; /* a real fault */
                break;
            }
            case SIGABRT: abort();
            default: kill(getpid(), sigs[i]);
            }
            _exit(0);
        }
        int st = reap(p);
        printf("child killed by %s: WIFSIGNALED %d, WTERMSIG %d\n", names[i], WIFSIGNALED(st),
               WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    }
    /* killed from the outside while blocked in a read */
    int hold[2];
    pipe(hold);
    pid_t p = fork();
    if (p == 0) {
        char c;
        close(hold[1]);
        read(hold[0], &c, 1);
        _exit(0);
    }
    close(hold[0]);
    kill(p, SIGKILL);
    int st = reap(p);
    close(hold[1]);
    printf("child SIGKILLed by its parent: WTERMSIG %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

/* ------------------------------------------------------------ prctl */
static void names(void)
{
    char buf[32] = "";
    int r = prctl(PR_SET_NAME, "lbw-renamed", 0, 0, 0);
    prctl(PR_GET_NAME, buf, 0, 0, 0);
    char comm[64] = "";
    int fd = open("/proc/self/comm", O_RDONLY);
    ssize_t n = read(fd, comm, sizeof comm - 1);
    close(fd);
    comm[n > 0 ? n : 0] = 0;
    printf("PR_SET_NAME: %d; PR_GET_NAME '%s'; /proc/self/comm '%.*s'\n", r, buf, (int)strcspn(comm, "\n"), comm);
    prctl(PR_SET_NAME, "0123456789abcdefghijklmnop", 0, 0, 0);
    prctl(PR_GET_NAME, buf, 0, 0, 0);
    printf("a long name is cut to 15 bytes: '%s'\n", buf);
    /* the name is per thread: /proc/self/task/TID/comm */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", (int)syscall(SYS_gettid));
    fd = open(path, O_RDONLY);
    n = read(fd, comm, sizeof comm - 1);
    close(fd);
    comm[n > 0 ? n : 0] = 0;
    printf("/proc/self/task/TID/comm '%.*s'\n", (int)strcspn(comm, "\n"), comm);
    /* a fork keeps the name; an execve sets the file's name again (seen via the role's argv) */
    pid_t p = fork();
    if (p == 0) {
        prctl(PR_GET_NAME, buf, 0, 0, 0);
        printf("  [child] name after fork '%s'\n", buf);
        _exit(0);
    }
    reap(p);
}

static void pdeath_and_subreaper(void)
{
    int out[2];
    pipe(out);
    pid_t s = fork();
    if (s == 0) {
        /* S: a subreaper; its child C starts a grandchild G and dies */
        int r = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        int is = -1;
        prctl(PR_GET_CHILD_SUBREAPER, &is, 0, 0, 0);
        printf("  [subreaper] PR_SET_CHILD_SUBREAPER %d, PR_GET_CHILD_SUBREAPER %d\n", r, is);
        pid_t me = getpid();
        int ready[2];
        pipe(ready);
        pid_t c = fork();
        if (c == 0) {
            pid_t cpid = getpid();
            pid_t g = fork();
            if (g == 0) {
                /* G: learns its parent's death by PR_SET_PDEATHSIG */
                sigset_t set;
                sigemptyset(&set);
                sigaddset(&set, SIGUSR1);
                sigprocmask(SIG_BLOCK, &set, NULL);
                int pr = prctl(PR_SET_PDEATHSIG, SIGUSR1, 0, 0, 0);
                int got = -1;
                prctl(PR_GET_PDEATHSIG, &got, 0, 0, 0);
                int parent_ok = getppid() == cpid;
                write(ready[1], "r", 1);
                siginfo_t si;
                int sig = sigwaitinfo(&set, &si);
                printf("  [grandchild] PR_SET_PDEATHSIG %d (reads back %s), parent alive at first %d; got %s when "
                       "it died; reparented to the subreaper %d\n",
                       pr, got == SIGUSR1 ? "SIGUSR1" : "other", parent_ok, sig == SIGUSR1 ? "SIGUSR1" : "other",
                       getppid() == me);
                _exit(44);
            }
            char x;
            read(ready[0], &x, 1);
            _exit(7); /* C dies: G is orphaned */
        }
        close(ready[1]);
        int cst, st;
        waitpid(c, &cst, 0);
        /* the orphaned grandchild is ours to reap (it has printed by then) */
        pid_t w = waitpid(-1, &st, 0);
        show_status("  [subreaper] its child", cst);
        printf("  [subreaper] reaped the orphaned grandchild: %d, ", w > 0 && w != c);
        show_status("status", st);
        errno = 0;
        w = waitpid(-1, &st, WNOHANG);
        printf("  [subreaper] no children left: %s\n", ename(errno));
        _exit(0);
    }
    close(out[0]);
    close(out[1]);
    show_status("subreaper process", reap(s));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    self = argv[0];
    if (argc > 1)
        return role(argc, argv);
    if (self[0] != '/') {
        printf("argv[0] must be an absolute path\n");
        return 2;
    }
    vfork_exec();
    spawn();
    execveat_scripts();
    exec_keeps();
    waiting();
    killed();
    names();
    pdeath_and_subreaper();
    printf("done\n");
    return 0;
}
