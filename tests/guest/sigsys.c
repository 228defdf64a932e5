/* sigsys: SIGSYS belongs to the guest as to any program. A handler for it
 * runs when SIGSYS is sent with kill, raise or sigqueue, with the right
 * siginfo; blocking SIGSYS (alone, or with every signal) leaves system
 * calls working, and the masks read back are exactly what was set; a
 * SIGSYS sent while blocked stays pending until unblocked; SIG_IGN ignores
 * it; SIG_DFL kills with SIGSYS. The same in a second thread. SIGSYS
 * blocked, and one pending, stay so across execve: by a vfork child, by a
 * process with a second thread, by a forked child. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int hits, last_code = -99, last_val, last_pid_ok, sys_blocked_inside = -1;
static void sys_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig != SIGSYS || si->si_signo != SIGSYS)
        return;
    hits++;
    last_code = si->si_code;
    last_val = si->si_value.sival_int;
    last_pid_ok = si->si_pid == getpid();
    uint64_t m = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
    sys_blocked_inside = (m >> (SIGSYS - 1)) & 1;
}

static const char *code(int c)
{
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    default: return "other";
    }
}

/* some ordinary system calls of different kinds: all must work */
static int work(void)
{
    int ok = 1;
    char buf[64];
    int fd = open("/proc/self/stat", O_RDONLY);
    ok &= fd >= 0 && read(fd, buf, sizeof buf) > 0;
    close(fd);
    ok &= getppid() > 0;
    void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ok &= m != MAP_FAILED;
    if (m != MAP_FAILED)
        ok &= munmap(m, 8192) == 0;
    struct stat st;
    ok &= stat("/", &st) == 0;
    struct timespec ts;
    ok &= syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) == 0;
    int p[2];
    ok &= pipe(p) == 0 && write(p[1], "z", 1) == 1 && read(p[0], buf, 1) == 1;
    close(p[0]);
    close(p[1]);
    pid_t c = fork();
    if (c == 0)
        _exit(5);
    int s;
    ok &= waitpid(c, &s, 0) == c && WEXITSTATUS(s) == 5;
    return ok;
}

static uint64_t rawmask(void)
{
    uint64_t m = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
    return m;
}

static void *thread_main(void *arg)
{
    (void)arg;
    /* a thread that blocks every signal, as libraries' worker threads do */
    uint64_t all = ~0ULL, old = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
    int ok = work();
    uint64_t now = rawmask();
    printf("a thread with every signal blocked: system calls work %d, its mask reads back %#llx\n", ok,
           (unsigned long long)now);
    hits = 0;
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGSYS);
    int pending_hits = hits;
    uint64_t pend = 0;
    syscall(SYS_rt_sigpending, &pend, 8);
    uint64_t sysonly = ~(1ULL << (SIGSYS - 1));
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &sysonly, NULL, 8);
    printf("  tgkill(SIGSYS) to itself: handler ran %d while blocked, pending %d; after unblocking SIGSYS alone: "
           "ran %d\n",
           pending_hits, (int)((pend >> (SIGSYS - 1)) & 1), hits);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
    return NULL;
}

/* The image an execve started: is SIGSYS still blocked, still pending? */
static int after_exec(const char *how)
{
    sigset_t m, pend, s;
    sigprocmask(SIG_BLOCK, NULL, &m);
    sigpending(&pend);
    printf("  [after execve by %s] SIGSYS blocked %d, pending %d, system calls work %d\n", how,
           sigismember(&m, SIGSYS), sigismember(&pend, SIGSYS), work());
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sys_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("  [after execve by %s] unblocked, with a handler: it ran %d\n", how, hits);
    return 0;
}

static void *pauser(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* SIGSYS blocked (and, with pend, one sent to this thread) before an
 * execve of this program; how: "vfork", "thread" or "fork". */
static void exec_blocked(const char *self, const char *how, int pend)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    signal(SIGSYS, SIG_DFL); /* an ignored signal would be dropped */
    sigprocmask(SIG_BLOCK, &s, NULL);
    char *args[] = {(char *)self, "after-exec", (char *)how, NULL};
    pid_t p;
    if (!strcmp(how, "vfork")) {
        p = vfork();
        if (p == 0) {
            execv(self, args);
            _exit(127);
        }
    } else {
        p = fork();
        if (p == 0) {
            pthread_t t;
            if (!strcmp(how, "thread") && pthread_create(&t, NULL, pauser, NULL) != 0)
                _exit(126);
            if (pend)
                syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGSYS);
            execv(self, args);
            _exit(127);
        }
    }
    int st;
    waitpid(p, &st, 0);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    printf("execve by %s with SIGSYS blocked%s: exit status %d\n", how, pend ? " and pending" : "",
           WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 3 && !strcmp(argv[1], "after-exec"))
        return after_exec(argv[2]);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = sys_handler;
    sa.sa_flags = SA_SIGINFO;
    int r = sigaction(SIGSYS, &sa, &old);
    printf("sigaction(SIGSYS): %d, the old action was SIG_DFL %d\n", r, old.sa_handler == SIG_DFL);
    struct sigaction q;
    sigaction(SIGSYS, NULL, &q);
    printf("query: our handler %d, SA_SIGINFO %d\n", q.sa_sigaction == sys_handler, (q.sa_flags & SA_SIGINFO) != 0);

    kill(getpid(), SIGSYS);
    printf("kill(SIGSYS): handler ran %d, si_code %s, si_pid me %d, SIGSYS blocked inside its handler %d\n", hits,
           code(last_code), last_pid_ok, sys_blocked_inside);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGSYS);
    printf("tgkill(SIGSYS): handler ran %d, si_code %s\n", hits, code(last_code));
    union sigval v = {.sival_int = 31031};
    sigqueue(getpid(), SIGSYS, v);
    printf("sigqueue(SIGSYS, 31031): handler ran %d, si_code %s, si_value %d\n", hits, code(last_code), last_val);
    printf("system calls after the handler: work %d\n", work());

    /* block SIGSYS */
    sigset_t s, before, after, pend;
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigprocmask(SIG_SETMASK, NULL, &before);
    r = sigprocmask(SIG_BLOCK, &s, NULL);
    sigprocmask(SIG_BLOCK, NULL, &after);
    printf("sigprocmask(SIG_BLOCK, {SIGSYS}): %d; the mask was %#llx, is now %#llx\n", r,
           (unsigned long long)rawmask() & ~(1ULL << (SIGSYS - 1)), (unsigned long long)rawmask());
    printf("  sigismember before %d, after %d\n", sigismember(&before, SIGSYS), sigismember(&after, SIGSYS));
    printf("system calls with SIGSYS blocked: work %d\n", work());
    hits = 0;
    kill(getpid(), SIGSYS);
    sigpending(&pend);
    printf("kill(SIGSYS) while blocked: handler ran %d, pending %d\n", hits, sigismember(&pend, SIGSYS));
    printf("more system calls with SIGSYS pending: work %d\n", work());
    sigset_t old_set;
    sigprocmask(SIG_UNBLOCK, &s, &old_set);
    sigpending(&pend);
    printf("unblocked: handler ran %d, pending %d, the old set had SIGSYS %d\n", hits, sigismember(&pend, SIGSYS),
           sigismember(&old_set, SIGSYS));

    /* every signal blocked on the main thread, queried raw */
    uint64_t all = ~0ULL, was = 0, now = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &was, 8);
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &now, 8);
    int ok = work();
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &was, NULL, 8);
    printf("every signal blocked: mask reads back %#llx (all but SIGKILL and SIGSTOP), system calls work %d\n",
           (unsigned long long)now, ok);

    /* a signal handler making system calls while SIGSYS is in its sa_mask */
    sa.sa_sigaction = sys_handler;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGSYS);
    sigaction(SIGSYS, &sa, NULL);
    sigaction(SIGSYS, NULL, &q);
    printf("SIGSYS in its own sa_mask reads back %d\n", sigismember(&q.sa_mask, SIGSYS));

    pthread_t t;
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);

    /* SIG_IGN */
    signal(SIGSYS, SIG_IGN);
    kill(getpid(), SIGSYS);
    printf("SIG_IGN: kill(SIGSYS) ignored, still here, system calls work %d\n", work());
    sigaction(SIGSYS, NULL, &q);
    printf("query: SIG_IGN %d\n", q.sa_handler == SIG_IGN);

    /* SIG_DFL: death by SIGSYS */
    pid_t p = fork();
    if (p == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGSYS, SIG_DFL);
        kill(getpid(), SIGSYS);
        printf("  [child] survived SIGSYS with SIG_DFL (WRONG)\n");
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("SIG_DFL: the child was killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    /* a child that blocked SIGSYS: the default action after unblocking */
    p = fork();
    if (p == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGSYS, SIG_DFL);
        sigprocmask(SIG_BLOCK, &s, NULL);
        kill(getpid(), SIGSYS);
        printf("  [child] SIGSYS blocked and pending, still alive, system calls work %d\n", work());
        sigprocmask(SIG_UNBLOCK, &s, NULL);
        printf("  [child] survived unblocking (WRONG)\n");
        _exit(0);
    }
    waitpid(p, &st, 0);
    printf("a pending SIGSYS with SIG_DFL, then unblocked: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);

    exec_blocked(argv[0], "vfork", 0);
    exec_blocked(argv[0], "thread", 1);
    exec_blocked(argv[0], "fork", 1);

    printf("done\n");
    return 0;
}
