/* procextra: finer points of the program's own story in /proc, beyond
 * procself: /proc/self/comm names the program (as the kernel sets it at
 * execve: the first 15 bytes of the basename), /proc/self/auxv agrees with
 * getauxval, and /proc/self/maps names the program's file.
 * Needs argv[0] to be a path to this program. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>
#include "common.h"


int main(int argc, char **argv)
{
    (void)argc;
    setvbuf(stdout, NULL, _IONBF, 0);
    ssize_t n;
    char comm[64] = {0};
    n = slurp("/proc/self/comm", comm, sizeof comm - 1);
    if (n > 0 && comm[n - 1] == '\n')
        comm[n - 1] = 0;
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    printf("/proc/self/comm is argv[0]'s basename (15 chars): %s\n", m(strncmp(comm, base, 15) == 0));

    /* the auxv file matches getauxval for AT_PAGESZ and AT_ENTRY */
    unsigned long av[512];
    n = slurp("/proc/self/auxv", (char *)av, sizeof av);
    int found = 0;
    for (ssize_t i = 0; i + 1 < n / (ssize_t)sizeof(long); i += 2)
        if (av[i] == AT_ENTRY && av[i + 1] == getauxval(AT_ENTRY))
            found = 1;
    printf("/proc/self/auxv AT_ENTRY agrees with getauxval: %s\n", m(found));

    /* the line of /proc/self/maps that holds main() names this program */
    static char maps[1 << 20];
    n = slurp("/proc/self/maps", maps, sizeof maps - 1);
    maps[n > 0 ? n : 0] = 0;
    char real[PATH_MAX];
    realpath(argv[0], real);
    unsigned long here = (unsigned long)(void *)&main;
    int named = 0;
    for (char *line = maps; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= here && here < hi) {
            char *path = strchr(line, '/');
            named = path && strcmp(path, real) == 0;
        }
        line = nl ? nl + 1 : NULL;
    }
    printf("/proc/self/maps names this program at main(): %s\n", m(named));
    return 0;
}
