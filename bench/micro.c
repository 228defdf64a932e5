/* bench/micro.c: lbw's microbenchmarks.
 *
 *   micro NAME|all [ROUNDS [MIN_ROUND_MS]]
 *
 * prints one line `name ns_per_op` per benchmark run. Each benchmark first
 * finds an iteration count that makes one round last at least MIN_ROUND_MS
 * (default 20 ms), then runs ROUNDS rounds (default 5) and reports the
 * median round's time per operation. A benchmark that cannot run prints
 * `name fail` on stdout and the reason on stderr, and the exit status is 1.
 *
 * Two extra rows are the floors issue 5's targets are stated against; they
 * arm Syscall User Dispatch in this very process, so they are only meant to
 * be run natively (bench/run.sh does so; "all" includes them):
 *   sud_allow_floor  getppid with SUD armed, selector ALLOW (call allowed)
 *   sud_trap_floor   getppid with SUD armed, selector BLOCK: every call traps
 *                    to a SIGSYS handler that makes the real call from an
 *                    allowed region and puts the result in the saved rax.
 *
 * Built dynamic against glibc: `gcc -O2 -pthread -o micro micro.c`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif
#ifndef PR_SYS_DISPATCH_OFF
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#endif
#ifndef SYSCALL_DISPATCH_FILTER_ALLOW
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif

typedef int (*bench_fn)(long iters); /* 0 on success, -1 (errno set) on failure */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static volatile long sink;

/* ---- the ordinary benchmarks ---------------------------------------------- */

static int b_null_syscall(long n)
{
    for (long i = 0; i < n; i++)
        sink += getppid();
    return 0;
}

static int b_open_close(long n)
{
    for (long i = 0; i < n; i++) {
        int fd = open("/etc/passwd", O_RDONLY);
        if (fd < 0)
            return -1;
        close(fd);
    }
    return 0;
}

static int b_stat(long n)
{
    struct stat st;
    for (long i = 0; i < n; i++)
        if (stat("/etc/passwd", &st) != 0)
            return -1;
    return 0;
}

static int rw_loop(const char *path, int flags, int writing, long n)
{
    char c = 'x';
    int fd = open(path, flags);
    if (fd < 0)
        return -1;
    for (long i = 0; i < n; i++) {
        ssize_t r = writing ? write(fd, &c, 1) : read(fd, &c, 1);
        if (r != 1) {
            if (r >= 0)
                errno = EIO;
            close(fd);
            return -1;
        }
    }
    close(fd);
    return 0;
}

static int b_read_zero(long n) { return rw_loop("/dev/zero", O_RDONLY, 0, n); }
static int b_write_null(long n) { return rw_loop("/dev/null", O_WRONLY, 1, n); }

static int wait_ok(pid_t pid)
{
    int st;
    if (pid < 0)
        return -1;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        errno = ECHILD;
        return -1;
    }
    return 0;
}

static int b_fork_wait(long n)
{
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        if (wait_ok(pid) != 0)
            return -1;
    }
    return 0;
}

static int b_fork_exec_wait(long n)
{
    static char *const argv[] = {"/bin/true", NULL};
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            execv(argv[0], argv);
            _exit(127);
        }
        if (wait_ok(pid) != 0)
            return -1;
    }
    return 0;
}

static void *thread_nop(void *arg) { return arg; }

static int b_pthread_create_join(long n)
{
    for (long i = 0; i < n; i++) {
        pthread_t t;
        int e = pthread_create(&t, NULL, thread_nop, NULL);
        if (e != 0) {
            errno = e;
            return -1;
        }
        if ((e = pthread_join(t, NULL)) != 0) {
            errno = e;
            return -1;
        }
    }
    return 0;
}

/* Futex ping-pong: `turn` is 0 while it is the main thread's turn, 1 while it
 * is the partner's, 2 to stop the partner. One operation is one round trip:
 * main hands the turn over and wakes the partner, the partner hands it back
 * and wakes main; each side sleeps in FUTEX_WAIT while it is not its turn. */
static _Atomic int turn;

static long futex(_Atomic int *addr, int op, int val)
{
    return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

static void *pong(void *arg)
{
    for (;;) {
        int t;
        while ((t = atomic_load(&turn)) == 0)
            futex(&turn, FUTEX_WAIT_PRIVATE, 0);
        if (t == 2)
            return arg;
        atomic_store(&turn, 0);
        futex(&turn, FUTEX_WAKE_PRIVATE, 1);
    }
}

/* Both threads on the CPU main is on: across two CPUs each wake is an
 * inter-processor interrupt, whose latency on a VM (5-47 us from one run
 * to the next here, natively and under every mode alike) would be all the
 * benchmark measured. */
static int b_futex_pingpong(long n)
{
    pthread_t t;
    cpu_set_t was, one;
    int pinned = sched_getaffinity(0, sizeof was, &was) == 0 && sched_getcpu() >= 0;
    if (pinned) {
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu(), &one);
        pinned = sched_setaffinity(0, sizeof one, &one) == 0;
    }
    atomic_store(&turn, 0);
    int e = pthread_create(&t, NULL, pong, NULL); /* (inherits the affinity) */
    if (e != 0) {
        if (pinned)
            sched_setaffinity(0, sizeof was, &was);
        errno = e;
        return -1;
    }
    for (long i = 0; i < n; i++) {
        atomic_store(&turn, 1);
        futex(&turn, FUTEX_WAKE_PRIVATE, 1);
        while (atomic_load(&turn) == 1)
            futex(&turn, FUTEX_WAIT_PRIVATE, 1);
    }
    atomic_store(&turn, 2);
    futex(&turn, FUTEX_WAKE_PRIVATE, 1);
    pthread_join(t, NULL);
    if (pinned)
        sched_setaffinity(0, sizeof was, &was);
    return 0;
}

static int b_clock_gettime(long n)
{
    struct timespec ts;
    for (long i = 0; i < n; i++) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sink += ts.tv_nsec;
    }
    return 0;
}

static volatile sig_atomic_t got_signals;
static void on_usr1(int sig) { (void)sig; got_signals++; }

static int b_signal_roundtrip(long n)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0)
        return -1;
    pid_t self = getpid();
    got_signals = 0;
    for (long i = 0; i < n; i++)
        if (kill(self, SIGUSR1) != 0)
            return -1;
    if (got_signals != n) {
        fprintf(stderr, "micro: signal_roundtrip: %ld signals sent, %ld handled\n", n,
                (long)got_signals);
        errno = EPROTO;
        return -1;
    }
    return 0;
}

static int b_mmap_munmap_64k(long n)
{
    for (long i = 0; i < n; i++) {
        void *p = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return -1;
        if (munmap(p, 64 << 10) != 0)
            return -1;
    }
    return 0;
}

/* ---- the two SUD floors ------------------------------------------------------
 *
 * sud_gate_start..sud_gate_end is the region Syscall User Dispatch always
 * allows: a six-argument syscall function (used by the SIGSYS handler) and the
 * handler's rt_sigreturn restorer, contiguous in a section of their own. The
 * kernel judges a call by the address just after its syscall instruction, so
 * the region extends past the restorer's syscall. */
__asm__(".pushsection .text.sud_gate,\"ax\",@progbits\n"
        ".globl sud_gate_start\n"
        ".globl sud_gate_end\n"
        ".globl sud_syscall6\n"
        ".globl sud_restorer\n"
        ".p2align 4\n"
        "sud_gate_start:\n"
        "sud_syscall6:\n" /* long sud_syscall6(nr, a1, a2, a3, a4, a5, a6 on the stack) */
        "    mov %rdi, %rax\n"
        "    mov %rsi, %rdi\n"
        "    mov %rdx, %rsi\n"
        "    mov %rcx, %rdx\n"
        "    mov %r8, %r10\n"
        "    mov %r9, %r8\n"
        "    mov 8(%rsp), %r9\n"
        "    syscall\n"
        "    ret\n"
        "sud_restorer:\n"
        "    mov $15, %eax\n" /* rt_sigreturn */
        "    syscall\n"
        "    ud2\n" /* the kernel checks the address after the syscall */
        "sud_gate_end:\n"
        ".popsection\n");
extern char sud_gate_start[], sud_gate_end[];
extern long sud_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
extern void sud_restorer(void);

static volatile char sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;

/* A getppid made by a syscall instruction in this (not allowed) code. */
static __attribute__((noinline)) long raw_getppid(void)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"((long)SYS_getppid) : "rcx", "r11", "memory");
    return ret;
}

/* Every trapped call is passed through from the gate, so whatever else this
 * process does while the selector blocks (e.g. clock_gettime falling back to a
 * syscall) still works. */
static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    g[REG_RAX] = sud_syscall6(si->si_syscall, g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10],
                              g[REG_R8], g[REG_R9]);
}

struct kernel_sigaction {
    void (*handler)(int, siginfo_t *, void *);
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
#define K_SA_RESTORER 0x04000000

static int sud_arm(void)
{
    sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
    if (prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (unsigned long)sud_gate_start,
              (unsigned long)(sud_gate_end - sud_gate_start), &sud_selector) != 0) {
        fprintf(stderr, "micro: prctl(PR_SET_SYSCALL_USER_DISPATCH): %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static void sud_disarm(void)
{
    sud_selector = SYSCALL_DISPATCH_FILTER_ALLOW;
    prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
}

static int b_sud_allow_floor(long n)
{
    if (sud_arm() != 0)
        return -1;
    for (long i = 0; i < n; i++)
        sink += raw_getppid();
    sud_disarm();
    return 0;
}

static int b_sud_trap_floor(long n)
{
    /* glibc's sigaction would put its own restorer (outside the allowed
     * region) in place: install the handler with the raw call. */
    static int installed;
    if (!installed) {
        struct kernel_sigaction ksa = {on_sigsys, SA_SIGINFO | K_SA_RESTORER, sud_restorer, 0};
        if (syscall(SYS_rt_sigaction, SIGSYS, &ksa, NULL, sizeof ksa.mask) != 0)
            return -1;
        installed = 1;
    }
    if (sud_arm() != 0)
        return -1;
    long want = getppid(), bad = 0;
    sud_selector = SYSCALL_DISPATCH_FILTER_BLOCK;
    for (long i = 0; i < n; i++)
        bad |= raw_getppid() ^ want;
    sud_disarm();
    if (bad) {
        fprintf(stderr, "micro: sud_trap_floor: emulated getppid gave a wrong answer\n");
        errno = EPROTO;
        return -1;
    }
    return 0;
}

/* ---- driver ---------------------------------------------------------------- */

static const struct {
    const char *name;
    bench_fn fn;
    int floor; /* only meaningful natively; part of "all" */
} benches[] = {
    {"null_syscall", b_null_syscall, 0},
    {"open_close", b_open_close, 0},
    {"stat", b_stat, 0},
    {"read_zero", b_read_zero, 0},
    {"write_null", b_write_null, 0},
    {"fork_wait", b_fork_wait, 0},
    {"fork_exec_wait", b_fork_exec_wait, 0},
    {"pthread_create_join", b_pthread_create_join, 0},
    {"futex_pingpong", b_futex_pingpong, 0},
    {"clock_gettime", b_clock_gettime, 0},
    {"signal_roundtrip", b_signal_roundtrip, 0},
    {"mmap_munmap_64k", b_mmap_munmap_64k, 0},
    {"sud_allow_floor", b_sud_allow_floor, 1},
    {"sud_trap_floor", b_sud_trap_floor, 1},
};
#define NBENCH (sizeof benches / sizeof benches[0])

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_one(int k, int rounds, double min_round_ns)
{
    const char *name = benches[k].name;
    bench_fn fn = benches[k].fn;
    long iters = 1;
    double t, per_op[1000];

    /* Calibrate: grow the iteration count until one round is long enough. */
    for (;;) {
        double t0 = now_ns();
        if (fn(iters) != 0)
            goto fail;
        t = now_ns() - t0;
        if (t >= min_round_ns)
            break;
        double scale = t > 0 ? 1.25 * min_round_ns / t : 16;
        if (scale > 16)
            scale = 16;
        if (scale < 2)
            scale = 2;
        iters = (long)(iters * scale) + 1;
    }
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        if (fn(iters) != 0)
            goto fail;
        per_op[r] = (now_ns() - t0) / iters;
    }
    qsort(per_op, rounds, sizeof per_op[0], cmp_double);
    double med = rounds % 2 ? per_op[rounds / 2]
                            : (per_op[rounds / 2 - 1] + per_op[rounds / 2]) / 2;
    printf("%s %.1f\n", name, med);
    fflush(stdout);
    return 0;
fail:
    fprintf(stderr, "micro: %s: %s\n", name, strerror(errno));
    printf("%s fail\n", name);
    fflush(stdout);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 4 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fprintf(stderr, "usage: micro NAME|all|list [ROUNDS [MIN_ROUND_MS]]\nbenchmarks:");
        for (size_t k = 0; k < NBENCH; k++)
            fprintf(stderr, " %s", benches[k].name);
        fprintf(stderr, "\n");
        return 2;
    }
    if (!strcmp(argv[1], "list")) {
        for (size_t k = 0; k < NBENCH; k++)
            printf("%s%s\n", benches[k].name, benches[k].floor ? " floor" : "");
        return 0;
    }
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    double min_round_ms = argc > 3 ? atof(argv[3]) : 20;
    if (rounds < 1 || rounds > 1000 || !(min_round_ms > 0)) {
        fprintf(stderr, "micro: bad ROUNDS or MIN_ROUND_MS\n");
        return 2;
    }
    int all = !strcmp(argv[1], "all"), found = 0, failed = 0;
    for (size_t k = 0; k < NBENCH; k++) {
        if (!all && strcmp(argv[1], benches[k].name))
            continue;
        found = 1;
        failed |= run_one(k, rounds, min_round_ms * 1e6);
    }
    if (!found) {
        fprintf(stderr, "micro: no benchmark named %s\n", argv[1]);
        return 2;
    }
    return failed;
}
