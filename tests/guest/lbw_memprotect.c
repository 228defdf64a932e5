/* lbw_memprotect: lbw's own memory is out of the guest's reach.
 * argv[1] is the path of the lbw binary. The mappings of that file are found
 * in /proc/self/maps; for each, MAP_FIXED over it, munmap, mprotect(PROT_NONE),
 * madvise(MADV_DONTNEED) and mremap onto it must all FAIL; then the program
 * must still be running ("alive").
 * Exit 0 when every attempt was refused, 1 when one was allowed, 2 when no
 * mapping of lbw was found (natively, without lbw, that is the expected
 * result). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct region {
    unsigned long lo, hi;
    char perms[8];
};

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc < 2) {
        fprintf(stderr, "usage: lbw_memprotect PATH-OF-LBW\n");
        return 2;
    }
    char want[PATH_MAX];
    if (!realpath(argv[1], want))
        snprintf(want, sizeof want, "%s", argv[1]);

    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) {
        printf("cannot open /proc/self/maps\n");
        return 2;
    }
    struct region regs[64];
    int nreg = 0;
    char line[PATH_MAX + 256];
    while (fgets(line, sizeof line, f) && nreg < 64) {
        line[strcspn(line, "\n")] = 0;
        unsigned long lo, hi;
        char perms[8];
        int pos = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &lo, &hi, perms, &pos) < 3 || pos == 0)
            continue;
        const char *path = line + pos;
        if (strcmp(path, want) != 0)
            continue;
        regs[nreg].lo = lo;
        regs[nreg].hi = hi;
        snprintf(regs[nreg].perms, sizeof regs[nreg].perms, "%s", perms);
        nreg++;
    }
    fclose(f);
    if (nreg == 0) {
        printf("no lbw mapping\n");
        return 2;
    }
    printf("lbw mappings found: %s\n", nreg > 0 ? "yes" : "no");

    int allowed = 0;
    /* a page of our own to move around with mremap */
    char *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < nreg; i++) {
        void *a = (void *)regs[i].lo;
        size_t len = regs[i].hi - regs[i].lo, pg = 4096;
        printf("mapping %d (%s):\n", i, regs[i].perms);
        long r;

        r = (long)mmap(a, pg, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
        printf("  mmap MAP_FIXED|MAP_ANONYMOUS over it: %s\n", (void *)r == MAP_FAILED ? "refused" : "ALLOWED");
        allowed |= (void *)r != MAP_FAILED;

        r = syscall(SYS_munmap, a, len);
        printf("  munmap: %s\n", r != 0 ? "refused" : "ALLOWED");
        allowed |= r == 0;

        r = syscall(SYS_mprotect, a, pg, PROT_NONE);
        printf("  mprotect PROT_NONE: %s\n", r != 0 ? "refused" : "ALLOWED");
        allowed |= r == 0;

        r = syscall(SYS_madvise, a, len, MADV_DONTNEED);
        printf("  madvise MADV_DONTNEED: %s\n", r != 0 ? "refused" : "ALLOWED");
        allowed |= r == 0;

        r = (long)mremap(mine, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, a);
        printf("  mremap onto it: %s\n", (void *)r == MAP_FAILED ? "refused" : "ALLOWED");
        allowed |= (void *)r != MAP_FAILED;
        if ((void *)r != MAP_FAILED)
            mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        r = syscall(SYS_mprotect, a, len, PROT_READ | PROT_WRITE | PROT_EXEC);
        printf("  mprotect RWX: %s\n", r != 0 ? "refused" : "ALLOWED");
        allowed |= r == 0;
    }
    /* brk cannot be pointed into lbw */
    unsigned long cur = (unsigned long)syscall(SYS_brk, 0);
    unsigned long got = (unsigned long)syscall(SYS_brk, regs[0].hi);
    int brk_into = got == regs[0].hi && got != cur;
    printf("brk onto lbw's end: %s\n", brk_into ? "ALLOWED" : "refused");
    allowed |= brk_into;

    /* still running: make a few calls that need lbw */
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
    int fd = open("/proc/self/maps", O_RDONLY);
    close(fd);
    printf("alive\n");
    return allowed ? 1 : 0;
}
