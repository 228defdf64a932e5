/* root_race: rename races against lbw's path walk. One process swaps, as
 * fast as it can, guest objects with symlinks whose texts are host paths
 * (renameat2 RENAME_EXCHANGE: atomic); the other makes calls on the
 * guest's names. Inside a guest root a symlink's text means a path inside
 * the root, where there is nothing, so no call may reach the host's
 * objects. Prints the counts.
 *
 *   root_race walk HOST-DIR SECONDS
 *     a directory "d" (holding a file "marker") against a symlink to
 *     HOST-DIR, as a directory component: "d/marker" is opened and read;
 *     a read that gives the host's marker is an escape.
 *   root_race last HOST-FILE HOST-DIR SECONDS
 *     as the last component, for the calls that have no form which leaves
 *     a symlink there alone: a file "f" against a symlink to HOST-FILE,
 *     truncated and stamped (the caller looks at the host file's size and
 *     time), and "d" against one to HOST-DIR, stamped as "d/" (a trailing
 *     slash makes the kernel follow a symlink even with a no-follow form:
 *     the caller looks at the host directory's time) and entered by chdir
 *     to read "marker" (under -r an escaped cwd shows as the root: no read
 *     tells; the stamps do); and a file "g" against another symlink to
 *     HOST-DIR, stamped as "g/" with AT_SYMLINK_NOFOLLOW. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    if (fd >= 0)
        close(fd);
    return ok ? 0 : -1;
}

/* 1 for the guest's marker, 2 for the host's, 0 for neither */
static int marker(const char *path)
{
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n <= 0 ? 0 : !strncmp(buf, "guest", 5) ? 1 : strstr(buf, "HOST") ? 2 : 0;
}

/* Swaps each name with its symlink ("d" with "s", "f" with "sf", "g"
 * with "sg") until killed. */
static pid_t swapper(int with_file)
{
    pid_t pid = fork();
    if (pid == 0)
        for (;;) {
            renameat2(AT_FDCWD, "d", AT_FDCWD, "s", RENAME_EXCHANGE);
            if (with_file) {
                renameat2(AT_FDCWD, "f", AT_FDCWD, "sf", RENAME_EXCHANGE);
                renameat2(AT_FDCWD, "g", AT_FDCWD, "sg", RENAME_EXCHANGE);
            }
        }
    return pid;
}

int main(int argc, char **argv)
{
    int last = argc == 5 && !strcmp(argv[1], "last");
    if (!last && !(argc == 4 && !strcmp(argv[1], "walk")))
        return 2;
    const char *host_dir = argv[last ? 3 : 2];
    mkdir("d", 0755);
    unlink("s");
    unlink("sf");
    unlink("sg");
    if (put("d/marker", "guest\n") < 0 || symlink(host_dir, "s") < 0 ||
        (last && (put("f", "guest file\n") < 0 || symlink(argv[2], "sf") < 0 ||
                  put("g", "guest file\n") < 0 || symlink(host_dir, "sg") < 0)))
        return 1;
    int here = open(".", O_PATH | O_DIRECTORY);
    pid_t other = swapper(last);
    time_t end = time(NULL) + atoi(argv[argc - 1]);
    long n = 0, count[3] = {0};
    struct timeval old[2] = {{1000000000, 0}, {1000000000, 0}};
    while (time(NULL) < end) {
        for (int i = 0; i < 100; i++, n++) {
            if (!last) {
                count[marker("d/marker")]++;
                continue;
            }
            truncate("f", 4);
            utimes("f", old);
            utimes("d/", old);
            struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
            utimensat(AT_FDCWD, "g/", ts, AT_SYMLINK_NOFOLLOW);
            if (chdir("d") == 0) {
                count[marker("marker")]++;
                fchdir(here);
            }
        }
    }
    kill(other, SIGKILL);
    waitpid(other, NULL, 0);
    printf("%ld rounds: guest %ld, failed %ld, host %ld\n", n, count[1], count[0], count[2]);
    return 0;
}
