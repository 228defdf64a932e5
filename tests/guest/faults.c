/* faults: synchronous signals from the guest's own instructions.
 * Handled: SIGSEGV whose handler mprotects the page and returns (the
 * garbage-collector pattern, over many pages), SIGSEGV on an unmapped page
 * whose handler maps it, SIGBUS from a file mapping past the file's end,
 * SIGFPE from integer division by zero (the handler steps over the
 * instruction, and a siglongjmp variant), SIGILL from ud2, SIGTRAP from
 * int3, a stack overflow caught on an alternate stack. Checked: si_code,
 * si_addr, the trap number and error code in the ucontext.
 * Not handled: each fault kills a child with its signal (also when the
 * signal is blocked or ignored, and a fault inside its own handler), and
 * nothing is printed on stderr but the program's own. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static long pagesz;
static volatile int *volatile addr16 = (volatile int *)16, *volatile addr24 = (volatile int *)24;
static sigjmp_buf jb;

/* the faulting instructions, at known addresses */
void lbwt_ud2(void);
void lbwt_int3(void);
void lbwt_div(void);
__asm__(".text\n"
        ".type lbwt_ud2,@function\n"
        "lbwt_ud2:\n"
        "\tud2\n"
        "\tret\n"
        ".type lbwt_int3,@function\n"
        "lbwt_int3:\n"
        "\tint3\n"
        "\tret\n"
        /* lbwt_div: eax = edi / esi (idiv %esi is 2 bytes: f7 fe) */
        ".type lbwt_div,@function\n"
        "lbwt_div:\n"
        "\tmov %edi, %eax\n"
        "\tcltd\n"
        "lbwt_div_insn:\n"
        "\tidiv %esi\n"
        "\tret\n");
extern char lbwt_div_insn[];
static int divide(int a, int b)
{
    int r;
    __asm__ volatile("call lbwt_div" : "=a"(r) : "D"(a), "S"(b) : "rdx", "memory", "cc");
    return r;
}

static const char *segv_code(int c)
{
    return c == SEGV_MAPERR ? "SEGV_MAPERR" : c == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

/* ------------------------------------------------------------ SIGSEGV, mprotect */
static char *region;
static int nregion = 16;
static volatile int segv_count, addr_ok, acc_codes, write_faults, trapno14;
static void segv_unprotect(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    char *a = si->si_addr;
    if (a < region || a >= region + nregion * pagesz)
        _exit(90); /* not ours */
    segv_count++;
    addr_ok += ((uintptr_t)a & 0xfff) == 0x123;
    acc_codes += si->si_code == SEGV_ACCERR;
    write_faults += (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
    trapno14 += uc->uc_mcontext.gregs[REG_TRAPNO] == 14;
    char *page = (char *)((uintptr_t)a & ~(uintptr_t)(pagesz - 1));
    mprotect(page, pagesz, PROT_READ | PROT_WRITE);
}

static void segv_mprotect(void)
{
    region = mmap(NULL, nregion * pagesz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_unprotect;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    long sum = 0;
    for (int i = 0; i < nregion; i++)
        region[i * pagesz + 0x123] = (char)i; /* each write faults once */
    for (int i = 0; i < nregion; i++)
        sum += region[i * pagesz + 0x123];
    printf("SIGSEGV on %d PROT_NONE pages, the handler mprotects and returns: %d faults, si_addr right %d, "
           "SEGV_ACCERR %d, write faults %d, trap 14 %d; values read back sum %ld\n",
           nregion, segv_count, addr_ok, acc_codes, write_faults, trapno14, sum);
    /* a read fault: error code without the write bit */
    mprotect(region, pagesz, PROT_NONE);
    write_faults = segv_count = 0;
    volatile char *vr = region;
    (void)vr[0x123];
    printf("a read fault: %d fault, write bit %d\n", segv_count, write_faults);
    munmap(region, nregion * pagesz);
    signal(SIGSEGV, SIG_DFL);
}

/* ------------------------------------------------------------ SIGSEGV, unmapped */
static char *hole;
static volatile int map_code = -1, map_addr_ok;
static void segv_map(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    map_code = si->si_code;
    map_addr_ok = (char *)si->si_addr == hole + 8;
    mmap(hole, pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void segv_unmapped(void)
{
    hole = mmap(NULL, pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole, pagesz);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv_map;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    ((volatile long *)hole)[1] = 77;
    printf("SIGSEGV on an unmapped page, the handler maps it: %s, si_addr right %d, the store landed %d\n",
           segv_code(map_code), map_addr_ok, ((volatile long *)hole)[1] == 77);
    munmap(hole, pagesz);
    signal(SIGSEGV, SIG_DFL);
}

/* ------------------------------------------------------------ SIGBUS */
static volatile int bus_code = -1, bus_addr_ok;
static char *fmap;
static void bus_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    bus_code = si->si_code;
    bus_addr_ok = (char *)si->si_addr == fmap + pagesz + 16;
    siglongjmp(jb, 1);
}

static void sigbus(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/lbw-faults.%d", tmp ? tmp : "/tmp", (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    unlink(path);
    ftruncate(fd, 2 * pagesz);
    fmap = mmap(NULL, 2 * pagesz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    fmap[pagesz + 16] = 'a';
    ftruncate(fd, pagesz); /* the second page is now past the end */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = bus_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    int jumped = 0;
    if (sigsetjmp(jb, 1) == 0) {
        volatile char c = fmap[pagesz + 16];
        (void)c;
    } else {
        jumped = 1;
    }
    fmap[16] = 'b'; /* the first page still works */
    printf("SIGBUS reading a mapping past the file's end: caught %d, si_code %s, si_addr right %d\n", jumped,
           bus_code == BUS_ADRERR ? "BUS_ADRERR" : "other", bus_addr_ok);
    munmap(fmap, 2 * pagesz);
    close(fd);
    signal(SIGBUS, SIG_DFL);
}

/* ------------------------------------------------------------ SIGFPE */
static volatile int fpe_code = -1, fpe_at_insn, fpe_trapno;
static void fpe_skip(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    fpe_code = si->si_code;
    fpe_at_insn = (char *)si->si_addr == lbwt_div_insn && (char *)uc->uc_mcontext.gregs[REG_RIP] == lbwt_div_insn;
    fpe_trapno = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
    uc->uc_mcontext.gregs[REG_RIP] += 2; /* step over idiv */
    uc->uc_mcontext.gregs[REG_RAX] = -7; /* and make up a quotient */
}
static void fpe_jump(int sig)
{
    (void)sig;
    siglongjmp(jb, 2);
}

static void sigfpe(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fpe_skip;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);
    int q = divide(42, 0);
    printf("SIGFPE from 42 / 0: si_code %s, at the idiv %d, trap %d; the handler skipped it, quotient %d\n",
           fpe_code == FPE_INTDIV ? "FPE_INTDIV" : "other", fpe_at_insn, fpe_trapno, q);
    fpe_code = -1;
    q = divide(-2147483647 - 1, -1);
    printf("SIGFPE from INT_MIN / -1: si_code %s, quotient %d\n", fpe_code == FPE_INTDIV ? "FPE_INTDIV" : "other", q);
    printf("7 / 2 with the handler installed: %d\n", divide(7, 2));
    signal(SIGFPE, fpe_jump);
    int v = sigsetjmp(jb, 1);
    if (v == 0)
        divide(1, 0);
    printf("SIGFPE left with siglongjmp: %d\n", v);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("  SIGFPE unblocked again after siglongjmp: %d\n", !sigismember(&cur, SIGFPE));
    signal(SIGFPE, SIG_DFL);
}

/* ------------------------------------------------------------ SIGILL, SIGTRAP */
static volatile int ill_code = -1, ill_addr_ok, trap_code = -1, trap_rip_ok, trap_trapno;
static void ill_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    ill_code = si->si_code;
    ill_addr_ok = si->si_addr == (void *)lbwt_ud2 && uc->uc_mcontext.gregs[REG_RIP] == (greg_t)(uintptr_t)lbwt_ud2;
    uc->uc_mcontext.gregs[REG_RIP] += 2;
}
static void trap_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    trap_code = si->si_code;
    /* int3 is a trap: the saved rip is after it */
    trap_rip_ok = uc->uc_mcontext.gregs[REG_RIP] == (greg_t)(uintptr_t)lbwt_int3 + 1;
    trap_trapno = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
}

static void sigill_sigtrap(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ill_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    lbwt_ud2();
    printf("SIGILL from ud2: si_code %s, si_addr and rip at the ud2 %d; stepped over it\n",
           ill_code == ILL_ILLOPN ? "ILL_ILLOPN" : "other", ill_addr_ok);
    sa.sa_sigaction = trap_handler;
    sigaction(SIGTRAP, &sa, NULL);
    lbwt_int3();
    printf("SIGTRAP from int3: si_code %s, rip after the int3 %d, trap %d\n",
           trap_code == SI_KERNEL ? "SI_KERNEL" : "other", trap_rip_ok, trap_trapno);
    lbwt_int3();
    printf("a second int3: resumed again %d\n", trap_rip_ok);
    signal(SIGILL, SIG_DFL);
    signal(SIGTRAP, SIG_DFL);
}

/* ------------------------------------------------------------ stack overflow */
static char *alt;
static volatile int overflow_on_alt;
static void overflow_handler(int sig)
{
    (void)sig;
    char here;
    overflow_on_alt = &here >= alt && &here < alt + 64 * 1024;
    siglongjmp(jb, 3);
}
static int recurse(volatile char *prev, int n)
{
    volatile char buf[1024];
    if (n > 1 << 20)
        return 0;
    buf[0] = (char)n;
    buf[1023] = prev ? prev[0] : 0;
    return recurse(buf, n + 1) + buf[1023];
}

static void stack_overflow(void)
{
    pid_t p = fork();
    if (p == 0) {
        struct rlimit rl = {8 << 20, 8 << 20};
        setrlimit(RLIMIT_STACK, &rl);
        alt = malloc(64 * 1024);
        stack_t ss = {.ss_sp = alt, .ss_size = 64 * 1024, .ss_flags = 0};
        sigaltstack(&ss, NULL);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = overflow_handler;
        sa.sa_flags = SA_ONSTACK;
        sigaction(SIGSEGV, &sa, NULL);
        if (sigsetjmp(jb, 1) == 0)
            recurse(NULL, 0);
        printf("  [child] stack overflow caught on the alternate stack: %d\n", overflow_on_alt);
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("stack overflow child: %s %d\n", WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
}

/* ------------------------------------------------------------ no handler */
enum { F_SEGV, F_BUS, F_FPE, F_ILL, F_TRAP, F_NFAULTS };
static const char *fname[] = {"SIGSEGV (write to address 16)", "SIGBUS (file mapping past its end)",
                              "SIGFPE (division by zero)", "SIGILL (ud2)", "SIGTRAP (int3)"};
static const int fsig[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};

static void fault(int f)
{
    switch (f) {
    case F_SEGV: *addr16 = 1; break;
    case F_BUS: {
        char path[512];
        const char *tmp = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/lbw-faults-bus.%d", tmp ? tmp : "/tmp", (int)getpid());
        int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        unlink(path);
        ftruncate(fd, pagesz);
        volatile char *m = mmap(NULL, 2 * pagesz, PROT_READ, MAP_SHARED, fd, 0);
        (void)m[pagesz];
        break;
    }
    case F_FPE: divide(1, 0); break;
    case F_ILL: lbwt_ud2(); break;
    case F_TRAP: lbwt_int3(); break;
    }
}

static void segv_again(int sig)
{
    (void)sig;
    *addr24 = 1; /* a fault in the handler, with SIGSEGV blocked */
}

static void unhandled(void)
{
    const char *how[] = {"no handler", "blocked", "ignored"};
    for (int mode = 0; mode < 3; mode++) {
        printf("faults with the signal %s:", how[mode]);
        for (int f = 0; f < F_NFAULTS; f++) {
            pid_t p = fork();
            if (p == 0) {
                struct rlimit rl = {0, 0};
                setrlimit(RLIMIT_CORE, &rl);
                if (mode == 1) {
                    sigset_t s;
                    sigemptyset(&s);
                    sigaddset(&s, fsig[f]);
                    sigprocmask(SIG_BLOCK, &s, NULL);
                } else if (mode == 2) {
                    signal(fsig[f], SIG_IGN);
                }
                fault(f);
                _exit(0);
            }
            int st;
            waitpid(p, &st, 0);
            if (WIFSIGNALED(st) && WTERMSIG(st) == fsig[f])
                printf(" %d", fsig[f]);
            else
                printf(" [%s: status %#x]", fname[f], st);
        }
        printf("\n");
    }
    pid_t p = fork();
    if (p == 0) {
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        signal(SIGSEGV, segv_again);
        *addr16 = 1;
        _exit(0);
    }
    int st;
    waitpid(p, &st, 0);
    printf("SIGSEGV inside the SIGSEGV handler: killed by %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    pagesz = sysconf(_SC_PAGESIZE);
    segv_mprotect();
    segv_unmapped();
    sigbus();
    sigfpe();
    sigill_sigtrap();
    stack_overflow();
    unhandled();
    printf("done\n");
    return 0;
}
