/* stat: stat/fstat/lstat/fstatat/statx of known files, file types, sizes,
 * modes, link counts, times set with utimensat, device numbers. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef SYS_statx
#define SYS_statx 332
#endif
/* struct statx as in the kernel's uapi (declared here: musl has none) */
struct sx_ts {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};
struct sx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct sx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
#define SX_BASIC 0x7ffU
#define SX_AT_EMPTY_PATH 0x1000
#define SX_AT_SYMLINK_NOFOLLOW 0x100

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EFAULT: return "EFAULT";
    default: return "other";
    }
}

static const char *ftype(mode_t m)
{
    if (S_ISREG(m)) return "regular";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symlink";
    if (S_ISCHR(m)) return "char-device";
    if (S_ISBLK(m)) return "block-device";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "socket";
    return "?";
}

static long sx(int dfd, const char *path, int flags, unsigned mask, struct sx *out)
{
    memset(out, 0, sizeof *out);
    return syscall(SYS_statx, dfd, path, flags, mask, out);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    struct stat st, st2;

    stat("/", &st);
    printf("/: %s\n", ftype(st.st_mode));
    stat("/dev/null", &st);
    printf("/dev/null: %s %u,%u mode %o\n", ftype(st.st_mode), major(st.st_rdev), minor(st.st_rdev),
           (unsigned)(st.st_mode & 0777));
    stat("/dev/zero", &st);
    printf("/dev/zero: %s %u,%u\n", ftype(st.st_mode), major(st.st_rdev), minor(st.st_rdev));
    stat("/etc/passwd", &st);
    printf("/etc/passwd: %s, owner uid %u\n", ftype(st.st_mode), (unsigned)st.st_uid);
    lstat("/proc/self", &st);
    printf("lstat /proc/self: %s\n", ftype(st.st_mode));
    stat("/proc/self", &st);
    printf("stat /proc/self: %s\n", ftype(st.st_mode));

    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], file[PATH_MAX + 16], lnk[PATH_MAX + 16], hard[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/lbwt-stat-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    mkdtemp(dir);
    snprintf(file, sizeof file, "%s/file", dir);
    snprintf(lnk, sizeof lnk, "%s/link", dir);
    snprintf(hard, sizeof hard, "%s/hard", dir);
    int fd = open(file, O_CREAT | O_RDWR, 0666);
    char buf[12345];
    memset(buf, 'q', sizeof buf);
    write(fd, buf, sizeof buf);
    fchmod(fd, 0640);
    struct timespec ts[2] = {{1000000000, 250000000}, {1234567890, 500000000}};
    printf("futimens: %d\n", futimens(fd, ts));

    stat(file, &st);
    printf("stat file: %s size %ld mode %o nlink %ld owner is me %d\n", ftype(st.st_mode), (long)st.st_size,
           (unsigned)(st.st_mode & 07777), (long)st.st_nlink, st.st_uid == getuid());
    printf("  atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec, st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec,
           st.st_mtim.tv_nsec);
    printf("  blocks cover the size: %d\n", (long long)st.st_blocks * 512 >= 12345);
    fstat(fd, &st2);
    printf("fstat: same ino %d same dev %d same size %d\n", st.st_ino == st2.st_ino, st.st_dev == st2.st_dev,
           st.st_size == st2.st_size);

    symlink("file", lnk);
    linkat(AT_FDCWD, file, AT_FDCWD, hard, 0);
    lstat(lnk, &st2);
    printf("lstat link: %s size %ld\n", ftype(st2.st_mode), (long)st2.st_size);
    stat(lnk, &st2);
    printf("stat through link: %s same ino %d\n", ftype(st2.st_mode), st2.st_ino == st.st_ino);
    stat(file, &st);
    printf("nlink after link(): %ld\n", (long)st.st_nlink);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    fstatat(dfd, "link", &st2, AT_SYMLINK_NOFOLLOW);
    printf("fstatat NOFOLLOW: %s\n", ftype(st2.st_mode));
    fstatat(dfd, "link", &st2, 0);
    printf("fstatat follow: %s\n", ftype(st2.st_mode));
    fstatat(fd, "", &st2, AT_EMPTY_PATH);
    printf("fstatat AT_EMPTY_PATH: same ino %d\n", st2.st_ino == st.st_ino);
    stat(dir, &st2);
    printf("dir: %s mode %o same dev as file %d\n", ftype(st2.st_mode), (unsigned)(st2.st_mode & 07777),
           st2.st_dev == st.st_dev);

    int p[2];
    pipe(p);
    fstat(p[0], &st2);
    printf("fstat pipe: %s\n", ftype(st2.st_mode));
    close(p[0]);
    close(p[1]);

    /* statx */
    struct sx x;
    long r = sx(AT_FDCWD, file, 0, SX_BASIC, &x);
    printf("statx: %ld basic mask %d\n", r, (x.mask & SX_BASIC) == SX_BASIC);
    printf("  %s size %lu mode %o nlink %u ino match %d uid match %d\n", ftype(x.mode), (unsigned long)x.size,
           x.mode & 07777, x.nlink, x.ino == (uint64_t)st.st_ino, x.uid == st.st_uid);
    printf("  mtime %lld.%09u, dev match %d\n", (long long)x.mtime.tv_sec, x.mtime.tv_nsec,
           makedev(x.dev_major, x.dev_minor) == st.st_dev);
    r = sx(fd, "", SX_AT_EMPTY_PATH, SX_BASIC, &x);
    printf("statx AT_EMPTY_PATH: %ld size %lu\n", r, (unsigned long)x.size);
    r = sx(dfd, "link", SX_AT_SYMLINK_NOFOLLOW, SX_BASIC, &x);
    printf("statx NOFOLLOW on link: %ld %s\n", r, ftype(x.mode));
    r = sx(AT_FDCWD, "/dev/null", 0, SX_BASIC, &x);
    printf("statx /dev/null: %ld %s %u,%u\n", r, ftype(x.mode), x.rdev_major, x.rdev_minor);
    errno = 0;
    r = sx(AT_FDCWD, "/nonexistent", 0, SX_BASIC, &x);
    printf("statx missing: %ld %s\n", r, ename(errno));
    errno = 0;
    r = sx(AT_FDCWD, file, 0, 0x80000000U, &x);
    printf("statx reserved mask bit: %ld %s\n", r, ename(errno));

    /* errors */
    errno = 0;
    int e = stat("/nonexistent/x", &st2);
    printf("stat missing: %d %s\n", e, ename(errno));
    errno = 0;
    e = stat("/etc/passwd/x", &st2);
    printf("stat through a file: %d %s\n", e, ename(errno));
    errno = 0;
    e = fstat(999, &st2);
    printf("fstat bad fd: %d %s\n", e, ename(errno));
    errno = 0;
    e = stat("", &st2);
    printf("stat empty path: %d %s\n", e, ename(errno));

    /* truncate changes size and keeps the type */
    ftruncate(fd, 100);
    fstat(fd, &st2);
    printf("after ftruncate(100): size %ld\n", (long)st2.st_size);
    close(fd);
    close(dfd);
    unlink(lnk);
    unlink(hard);
    unlink(file);
    printf("rmdir: %d\n", rmdir(dir));
    return 0;
}
