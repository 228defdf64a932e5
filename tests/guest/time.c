/* time: getrandom lengths, clock_gettime monotonic increase, realtime
 * plausibility, nanosleep and clock_nanosleep of 10 ms. No time is printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    unsigned char a[64], b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    printf("getrandom(64): %zd\n", getrandom(a, sizeof a, 0));
    printf("getrandom(16, GRND_NONBLOCK): %zd\n", getrandom(b, 16, GRND_NONBLOCK));
    printf("raw getrandom(32): %ld\n", syscall(SYS_getrandom, b + 16, 32, 0));
    printf("getrandom(0): %zd\n", getrandom(a, 0, 0));
    printf("two random buffers differ: %d\n", memcmp(a, b, 48) != 0);
    int nz = 0;
    for (int i = 0; i < 64; i++)
        nz += a[i] != 0;
    printf("random buffer is not all zero: %d\n", nz > 0);
    errno = 0;
    long r = syscall(SYS_getrandom, a, 8, 0x1000);
    printf("getrandom bad flags: %ld %s\n", r, errno == EINVAL ? "EINVAL" : "other");

    long long prev = ns(CLOCK_MONOTONIC), first = prev;
    int mono = 1;
    for (int i = 0; i < 10000; i++) {
        long long t = ns(CLOCK_MONOTONIC);
        if (t < prev)
            mono = 0;
        prev = t;
    }
    printf("CLOCK_MONOTONIC never goes back over 10000 reads: %d\n", mono);
    printf("CLOCK_MONOTONIC advanced: %d\n", prev > first);
    struct timespec raw;
    r = syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &raw);
    long long rawns = (long long)raw.tv_sec * 1000000000LL + raw.tv_nsec;
    printf("raw clock_gettime agrees with libc (within 1 s): %ld %d\n", r, rawns >= prev && rawns - prev < 1000000000LL);
    long long rt = ns(CLOCK_REALTIME);
    printf("CLOCK_REALTIME after 2020: %d\n", rt > 1577836800LL * 1000000000LL);
    time_t tt = time(NULL);
    printf("time() agrees with CLOCK_REALTIME (within 2 s): %d\n", (long long)tt * 1000000000LL - rt < 2000000000LL &&
                                                                       rt - (long long)tt * 1000000000LL < 2000000000LL);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday agrees (within 2 s): %d\n", tv.tv_sec - tt < 2 && tt - tv.tv_sec < 2);
    struct timespec res;
    clock_getres(CLOCK_MONOTONIC, &res);
    printf("CLOCK_MONOTONIC resolution <= 1 ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
    long long c0 = ns(CLOCK_PROCESS_CPUTIME_ID);
    volatile unsigned long spin = 0;
    for (int i = 0; i < 5000000; i++)
        spin += i;
    printf("process CPU time advanced: %d\n", ns(CLOCK_PROCESS_CPUTIME_ID) > c0);

    long long t0 = ns(CLOCK_MONOTONIC);
    struct timespec req = {0, 10 * 1000000}, rem = {7, 7};
    int s = nanosleep(&req, &rem);
    long long dt = ns(CLOCK_MONOTONIC) - t0;
    printf("nanosleep(10 ms): %d, slept >= 10 ms: %d, < 5 s: %d\n", s, dt >= 10000000LL, dt < 5000000000LL);
    t0 = ns(CLOCK_MONOTONIC);
    s = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    dt = ns(CLOCK_MONOTONIC) - t0;
    printf("clock_nanosleep(10 ms): %d, slept >= 10 ms: %d\n", s, dt >= 10000000LL);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 10000000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    s = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
    long long after = ns(CLOCK_MONOTONIC);
    printf("clock_nanosleep TIMER_ABSTIME: %d, woke after the deadline: %d\n", s,
           after >= (long long)abs.tv_sec * 1000000000LL + abs.tv_nsec);
    struct timespec badreq = {0, 2000000000L};
    errno = 0;
    s = nanosleep(&badreq, NULL);
    printf("nanosleep with tv_nsec >= 1e9: %d %s\n", s, errno == EINVAL ? "EINVAL" : "other");
    return 0;
}
