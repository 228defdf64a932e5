/* faultmask: blocking SIGSEGV and SIGBUS (lbw's own signals, as SIGSYS)
 * behaves as natively. With every signal blocked -- as glibc does around
 * pthread_create and posix_spawn, and worker threads often do -- a bad
 * pointer handed to a call is EFAULT, many times over (the calls' sites
 * get rewritten), in the main thread and in another; SIGSEGV and SIGBUS
 * sent while blocked wait, pending, until unblocked; a fault while SIGSEGV
 * is blocked kills; a handler's sa_mask blocks SIGBUS inside it; the mask
 * (SIGSYS blocked) is back after a handler returns; sigsuspend with a mask
 * that lets a waiting SIGSEGV through returns at once, after its handler
 * (a default action kills, an ignored one is dropped and the wait goes
 * on); one sent during the wait comes too; a fork child does not inherit
 * one waiting; one waiting is dropped when set to SIG_IGN. Run as `faultmask inherited` by programs/faultmask_start.sh
 * (started with those signals blocked): the mask reads back so and bad
 * pointers still give EFAULT. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define BAD ((void *)8)
#define ROUNDS 40

static uint64_t rawmask(void)
{
    uint64_t m = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
    return m;
}

static int bit(uint64_t m, int sig)
{
    return (int)((m >> (sig - 1)) & 1);
}

/* How many of ROUNDS calls of each kind gave EFAULT. */
static void bad_pointers(const char *who)
{
    int open_ef = 0, stat_ef = 0, read_ef = 0, act_ef = 0, uname_ef = 0, mask_ef = 0;
    int fd = open("/dev/zero", O_RDONLY);
    struct stat st;
    for (int i = 0; i < ROUNDS; i++) {
        open_ef += syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY) == -1 && errno == EFAULT;
        stat_ef += stat(BAD, &st) == -1 && errno == EFAULT;
        read_ef += read(fd, BAD, 16) == -1 && errno == EFAULT;
        act_ef += syscall(SYS_rt_sigaction, SIGUSR2, BAD, NULL, 8) == -1 && errno == EFAULT;
        uname_ef += syscall(SYS_uname, BAD) == -1 && errno == EFAULT;
        mask_ef += syscall(SYS_rt_sigprocmask, SIG_BLOCK, BAD, NULL, 8) == -1 && errno == EFAULT;
    }
    close(fd);
    printf("%s, every signal blocked: EFAULT from openat %d, stat %d, read %d, rt_sigaction %d, uname %d, "
           "rt_sigprocmask %d (of %d each)\n",
           who, open_ef, stat_ef, read_ef, act_ef, uname_ef, mask_ef, ROUNDS);
}

static void *thread_main(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    bad_pointers("another thread");
    return NULL;
}

static volatile int segv_hits, bus_hits, usr1_hits, bus_blocked_inside = -1, bus_pending_inside = -1;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (sig == SIGSEGV && si->si_code <= 0) {
        segv_hits++;
        if (segv_hits == 2) {
            /* sa_mask has SIGBUS: it waits until we return */
            bus_blocked_inside = bit(rawmask(), SIGBUS);
            raise(SIGBUS);
            sigset_t p;
            sigpending(&p);
            bus_pending_inside = sigismember(&p, SIGBUS);
        }
    } else if (sig == SIGBUS) {
        bus_hits++;
    } else if (sig == SIGUSR1) {
        usr1_hits++;
    }
}

static void on_alarm(int sig)
{
    (void)sig;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 2 && !strcmp(argv[1], "inherited")) {
        uint64_t m0 = rawmask();
        printf("started with SIGSEGV %d, SIGBUS %d, SIGSYS %d blocked\n", bit(m0, SIGSEGV), bit(m0, SIGBUS),
               bit(m0, SIGSYS));
        bad_pointers("started so");
        return 0;
    }
    sigset_t all, none, s, p;
    sigfillset(&all);
    sigemptyset(&none);

    sigprocmask(SIG_BLOCK, &all, NULL);
    bad_pointers("main thread");
    uint64_t m = rawmask();
    printf("the mask reads back SIGSEGV %d, SIGBUS %d, SIGSYS %d, SIGUSR1 %d\n", bit(m, SIGSEGV), bit(m, SIGBUS),
           bit(m, SIGSYS), bit(m, SIGUSR1));
    pthread_t t;
    sigprocmask(SIG_SETMASK, &none, NULL);
    pthread_create(&t, NULL, thread_main, NULL);
    pthread_join(t, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaddset(&sa.sa_mask, SIGBUS);
    sigaction(SIGSEGV, &sa, NULL);

    /* sent while blocked: pending until unblocked */
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigaddset(&s, SIGBUS);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGSEGV);
    kill(getpid(), SIGBUS);
    sigpending(&p);
    printf("SIGSEGV and SIGBUS sent while blocked: handlers ran %d %d, pending %d %d\n", segv_hits, bus_hits,
           sigismember(&p, SIGSEGV), sigismember(&p, SIGBUS));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    sigpending(&p);
    printf("unblocked: handlers ran %d %d, pending %d %d\n", segv_hits, bus_hits, sigismember(&p, SIGSEGV),
           sigismember(&p, SIGBUS));

    /* sa_mask blocks SIGBUS inside the SIGSEGV handler */
    raise(SIGSEGV);
    printf("in a SIGSEGV handler with SIGBUS in sa_mask: SIGBUS blocked %d, a raised one pending %d; after it: "
           "SIGBUS handler ran %d, SIGBUS blocked %d\n",
           bus_blocked_inside, bus_pending_inside, bus_hits, bit(rawmask(), SIGBUS));

    /* the mask comes back whole after a handler */
    sigemptyset(&s);
    sigaddset(&s, SIGSYS);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGUSR1);
    m = rawmask();
    printf("after a SIGUSR1 handler (ran %d): SIGSYS blocked %d, SIGSEGV blocked %d\n", usr1_hits, bit(m, SIGSYS),
           bit(m, SIGSEGV));
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    /* sigsuspend lets a waiting SIGSEGV through */
    sigemptyset(&s);
    sigaddset(&s, SIGSEGV);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int before = segv_hits;
    raise(SIGSEGV);
    int r = sigsuspend(&none);
    int e = errno;
    printf("sigsuspend with SIGSEGV waiting: %d %s, its handler ran %d, SIGSEGV blocked again %d\n", r,
           e == EINTR ? "EINTR" : "?", segv_hits - before, bit(rawmask(), SIGSEGV));
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    /* sent while the wait goes on, by another process */
    sigprocmask(SIG_BLOCK, &s, NULL);
    before = segv_hits;
    pid_t k = fork();
    if (k == 0) {
        usleep(50000);
        kill(getppid(), SIGSEGV);
        _exit(0);
    }
    r = sigsuspend(&none);
    e = errno;
    waitpid(k, NULL, 0);
    printf("sigsuspend, SIGSEGV sent meanwhile: %d %s, its handler ran %d\n", r, e == EINTR ? "EINTR" : "?",
           segv_hits - before);

    /* a fork child does not inherit one waiting */
    raise(SIGSEGV);
    k = fork();
    if (k == 0) {
        sigpending(&p);
        printf("  [child] SIGSEGV pending %d\n", sigismember(&p, SIGSEGV));
        _exit(0);
    }
    waitpid(k, NULL, 0);
    sigpending(&p);
    printf("the parent's SIGSEGV still pending %d\n", sigismember(&p, SIGSEGV));
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    /* ignored: dropped, the wait goes on (until SIGALRM); default: death */
    signal(SIGALRM, on_alarm);
    signal(SIGSEGV, SIG_IGN);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGSEGV);
    alarm(1);
    before = segv_hits;
    r = sigsuspend(&none);
    sigpending(&p);
    printf("sigsuspend with an ignored SIGSEGV waiting: returned for SIGALRM %d, SIGSEGV pending %d\n", r == -1,
           sigismember(&p, SIGSEGV));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    k = fork();
    if (k == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGSEGV, SIG_DFL);
        sigprocmask(SIG_BLOCK, &s, NULL);
        raise(SIGSEGV);
        sigsuspend(&none);
        printf("  [child] survived sigsuspend with SIGSEGV waiting and SIG_DFL (WRONG)\n");
        _exit(0);
    }
    int st0;
    waitpid(k, &st0, 0);
    printf("sigsuspend with a default SIGSEGV waiting: killed by signal %d\n", WIFSIGNALED(st0) ? WTERMSIG(st0) : -1);
    sigaction(SIGSEGV, &sa, NULL);

    /* one waiting, then SIG_IGN: dropped */
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGSEGV);
    sigpending(&p);
    int was = sigismember(&p, SIGSEGV);
    signal(SIGSEGV, SIG_IGN);
    sigpending(&p);
    printf("SIGSEGV waiting %d, after SIG_IGN %d\n", was, sigismember(&p, SIGSEGV));
    sigaction(SIGSEGV, &sa, NULL);
    sigprocmask(SIG_UNBLOCK, &s, NULL);

    /* a fault while SIGSEGV is blocked: the default action, death */
    pid_t c = fork();
    if (c == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        sigprocmask(SIG_BLOCK, &all, NULL);
        *(volatile int *)BAD = 1;
        printf("  [child] survived a fault with SIGSEGV blocked (WRONG)\n");
        _exit(0);
    }
    int st;
    waitpid(c, &st, 0);
    printf("a fault with every signal blocked and a SIGSEGV handler: killed by signal %d\n",
           WIFSIGNALED(st) ? WTERMSIG(st) : -1);
    printf("done\n");
    return 0;
}
