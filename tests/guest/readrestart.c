/* readrestart: a read restarted after a signal handler, at a call site
 * that was rewritten while the read was blocked. Under lbw, glibc's read in
 * a threaded process is `xor %eax,%eax; syscall; cmp` at one site for all
 * threads: the reader's read traps there first and blocks in lbw; the main
 * thread's reads make the site hot, and lbw rewrites it into a jump whose
 * displacement puns as `syscall` at the old address. SIGUSR1 (SA_RESTART)
 * then interrupts the blocked read: lbw restarts it at the old syscall
 * address, now inside the jump, and the read must go on and get the data.
 * Natively the kernel restarts the read; the output is the same. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int pfd[2];
static volatile int handled, reader_tid;
static char got[16];
static ssize_t got_n;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static void *reader(void *arg)
{
    (void)arg;
    reader_tid = gettid();
    got_n = read(pfd[0], got, sizeof got - 1);
    return NULL;
}

/* Waits until the reader thread sleeps (blocked in its read). */
static int wait_blocked(void)
{
    char path[64], st[256];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", reader_tid);
    for (int i = 0; i < 1000; i++) {
        int fd = open(path, O_RDONLY);
        ssize_t n = fd >= 0 ? read(fd, st, sizeof st - 1) : -1;
        if (fd >= 0)
            close(fd);
        if (n > 0) {
            st[n] = 0;
            char *p = strrchr(st, ')');
            if (p && p[1] == ' ' && p[2] == 'S')
                return 1;
        }
        struct timespec ts = {0, 2 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    if (pipe(pfd) != 0)
        return 1;
    pthread_t t;
    pthread_create(&t, NULL, reader, NULL);
    while (!reader_tid)
        sched_yield();
    printf("reader blocked: %s\n", wait_blocked() ? "yes" : "NO");
    /* The same read site, hot: rewritten under lbw. */
    int z = open("/dev/zero", O_RDONLY);
    char c = 1;
    int zeros = 0;
    for (int i = 0; i < 10; i++)
        zeros += read(z, &c, 1) == 1 && c == 0;
    printf("reads of /dev/zero: %d of 10\n", zeros);
    /* Interrupt the blocked read twice; it restarts each time. */
    for (int k = 0; k < 2; k++) {
        pthread_kill(t, SIGUSR1);
        while (handled <= k)
            sched_yield();
        printf("reader blocked again after signal %d: %s\n", k + 1, wait_blocked() ? "yes" : "NO");
    }
    write(pfd[1], "hello", 5);
    pthread_join(t, NULL);
    got[got_n > 0 ? got_n : 0] = 0;
    printf("handler ran %d times; read returned %zd [%s]\n", handled, got_n, got);
    return 0;
}
