/* sigrestart: a handler interrupts a blocked system call, with and without
 * SA_RESTART: read on a pipe and on a pseudo-terminal, write to a full
 * pipe, nanosleep (EINTR and the time left), wait4, futex wait with and
 * without a timeout, poll, select, epoll_wait, accept and connect on
 * AF_UNIX stream sockets. The kernel restarts some calls and never others;
 * the output is whatever it does natively.
 *
 * No timing: a helper thread watches /proc/self/task/TID/{stat,syscall}
 * until the main thread sleeps in the call, sends the signal, waits for the
 * handler, then, if the call went back to sleep (restarted), completes it
 * (writes to the pipe, wakes the futex, connects...); a call that cannot be
 * completed that way gets a second signal. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *ename(int e)
{
    switch (e) {
    case 0: return "ok";
    case EINTR: return "EINTR";
    case EAGAIN: return "EAGAIN";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    default: return "other";
    }
}

static pthread_t main_thread;
static pid_t main_tid;
static volatile int hits, hits2, main_done;
static void on_usr1(int s)
{
    (void)s;
    hits++;
}
static void on_usr2(int s)
{
    (void)s;
    hits2++;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* is thread TID asleep in one of the system calls NRS (-1 ends the list)? */
static int asleep_in(const long *nrs)
{
    char path[96], buf[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)main_tid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ' || p[2] != 'S')
        return 0;
    snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)main_tid);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = 0;
    if (buf[0] < '0' || buf[0] > '9')
        return 0; /* "running" */
    long nr = strtol(buf, NULL, 10);
    for (int i = 0; nrs[i] >= 0; i++)
        if (nrs[i] == nr)
            return 1;
    return 0;
}

struct op {
    const char *name;
    long nrs[4];
    void (*setup)(void);
    long (*call)(void);
    void (*complete)(void); /* NULL: a second signal ends the call */
    void (*cleanup)(long r);
    void (*show)(long r, int e);
};
static const struct op *cur;
static volatile int note_missed, note_completed, note_second;

static void *helper(void *arg)
{
    (void)arg;
    /* main_done is set before the main thread sleeps in pthread_join (a
     * futex wait), so it is checked again after each sighting */
    while (!main_done && !asleep_in(cur->nrs))
        sched_yield();
    if (main_done)
        return NULL;
    pthread_kill(main_thread, SIGUSR1);
    /* a guard, not a synchronisation: if the signal is not delivered to
     * the sleeping call, say so rather than hang */
    double limit = now() + 5;
    while (!hits && !main_done && now() < limit)
        sched_yield();
    if (!hits)
        note_missed = 1;
    while (!main_done) {
        if (asleep_in(cur->nrs)) { /* asleep again: the call was restarted */
            if (main_done)
                break; /* no: that was pthread_join */
            if (cur->complete) {
                cur->complete();
                note_completed = 1;
            } else {
                note_second = 1;
                pthread_kill(main_thread, SIGUSR2);
            }
            break;
        }
        sched_yield();
    }
    return NULL;
}

static void run(const struct op *o)
{
    for (int restart = 0; restart < 2; restart++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = restart ? SA_RESTART : 0;
        sigaction(SIGUSR1, &sa, NULL);
        sa.sa_handler = on_usr2;
        sa.sa_flags = 0;
        sigaction(SIGUSR2, &sa, NULL);
        hits = hits2 = main_done = 0;
        note_missed = note_completed = note_second = 0;
        cur = o;
        if (o->setup)
            o->setup();
        pthread_t h;
        pthread_create(&h, NULL, helper, NULL);
        errno = 0;
        long r = o->call();
        int e = r < 0 ? errno : 0;
        main_done = 1;
        pthread_join(h, NULL);
        printf("%-34s %-13s ", o->name, restart ? "SA_RESTART:" : "no SA_RESTART:");
        o->show(r, e);
        printf(", handler ran %d", hits);
        if (note_completed)
            printf(", restarted and then completed");
        if (note_second)
            printf(", restarted and ended by a second signal");
        if (note_missed)
            printf(", SIGNAL NOT DELIVERED DURING THE CALL");
        printf("\n");
        if (o->cleanup)
            o->cleanup(r);
    }
}

static void show_plain(long r, int e) { printf("%ld %s", r, ename(e)); }

/* ------------------------------------------------------------ read(pipe) */
static int pp[2];
static char rbuf[64];
static void pipe_setup(void) { pipe(pp); }
static long pipe_read(void) { return read(pp[0], rbuf, sizeof rbuf); }
static void pipe_complete(void) { write(pp[1], "x", 1); }
static void pipe_cleanup(long r)
{
    (void)r;
    close(pp[0]);
    close(pp[1]);
}
static void show_read(long r, int e)
{
    if (r > 0)
        printf("%ld '%.*s'", r, (int)strcspn(rbuf, "\n"), rbuf);
    else
        printf("%ld %s", r, ename(e));
}

/* ------------------------------------------------------------ read(tty) */
static int ptm = -1, pts = -1;
static void tty_setup(void)
{
    ptm = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(ptm);
    unlockpt(ptm);
    pts = open(ptsname(ptm), O_RDWR | O_NOCTTY);
}
static long tty_read(void) { return read(pts, rbuf, sizeof rbuf); }
static void tty_complete(void) { write(ptm, "line\n", 5); }
static void tty_cleanup(long r)
{
    (void)r;
    close(pts);
    close(ptm);
}

/* ------------------------------------------------------------ write(full pipe) */
static void full_setup(void)
{
    pipe(pp);
    fcntl(pp[1], F_SETFL, O_NONBLOCK);
    char buf[4096];
    memset(buf, 'f', sizeof buf);
    while (write(pp[1], buf, sizeof buf) > 0)
        ;
    fcntl(pp[1], F_SETFL, 0);
}
static long full_write(void) { return write(pp[1], "w", 1); }
static void full_complete(void)
{
    char buf[65536];
    read(pp[0], buf, sizeof buf);
}

/* ------------------------------------------------------------ nanosleep */
static struct timespec rem;
static long do_nanosleep(void)
{
    struct timespec req = {10, 0};
    rem.tv_sec = rem.tv_nsec = -1;
    return syscall(SYS_nanosleep, &req, &rem);
}
static void show_nanosleep(long r, int e)
{
    /* the time left can pass 10 s by the timer slack (50 us) */
    printf("%ld %s, time left between 5 and 10.1 s %d", r, ename(e),
           rem.tv_sec >= 5 && (rem.tv_sec < 10 || (rem.tv_sec == 10 && rem.tv_nsec < 100000000)));
}

/* ------------------------------------------------------------ wait4 */
static pid_t child;
static int cp[2];
static void wait_setup(void)
{
    pipe(cp);
    child = fork();
    if (child == 0) {
        char c;
        close(cp[1]);
        read(cp[0], &c, 1);
        _exit(3);
    }
    close(cp[0]);
}
static int wst;
static long do_wait4(void) { return wait4(child, &wst, 0, NULL); }
static void wait_complete(void) { write(cp[1], "x", 1); }
static void wait_cleanup(long r)
{
    if (r != child) {
        write(cp[1], "x", 1);
        waitpid(child, NULL, 0);
    }
    close(cp[1]);
}
static void show_wait(long r, int e)
{
    if (r == child)
        printf("the child, exit %d", WEXITSTATUS(wst));
    else
        printf("%ld %s", r, ename(e));
}

/* ------------------------------------------------------------ futex */
static volatile uint32_t fword;
static void futex_setup(void) { fword = 0; }
static long futex_wait(void) { return syscall(SYS_futex, &fword, 0 /* FUTEX_WAIT */, 0, NULL, NULL, 0); }
static long futex_wait_timeout(void)
{
    struct timespec ts = {10, 0};
    return syscall(SYS_futex, &fword, 0, 0, &ts, NULL, 0);
}
static void futex_complete(void)
{
    fword = 1;
    syscall(SYS_futex, &fword, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0);
}

/* ------------------------------------------------------------ poll, select, epoll */
static long do_poll(void)
{
    struct pollfd p = {.fd = pp[0], .events = POLLIN};
    return poll(&p, 1, -1);
}
static long do_select(void)
{
    fd_set r;
    FD_ZERO(&r);
    FD_SET(pp[0], &r);
    return select(pp[0] + 1, &r, NULL, NULL, NULL);
}
static int ep = -1;
static void epoll_setup(void)
{
    pipe(pp);
    ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(ep, EPOLL_CTL_ADD, pp[0], &ev);
}
static struct epoll_event got;
static long do_epoll(void) { return epoll_wait(ep, &got, 1, -1); }
static void epoll_cleanup(long r)
{
    pipe_cleanup(r);
    close(ep);
}

/* ------------------------------------------------------------ accept, connect */
static int ls = -1, cs = -1, extra = -1;
static struct sockaddr_un addr;
static socklen_t addrlen;
static void sock_addr(void)
{
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    /* abstract name: nothing on disk */
    int n = snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "lbw-sigrestart-%d", (int)getpid());
    addrlen = offsetof(struct sockaddr_un, sun_path) + 1 + n;
}
static void accept_setup(void)
{
    sock_addr();
    ls = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(ls, (struct sockaddr *)&addr, addrlen);
    listen(ls, 4);
}
static long do_accept(void) { return accept(ls, NULL, NULL); }
static void accept_complete(void)
{
    cs = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(cs, (struct sockaddr *)&addr, addrlen);
}
static void sock_cleanup(long r)
{
    if (r >= 0 && r != 0)
        close((int)r);
    if (cs >= 0)
        close(cs);
    if (extra >= 0)
        close(extra);
    close(ls);
    cs = extra = -1;
}
static void show_accept(long r, int e)
{
    if (r >= 0)
        printf("accepted a connection");
    else
        printf("%ld %s", r, ename(e));
}
static void connect_setup(void)
{
    sock_addr();
    ls = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(ls, (struct sockaddr *)&addr, addrlen);
    listen(ls, 0);
    /* the backlog holds one connection: the next connect blocks */
    extra = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(extra, (struct sockaddr *)&addr, addrlen);
    cs = socket(AF_UNIX, SOCK_STREAM, 0);
}
static int accepted = -1;
static long do_connect(void) { return connect(cs, (struct sockaddr *)&addr, addrlen); }
static void connect_complete(void) { accepted = accept(ls, NULL, NULL); }
static void connect_cleanup(long r)
{
    (void)r;
    if (accepted >= 0)
        close(accepted);
    accepted = -1;
    sock_cleanup(-1);
}

#define NRS(...) {__VA_ARGS__, -1}
static const struct op ops[] = {
    {"read on a pipe", NRS(SYS_read), pipe_setup, pipe_read, pipe_complete, pipe_cleanup, show_read},
    {"read on a pseudo-terminal", NRS(SYS_read), tty_setup, tty_read, tty_complete, tty_cleanup, show_read},
    {"write to a full pipe", NRS(SYS_write), full_setup, full_write, full_complete, pipe_cleanup, show_plain},
    {"nanosleep 10 s", NRS(SYS_nanosleep), NULL, do_nanosleep, NULL, NULL, show_nanosleep},
    {"wait4 for a child", NRS(SYS_wait4), wait_setup, do_wait4, wait_complete, wait_cleanup, show_wait},
    {"futex wait", NRS(SYS_futex), futex_setup, futex_wait, futex_complete, NULL, show_plain},
    {"futex wait, 10 s timeout", NRS(SYS_futex), futex_setup, futex_wait_timeout, futex_complete, NULL, show_plain},
    {"poll on a pipe", NRS(SYS_poll, SYS_ppoll), pipe_setup, do_poll, pipe_complete, pipe_cleanup, show_plain},
    {"select on a pipe", NRS(SYS_select, SYS_pselect6), pipe_setup, do_select, pipe_complete, pipe_cleanup, show_plain},
    {"epoll_wait on a pipe", NRS(SYS_epoll_wait, SYS_epoll_pwait), epoll_setup, do_epoll, pipe_complete, epoll_cleanup,
     show_plain},
    {"accept on an AF_UNIX socket", NRS(SYS_accept, SYS_accept4), accept_setup, do_accept, accept_complete,
     sock_cleanup, show_accept},
    {"connect to a full AF_UNIX backlog", NRS(SYS_connect), connect_setup, do_connect, connect_complete,
     connect_cleanup, show_plain},
};

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    main_thread = pthread_self();
    main_tid = (pid_t)syscall(SYS_gettid);
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        run(&ops[i]);
    printf("done\n");
    return 0;
}
