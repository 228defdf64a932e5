/* lbw_fds: opens every descriptor's /proc/self/fd/N link that names
 * something of lbw's (its statistics memfd, its trace output) for
 * writing, and its /dev/fd/N too, and says how many it could open: lbw
 * keeps its own descriptors out of the program's reach (0). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    int found = 0, opened = 0;
    for (int fd = 3; fd < 4096; fd++) {
        char link[64], text[256];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, text, sizeof text - 1);
        if (n <= 0)
            continue;
        text[n] = 0;
        if (!strstr(text, "lbw"))
            continue;
        found++;
        char dev[64];
        snprintf(dev, sizeof dev, "/dev/fd/%d", fd);
        const char *names[] = {link, dev};
        for (int k = 0; k < 2; k++) {
            int o = open(names[k], O_RDWR);
            if (o >= 0) {
                opened++;
                close(o);
            }
        }
    }
    printf("lbw's descriptors found %d, opened %d\n", found, opened);
    return 0;
}
