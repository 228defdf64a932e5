/* mountnames: names that are mount points, and renames and links between
 * mounts, as the kernel answers them in a chroot with bind mounts -- lbw's
 * binds are no mounts to the host, which would rename, replace or remove
 * the bound file itself. tests/programs/root_paths.sh runs it in a real
 * chroot with real bind mounts and under lbw -r with the same binds:
 * mountnames MNT SUBMNT FILEMNT, where MNT is a bound directory holding
 * sub/a and f, SUBMNT the same sub bound again, FILEMNT a bound file.
 * Without arguments (the suite's plain runs) it has nothing to do. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void ret(const char *what, int r)
{
    const char *e = r == 0 ? "ok" : errno == EBUSY ? "EBUSY" : errno == EXDEV ? "EXDEV" : errno == EEXIST ? "EEXIST"
                          : errno == ENOENT ? "ENOENT" : errno == EPERM ? "EPERM" : errno == EISDIR ? "EISDIR"
                          : errno == ENOTDIR ? "ENOTDIR" : errno == EINVAL ? "EINVAL"
                          : errno == ENOTEMPTY ? "ENOTEMPTY" : "other";
    printf("%-40s %s\n", what, e);
}

static void put(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) < 0 || close(fd) < 0)
        perror(path);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        puts("no mounts given");
        return 0;
    }
    const char *mnt = argv[1], *sub = argv[2], *fmnt = argv[3];
    char p[256], q[256];

    /* The mount points themselves: busy, the bound things untouched. */
    put("/mountnames-new", "new\n");
    ret("rename new -> file mount", rename("/mountnames-new", fmnt));
    ret("unlink file mount", unlink(fmnt));
    ret("rename dir mount -> /moved", rename(mnt, "/mountnames-moved"));
    ret("rmdir submount", rmdir(sub));
    ret("rename missing -> file mount", rename("/mountnames-missing", fmnt));
    ret("link new -> file mount", link("/mountnames-new", fmnt));

    /* What the kernel answers before a mount point's EBUSY: the kind of
     * file, RENAME_NOREPLACE's EEXIST, RENAME_EXCHANGE's ENOENT, the
     * same file; and "." or ".." are no names at all. */
    mkdir("/mountnames-d", 0755);
    ret("unlink dir mount", unlink(mnt));
    snprintf(p, sizeof p, "%s/", fmnt);
    ret("unlink file mount/", unlink(p));
    ret("rmdir file mount", rmdir(fmnt));
    ret("rename / file -> dir mount", rename("/mountnames-new", mnt));
    ret("rename / dir -> file mount", rename("/mountnames-d", fmnt));
    ret("rename / file -> file mount/", rename("/mountnames-new", p));
    ret("renameat2 noreplace -> file mount",
        (int)syscall(SYS_renameat2, AT_FDCWD, "/mountnames-new", AT_FDCWD, fmnt, 1));
    ret("renameat2 exchange dir mount <-> missing",
        (int)syscall(SYS_renameat2, AT_FDCWD, mnt, AT_FDCWD, "/mountnames-missing", 2));
    ret("rename file mount -> itself", rename(fmnt, fmnt));
    snprintf(p, sizeof p, "%s/sub/..", mnt);
    snprintf(q, sizeof q, "%s/x", mnt);
    ret("rename mount/sub/.. -> mount/x", rename(p, q));
    snprintf(p, sizeof p, "%s/.", mnt);
    ret("rename mount/. -> mount/x", rename(p, q));
    ret("rmdir mount/.", rmdir(p));
    ret("unlink mount/.", unlink(p));
    snprintf(p, sizeof p, "%s/sub/..", mnt);
    ret("rmdir mount/sub/..", rmdir(p));
    ret("rename mount/sub/.. -> /y", rename(p, "/mountnames-y"));
    rmdir("/mountnames-d");

    /* Between mounts: EXDEV, after the names' own errors. */
    snprintf(p, sizeof p, "%s/x", mnt);
    ret("rename / file -> mount", rename("/mountnames-new", p));
    ret("link / file -> mount", link("/mountnames-new", p));
    snprintf(q, sizeof q, "%s/f", mnt);
    ret("link mount file -> /", link(q, "/mountnames-l"));
    ret("link missing -> mount", link("/mountnames-missing", p));
    ret("link / file -> mount's f (exists)", link("/mountnames-new", q));
    ret("link dir mount -> /", link(mnt, "/mountnames-l"));
    /* A symlink in the root to a file in the mount: linkat follows it
     * to the mount's file; one in the mount to a root file, back. */
    symlink(q, "/mountnames-lnk");
    ret("linkat follow root link -> /", linkat(AT_FDCWD, "/mountnames-lnk", AT_FDCWD, "/mountnames-l", AT_SYMLINK_FOLLOW));
    unlink("/mountnames-l");
    snprintf(p, sizeof p, "%s/lnk", mnt);
    symlink("/mountnames-new", p);
    snprintf(q, sizeof q, "%s/l2", mnt);
    ret("linkat follow mount link -> mount", linkat(AT_FDCWD, p, AT_FDCWD, q, AT_SYMLINK_FOLLOW));
    unlink(q);
    unlink(p);
    unlink("/mountnames-lnk");

    /* Within one mount, through it or through a mount inside it. */
    snprintf(p, sizeof p, "%s/sub/a", mnt);
    snprintf(q, sizeof q, "%s/a", mnt);
    ret("rename mount/sub/a -> mount/a", rename(p, q));
    ret("rename mount/a -> mount/sub/a", rename(q, p));
    snprintf(q, sizeof q, "%s/a", sub);
    snprintf(p, sizeof p, "%s/b", sub);
    ret("rename submount/a -> submount/b", rename(q, p));
    ret("rename submount/b -> submount/a", rename(p, q));
    snprintf(p, sizeof p, "%s/a2", mnt);
    ret("rename submount/a -> mount/a2", rename(q, p));

    /* A file with no name, made in the mount and named there through
     * its fd link (the kernel follows it; the mount is its directory's). */
    int tf = open(mnt, O_RDWR | O_TMPFILE, 0600);
    if (tf >= 0) {
        char link[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", tf);
        snprintf(p, sizeof p, "%s/named", mnt);
        ret("O_TMPFILE in mount, linkat -> mount", linkat(AT_FDCWD, link, AT_FDCWD, p, AT_SYMLINK_FOLLOW));
        ret("O_TMPFILE in mount, linkat -> /", linkat(AT_FDCWD, link, AT_FDCWD, "/mountnames-named", AT_SYMLINK_FOLLOW));
        snprintf(q, sizeof q, "%s/", link);
        int o = open(q, O_RDONLY);
        ret("O_TMPFILE fd link with a slash", o < 0 ? -1 : 0);
        if (o >= 0)
            close(o);
        unlink(p);
        close(tf);
    }

    unlink("/mountnames-new");
    struct stat st;
    printf("file mount still there: %s\n", stat(fmnt, &st) == 0 ? "yes" : "no");
    printf("dir mount still there: %s\n", stat(mnt, &st) == 0 && S_ISDIR(st.st_mode) ? "yes" : "no");
    return 0;
}
