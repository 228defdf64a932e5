/* fileio: openat/read/write/lseek/pread/readv/writev/close/rename/unlink and
 * directory listing, on files in a fresh temporary directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case EBADF: return "EBADF";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EINVAL: return "EINVAL";
    case EACCES: return "EACCES";
    case ESPIPE: return "ESPIPE";
    default: return "other";
    }
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/lbwt-fileio-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    printf("open dir: %s\n", dfd >= 0 ? "ok" : "failed");

    int fd = openat(dfd, "a.txt", O_CREAT | O_WRONLY | O_EXCL | O_CLOEXEC, 0666);
    printf("openat create: %s\n", fd >= 0 ? "ok" : "failed");
    const char msg[] = "The quick brown fox\njumps over the lazy dog\n";
    printf("write: %zd\n", write(fd, msg, sizeof msg - 1));
    struct iovec iov[2] = {{"vec-one ", 8}, {"vec-two\n", 8}};
    printf("writev: %zd\n", writev(fd, iov, 2));
    printf("lseek(cur): %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    printf("close: %d\n", close(fd));

    errno = 0;
    int r = openat(dfd, "a.txt", O_CREAT | O_WRONLY | O_EXCL, 0666);
    printf("openat O_EXCL again: %d %s\n", r, ename(errno));

    fd = openat(dfd, "a.txt", O_RDONLY);
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf);
    printf("read: %zd\n", n);
    fwrite(buf, 1, n > 0 ? (size_t)n : 0, stdout);
    n = read(fd, buf, sizeof buf);
    printf("read at EOF: %zd\n", n);
    printf("lseek(end): %ld\n", (long)lseek(fd, 0, SEEK_END));
    printf("lseek(set 4): %ld\n", (long)lseek(fd, 4, SEEK_SET));
    n = read(fd, buf, 5);
    printf("read 5 after seek: [%.*s]\n", (int)n, buf);
    n = pread(fd, buf, 3, 10);
    printf("pread 3 at 10: [%.*s]\n", (int)n, buf);
    printf("offset after pread: %ld\n", (long)lseek(fd, 0, SEEK_CUR));
    char b1[4], b2[6];
    struct iovec rv[2] = {{b1, 4}, {b2, 6}};
    lseek(fd, 0, SEEK_SET);
    n = readv(fd, rv, 2);
    printf("readv: %zd [%.4s|%.6s]\n", n, b1, b2);

    char link[64], target[PATH_MAX], want[PATH_MAX + 16], real[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t tl = readlink(link, target, sizeof target - 1);
    target[tl > 0 ? tl : 0] = 0;
    snprintf(want, sizeof want, "%s/a.txt", realpath(dir, real) ? real : dir);
    printf("readlink /proc/self/fd/N names the file: %s\n", strcmp(target, want) == 0 ? "match" : "mismatch");
    errno = 0;
    r = (int)write(fd, "x", 1);
    printf("write to O_RDONLY fd: %d %s\n", r, ename(errno));
    close(fd);
    errno = 0;
    r = (int)read(fd, buf, 1);
    printf("read closed fd: %d %s\n", r, ename(errno));

    /* O_APPEND and O_TRUNC */
    fd = openat(dfd, "a.txt", O_WRONLY | O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "tail\n", 5);
    struct stat st;
    fstat(fd, &st);
    printf("size after O_APPEND write: %ld\n", (long)st.st_size);
    close(fd);
    fd = openat(dfd, "a.txt", O_WRONLY | O_TRUNC);
    fstat(fd, &st);
    printf("size after O_TRUNC: %ld\n", (long)st.st_size);
    printf("mode: %o\n", (unsigned)(st.st_mode & 07777));
    close(fd);

    /* more names, a subdirectory, a symlink, a hard link, then list */
    for (int i = 0; i < 5; i++) {
        char name[32];
        snprintf(name, sizeof name, "file-%d", i);
        int f = openat(dfd, name, O_CREAT | O_WRONLY, 0600);
        close(f);
    }
    printf("mkdirat: %d\n", mkdirat(dfd, "sub", 0755));
    printf("symlinkat: %d\n", symlinkat("a.txt", dfd, "link"));
    printf("linkat: %d\n", linkat(dfd, "a.txt", dfd, "hard", 0));
    printf("renameat: %d\n", renameat(dfd, "file-4", dfd, "sub/moved"));
    n = readlinkat(dfd, "link", buf, sizeof buf);
    printf("readlinkat: %zd [%.*s]\n", n, (int)(n > 0 ? n : 0), buf);
    errno = 0;
    r = unlinkat(dfd, "sub", AT_REMOVEDIR);
    printf("rmdir non-empty: %d %s\n", r, ename(errno));
    errno = 0;
    r = openat(dfd, "missing", O_RDONLY);
    printf("open missing: %d %s\n", r, ename(errno));
    errno = 0;
    r = openat(dfd, "a.txt/x", O_RDONLY);
    printf("open through a file: %d %s\n", r, ename(errno));
    errno = 0;
    r = openat(dfd, "sub", O_WRONLY);
    printf("open dir for write: %d %s\n", r, ename(errno));

    DIR *d = opendir(dir);
    char *names[64];
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d)) && count < 64) {
        const char *t = de->d_type == DT_DIR ? "dir" : de->d_type == DT_LNK ? "lnk" : de->d_type == DT_REG ? "reg" : "?";
        char *s = malloc(strlen(de->d_name) + 8);
        sprintf(s, "%s %s", de->d_name, t);
        names[count++] = s;
    }
    closedir(d);
    qsort(names, count, sizeof names[0], cmpstr);
    printf("directory has %d entries:\n", count);
    for (int i = 0; i < count; i++) {
        printf("  %s\n", names[i]);
        free(names[i]);
    }

    /* clean up */
    const char *rm[] = {"a.txt", "hard", "link", "file-0", "file-1", "file-2", "file-3", "sub/moved"};
    int bad = 0;
    for (size_t i = 0; i < sizeof rm / sizeof rm[0]; i++)
        bad |= unlinkat(dfd, rm[i], 0);
    bad |= unlinkat(dfd, "sub", AT_REMOVEDIR);
    close(dfd);
    bad |= rmdir(dir);
    printf("cleanup: %s\n", bad ? "failed" : "ok");
    errno = 0;
    r = access(dir, F_OK);
    printf("dir gone: %d %s\n", r, ename(errno));
    return 0;
}
