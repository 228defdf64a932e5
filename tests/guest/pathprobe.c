/* pathprobe: one call site, many paths. stat() goes through one syscall
 * instruction in libc, which lbw rewrites after its first trap; later calls
 * through it that name /proc/self/exe must still reach lbw (the stub's
 * probe), which shows the program's own file, while other paths go
 * straight to the kernel. Needs argv[0] to be a path to this program. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/stat.h>
#include "common.h"

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Every stat here is made from the same place: the same libc call site. */
static __attribute__((noinline)) int stat_at(const char *path, struct stat *st)
{
    return stat(path, st);
}

int main(int argc, char **argv)
{
    (void)argc;
    struct stat self, st;
    if (stat_at(argv[0], &self) != 0)
        return 1;
    const char *paths[] = {"/etc/passwd", "/proc/self/exe", "/etc/passwd", "/proc/self/exe",
                           "/proc/self/cwd", "/proc/self/exe"};
    for (int round = 0; round < 3; round++)
        for (unsigned i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            int r = stat_at(paths[i], &st);
            if (paths[i][1] == 'e')
                printf("%s: %d, a regular file: %s\n", paths[i], r, m(r == 0 && S_ISREG(st.st_mode)));
            else if (paths[i][11] == 'e')
                printf("%s: %d, the program's file: %s\n", paths[i], r, m(r == 0 && same_file(&st, &self)));
            else
                printf("%s: %d, a directory: %s\n", paths[i], r, m(r == 0 && S_ISDIR(st.st_mode)));
        }
    return 0;
}
