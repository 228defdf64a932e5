/* straddle: syscall sites whose five bytes before the syscall cross a
 * 16-byte boundary, made while another thread runs the same code. lbw
 * patches a running site with one atomic write of the 16-byte word that
 * holds it; across a boundary it can still do so when the jump's bytes
 * past the boundary are those already there (the stub placed so that
 * its displacement's top bytes are the mov's): three or four bytes
 * before the boundary. Each site is called 2000 times by the main thread
 * while a second thread calls it too; every call must answer right. Run
 * natively and under lbw (tests/programs/straddle_fast.sh checks that
 * the site with four bytes before the boundary goes fast). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

/* `mov $nr,%eax; syscall` at 12, 13 and 14 bytes into a 16-byte word */
long site12(void); /* sched_yield (24) */
long site13(void); /* getpgrp (111) */
long site14(void); /* getppid (110) */
__asm__(".text\n"
        ".p2align 4\n.globl site12\nsite12:\n .skip 12, 0x90\n mov $24,%eax\n syscall\n ret\n"
        ".p2align 4\n.globl site13\nsite13:\n .skip 13, 0x90\n mov $111,%eax\n syscall\n ret\n"
        ".p2align 4\n.globl site14\nsite14:\n .skip 14, 0x90\n mov $110,%eax\n syscall\n ret\n");

static volatile int stop;
static long pgrp, ppid;

static long round_of_calls(void)
{
    return (site12() != 0) + (site13() != pgrp) + (site14() != ppid);
}

static void *other(void *arg)
{
    (void)arg;
    long bad = 0;
    while (!stop)
        bad += round_of_calls();
    return (void *)bad;
}

int main(void)
{
    pgrp = getpgid(0);
    ppid = getppid();
    pthread_t t;
    if (pthread_create(&t, NULL, other, NULL) != 0)
        return 2;
    long bad = 0;
    for (int i = 0; i < 2000; i++)
        bad += round_of_calls();
    stop = 1;
    void *r;
    pthread_join(t, &r);
    bad += (long)r;
    printf("3 sites across a 16-byte boundary, 2 threads: %ld wrong\n", bad);
    return 0;
}
