/* root_race: a rename race against lbw's path walk. One process swaps, as
 * fast as it can, a directory "d" (holding a file "marker") with a symlink
 * whose text is a host directory (renameat2 RENAME_EXCHANGE: atomic); the
 * other opens and reads "d/marker" as fast as it can. Inside a guest root
 * the symlink's text means a path inside the root, where there is no such
 * file, so every read must give the guest's marker or fail; a read that
 * gives the host's marker is an escape. Prints the counts.
 * usage: root_race HOST-DIR SECONDS */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    mkdir("d", 0755);
    int fd = open("d/marker", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, "guest\n", 6) != 6)
        return 1;
    close(fd);
    unlink("s");
    if (symlink(argv[1], "s") < 0)
        return 1;
    pid_t swapper = fork();
    if (swapper == 0) {
        for (;;)
            renameat2(AT_FDCWD, "d", AT_FDCWD, "s", RENAME_EXCHANGE);
    }
    time_t end = time(NULL) + atoi(argv[2]);
    long guest = 0, failed = 0, host = 0, reads = 0;
    while (time(NULL) < end) {
        char buf[64] = {0};
        for (int i = 0; i < 200; i++, reads++) {
            int f = open("d/marker", O_RDONLY);
            if (f < 0) {
                failed++;
                continue;
            }
            ssize_t n = read(f, buf, sizeof buf - 1);
            close(f);
            if (n > 0 && !strncmp(buf, "guest", 5))
                guest++;
            else if (n > 0 && strstr(buf, "HOST"))
                host++;
            else
                failed++;
        }
    }
    kill(swapper, SIGKILL);
    waitpid(swapper, NULL, 0);
    printf("reads %ld: guest %ld, failed %ld, host %ld\n", reads, guest, failed, host);
    return 0;
}
