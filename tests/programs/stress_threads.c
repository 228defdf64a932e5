/* stress_threads: 16 threads contending on mutexes and condition variables,
 * round after round for at least 2 seconds, with a fork from the threaded
 * process in every round. Each round does a fixed amount of work with a
 * fixed result (transfers between 8 locked accounts conserve the total; a
 * bounded queue guarded by a mutex and two condition variables carries
 * numbered items from 8 producers to 8 consumers), so the output does not
 * depend on the number of rounds or on scheduling. Used by
 * stress_threads.sh, which builds it three ways and runs it 20 times. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 16
#define NACCOUNTS 8
#define TRANSFERS 3000
#define ITEMS 3000
#define QCAP 16

static struct account {
    pthread_mutex_t m;
    long balance;
} accounts[NACCOUNTS];

static struct {
    pthread_mutex_t m;
    pthread_cond_t not_empty, not_full;
    long buf[QCAP];
    int head, count;
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, {0}, 0, 0};

static pthread_mutex_t sum_m = PTHREAD_MUTEX_INITIALIZER;
static uint64_t consumed_sum, consumed_xor;
static long consumed_n;
static pthread_barrier_t start;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void *banker(void *arg)
{
    uint32_t seed = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
    pthread_barrier_wait(&start);
    for (int i = 0; i < TRANSFERS; i++) {
        int a = lcg(&seed) % NACCOUNTS, b = lcg(&seed) % NACCOUNTS;
        if (a == b)
            b = (b + 1) % NACCOUNTS;
        long amount = lcg(&seed) % 100;
        struct account *lo = &accounts[a < b ? a : b], *hi = &accounts[a < b ? b : a];
        pthread_mutex_lock(&lo->m);
        pthread_mutex_lock(&hi->m);
        accounts[a].balance -= amount;
        accounts[b].balance += amount;
        pthread_mutex_unlock(&hi->m);
        pthread_mutex_unlock(&lo->m);
    }
    return NULL;
}

static void *producer(void *arg)
{
    long base = (long)(uintptr_t)arg * 1000000;
    pthread_barrier_wait(&start);
    for (long i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&q.m);
        while (q.count == QCAP)
            pthread_cond_wait(&q.not_full, &q.m);
        q.buf[(q.head + q.count) % QCAP] = base + i;
        q.count++;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.m);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    (void)arg;
    uint64_t sum = 0, x = 0;
    long n = 0;
    pthread_barrier_wait(&start);
    for (;;) {
        pthread_mutex_lock(&q.m);
        while (q.count == 0)
            pthread_cond_wait(&q.not_empty, &q.m);
        long v = q.buf[q.head];
        q.head = (q.head + 1) % QCAP;
        q.count--;
        pthread_cond_signal(&q.not_full);
        pthread_mutex_unlock(&q.m);
        if (v < 0)
            break; /* the end marker, one per consumer */
        sum += (uint64_t)v;
        x ^= (uint64_t)v * 0x9e3779b97f4a7c15ull;
        n++;
    }
    pthread_mutex_lock(&sum_m);
    consumed_sum += sum;
    consumed_xor ^= x;
    consumed_n += n;
    pthread_mutex_unlock(&sum_m);
    return NULL;
}

static void *child_thread(void *arg)
{
    long *v = arg;
    *v += 1;
    return NULL;
}

/* a child of the threaded process: only this thread exists in it; it can
 * allocate and start a thread of its own */
static int forked_child(void)
{
    long total = 0;
    for (int i = 0; i < 100; i++) {
        char *p = malloc(1000 + i); /* the allocator works after fork */
        memset(p, i, 1000 + i);
        total += p[999];
        free(p);
    }
    pthread_t t;
    if (pthread_create(&t, NULL, child_thread, &total) != 0 || pthread_join(t, NULL) != 0)
        return 2;
    return total == 4951 ? 42 : 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char first[256];
static int round_once(void)
{
    for (int i = 0; i < NACCOUNTS; i++)
        accounts[i].balance = 1000;
    consumed_sum = consumed_xor = 0;
    consumed_n = 0;
    pthread_barrier_init(&start, NULL, NTHREADS + 1);
    pthread_t th[NTHREADS];
    for (long i = 0; i < NTHREADS; i++) {
        void *(*fn)(void *) = i < 8 ? banker : i < 12 ? producer : consumer;
        pthread_create(&th[i], NULL, fn, (void *)(uintptr_t)i);
    }
    pthread_barrier_wait(&start);
    /* fork while the 16 threads run */
    pid_t p = fork();
    if (p == 0)
        _exit(forked_child());
    int st = 0;
    waitpid(p, &st, 0);
    /* the producers are 8..11; wait for them, then end the consumers */
    for (int i = 0; i < 12; i++)
        pthread_join(th[i], NULL);
    for (int i = 12; i < NTHREADS; i++) {
        pthread_mutex_lock(&q.m);
        while (q.count == QCAP)
            pthread_cond_wait(&q.not_full, &q.m);
        q.buf[(q.head + q.count) % QCAP] = -1;
        q.count++;
        pthread_cond_signal(&q.not_empty);
        pthread_mutex_unlock(&q.m);
    }
    for (int i = 12; i < NTHREADS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    long total = 0;
    for (int i = 0; i < NACCOUNTS; i++)
        total += accounts[i].balance;
    char line[256];
    snprintf(line, sizeof line,
             "bank total %ld (want %d); queue items %ld, sum %llu, xor %016llx; forked child: %s %d",
             total, NACCOUNTS * 1000, consumed_n, (unsigned long long)consumed_sum,
             (unsigned long long)consumed_xor, WIFEXITED(st) ? "exit" : "signal",
             WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    if (!first[0]) {
        strcpy(first, line);
        return 1;
    }
    if (strcmp(first, line) != 0) {
        printf("round differs: %s\n", line);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    for (int i = 0; i < NACCOUNTS; i++)
        pthread_mutex_init(&accounts[i].m, NULL);
    double end = now() + secs;
    int rounds = 0, ok = 1;
    do {
        ok &= round_once();
        rounds++;
    } while (now() < end);
    printf("%s\n", first);
    printf("every round the same: %s\n", ok ? "yes" : "NO");
    fprintf(stderr, "%d rounds\n", rounds);
    return ok ? 0 : 1;
}
