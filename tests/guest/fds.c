/* fds: dup, dup2, dup3, fcntl (F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD/F_SETFD,
 * F_GETFL/F_SETFL), close_range (plain and CLOSE_RANGE_CLOEXEC), and which
 * descriptor numbers the guest is given. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define CR_CLOEXEC (1U << 2)

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EMFILE: return "EMFILE";
    default: return "other";
    }
}

static const char *fdstate(int fd)
{
    int r = fcntl(fd, F_GETFD);
    if (r < 0)
        return "closed";
    return (r & FD_CLOEXEC) ? "open,cloexec" : "open";
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("/dev/null", O_RDWR);
    printf("first open returns %d\n", fd);
    int fd2 = open("/dev/null", O_RDONLY);
    printf("second open returns %d\n", fd2);
    close(fd2);

    int r, d = dup(fd);
    printf("dup -> %d (%s)\n", d, fdstate(d));
    close(d);
    r = dup2(fd, 10);
    printf("dup2(fd, 10) -> %d (%s)\n", r, fdstate(10));
    printf("dup2(10, 10) -> %d\n", dup2(10, 10));
    r = dup3(fd, 11, O_CLOEXEC);
    printf("dup3(fd, 11, O_CLOEXEC) -> %d (%s)\n", r, fdstate(11));
    errno = 0;
    r = dup3(11, 11, 0);
    printf("dup3(11, 11, 0) -> %d %s\n", r, ename(errno));
    errno = 0;
    r = (int)syscall(SYS_dup3, fd, 12, 12345);
    printf("dup3 bad flags -> %d %s\n", r, ename(errno));
    errno = 0;
    r = dup2(fd, -1);
    printf("dup2 to -1 -> %d %s\n", r, ename(errno));
    errno = 0;
    r = dup(999);
    printf("dup(999) -> %d %s\n", r, ename(errno));

    r = fcntl(fd, F_DUPFD, 20);
    printf("F_DUPFD min 20 -> %d (%s)\n", r, fdstate(20));
    printf("F_DUPFD min 20 again -> %d\n", fcntl(fd, F_DUPFD, 20));
    r = fcntl(fd, F_DUPFD_CLOEXEC, 30);
    printf("F_DUPFD_CLOEXEC min 30 -> %d (%s)\n", r, fdstate(30));
    fcntl(20, F_SETFD, FD_CLOEXEC);
    printf("after F_SETFD FD_CLOEXEC: fd 20 %s\n", fdstate(20));
    fcntl(20, F_SETFD, 0);
    printf("after F_SETFD 0: fd 20 %s\n", fdstate(20));

    int fl = fcntl(fd, F_GETFL);
    printf("F_GETFL accmode O_RDWR: %d, O_APPEND: %d\n", (fl & O_ACCMODE) == O_RDWR, (fl & O_APPEND) != 0);
    fcntl(fd, F_SETFL, fl | O_APPEND | O_NONBLOCK);
    fl = fcntl(10, F_GETFL);
    printf("status flags shared with dup: O_APPEND %d O_NONBLOCK %d\n", (fl & O_APPEND) != 0, (fl & O_NONBLOCK) != 0);

    /* file offset is shared between dups */
    int f = open("/proc/self/cmdline", O_RDONLY);
    int g = dup(f);
    char c;
    read(f, &c, 1);
    printf("offset shared between dups: %ld\n", (long)lseek(g, 0, SEEK_CUR));
    close(f);
    close(g);

    /* close_range */
    for (int i = 40; i < 50; i++)
        dup2(fd, i);
    r = (int)syscall(SYS_close_range, 42, 45, 0);
    printf("close_range(42, 45, 0) -> %d\n", r);
    for (int i = 40; i < 50; i++)
        printf("  fd %d %s\n", i, fdstate(i));
    r = (int)syscall(SYS_close_range, 46, 47, CR_CLOEXEC);
    printf("close_range(46, 47, CLOEXEC) -> %d: fd 46 %s, fd 48 %s\n", r, fdstate(46), fdstate(48));
    errno = 0;
    r = (int)syscall(SYS_close_range, 50, 40, 0);
    printf("close_range(50, 40) -> %d %s\n", r, ename(errno));
    r = (int)syscall(SYS_close_range, 3, ~0U, 0);
    printf("close_range(3, ~0) -> %d\n", r);
    int still = 0;
    for (int i = 3; i < 64; i++)
        if (fcntl(i, F_GETFD) >= 0)
            still++;
    printf("descriptors >= 3 still open: %d\n", still);
    printf("stdout still works after close_range: yes\n");
    printf("next open returns %d\n", open("/dev/null", O_RDONLY));
    return 0;
}
