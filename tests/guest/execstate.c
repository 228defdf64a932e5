/* execstate: what execve resets besides fds and signals (see exec.c and
 * sigexec.c): the floating-point environment, the alternate signal stack,
 * every old mapping, the rseq registration, AT_RANDOM, POSIX timers; and
 * what it names: /proc/self/exe, comm. Run natively and under lbw, where
 * an exec from a single-threaded fork child replaces the image in place.
 * Needs argv[0] to be a path to this program. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
#ifdef __GLIBC__
extern const unsigned int __rseq_size __attribute__((weak));
#endif

#define FIXED_ADDR ((void *)0x300000000000UL)

static unsigned mxcsr(void)
{
    unsigned v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static unsigned x87_cw(void)
{
    unsigned short v;
    __asm__ volatile("fnstcw %0" : "=m"(v));
    return v;
}

static void random_hex(char *out)
{
    const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
    for (int i = 0; i < 16; i++)
        sprintf(out + 2 * i, "%02x", r ? r[i] : 0);
}

static int after(char **argv)
{
    printf("x87 control word %#x, mxcsr %#x\n", x87_cw(), mxcsr());
    stack_t ss;
    sigaltstack(NULL, &ss);
    printf("sigaltstack disabled: %s\n", (ss.ss_flags & SS_DISABLE) ? "yes" : "NO");
    void *p = mmap(FIXED_ADDR, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    printf("old mapping gone: %s\n", p == FIXED_ADDR ? "yes" : "NO");
#ifdef __GLIBC__
    printf("rseq registered again: %s\n", &__rseq_size && __rseq_size ? "yes" : "no");
#endif
    char now[33];
    random_hex(now);
    printf("AT_RANDOM renewed: %s\n", strcmp(now, argv[2]) ? "yes" : "NO");
    char exe[4096], self[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    printf("/proc/self/exe is this program: %s\n", realpath(argv[0], self) && !strcmp(exe, self) ? "yes" : "NO");
    char comm[64] = "";
    FILE *f = fopen("/proc/self/comm", "r");
    if (f) {
        if (fgets(comm, sizeof comm, f))
            comm[strcspn(comm, "\n")] = 0;
        fclose(f);
    }
    const char *base = strrchr(argv[0], '/');
    printf("comm is the basename: %s\n", !strncmp(comm, base ? base + 1 : argv[0], 15) ? "yes" : "NO");
    if (!strcmp(argv[1], "after-timer")) {
        /* A timer of the old image must be gone: its SIGALRM would kill. */
        struct timespec ts = {0, 300 * 1000 * 1000};
        nanosleep(&ts, NULL);
        printf("no old timer fired\n");
    }
    return 3;
}

static int wait_status(pid_t pid)
{
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return -1000;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

/* In a fork child: change what exec must reset, then exec this program. */
static void child(char *self, int with_timer)
{
    /* round up, flush to zero, denormals are zero; x87 round up */
    unsigned m = (mxcsr() & ~0x6000u) | 0x4000 | 0x8040;
    __asm__ volatile("ldmxcsr %0" : : "m"(m));
    unsigned short cw = (unsigned short)((x87_cw() & ~0xc00u) | 0x800);
    __asm__ volatile("fldcw %0" : : "m"(cw));
    static char altstack[65536];
    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&ss, NULL);
    char *p = mmap(FIXED_ADDR, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                   -1, 0);
    if (p != FIXED_ADDR)
        printf("cannot map at the fixed address\n");
    else
        p[0] = 1;
    if (with_timer) {
        timer_t t;
        struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
        struct itimerspec its = {{0, 100 * 1000 * 1000}, {0, 100 * 1000 * 1000}};
        if (timer_create(CLOCK_MONOTONIC, &sev, &t) == 0)
            timer_settime(t, 0, &its, NULL);
    }
    char rnd[33];
    random_hex(rnd);
    char *args[] = {self, with_timer ? "after-timer" : "after", rnd, NULL};
    execve(self, args, environ);
    perror("execve");
    _exit(127);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc >= 3 && !strncmp(argv[1], "after", 5))
        return after(argv);
    for (int timer = 0; timer <= 1; timer++) {
        printf("-- exec from a fork child%s\n", timer ? ", after timer_create" : "");
        pid_t pid = fork();
        if (pid == 0)
            child(argv[0], timer);
        printf("status %d\n", wait_status(pid));
    }
    return 0;
}
