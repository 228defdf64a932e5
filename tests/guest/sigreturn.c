/* sigreturn: what a handler's return must restore, many times over, so
 * that under lbw most returns come after the restorer's site was rewritten
 * (tests/programs/sigreturn_fast.sh checks that they did): the mask
 * (the frame's, edited or not), the altstack state (SS_ONSTACK inside,
 * SS_AUTODISARM re-armed after), registers and vector registers live
 * across the signal, registers the handler edits in its ucontext, a
 * handler interrupted by another signal, and the red zone of the
 * interrupted code. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

#define ROUNDS 200

static volatile sig_atomic_t hits, nested_hits, inner_ok, onstack_ok;
static volatile int edit_reg;

static uint64_t cur_mask(void)
{
    uint64_t m = 0;
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &m, 8);
    return m;
}

static void raw_kill(int sig)
{
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), sig);
}

/* SIGUSR1: counts; checks its own mask (sa_mask SIGUSR2 plus itself). */
static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    uint64_t m = cur_mask();
    if ((m & (1ULL << (SIGUSR1 - 1))) && (m & (1ULL << (SIGUSR2 - 1))))
        inner_ok++;
    hits++;
}

/* SIGUSR2: on the altstack; raises SIGHUP, handled on top of it. */
static void on_hup(int sig) { (void)sig; nested_hits++; }
static char alt[1 << 16];
static void on_usr2(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    char here;
    if (&here > alt && &here < alt + sizeof alt)
        onstack_ok++;
    raw_kill(SIGHUP);
    hits++;
}

/* SIGALRM: edits the saved context: %r12 and, every other time, the mask
 * the return puts back (SIGWINCH blocked after it). */
static void on_alrm(int sig, siginfo_t *si, void *ucv)
{
    (void)sig, (void)si;
    ucontext_t *uc = ucv;
    uc->uc_mcontext.gregs[REG_R12] = 0x1234500 + edit_reg;
    if (edit_reg & 1)
        sigaddset(&uc->uc_sigmask, SIGWINCH);
    hits++;
}

/* SIGPROF: clobbers vector registers and the flags. */
static void on_prof(int sig)
{
    (void)sig;
    __asm__ volatile("pxor %%xmm0,%%xmm0; pxor %%xmm7,%%xmm7; pxor %%xmm15,%%xmm15; xor %%eax,%%eax"
                     ::: "xmm0", "xmm7", "xmm15", "rax", "cc");
    hits++;
}

static void set(int sig, void (*h)(int, siginfo_t *, void *), int flags, int also)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (also)
        sigaddset(&sa.sa_mask, also);
    if (sigaction(sig, &sa, NULL) != 0) {
        perror("sigaction");
        exit(1);
    }
}

/* The kill made from code that keeps values in the red zone and in
 * callee-saved and vector registers across it. */
static int kill_keeping(int sig)
{
    uint64_t r12 = 0x1111, r13 = 0x2222, rz = 0, x = 0;
    __asm__ volatile(
        "movq $0x5a5a5a5a5a5a5a5a, %%rax\n\t"
        "movq %%rax, -64(%%rsp)\n\t" /* below %rsp: the red zone */
        "movq %%rax, %%xmm7\n\t"
        "movq $0x1111, %%r12\n\t"
        "movq $0x2222, %%r13\n\t"
        "mov %[sig], %%edx\n\t"
        "mov %[tid], %%esi\n\t"
        "mov %[pid], %%edi\n\t"
        "mov $234, %%eax\n\t" /* tgkill */
        "syscall\n\t"
        "movq -64(%%rsp), %[rz]\n\t"
        "movq %%xmm7, %[x]\n\t"
        "mov %%r12, %[r12]\n\t"
        "mov %%r13, %[r13]\n\t"
        : [rz] "=&r"(rz), [x] "=&r"(x), [r12] "=&r"(r12), [r13] "=&r"(r13)
        : [sig] "r"(sig), [tid] "r"((int)syscall(SYS_gettid)), [pid] "r"((int)getpid())
        : "rax", "rcx", "r11", "rdx", "rsi", "rdi", "r12", "r13", "xmm7", "memory", "cc");
    int ok = rz == 0x5a5a5a5a5a5a5a5aULL && x == 0x5a5a5a5a5a5a5a5aULL && r13 == 0x2222;
    if (sig == SIGALRM)
        ok = ok && r12 == (uint64_t)(0x1234500 + edit_reg);
    else
        ok = ok && r12 == 0x1111;
    return ok;
}

int main(void)
{
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = SS_AUTODISARM};
    if (sigaltstack(&ss, NULL) != 0) {
        /* (before Linux 4.7) */
        ss.ss_flags = 0;
        sigaltstack(&ss, NULL);
    }
    set(SIGUSR1, on_usr1, 0, SIGUSR2);
    set(SIGUSR2, on_usr2, SA_ONSTACK, 0);
    set(SIGALRM, on_alrm, 0, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_prof;
    sigaction(SIGPROF, &sa, NULL);

    int bad_regs = 0, bad_mask = 0, bad_alt = 0;
    uint64_t mask0 = cur_mask();
    sigset_t set0;
    sigprocmask(SIG_SETMASK, NULL, &set0);
    for (int i = 0; i < ROUNDS; i++) {
        edit_reg = i;
        static const int sigs[] = {SIGUSR1, SIGUSR2, SIGALRM, SIGPROF};
        for (int k = 0; k < 4; k++) {
            if (!kill_keeping(sigs[k]))
                bad_regs++;
            uint64_t want = mask0;
            if (sigs[k] == SIGALRM && (i & 1))
                want |= 1ULL << (SIGWINCH - 1);
            if (cur_mask() != want)
                bad_mask++;
            sigprocmask(SIG_SETMASK, &set0, NULL);
        }
        stack_t now;
        sigaltstack(NULL, &now);
        if (now.ss_flags & SS_ONSTACK || now.ss_sp != alt)
            bad_alt++;
    }
    printf("handled %d of %d, nested %d, inner mask %d, on altstack %d\n", (int)hits, 4 * ROUNDS,
           (int)nested_hits, (int)inner_ok, (int)onstack_ok);
    printf("registers kept or edited as asked: %s (%d bad)\n", bad_regs ? "no" : "yes", bad_regs);
    printf("mask after each return: %s (%d bad)\n", bad_mask ? "no" : "yes", bad_mask);
    printf("altstack after each return: %s (%d bad)\n", bad_alt ? "no" : "yes", bad_alt);
    return bad_regs || bad_mask || bad_alt || hits != 4 * ROUNDS || nested_hits != ROUNDS;
}
