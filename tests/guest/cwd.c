/* cwd: getcwd, chdir, fchdir, relative paths, and getcwd's errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *ename(int e)
{
    switch (e) {
    case 0: return "0";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ERANGE: return "ERANGE";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    default: return "other";
    }
}

static void show(const char *what)
{
    char buf[PATH_MAX];
    errno = 0;
    char *r = getcwd(buf, sizeof buf);
    printf("%s: getcwd = %s\n", what, r ? buf : ename(errno));
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    char start[PATH_MAX], *st = getcwd(start, sizeof start);
    char envpwd[PATH_MAX];
    realpath(".", envpwd);
    printf("initial getcwd equals realpath(\".\"): %s\n", st && strcmp(start, envpwd) == 0 ? "match" : "mismatch");

    printf("chdir(\"/\"): %d\n", chdir("/"));
    show("at /");
    printf("chdir(\"usr/bin\"): %d\n", chdir("usr/bin"));
    show("relative chdir");
    printf("chdir(\"..\"): %d\n", chdir(".."));
    show("after ..");
    printf("chdir(\"../..\"): %d\n", chdir("../.."));
    show("above the root");

    errno = 0;
    int r = chdir("/nonexistent-dir");
    printf("chdir missing: %d %s\n", r, ename(errno));
    errno = 0;
    r = chdir("/etc/passwd");
    printf("chdir to a file: %d %s\n", r, ename(errno));
    show("unchanged after failures");

    int fd = open("/etc", O_RDONLY | O_DIRECTORY);
    printf("fchdir(/etc): %d\n", fchdir(fd));
    show("after fchdir");
    close(fd);
    errno = 0;
    r = fchdir(fd);
    printf("fchdir closed fd: %d %s\n", r, ename(errno));
    int f = open("/etc/passwd", O_RDONLY);
    errno = 0;
    r = fchdir(f);
    printf("fchdir to a file: %d %s\n", r, ename(errno));
    close(f);

    /* a relative open follows the cwd */
    f = open("passwd", O_RDONLY);
    printf("relative open of passwd in /etc: %s\n", f >= 0 ? "ok" : "failed");
    close(f);

    /* a temp dir: getcwd gives its real path, relative files land in it */
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], real[PATH_MAX], cwd[PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s/lbwt-cwd-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    mkdtemp(dir);
    realpath(dir, real);
    chdir(dir);
    getcwd(cwd, sizeof cwd);
    printf("getcwd in temp dir equals its realpath: %s\n", strcmp(cwd, real) == 0 ? "match" : "mismatch");
    mkdir("sub", 0755);
    chdir("sub");
    getcwd(cwd, sizeof cwd);
    size_t n = strlen(cwd);
    printf("getcwd in sub ends with /sub: %d\n", n > 4 && strcmp(cwd + n - 4, "/sub") == 0);
    f = open("rel.txt", O_CREAT | O_WRONLY, 0644);
    close(f);
    char abs[PATH_MAX + 32];
    snprintf(abs, sizeof abs, "%s/sub/rel.txt", dir);
    printf("relative create landed in the cwd: %d\n", access(abs, F_OK) == 0);
    unlink("rel.txt");

    /* buffer too small */
    char small[2];
    errno = 0;
    char *g = getcwd(small, sizeof small);
    printf("getcwd into 2 bytes: %s %s\n", g ? "ok" : "NULL", ename(errno));
    errno = 0;
    long sr = syscall(SYS_getcwd, small, 0);
    printf("raw getcwd size 0: %ld %s\n", sr, ename(errno));
    char raw[PATH_MAX];
    sr = syscall(SYS_getcwd, raw, sizeof raw);
    printf("raw getcwd returns strlen+1: %d\n", sr == (long)strlen(raw) + 1);

    /* the cwd removed from under us */
    chdir("..");
    rmdir("sub");
    mkdir("gone", 0755);
    chdir("gone");
    rmdir("../gone");
    errno = 0;
    g = getcwd(cwd, sizeof cwd);
    printf("getcwd in a removed directory: %s %s\n", g ? "ok" : "NULL", ename(errno));
    chdir("/");
    printf("rmdir temp dir: %d\n", rmdir(dir));
    printf("chdir back to the start: %d\n", chdir(start));
    getcwd(cwd, sizeof cwd);
    printf("back at the start: %s\n", strcmp(cwd, start) == 0 ? "match" : "mismatch");
    return 0;
}
