/* sigdeliver: signal delivery in depth. All 64 signal numbers get a handler
 * (raw rt_sigaction, so no libc reserves any) and are caught; real-time
 * signals queue with their payloads (sigqueue, rt_sigqueueinfo,
 * rt_tgsigqueueinfo) and arrive in the kernel's order; siginfo fields;
 * a handler that reads and edits the saved registers and mask in its
 * ucontext; SA_NODEFER, SA_RESETHAND, SA_ONSTACK with sigaltstack
 * (SS_ONSTACK, SS_AUTODISARM, EPERM while on it); per-thread masks and
 * pthread_kill; sigsuspend; sigtimedwait; signalfd; kill between
 * processes; SIGCHLD counting children; setitimer, alarm and timer_create. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }
static const char *ename(int e)
{
    switch (e) {
    case 0: return "ok";
    case EINVAL: return "EINVAL";
    case EAGAIN: return "EAGAIN";
    case EINTR: return "EINTR";
    case EPERM: return "EPERM";
    case ENOMEM: return "ENOMEM";
    case ESRCH: return "ESRCH";
    default: return "other";
    }
}
static const char *code(int c)
{
    switch (c) {
    case SI_USER: return "SI_USER";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_TKILL: return "SI_TKILL";
    case SI_TIMER: return "SI_TIMER";
    case SI_KERNEL: return "SI_KERNEL";
    case SI_MESGQ: return "SI_MESGQ";
    case -60: return "-60 (custom)";
    default: return "other";
    }
}

/* ------------------------------------------------------------ raw sigaction */
struct ksigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};
#define K_SA_RESTORER 0x04000000
void lbwt_restorer(void);
__asm__(".text\n"
        ".type lbwt_restorer,@function\n"
        "lbwt_restorer:\n"
        "\tmov $15, %eax\n" /* rt_sigreturn */
        "\tsyscall\n"
        "\thlt\n");

static long ksigaction(int sig, const struct ksigaction *act, struct ksigaction *old)
{
    return syscall(SYS_rt_sigaction, sig, act, old, 8);
}
static long ksigmask(int how, const uint64_t *set, uint64_t *old) { return syscall(SYS_rt_sigprocmask, how, set, old, 8); }

/* ------------------------------------------------------------ all 64 */
static volatile int caught[65], good_info[65], blocked_inside[65];
static void catch_all(int sig, siginfo_t *si, void *ucv)
{
    (void)ucv;
    caught[sig]++;
    good_info[sig] = si->si_signo == sig && si->si_code == SI_TKILL && si->si_pid == getpid();
    uint64_t cur = 0;
    ksigmask(SIG_BLOCK, NULL, &cur);
    blocked_inside[sig] = (cur >> (sig - 1)) & 1;
}

static void all64(void)
{
    uint64_t none = 0, saved;
    ksigmask(SIG_SETMASK, &none, &saved);
    static struct ksigaction old[65];
    int installed = 0, refused = 0;
    for (int s = 1; s <= 64; s++) {
        struct ksigaction ka = {(void *)catch_all, SA_SIGINFO | K_SA_RESTORER, lbwt_restorer, 0};
        long r = ksigaction(s, &ka, &old[s]);
        if (r == 0)
            installed++;
        else if (errno == EINVAL && (s == SIGKILL || s == SIGSTOP))
            refused++;
        else
            printf("rt_sigaction(%d) failed: %s\n", s, ename(errno));
    }
    for (int s = 1; s <= 64; s++)
        if (s != SIGKILL && s != SIGSTOP)
            syscall(SYS_tgkill, getpid(), gettid_(), s);
    int n = 0, info = 0, masked = 0;
    for (int s = 1; s <= 64; s++) {
        if (s == SIGKILL || s == SIGSTOP)
            continue;
        if (caught[s] == 1)
            n++;
        else
            printf("signal %d caught %d times\n", s, caught[s]);
        info += good_info[s];
        masked += blocked_inside[s];
    }
    printf("handlers installed for %d signals, SIGKILL and SIGSTOP refused (%d); each raised with tgkill: %d caught "
           "once, %d with the right si_signo/si_code/si_pid, %d with itself blocked in its handler\n",
           installed, refused, n, info, masked);
    for (int s = 1; s <= 64; s++)
        if (s != SIGKILL && s != SIGSTOP && caught[s] == 1 && (!good_info[s] || !blocked_inside[s]))
            printf("  signal %d: siginfo right %d, blocked in its handler %d\n", s, good_info[s], blocked_inside[s]);
    for (int s = 1; s <= 64; s++)
        if (s != SIGKILL && s != SIGSTOP)
            ksigaction(s, &old[s], NULL);
    struct ksigaction q;
    long r = ksigaction(SIGKILL, NULL, &q);
    printf("query SIGKILL's action: %ld, SIG_DFL %d\n", r, q.handler == NULL);
    errno = 0;
    r = ksigaction(0, NULL, &q);
    printf("rt_sigaction(0): %ld %s; ", r, ename(errno));
    errno = 0;
    r = ksigaction(65, NULL, &q);
    printf("rt_sigaction(65): %ld %s; ", r, ename(errno));
    errno = 0;
    r = syscall(SYS_rt_sigaction, SIGUSR1, NULL, &q, 4);
    printf("a sigsetsize of 4: %ld %s\n", r, ename(errno));
    ksigmask(SIG_SETMASK, &saved, NULL);
}

/* ------------------------------------------------------------ real-time queue */
static char rtlog[1024];
static void rt_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char one[96];
    int rel = sig >= SIGRTMIN ? sig - SIGRTMIN : -1;
    if (rel >= 0)
        snprintf(one, sizeof one, " rt+%d:%s:%d", rel, code(si->si_code),
                 si->si_code == SI_USER ? -1 : si->si_value.sival_int);
    else
        snprintf(one, sizeof one, " sig%d:%s", sig, code(si->si_code));
    strncat(rtlog, one, sizeof rtlog - strlen(rtlog) - 1);
}

static void rt_queue(int full_mask)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = rt_handler;
    sa.sa_flags = SA_SIGINFO;
    if (full_mask)
        sigfillset(&sa.sa_mask);
    else
        sigemptyset(&sa.sa_mask);
    sigset_t set, old;
    sigemptyset(&set);
    for (int i = 0; i < 3; i++) {
        sigaction(SIGRTMIN + i, &sa, NULL);
        sigaddset(&set, SIGRTMIN + i);
    }
    sigaction(SIGUSR1, &sa, NULL);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    union sigval v;
    for (int i = 0; i < 5; i++) {
        v.sival_int = 100 + i;
        sigqueue(getpid(), SIGRTMIN + 2, v);
    }
    v.sival_int = 200;
    sigqueue(getpid(), SIGRTMIN + 1, v);
    kill(getpid(), SIGRTMIN + 1);
    v.sival_int = 300;
    sigqueue(getpid(), SIGRTMIN, v);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1); /* a standard signal does not queue */
    /* rt_sigqueueinfo with our own si_code and value */
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = SIGRTMIN + 1;
    si.si_code = -60;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = 201;
    long r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN + 1, &si);
    si.si_value.sival_int = 202;
    long r2 = syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid_(), SIGRTMIN + 1, &si);
    sigset_t pend;
    sigpending(&pend);
    rtlog[0] = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("%s: rt_sigqueueinfo %ld, rt_tgsigqueueinfo %ld, pending before unblock: USR1 %d rt+0 %d rt+1 %d rt+2 %d\n",
           full_mask ? "queued, handlers with every signal masked" : "queued, handlers with nothing else masked", r,
           r2, sigismember(&pend, SIGUSR1), sigismember(&pend, SIGRTMIN), sigismember(&pend, SIGRTMIN + 1),
           sigismember(&pend, SIGRTMIN + 2));
    printf("  delivered:%s\n", rtlog);
    for (int i = 0; i < 3; i++)
        signal(SIGRTMIN + i, SIG_DFL);
    signal(SIGUSR1, SIG_DFL);
}

/* ------------------------------------------------------------ siginfo */
static volatile int last_code, last_pid_ok, last_uid_ok, last_val, last_signo;
static void info_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last_signo = sig == si->si_signo ? sig : -1;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    last_uid_ok = si->si_uid == getuid();
    last_val = si->si_value.sival_int;
}

static void siginfo_fields(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    kill(getpid(), SIGUSR2);
    printf("kill: si_code %s, si_pid me %d, si_uid me %d\n", code(last_code), last_pid_ok, last_uid_ok);
    raise(SIGUSR2);
    printf("raise: si_code %s, si_pid me %d\n", code(last_code), last_pid_ok);
    syscall(SYS_tgkill, getpid(), gettid_(), SIGUSR2);
    printf("tgkill: si_code %s, si_pid me %d\n", code(last_code), last_pid_ok);
    union sigval v = {.sival_int = 4242};
    sigqueue(getpid(), SIGUSR2, v);
    printf("sigqueue: si_code %s, si_value %d, si_pid me %d\n", code(last_code), last_val, last_pid_ok);
    signal(SIGUSR2, SIG_DFL);
}

/* ------------------------------------------------------------ ucontext */
static volatile long seen_rbx = -1, seen_trapno = -1, seen_addr_ok = -1, seen_usr2_in_mask = -1, seen_sigsys = -1,
                     fpregs_ok = -1;
static volatile uint32_t seen_xmm1 = 0;
static void ill_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;
    seen_rbx = g[REG_RBX];
    seen_trapno = g[REG_TRAPNO];
    seen_addr_ok = (uintptr_t)si->si_addr == (uintptr_t)g[REG_RIP] && si->si_code == ILL_ILLOPN;
    seen_usr2_in_mask = sigismember(&uc->uc_sigmask, SIGUSR2);
    seen_sigsys = sigismember(&uc->uc_sigmask, SIGSYS);
    fpregs_ok = uc->uc_mcontext.fpregs != NULL;
    if (uc->uc_mcontext.fpregs) {
        seen_xmm1 = uc->uc_mcontext.fpregs->_xmm[1].element[0];
        uc->uc_mcontext.fpregs->_xmm[1].element[0] = 0xabcd0123u;
    }
    g[REG_RBX] = 0x5678;
    g[REG_RIP] += 2;                        /* step over the ud2 */
    sigdelset(&uc->uc_sigmask, SIGUSR2);    /* unblocked when the handler returns */
    sigaddset(&uc->uc_sigmask, SIGWINCH);   /* and this one blocked */
}

static void ucontext_edit(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ill_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigset_t s, cur;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    uint64_t rbx_out = 0;
    uint32_t x1 = 0;
    __asm__ volatile("mov $0x1234, %%rbx\n\t"
                     "movd %2, %%xmm1\n\t"
                     "ud2\n\t"
                     "mov %%rbx, %0\n\t"
                     "movd %%xmm1, %1\n\t"
                     : "=r"(rbx_out), "=r"(x1)
                     : "r"(0x11112222u)
                     : "rbx", "xmm1", "memory");
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("SIGILL from ud2: handler saw rbx %#lx, trap number %ld, si_addr at the ud2 with ILL_ILLOPN %ld, fpregs %ld, "
           "xmm1 %#x\n",
           (long)seen_rbx, (long)seen_trapno, (long)seen_addr_ok, (long)fpregs_ok, seen_xmm1);
    printf("  saved mask had SIGUSR2 %ld, SIGSYS %ld\n", (long)seen_usr2_in_mask, (long)seen_sigsys);
    printf("  after the handler edited the context: resumed past ud2, rbx %#lx, xmm1 %#x, SIGUSR2 blocked %d, "
           "SIGWINCH blocked %d\n",
           (unsigned long)rbx_out, x1, sigismember(&cur, SIGUSR2), sigismember(&cur, SIGWINCH));
    sigemptyset(&s);
    sigaddset(&s, SIGWINCH);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    signal(SIGILL, SIG_DFL);
}

/* ------------------------------------------------------------ NODEFER, RESETHAND */
static volatile int depth, max_depth, runs, resethand_blocked = -1;
static void nest_handler(int sig)
{
    depth++;
    runs++;
    if (depth > max_depth)
        max_depth = depth;
    if (runs == 1)
        raise(sig); /* deferred unless SA_NODEFER */
    depth--;
}
static void reset_handler(int sig)
{
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    resethand_blocked = sigismember(&cur, sig);
    runs++;
}

static void nodefer_resethand(void)
{
    struct sigaction sa, q;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = nest_handler;
    sigaction(SIGUSR1, &sa, NULL);
    depth = max_depth = runs = 0;
    raise(SIGUSR1);
    printf("without SA_NODEFER: handler ran %d times, deepest nesting %d\n", runs, max_depth);
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    depth = max_depth = runs = 0;
    raise(SIGUSR1);
    printf("with SA_NODEFER: handler ran %d times, deepest nesting %d\n", runs, max_depth);

    sa.sa_handler = reset_handler;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR1, &sa, NULL);
    runs = 0;
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &q);
    printf("SA_RESETHAND: ran %d, the signal blocked inside %d, disposition now SIG_DFL %d\n", runs,
           resethand_blocked, q.sa_handler == SIG_DFL);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_RESETHAND|SA_NODEFER: the signal blocked inside %d\n", resethand_blocked);
    signal(SIGUSR1, SIG_DFL);
}

/* ------------------------------------------------------------ sigaltstack */
static char *alt_lo, *alt_hi;
static volatile int on_alt, q_onstack, set_err, uc_stack_ok, nested_on_alt, nested_uc_onstack, autodisarm_q;
static volatile int level;
static void alt_handler(int sig, siginfo_t *si, void *ucv)
{
    (void)si;
    ucontext_t *uc = ucv;
    char here;
    int on = &here >= alt_lo && &here < alt_hi;
    stack_t q;
    sigaltstack(NULL, &q);
    if (level == 0) {
        on_alt = on;
        q_onstack = (q.ss_flags & SS_ONSTACK) != 0;
        stack_t n = {.ss_sp = alt_lo, .ss_size = alt_hi - alt_lo, .ss_flags = 0};
        errno = 0;
        set_err = sigaltstack(&n, NULL) < 0 ? errno : 0;
        uc_stack_ok = uc->uc_stack.ss_sp == alt_lo && uc->uc_stack.ss_size == (size_t)(alt_hi - alt_lo) &&
                      uc->uc_stack.ss_flags == 0;
        level = 1;
        raise(sig == SIGUSR1 ? SIGUSR2 : sig);
        level = 0;
    } else {
        nested_on_alt = on;
        nested_uc_onstack = (uc->uc_stack.ss_flags & SS_ONSTACK) != 0;
    }
}
static void autodisarm_handler(int sig)
{
    (void)sig;
    stack_t q;
    sigaltstack(NULL, &q);
    autodisarm_q = q.ss_flags;
    char here;
    on_alt = &here >= alt_lo && &here < alt_hi;
}

static void altstack(void)
{
    size_t sz = 64 * 1024;
    alt_lo = malloc(sz);
    alt_hi = alt_lo + sz;
    stack_t small = {.ss_sp = alt_lo, .ss_size = 1024, .ss_flags = 0};
    errno = 0;
    int r = sigaltstack(&small, NULL);
    printf("sigaltstack of 1 KiB: %d %s\n", r, ename(errno));
    stack_t ss = {.ss_sp = alt_lo, .ss_size = sz, .ss_flags = 0}, q;
    r = sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = alt_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR1);
    printf("SA_ONSTACK: sigaltstack %d; handler on the alternate stack %d, query inside says SS_ONSTACK %d, "
           "changing it inside: %s, uc_stack describes it %d\n",
           r, on_alt, q_onstack, ename(set_err), uc_stack_ok);
    printf("  a signal raised inside: on the alternate stack too %d, its uc_stack says SS_ONSTACK %d\n", nested_on_alt,
           nested_uc_onstack);
    sigaltstack(NULL, &q);
    printf("  after: not on it %d, size kept %d\n", !(q.ss_flags & SS_ONSTACK), q.ss_size == sz);

    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    sigaltstack(NULL, &q);
    on_alt = -1;
    level = 1; /* no nesting this time */
    raise(SIGUSR1);
    level = 0;
    printf("SS_DISABLE: query says disabled %d, an SA_ONSTACK handler runs on the normal stack %d\n",
           (q.ss_flags & SS_DISABLE) != 0, nested_on_alt == 0);

    ss.ss_flags = SS_AUTODISARM;
    errno = 0;
    r = sigaltstack(&ss, NULL);
    sa.sa_handler = autodisarm_handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    autodisarm_q = -1;
    raise(SIGUSR1);
    sigaltstack(NULL, &q);
    printf("SS_AUTODISARM: %d %s; handler on it %d, query inside says disabled %d; restored after: %d\n", r,
           ename(r ? errno : 0), on_alt, (autodisarm_q & SS_DISABLE) != 0,
           !(q.ss_flags & SS_DISABLE) && q.ss_sp == alt_lo);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

/* ------------------------------------------------------------ threads */
static volatile pid_t got_in;
static int note[2], gate[2];
static void note_handler(int sig)
{
    (void)sig;
    got_in = gettid_();
    write(note[1], "h", 1);
}
static volatile pid_t t1_tid;
static volatile int t2_pending_before = -1, t2_got = -1;
static void *t1_main(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    t1_tid = gettid_();
    write(note[1], "r", 1);
    char c;
    while (read(gate[0], &c, 1) < 0 && errno == EINTR)
        ;
    return NULL;
}
static void *t2_main(void *arg)
{
    (void)arg;
    char c;
    while (read(gate[0], &c, 1) < 0 && errno == EINTR)
        ;
    sigset_t pend, w;
    sigpending(&pend);
    t2_pending_before = sigismember(&pend, SIGUSR2);
    sigemptyset(&w);
    sigaddset(&w, SIGUSR2);
    int s = 0;
    sigwait(&w, &s);
    t2_got = s;
    return NULL;
}
static volatile int susp_hits;
static void susp_handler(int sig)
{
    (void)sig;
    susp_hits++;
}
static pthread_t main_thread;
static void *poker(void *arg)
{
    (void)arg;
    char c;
    read(gate[0], &c, 1);
    pthread_kill(main_thread, SIGUSR2);
    return NULL;
}

static void thread_masks(void)
{
    pipe(note);
    pipe(gate);
    signal(SIGUSR1, note_handler);
    sigset_t s, pend;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &s, NULL); /* threads inherit it */
    pthread_t t1, t2;
    pthread_create(&t1, NULL, t1_main, NULL);
    char c;
    read(note[0], &c, 1);
    kill(getpid(), SIGUSR1); /* to the process: only t1 has it unblocked */
    read(note[0], &c, 1);
    printf("a process-directed SIGUSR1 went to the one thread not blocking it: %d\n", got_in == t1_tid);
    got_in = 0;
    pthread_create(&t2, NULL, t2_main, NULL);
    pthread_kill(t2, SIGUSR2);
    sigpending(&pend);
    int main_sees = sigismember(&pend, SIGUSR2);
    write(gate[1], "xx", 2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    printf("pthread_kill(SIGUSR2) to a thread blocking it: pending there %d, not in the main thread's sigpending %d, "
           "its sigwait got SIGUSR2 %d\n",
           t2_pending_before, !main_sees, t2_got == SIGUSR2);

    /* sigsuspend in the main thread, woken by another thread */
    main_thread = pthread_self();
    signal(SIGUSR2, susp_handler);
    pthread_t t3;
    pthread_create(&t3, NULL, poker, NULL);
    sigset_t wait_mask;
    pthread_sigmask(SIG_BLOCK, NULL, &wait_mask);
    sigdelset(&wait_mask, SIGUSR2);
    write(gate[1], "p", 1);
    errno = 0;
    int r = sigsuspend(&wait_mask);
    int e = errno;
    pthread_join(t3, NULL);
    sigset_t after;
    pthread_sigmask(SIG_BLOCK, NULL, &after);
    printf("sigsuspend woken by pthread_kill from another thread: %d %s, handler ran %d, mask restored %d\n", r,
           ename(e), susp_hits, sigismember(&after, SIGUSR2));
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
    close(note[0]);
    close(note[1]);
    close(gate[0]);
    close(gate[1]);
}

/* ------------------------------------------------------------ sigtimedwait, signalfd */
static void waiting_for_signals(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGRTMIN + 1);
    sigprocmask(SIG_BLOCK, &s, NULL);
    struct timespec ts = {0, 20 * 1000 * 1000};
    siginfo_t si;
    errno = 0;
    int r = sigtimedwait(&s, &si, &ts);
    printf("sigtimedwait 20 ms, nothing pending: %d %s\n", r, ename(errno));
    struct timespec zero = {0, 0};
    errno = 0;
    r = sigtimedwait(&s, &si, &zero);
    printf("sigtimedwait with a zero timeout: %d %s\n", r, ename(errno));
    kill(getpid(), SIGUSR1); /* not raise: glibc's sigtimedwait shows SI_TKILL as SI_USER */
    r = sigtimedwait(&s, &si, &ts);
    printf("sigtimedwait with SIGUSR1 pending: %s, si_code %s\n", r == SIGUSR1 ? "SIGUSR1" : "other", code(si.si_code));
    union sigval v = {.sival_int = 77};
    sigqueue(getpid(), SIGRTMIN + 1, v);
    v.sival_int = 78;
    sigqueue(getpid(), SIGRTMIN + 1, v);
    r = sigwaitinfo(&s, &si);
    int first = si.si_value.sival_int;
    r = sigwaitinfo(&s, &si);
    printf("sigwaitinfo twice on a queued real-time signal: values %d then %d, si_code %s\n", first,
           si.si_value.sival_int, code(si.si_code));

    /* signalfd */
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    sigaddset(&s, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int fd = signalfd(-1, &s, SFD_NONBLOCK | SFD_CLOEXEC);
    struct signalfd_siginfo fi[4];
    errno = 0;
    ssize_t n = read(fd, fi, sizeof fi);
    printf("signalfd: %s; read with nothing pending: %zd %s\n", fd >= 0 ? "ok" : "failed", n, ename(errno));
    v.sival_int = 9;
    sigqueue(getpid(), SIGUSR2, v);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int pr = poll(&p, 1, 1000);
    n = read(fd, fi, sizeof fi);
    printf("signalfd after sigqueue(SIGUSR2, 9): poll %d, read %zd bytes, signo SIGUSR2 %d, code %s, int %d, pid me "
           "%d\n",
           pr, n, fi[0].ssi_signo == SIGUSR2, code(fi[0].ssi_code), fi[0].ssi_int, fi[0].ssi_pid == (uint32_t)getpid());
    for (int i = 0; i < 3; i++) {
        v.sival_int = 30 + i;
        sigqueue(getpid(), SIGRTMIN + 2, v);
    }
    n = read(fd, fi, sizeof fi);
    printf("signalfd, three queued real-time signals read at once: %zd structs, values %d %d %d\n",
           n / (ssize_t)sizeof fi[0], fi[0].ssi_int, fi[1].ssi_int, fi[2].ssi_int);
    close(fd);
    sigset_t all;
    sigemptyset(&all);
    sigaddset(&all, SIGUSR1);
    sigaddset(&all, SIGUSR2);
    sigaddset(&all, SIGRTMIN + 1);
    sigaddset(&all, SIGRTMIN + 2);
    sigprocmask(SIG_UNBLOCK, &all, NULL);
}

/* ------------------------------------------------------------ between processes */
static void between_processes(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    sigprocmask(SIG_BLOCK, &s, NULL);
    pid_t parent = getpid();
    pid_t p = fork();
    if (p == 0) {
        siginfo_t si;
        int sig = sigwaitinfo(&s, &si);
        int ok = sig == SIGUSR1 && si.si_code == SI_USER && si.si_pid == parent;
        union sigval v = {.sival_int = ok ? 555 : 666};
        sigqueue(parent, SIGUSR2, v);
        /* then a process-group kill */
        sig = sigwaitinfo(&s, &si);
        _exit(sig == SIGUSR1 ? 21 : 22);
    }
    setpgid(p, p);
    kill(p, SIGUSR1);
    siginfo_t si;
    int sig = sigwaitinfo(&s, &si);
    printf("parent -> child kill(SIGUSR1), child -> parent sigqueue(SIGUSR2): got %s, from the child %d, value %d "
           "(555: the child saw SI_USER from its parent)\n",
           sig == SIGUSR2 ? "SIGUSR2" : "other", si.si_pid == p, si.si_value.sival_int);
    kill(-p, SIGUSR1);
    int st;
    waitpid(p, &st, 0);
    printf("kill(-pgid, SIGUSR1): the child %s %d\n", WIFEXITED(st) ? "exited" : "died", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
    sigprocmask(SIG_UNBLOCK, &s, NULL);
}

/* ------------------------------------------------------------ SIGCHLD */
static volatile int reaped, status_sum;
static void chld_counter(int sig)
{
    (void)sig;
    int st, saved = errno;
    pid_t p;
    while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
        reaped++;
        status_sum += WEXITSTATUS(st);
    }
    errno = saved;
}

static void sigchld_counting(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = chld_counter;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(SIG_BLOCK, &s, &old);
    for (int i = 1; i <= 6; i++)
        if (fork() == 0)
            _exit(i);
    while (reaped < 6)
        sigsuspend(&old);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("SIGCHLD handler reaped %d children, exit statuses summing to %d\n", reaped, status_sum);
    signal(SIGCHLD, SIG_DFL);
}

/* ------------------------------------------------------------ timers */
static volatile int ticks, timer_code = -1, timer_val = -1, timer_signo_ok = -1;
static void tick(int sig)
{
    (void)sig;
    ticks++;
}
static void timer_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    timer_signo_ok = sig == SIGRTMIN + 4;
    timer_code = si->si_code;
    timer_val = si->si_value.sival_int;
}

static void timers(void)
{
    signal(SIGALRM, tick);
    sigset_t s, old;
    sigemptyset(&s);
    sigaddset(&s, SIGALRM);
    sigaddset(&s, SIGRTMIN + 4);
    sigprocmask(SIG_BLOCK, &s, &old);
    struct itimerval it = {{0, 5000}, {0, 5000}}, q;
    int r = setitimer(ITIMER_REAL, &it, NULL);
    while (ticks < 3)
        sigsuspend(&old);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, &q);
    printf("setitimer(ITIMER_REAL) every 5 ms: %d, 3 ticks seen, the old value had a 5 ms interval %d\n", r,
           q.it_interval.tv_sec == 0 && q.it_interval.tv_usec == 5000);
    getitimer(ITIMER_REAL, &q);
    printf("getitimer after disarming: %d\n", q.it_value.tv_sec == 0 && q.it_value.tv_usec == 0);

    /* alarm: whole seconds only, so one second of waiting */
    ticks = 0;
    unsigned left = alarm(1);
    while (ticks < 1)
        sigsuspend(&old);
    printf("alarm(1): the previous alarm %u, SIGALRM delivered %d, alarm(0) after it %u\n", left, ticks, alarm(0));

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = timer_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN + 4, &sa, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGRTMIN + 4;
    ev.sigev_value.sival_int = 1234;
    timer_t t;
    r = timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec its = {{0, 0}, {0, 10 * 1000 * 1000}};
    int r2 = timer_settime(t, 0, &its, NULL);
    while (timer_code == -1)
        sigsuspend(&old);
    printf("timer_create(SIGEV_SIGNAL) %d, timer_settime %d: handler got the signal %d, si_code %s, si_value %d\n", r,
           r2, timer_signo_ok, code(timer_code), timer_val);
    timer_delete(t);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGALRM, SIG_DFL);
    signal(SIGRTMIN + 4, SIG_DFL);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    all64();
    rt_queue(1);
    rt_queue(0);
    siginfo_fields();
    ucontext_edit();
    nodefer_resethand();
    altstack();
    thread_masks();
    waiting_for_signals();
    between_processes();
    sigchld_counting();
    timers();
    printf("done\n");
    return 0;
}
