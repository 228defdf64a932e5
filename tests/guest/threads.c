/* threads: pthread create/join/detach/exit with 64 threads alive at once
 * (clone3 under glibc, clone under musl); raw futex wait/wake, requeue
 * (FUTEX_CMP_REQUEUE), FUTEX_WAIT_BITSET with absolute timeouts, PI futexes
 * and PTHREAD_PRIO_INHERIT mutexes, futex_waitv; set_tid_address; robust
 * mutexes whose owner dies (EOWNERDEAD, pthread_mutex_consistent);
 * gettid/tgkill; a thread's exit versus exit_group from a non-main thread;
 * the main thread leaving with pthread_exit; execve from a non-main thread.
 * Only the main thread prints, after the others are synchronised, so the
 * output is the same on every run. Needs argv[0] to be a path to itself. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* futex constants, spelled out: musl has no <linux/futex.h> */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_LOCK_PI 6
#define FUTEX_UNLOCK_PI 7
#define FUTEX_TRYLOCK_PI 8
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_LOCK_PI_PRIVATE (FUTEX_LOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_UNLOCK_PI_PRIVATE (FUTEX_UNLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_TRYLOCK_PI_PRIVATE (FUTEX_TRYLOCK_PI | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define FUTEX_WAITERS 0x80000000u
#define FUTEX_TID_MASK 0x3fffffffu
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#ifndef FUTEX_32
#define FUTEX_32 2
#endif
struct waitv { /* struct futex_waitv, spelled out for older headers */
    uint64_t val;
    uint64_t uaddr;
    uint32_t flags;
    uint32_t reserved;
};

static long futex(volatile uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, volatile uint32_t *uaddr2,
                  uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, ts, uaddr2, val3);
}
static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }

static const char *ename(int e)
{
    switch (e) {
    case 0: return "ok";
    case EAGAIN: return "EAGAIN";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EINTR: return "EINTR";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    case EBUSY: return "EBUSY";
    case EDEADLK: return "EDEADLK";
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EOWNERDEAD: return "EOWNERDEAD";
    case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
    default: return "other";
    }
}
/* the result of a raw call: "ok" or the errno's name */
static const char *res(long r) { return r < 0 ? ename(errno) : "ok"; }

/* ---------------------------------------------------------------- many threads */
#define NT 64
static pthread_barrier_t bar;
static pid_t tids[NT];
static void *worker(void *arg)
{
    long i = (long)arg;
    tids[i] = tid();
    /* every thread is alive at the same time here */
    pthread_barrier_wait(&bar);
    long sum = 0;
    for (long k = 0; k <= i * 1000; k++)
        sum += k;
    return (void *)sum;
}

static void many_threads(void)
{
    pthread_t th[NT];
    pthread_barrier_init(&bar, NULL, NT + 1);
    int created = 0;
    for (long i = 0; i < NT; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)i) == 0)
            created++;
    pthread_barrier_wait(&bar);
    long total = 0, want = 0;
    for (long i = 0; i < NT; i++) {
        void *r;
        pthread_join(th[i], &r);
        total += (long)r;
        want += (i * 1000) * (i * 1000 + 1) / 2;
    }
    int distinct = 1, notmain = 1;
    for (int i = 0; i < NT; i++) {
        if (tids[i] == getpid() || tids[i] <= 0)
            notmain = 0;
        for (int j = 0; j < i; j++)
            if (tids[i] == tids[j])
                distinct = 0;
    }
    printf("%d threads created, all alive at once, joined; results right: %d\n", created, total == want);
    printf("thread ids distinct: %d, none is the process id: %d, main's gettid is its pid: %d\n", distinct, notmain,
           tid() == getpid());
    pthread_barrier_destroy(&bar);
}

/* ---------------------------------------------------------------- detach, pthread_exit */
static pthread_mutex_t dm = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dc = PTHREAD_COND_INITIALIZER;
static int detached_done;
static void *detached(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&dm);
    detached_done++;
    pthread_cond_signal(&dc);
    pthread_mutex_unlock(&dm);
    return NULL;
}
static volatile int exit_depth = 5;
static int deep_exit(int depth)
{
    if (depth >= exit_depth)
        pthread_exit((void *)42);
    if (depth > 1000)
        return -1;
    return deep_exit(depth + 1) + 1;
}
static void *exiter(void *arg)
{
    (void)arg;
    deep_exit(0);
    return NULL;
}

static void detach_and_exit(void)
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    for (int i = 0; i < 16; i++) {
        pthread_t t;
        pthread_create(&t, i < 8 ? &a : NULL, detached, NULL);
        if (i >= 8)
            pthread_detach(t);
    }
    pthread_mutex_lock(&dm);
    while (detached_done < 16)
        pthread_cond_wait(&dc, &dm);
    pthread_mutex_unlock(&dm);
    printf("16 detached threads (8 by attribute, 8 by pthread_detach) all ran\n");
    pthread_t t;
    void *r = NULL;
    pthread_create(&t, NULL, exiter, NULL);
    pthread_join(t, &r);
    printf("pthread_exit from a nested call: join got %ld\n", (long)r);
    pthread_attr_destroy(&a);
}

/* ---------------------------------------------------------------- futex basics */
static volatile uint32_t fw, fw2;
static volatile long waiter_ret = -2, waiter_err;
static void *futex_waiter(void *arg)
{
    (void)arg;
    long r = futex(&fw, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    waiter_err = r < 0 ? errno : 0;
    waiter_ret = r;
    return NULL;
}

static void futex_basics(void)
{
    errno = 0;
    fw = 1;
    long r = futex(&fw, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    printf("FUTEX_WAIT with a stale value: %ld %s\n", r, res(r));
    struct timespec ts = {0, 20 * 1000 * 1000};
    r = futex(&fw, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
    printf("FUTEX_WAIT with a 20 ms relative timeout: %ld %s\n", r, res(r));
    r = futex(&fw, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    printf("FUTEX_WAKE with nobody waiting: %ld\n", r);

    fw = 0;
    pthread_t t;
    pthread_create(&t, NULL, futex_waiter, NULL);
    /* wake until the waiter is found asleep: no sleeping on our side */
    long woke = 0;
    while ((woke = futex(&fw, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)) == 0)
        sched_yield();
    pthread_join(t, NULL);
    printf("FUTEX_WAKE woke %ld waiter, whose FUTEX_WAIT returned %ld %s\n", woke, waiter_ret, ename(waiter_err));

    /* a shared futex between two processes */
    volatile uint32_t *shw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    *shw = 0;
    pid_t p = fork();
    if (p == 0) {
        long cr = futex(shw, FUTEX_WAIT, 0, NULL, NULL, 0);
        _exit(cr == 0 ? 0 : 1);
    }
    while ((woke = futex(shw, FUTEX_WAKE, 1, NULL, NULL, 0)) == 0)
        sched_yield();
    int st;
    waitpid(p, &st, 0);
    printf("shared FUTEX_WAKE of a waiter in another process: woke %ld, its FUTEX_WAIT returned 0: %d\n", woke,
           WIFEXITED(st) && WEXITSTATUS(st) == 0);
    munmap((void *)shw, 4096);
}

/* ---------------------------------------------------------------- requeue */
static volatile uint32_t qa, qb;
static volatile int rq_woken;
static void *rq_waiter(void *arg)
{
    (void)arg;
    long r;
    do
        r = futex(&qa, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    while (r < 0 && errno == EINTR);
    __atomic_fetch_add(&rq_woken, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void futex_requeue(void)
{
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, rq_waiter, NULL);
    errno = 0;
    long r = futex(&qa, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &qb, 1);
    printf("FUTEX_CMP_REQUEUE with a wrong expected value: %ld %s\n", r, res(r));
    /* move the waiters from qa to qb as they arrive, none woken */
    long moved = 0;
    while (moved < 4) {
        r = futex(&qa, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &qb, 0);
        if (r < 0) {
            printf("FUTEX_CMP_REQUEUE failed: %s\n", res(r));
            break;
        }
        moved += r;
        if (r == 0)
            sched_yield();
    }
    long none = futex(&qa, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    long one = futex(&qb, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    while (__atomic_load_n(&rq_woken, __ATOMIC_SEQ_CST) < 1)
        sched_yield();
    long rest = futex(&qb, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    printf("requeued %ld waiters; a wake on the old word woke %ld; on the new word woke %ld, then %ld; %d threads "
           "returned\n",
           moved, none, one, rest, rq_woken);
}

/* ---------------------------------------------------------------- wait_bitset */
static volatile int bs_ret = -2;
static void *bs_waiter(void *arg)
{
    (void)arg;
    long r = futex(&fw2, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0x1);
    bs_ret = r < 0 ? -errno : 0;
    return NULL;
}
static int ts_ge(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}
static struct timespec in_ms(clockid_t c, int ms)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    ts.tv_nsec += ms * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static void futex_bitset(void)
{
    fw2 = 0;
    struct timespec dl = in_ms(CLOCK_MONOTONIC, 30), now;
    long r = futex(&fw2, FUTEX_WAIT_BITSET_PRIVATE, 0, &dl, NULL, FUTEX_BITSET_MATCH_ANY);
    int e = errno;
    clock_gettime(CLOCK_MONOTONIC, &now);
    printf("FUTEX_WAIT_BITSET, absolute CLOCK_MONOTONIC deadline: %ld %s, returned after the deadline: %d\n", r,
           ename(r < 0 ? e : 0), ts_ge(&now, &dl));
    dl = in_ms(CLOCK_REALTIME, 30);
    r = futex(&fw2, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &dl, NULL, FUTEX_BITSET_MATCH_ANY);
    e = errno;
    clock_gettime(CLOCK_REALTIME, &now);
    printf("FUTEX_WAIT_BITSET, absolute CLOCK_REALTIME deadline: %ld %s, returned after the deadline: %d\n", r,
           ename(r < 0 ? e : 0), ts_ge(&now, &dl));
    struct timespec past = {1, 0};
    r = futex(&fw2, FUTEX_WAIT_BITSET_PRIVATE, 0, &past, NULL, FUTEX_BITSET_MATCH_ANY);
    printf("FUTEX_WAIT_BITSET with a deadline in the past: %ld %s\n", r, res(r));
    r = futex(&fw2, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0);
    printf("FUTEX_WAIT_BITSET with an empty bitset: %ld %s\n", r, res(r));

    pthread_t t;
    pthread_create(&t, NULL, bs_waiter, NULL);
    long other = 0, woke;
    /* a wake for other bits never wakes it; wake the right bit until found */
    while ((woke = futex(&fw2, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x1)) == 0)
        other += futex(&fw2, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x6), sched_yield();
    pthread_join(t, NULL);
    printf("FUTEX_WAKE_BITSET: bits 0x6 woke %ld, bit 0x1 woke %ld, the waiter returned %d\n", other, woke, bs_ret);
}

/* ---------------------------------------------------------------- PI */
static volatile uint32_t piw;
static volatile pid_t pi_tid;
static volatile long pi_try, pi_lock;
static volatile int pi_try_err, pi_owner_ok;
static void *pi_locker(void *arg)
{
    (void)arg;
    pi_tid = tid();
    long r = futex(&piw, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    pi_try_err = r < 0 ? errno : 0;
    pi_try = r;
    /* blocks until the main thread hands the lock over */
    pi_lock = futex(&piw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    pi_owner_ok = (piw & FUTEX_TID_MASK) == (uint32_t)tid();
    futex(&piw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    return NULL;
}

static pthread_mutex_t pim;
static long pi_count;
static void *pi_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2000; i++) {
        pthread_mutex_lock(&pim);
        pi_count++;
        pthread_mutex_unlock(&pim);
    }
    return NULL;
}
static volatile int pim_trylock = -1;
static void *pi_trier(void *arg)
{
    (void)arg;
    pim_trylock = pthread_mutex_trylock(&pim);
    return NULL;
}

static void pi_futex(void)
{
    piw = 0;
    long r = futex(&piw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("FUTEX_LOCK_PI on a free word: %ld, the word holds my tid: %d\n", r, (piw & FUTEX_TID_MASK) == (uint32_t)tid());
    r = futex(&piw, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("FUTEX_LOCK_PI again by the owner: %ld %s\n", r, res(r));
    pthread_t t;
    pthread_create(&t, NULL, pi_locker, NULL);
    /* hand over only once the other thread sleeps in the kernel: the kernel
     * sets FUTEX_WAITERS in the word then */
    while (!(piw & FUTEX_WAITERS))
        sched_yield();
    r = futex(&piw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    pthread_join(t, NULL);
    printf("FUTEX_TRYLOCK_PI while held: %ld %s; FUTEX_UNLOCK_PI: %ld; the waiter got it: %ld, owner tid in the word: "
           "%d; free again: %d\n",
           pi_try, ename(pi_try_err), r, pi_lock, pi_owner_ok, piw == 0);
    r = futex(&piw, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("FUTEX_UNLOCK_PI of a word I do not own: %ld %s\n", r, res(r));

    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    int pr = pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    int ir = pthread_mutex_init(&pim, &a);
    pthread_mutex_lock(&pim);
    pthread_create(&t, NULL, pi_trier, NULL);
    pthread_join(t, NULL);
    pthread_t w[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&w[i], NULL, pi_worker, NULL);
    pthread_mutex_unlock(&pim);
    for (int i = 0; i < 4; i++)
        pthread_join(w[i], NULL);
    printf("PTHREAD_PRIO_INHERIT mutex: setprotocol %d, init %d, trylock from another thread while held: %s, 4 "
           "threads x 2000 increments: %ld\n",
           pr, ir, ename(pim_trylock), pi_count);
    pthread_mutex_destroy(&pim);
    pthread_mutexattr_destroy(&a);
}

/* ---------------------------------------------------------------- futex_waitv */
static volatile uint32_t wv[2];
static volatile long wv_ret = -2;
static void *wv_waiter(void *arg)
{
    (void)arg;
    struct waitv w[2] = {
        {.val = 0, .uaddr = (uintptr_t)&wv[0], .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
        {.val = 0, .uaddr = (uintptr_t)&wv[1], .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
    };
    wv_ret = syscall(SYS_futex_waitv, w, 2, 0, NULL, CLOCK_MONOTONIC);
    return NULL;
}

static void futex_waitv_test(void)
{
    struct waitv w[2] = {
        {.val = 0, .uaddr = (uintptr_t)&wv[0], .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
        {.val = 1, .uaddr = (uintptr_t)&wv[1], .flags = FUTEX_32 | FUTEX_PRIVATE_FLAG},
    };
    errno = 0;
    long r = syscall(SYS_futex_waitv, w, 2, 0, NULL, CLOCK_MONOTONIC);
    if (r < 0 && errno == ENOSYS) {
        printf("futex_waitv: ENOSYS from this kernel, not tested\n");
        return;
    }
    printf("futex_waitv with a stale value: %ld %s\n", r, res(r));
    w[1].val = 0;
    struct timespec dl = in_ms(CLOCK_MONOTONIC, 20);
    r = syscall(SYS_futex_waitv, w, 2, 0, &dl, CLOCK_MONOTONIC);
    printf("futex_waitv with an absolute 20 ms deadline: %ld %s\n", r, res(r));
    r = syscall(SYS_futex_waitv, w, 2, 1, NULL, CLOCK_MONOTONIC);
    printf("futex_waitv with bad flags: %ld %s\n", r, res(r));
    pthread_t t;
    pthread_create(&t, NULL, wv_waiter, NULL);
    long woke;
    while ((woke = futex(&wv[1], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)) == 0)
        sched_yield();
    pthread_join(t, NULL);
    printf("futex_waitv on two words, the second woken (woke %ld): returned index %ld\n", woke, wv_ret);
}

/* ---------------------------------------------------------------- raw clone, robust */
/* Threads made with clone() directly, not pthread_create: they may end with
 * a raw exit, which a libc's own threads must not (musl keeps its thread
 * list and join word in user space). They use no TLS of their own. */
static volatile pid_t ptid_word, ctid_word, raw_tid, sta_ret, sta_word;
static int raw_stack_fn_exit(void *arg)
{
    (void)arg;
    raw_tid = (pid_t)syscall(SYS_gettid);
    syscall(SYS_exit, 77); /* this thread only */
    return 0;
}
static int raw_sta_fn(void *arg)
{
    (void)arg;
    sta_word = (pid_t)syscall(SYS_gettid);
    /* a new clear-child-tid word: the kernel zeroes it at exit and wakes it */
    sta_ret = (pid_t)syscall(SYS_set_tid_address, &sta_word);
    syscall(SYS_exit, 0);
    return 0;
}

struct rlist {
    struct rlist *next;
};
struct rhead {
    struct rlist *list;
    long futex_offset;
    struct rlist *op_pending;
};
struct rlock { /* a lock as a robust-list entry: the link, then the word */
    struct rlist link;
    volatile uint32_t word;
};
static struct rlock rl;
static volatile int rl_locked;
static int raw_robust_fn(void *arg)
{
    (void)arg;
    static struct rhead head;
    head.list = &rl.link;
    head.futex_offset = (long)offsetof(struct rlock, word);
    head.op_pending = NULL;
    rl.link.next = (struct rlist *)&head;
    rl.word = (uint32_t)syscall(SYS_gettid); /* taken: the word holds the owner's tid */
    long r = syscall(SYS_set_robust_list, &head, sizeof head);
    rl_locked = r == 0 ? 1 : -1;
    futex((volatile uint32_t *)&rl_locked, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    syscall(SYS_exit, 0); /* dies holding it */
    return 0;
}

/* rseq: a raw thread has no registration (a CLONE_VM child starts without
 * one), so it can register its own area and unregister it */
struct rseq_area {
    uint32_t cpu_id_start, cpu_id;
    uint64_t rseq_cs;
    uint32_t flags;
    uint32_t pad[3];
} __attribute__((aligned(32)));
static struct rseq_area rs;
static volatile long rseq_reg = -99, rseq_again = -99, rseq_unreg = -99;
static volatile int rseq_cpu_ok = -1, rseq_again_err, rseq_reg_err;
static volatile pid_t rseq_ctid;
#define RSEQ_SIG 0x53053053
static int raw_rseq_fn(void *arg)
{
    (void)arg;
    rs.cpu_id = (uint32_t)-1;
    rseq_reg = syscall(SYS_rseq, &rs, sizeof rs, 0, RSEQ_SIG);
    rseq_reg_err = rseq_reg < 0 ? errno : 0;
    rseq_cpu_ok = rs.cpu_id < 4096;
    rseq_again = syscall(SYS_rseq, &rs, sizeof rs, 0, RSEQ_SIG);
    rseq_again_err = rseq_again < 0 ? errno : 0;
    rseq_unreg = syscall(SYS_rseq, &rs, sizeof rs, 1 /* RSEQ_FLAG_UNREGISTER */, RSEQ_SIG);
    syscall(SYS_exit, 0);
    return 0;
}

/* clone3 made directly: the child runs FN(ARG) on the stack clone3 gave
 * it, with no libc (its TLS may be a block of ours), then exits */
long lbwt_clone3(void *args, size_t size, int (*fn)(void *), void *arg);
__asm__(".text\n"
        ".type lbwt_clone3,@function\n"
        "lbwt_clone3:\n"
        "\tmov %rdx, %r8\n"
        "\tmov %rcx, %r9\n"
        "\tmov $435, %eax\n"
        "\tsyscall\n"
        "\ttest %rax, %rax\n"
        "\tjnz 1f\n"
        "\txor %ebp, %ebp\n"
        "\tmov %r9, %rdi\n"
        "\tcall *%r8\n"
        "\tmov %eax, %edi\n"
        "\tmov $60, %eax\n"
        "\tsyscall\n"
        "\thlt\n"
        "1:\tret\n");
struct clone3_args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
struct c3res {
    uint64_t *tls;
    volatile long tid, fs_ok;
};
static long raw_gettid(void)
{
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(SYS_gettid) : "rcx", "r11", "memory");
    return r;
}
static int c3_fn(void *arg)
{
    struct c3res *r = arg;
    uint64_t fs0;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs0));
    r->fs_ok = r->tls ? fs0 == (uint64_t)(uintptr_t)r->tls : 1;
    r->tid = raw_gettid();
    return 0;
}

static void wait_cleared(volatile pid_t *w)
{
    pid_t v;
    while ((v = __atomic_load_n(w, __ATOMIC_SEQ_CST)) != 0)
        futex((volatile uint32_t *)w, FUTEX_WAIT, (uint32_t)v, NULL, NULL, 0);
}

#define RAW_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)
static char *raw_stack(void)
{
    size_t sz = 256 * 1024;
    char *s = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return s + sz;
}

static void raw_threads(void)
{
    ptid_word = 0;
    ctid_word = -1;
    int r = clone(raw_stack_fn_exit, raw_stack(), RAW_FLAGS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, NULL,
                  &ptid_word, NULL, &ctid_word);
    wait_cleared(&ctid_word);
    printf("raw clone thread: clone returned its tid %d, CLONE_PARENT_SETTID stored it %d, it ran as that tid %d, "
           "its raw exit cleared CLONE_CHILD_CLEARTID's word; the process lives on\n",
           r == raw_tid, ptid_word == raw_tid, raw_tid != getpid() && raw_tid > 0);

    sta_word = -1;
    r = clone(raw_sta_fn, raw_stack(), RAW_FLAGS, NULL);
    /* the word is -1 until the thread stores its tid, then 0 after its exit */
    pid_t v;
    while ((v = __atomic_load_n(&sta_word, __ATOMIC_SEQ_CST)) != 0)
        if (v == -1)
            sched_yield();
        else
            futex((volatile uint32_t *)&sta_word, FUTEX_WAIT, (uint32_t)v, NULL, NULL, 0);
    printf("set_tid_address in a thread returned its tid %d; the word it named was cleared at its exit\n",
           sta_ret == r);

    /* clone3: a thread with its own TLS block, and a process with a pidfd */
    static uint64_t tlsblock[64];
    uint64_t *tp = &tlsblock[32]; /* a TCB whose first word points to itself */
    *tp = (uint64_t)(uintptr_t)tp;
    static struct c3res res;
    res.tls = tp;
    res.tid = 0;
    volatile pid_t c3_ptid = 0, c3_ctid = -1;
    size_t ssz = 256 * 1024;
    char *st = raw_stack() - ssz;
    struct clone3_args ca = {
        .flags = RAW_FLAGS | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
        .child_tid = (uintptr_t)&c3_ctid,
        .parent_tid = (uintptr_t)&c3_ptid,
        .stack = (uintptr_t)st,
        .stack_size = ssz,
        .tls = (uintptr_t)tp,
    };
    long c3 = lbwt_clone3(&ca, sizeof ca, c3_fn, &res);
    if (c3 > 0)
        wait_cleared(&c3_ctid);
    printf("raw clone3 thread (CLONE_SETTLS, PARENT_SETTID, CHILD_CLEARTID): returned its tid %d, parent_tid "
           "stored %d, %%fs was the new TLS %ld, exited and cleared child_tid\n",
           c3 > 0 && c3 == res.tid, c3_ptid == c3, (long)res.fs_ok);
    int pidfd = -1;
    res.tls = NULL;
    res.tid = 0;
    struct clone3_args cf = {.flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd, .exit_signal = SIGCHLD};
    long c4 = lbwt_clone3(&cf, sizeof cf, c3_fn, &res);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    int wr = c4 > 0 ? waitid((idtype_t)3 /* P_PIDFD */, pidfd, &si, WEXITED) : -1;
    printf("raw clone3 process with CLONE_PIDFD: a pidfd %d, waitid on it %d, the child exited %d\n", pidfd >= 0, wr,
           si.si_code == CLD_EXITED ? si.si_status : -1);
    if (pidfd >= 0)
        close(pidfd);
    errno = 0;
    struct clone3_args bad = {.flags = CLONE_THREAD};
    long cb = lbwt_clone3(&bad, sizeof bad, c3_fn, &res);
    printf("clone3 with CLONE_THREAD alone: %s\n", cb == -EINVAL ? "EINVAL" : cb < 0 ? "another error" : "created");
    cb = lbwt_clone3(&bad, 8, c3_fn, &res);
    printf("clone3 with a size of 8: %s\n", cb == -EINVAL ? "EINVAL" : cb < 0 ? "another error" : "created");

    rseq_ctid = -1;
    clone(raw_rseq_fn, raw_stack(), RAW_FLAGS | CLONE_CHILD_CLEARTID, NULL, NULL, NULL, &rseq_ctid);
    wait_cleared(&rseq_ctid);
    if (rseq_reg < 0 && rseq_reg_err == ENOSYS)
        printf("rseq: ENOSYS from this kernel\n");
    else
        printf("rseq in a raw thread: register %ld %s, the kernel wrote cpu_id %d; again: %s; unregister %ld\n",
               rseq_reg, ename(rseq_reg_err), rseq_cpu_ok, ename(rseq_again_err), rseq_unreg);

    rl_locked = 0;
    clone(raw_robust_fn, raw_stack(), RAW_FLAGS, NULL);
    while (__atomic_load_n(&rl_locked, __ATOMIC_SEQ_CST) == 0)
        futex((volatile uint32_t *)&rl_locked, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    /* announce a waiter, then sleep until the kernel marks the owner dead */
    uint32_t w;
    while ((w = rl.word) & FUTEX_TID_MASK) {
        if (!(w & FUTEX_WAITERS) && !__atomic_compare_exchange_n(&rl.word, &w, w | FUTEX_WAITERS, 0,
                                                                  __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            continue;
        futex(&rl.word, FUTEX_WAIT, w | FUTEX_WAITERS, NULL, NULL, 0);
    }
    printf("set_robust_list in a raw thread: %s; it died holding its lock: owner-died bit %d, tid cleared %d\n",
           rl_locked == 1 ? "ok" : "failed", (rl.word & 0x40000000u) != 0, (rl.word & FUTEX_TID_MASK) == 0);
}

static pthread_mutex_t rm, rm_pi;
static int pipefd[2];
static void *robust_owner(void *arg)
{
    pthread_mutex_t *m = arg;
    int r = pthread_mutex_lock(m);
    char c = r == 0 ? 'L' : 'E';
    write(pipefd[1], &c, 1);
    return NULL; /* the thread ends holding the mutex */
}

static void robust(void)
{
    pthread_t t;
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&rm, &a);
    pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&rm_pi, &a);
    pipe(pipefd);
    for (int k = 0; k < 2; k++) {
        pthread_mutex_t *m = k == 0 ? &rm : &rm_pi;
        pthread_create(&t, NULL, robust_owner, m);
        char c = 0;
        read(pipefd[0], &c, 1);
        pthread_join(t, NULL);
        int r = pthread_mutex_lock(m);
        int r2 = -1, r3 = -1;
        if (r == EOWNERDEAD) {
            r2 = pthread_mutex_consistent(m);
            r3 = pthread_mutex_unlock(m);
        }
        int r4 = pthread_mutex_lock(m);
        pthread_mutex_unlock(m);
        printf("%s mutex, its owner thread ended holding it (locked: %c): lock %s, consistent %d, unlock %d, "
               "relock %s\n",
               k == 0 ? "robust" : "robust PI", c, ename(r), r2, r3, ename(r4));
    }
    /* not made consistent: the mutex becomes unusable */
    pthread_create(&t, NULL, robust_owner, &rm);
    char c;
    read(pipefd[0], &c, 1);
    pthread_join(t, NULL);
    int r = pthread_mutex_lock(&rm);
    pthread_mutex_unlock(&rm);
    int r2 = pthread_mutex_lock(&rm);
    printf("robust mutex left inconsistent: lock %s, then after unlock %s\n", ename(r), ename(r2));
    close(pipefd[0]);
    close(pipefd[1]);
    pthread_mutexattr_destroy(&a);

    /* get_robust_list and set_robust_list on the main thread, restored after */
    void *old = NULL;
    size_t oldlen = 0, len = 0;
    void *cur = NULL;
    long g = syscall(SYS_get_robust_list, 0, &old, &oldlen);
    static struct rhead mine;
    mine.list = (struct rlist *)&mine;
    long s1 = syscall(SYS_set_robust_list, &mine, sizeof mine);
    long g2 = syscall(SYS_get_robust_list, 0, &cur, &len);
    errno = 0;
    long s2 = syscall(SYS_set_robust_list, &mine, sizeof mine + 8);
    printf("get_robust_list %ld (length %zu); set_robust_list %ld; read back the same %d (length %zu); a wrong "
           "length: %ld %s\n",
           g, oldlen, s1, g2 == 0 && cur == (void *)&mine, len, s2, res(s2));
    syscall(SYS_set_robust_list, old, oldlen);
}

/* ---------------------------------------------------------------- tgkill */
static volatile pid_t handled_in;
static volatile int handled_sig;
static int notify[2], hold[2];
static volatile pid_t sig_thread_tid;
static void on_usr1(int s)
{
    handled_sig = s;
    handled_in = tid();
    write(notify[1], "h", 1);
}
static void *sig_thread(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    sig_thread_tid = tid();
    write(notify[1], "r", 1);
    char c;
    while (read(hold[0], &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}

static void tgkill_test(void)
{
    pipe(notify);
    pipe(hold);
    signal(SIGUSR1, on_usr1);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    pthread_t t;
    pthread_create(&t, NULL, sig_thread, NULL);
    char c;
    read(notify[0], &c, 1);
    long r = syscall(SYS_tgkill, getpid(), sig_thread_tid, SIGUSR1);
    read(notify[0], &c, 1);
    printf("tgkill(SIGUSR1) to a thread: %ld, handled by that thread: %d (signal %d)\n", r, handled_in == sig_thread_tid,
           handled_sig);
    handled_in = 0;
    r = syscall(SYS_tkill, sig_thread_tid, SIGUSR1);
    read(notify[0], &c, 1);
    printf("tkill(SIGUSR1) to a thread: %ld, handled by that thread: %d\n", r, handled_in == sig_thread_tid);
    handled_in = 0;
    r = pthread_kill(t, SIGUSR1);
    read(notify[0], &c, 1);
    printf("pthread_kill(SIGUSR1): %ld, handled by that thread: %d\n", r, handled_in == sig_thread_tid);
    errno = 0;
    r = syscall(SYS_tgkill, getpid() + 0x7fff0, 1, SIGUSR1);
    printf("tgkill to no such thread: %ld %s\n", r, res(r));
    r = syscall(SYS_tgkill, getpid(), sig_thread_tid, 0);
    printf("tgkill with signal 0 to a live thread: %ld\n", r);
    write(hold[1], "x", 1);
    pthread_join(t, NULL);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    signal(SIGUSR1, SIG_DFL);
    close(notify[0]);
    close(notify[1]);
    close(hold[0]);
    close(hold[1]);
}

/* ---------------------------------------------------------------- exits */
static int forever[2];
static void *blocker(void *arg)
{
    (void)arg;
    char c;
    read(forever[0], &c, 1);
    return NULL;
}
static void *group_exiter(void *arg)
{
    (void)arg;
    printf("  a non-main thread calls exit(9) while 4 others are blocked\n");
    exit(9);
}
static void *last_one(void *arg)
{
    int *fds = arg;
    char c;
    /* the main thread has gone: its pthread_exit does not end the process */
    read(fds[0], &c, 1);
    printf("  the last thread runs after the main thread's pthread_exit and exits with 5\n");
    exit(5);
}
static void status(const char *what, int st)
{
    if (WIFEXITED(st))
        printf("%s: exit %d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: killed by signal %d\n", what, WTERMSIG(st));
    else
        printf("%s: status %#x\n", what, st);
}

static void exits(void)
{
    int st;
    pid_t p = fork();
    if (p == 0) {
        pipe(forever);
        for (int i = 0; i < 4; i++) {
            pthread_t t;
            pthread_create(&t, NULL, blocker, NULL);
        }
        pthread_t t;
        pthread_create(&t, NULL, group_exiter, NULL);
        pthread_join(t, NULL);
        printf("  main thread: not reached\n");
        _exit(1);
    }
    waitpid(p, &st, 0);
    status("exit_group from a non-main thread", st);


    p = fork();
    if (p == 0) {
        static int fds[2];
        pipe(fds);
        pthread_t t;
        pthread_create(&t, NULL, last_one, fds);
        write(fds[1], "g", 1);
        pthread_exit(NULL);
    }
    waitpid(p, &st, 0);
    status("main thread's pthread_exit, then the last thread's exit", st);

}

static char *exec_av[4];
static void *exec_thread(void *arg)
{
    (void)arg;
    execve(exec_av[0], exec_av, environ);
    printf("  execve from a thread failed: %s\n", ename(errno));
    exit(127);
}

static void exec_from_thread(const char *self)
{
    int st;
    pid_t p = fork();
    if (p == 0) {
        pipe(forever);
        pthread_t t;
        for (int i = 0; i < 3; i++)
            pthread_create(&t, NULL, blocker, NULL);
        static char pidbuf[32];
        snprintf(pidbuf, sizeof pidbuf, "%d", (int)getpid());
        exec_av[0] = (char *)self;
        exec_av[1] = "exec-from-thread";
        exec_av[2] = pidbuf;
        pthread_create(&t, NULL, exec_thread, NULL);
        pthread_join(t, NULL);
        _exit(1);
    }
    waitpid(p, &st, 0);
    status("execve from a non-main thread", st);
}

static int count_tasks(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)getpid());
    int n = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    char buf[4096];
    long r;
    while ((r = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
        for (long off = 0; off < r;) {
            unsigned short reclen = *(unsigned short *)(buf + off + 16);
            const char *name = buf + off + 19;
            if (name[0] != '.')
                n++;
            off += reclen;
        }
    }
    close(fd);
    return n;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "exec-from-thread") == 0) {
        printf("  new image after execve from a thread: same process %d, one thread left %d, "
               "its tid is the pid %d\n",
               atoi(argv[2]) == getpid(), count_tasks() == 1, tid() == getpid());
        return 6;
    }
    many_threads();
    detach_and_exit();
    futex_basics();
    futex_requeue();
    futex_bitset();
    pi_futex();
    futex_waitv_test();
    raw_threads();
    robust();
    tgkill_test();
    exits();
    exec_from_thread(argv[0]);
    printf("done\n");
    return 0;
}
