/* sigpath: signals against path calls that lbw serves itself (in a guest
 * root, or under fake root) once their sites are rewritten. Each call
 * below is made from one site of its own, many times, so lbw rewrites it:
 * - a thread sends 1500 signals, one at a time, while the main thread
 *   stats and opens files: every signal reaches the handler (none is held
 *   back by lbw), and every call answers right;
 * - an open of a FIFO that blocks is interrupted by a signal: with
 *   SA_RESTART it is made again and succeeds when a writer comes, without
 *   it it fails with EINTR.
 * Run natively and under lbw (tests/programs/fast_emulate.sh also checks
 * that lbw served the calls on its fast path). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One site each: `mov $nr,%eax; syscall`, the form lbw rewrites, on a
 * 16-byte boundary (lbw patches a threaded process atomically, within one
 * aligned 16-byte word). */
__attribute__((noinline)) static long site_openat(const char *p, long flags)
{
    long r;
    register long r10 __asm__("r10") = 0;
    __asm__ volatile(".p2align 4\n\tmov $257, %%eax\n\tsyscall" : "=a"(r) : "D"(-100L), "S"(p), "d"(flags), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}

__attribute__((noinline)) static long site_stat(const char *p, struct stat *st)
{
    long r;
    register long r10 __asm__("r10") = 0;
    __asm__ volatile(".p2align 4\n\tmov $262, %%eax\n\tsyscall" : "=a"(r) : "D"(-100L), "S"(p), "d"(st), "r"(r10)
                     : "rcx", "r11", "memory");
    return r;
}

__attribute__((noinline)) static long site_close(long fd)
{
    long r;
    __asm__ volatile(".p2align 4\n\tmov $3, %%eax\n\tsyscall" : "=a"(r) : "D"(fd) : "rcx", "r11", "memory");
    return r;
}

static volatile int handled;
static volatile int stop;
static pthread_t main_thread;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

static void *sender(void *arg)
{
    int n = *(int *)arg, lost = 0;
    for (int i = 1; i <= n && !lost; i++) {
        pthread_kill(main_thread, SIGUSR1);
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (handled < i) {
            clock_gettime(CLOCK_MONOTONIC, &t);
            if (t.tv_sec - t0.tv_sec > 10) {
                lost = 1;
                break;
            }
        }
    }
    stop = 1;
    return (void *)(long)lost;
}

static void on_alarm(int sig)
{
    (void)sig;
    handled++;
}

static void fifo_open(const char *fifo, int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, NULL);
    handled = 0;
    pid_t writer = fork();
    if (writer == 0) {
        usleep(400000); /* after the alarm */
        int fd = open(fifo, O_WRONLY);
        if (fd >= 0)
            (void)!write(fd, "x", 1);
        _exit(0);
    }
    struct itimerval it = {{0, 0}, {0, 100000}};
    setitimer(ITIMER_REAL, &it, NULL);
    long fd = site_openat(fifo, O_RDONLY);
    int e = fd < 0 ? (int)-fd : 0;
    printf("fifo open, %s: %s, handler ran %d time(s)\n", restart ? "SA_RESTART" : "no SA_RESTART",
           fd >= 0 ? "opened" : e == EINTR ? "EINTR" : strerror(e), handled);
    if (fd >= 0) {
        char c = '?';
        ssize_t got = read((int)fd, &c, 1);
        printf("  read %zd byte(s): %c\n", got, c);
        site_close(fd);
    } else {
        /* let the writer finish: open the FIFO for reading */
        int r = open(fifo, O_RDONLY);
        if (r >= 0)
            close(r);
    }
    waitpid(writer, NULL, 0);
}

int main(void)
{
    char dir[] = "sigpath.XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    char file[64], fifo[64];
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    int fd = open(file, O_WRONLY | O_CREAT, 0600);
    (void)!write(fd, "0123456789", 10);
    close(fd);
    mkfifo(fifo, 0600);

    /* Calls under a storm of signals. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    main_thread = pthread_self();
    int n = 1500;
    pthread_t th;
    pthread_create(&th, NULL, sender, &n);
    long calls = 0, wrong = 0;
    /* at least 200 rounds: the sites turn fast after 16 traps, and
     * fast_emulate.sh wants 100 fast calls of each (with 100 rounds a
     * quick sender left 88: the check failed by chance) */
    while (!stop || calls < 200) {
        struct stat st;
        long r = site_stat(file, &st);
        if (r != 0 || st.st_size != 10)
            wrong++;
        long f = site_openat(file, O_RDONLY);
        if (f < 0)
            wrong++;
        else
            site_close(f);
        if (site_stat("/nonexistent-sigpath", &st) != -ENOENT)
            wrong++;
        calls++;
    }
    void *lost;
    pthread_join(th, &lost);
    printf("signals sent %d, handled %d, %s; %s calls answered right\n", n, handled,
           lost ? "one was lost" : "none lost", wrong ? "NOT all" : "all");

    /* A blocking open cut short by a signal. */
    fifo_open(fifo, 1);
    fifo_open(fifo, 0);

    unlink(file);
    unlink(fifo);
    rmdir(dir);
    return 0;
}
