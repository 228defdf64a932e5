/* pathwalk: path calls of every shape on a tree of its own -- relative to
 * a directory descriptor and to the cwd, absolute, one component or many,
 * symlinks (relative, absolute, chained, dangling, to directories, looping)
 * in the directory part and as the last component, `.` and `..`, trailing
 * slashes, O_CREAT through a dangling link, O_NOFOLLOW -- printing what
 * each call answers. In a guest root lbw serves these by its own walk or
 * by its quick way (the kernel resolves, lbw checks); both must answer as
 * the kernel does. Run natively and under lbw; also run in a chroot by
 * tests/programs/root_paths.sh. With an argument, the tree is made there. */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* renameat2, which musl lacks */
static int rename2(int od, const char *o, int nd, const char *n, unsigned flags)
{
    return (int)syscall(SYS_renameat2, od, o, nd, n, flags);
}

static const char *ename(int e)
{
    switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ELOOP: return "ELOOP";
    case EEXIST: return "EEXIST";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EINVAL: return "EINVAL";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EACCES: return "EACCES";
    case EBADF: return "EBADF";
    case EBUSY: return "EBUSY";
    case EPERM: return "EPERM";
    case EXDEV: return "EXDEV";
    default: return "other";
    }
}

static char kind(mode_t m)
{
    return S_ISREG(m) ? 'f' : S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : '?';
}

/* What a file is, as far as output may show it: type, size of files, mode. */
static void show_stat(const char *what, int r, const struct stat *st)
{
    if (r < 0)
        printf("%-34s %s\n", what, ename(errno));
    else
        printf("%-34s %c %lld %o\n", what, kind(st->st_mode),
               S_ISDIR(st->st_mode) ? 0LL : (long long)st->st_size, (unsigned)(st->st_mode & 07777));
}

static void stat_at(int d, const char *p, int flags)
{
    struct stat st;
    char what[300];
    snprintf(what, sizeof what, "fstatat %s%s%s", d == AT_FDCWD ? "" : "d:", p,
             flags & AT_SYMLINK_NOFOLLOW ? " nofollow" : "");
    show_stat(what, fstatat(d, p, &st, flags), &st);
}

static void stat_path(const char *p)
{
    struct stat st;
    char what[300];
    snprintf(what, sizeof what, "stat %s", p);
    show_stat(what, stat(p, &st), &st);
    snprintf(what, sizeof what, "lstat %s", p);
    show_stat(what, lstat(p, &st), &st);
}

/* Opens, then reads what the descriptor holds (a file's first line, or a
 * directory's type). */
static void open_at(int d, const char *p, int flags)
{
    /* the new descriptor must be the lowest free one, as the kernel gives */
    int lowest = fcntl(0, F_DUPFD_CLOEXEC, 0);
    close(lowest);
    int fd = openat(d, p, flags | O_CLOEXEC, 0644);
    int e = errno;
    printf("openat %s%s%s%s%s ", d == AT_FDCWD ? "" : "d:", p, flags & O_NOFOLLOW ? " nofollow" : "",
           flags & O_CREAT ? " creat" : "", flags & O_EXCL ? " excl" : "");
    if (fd < 0) {
        printf("%s\n", ename(e));
        return;
    }
    struct stat st;
    fstat(fd, &st);
    char buf[64] = "";
    if (S_ISREG(st.st_mode)) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = 0;
        buf[strcspn(buf, "\n")] = 0;
    }
    printf("%c '%s'%s\n", kind(st.st_mode), buf, fd == lowest ? "" : " (not the lowest descriptor)");
    close(fd);
}

static void readlink_at(int d, const char *p)
{
    char buf[PATH_MAX];
    ssize_t n = readlinkat(d, p, buf, sizeof buf - 1);
    if (n < 0) {
        printf("readlinkat %s %s\n", p, ename(errno));
        return;
    }
    buf[n] = 0;
    printf("readlinkat %s -> %s\n", p, buf);
}

static void ret(const char *what, int r)
{
    printf("%-34s %s\n", what, r < 0 ? ename(errno) : "ok");
}

static void rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char sub[PATH_MAX];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_rf(sub);
        }
        if (dir)
            closedir(dir);
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

int main(int argc, char **argv)
{
    char tmpl[PATH_MAX];
    snprintf(tmpl, sizeof tmpl, "%s/pathwalk.XXXXXX", argc > 1 ? argv[1] : ".");
    char *top = mkdtemp(tmpl);
    if (!top) {
        perror("mkdtemp");
        return 2;
    }
    char abs[PATH_MAX];
    if (!realpath(top, abs)) {
        perror("realpath");
        return 2;
    }
    if (chdir(abs) < 0) {
        perror("chdir");
        return 2;
    }
    /* The tree. */
    mkdir("a", 0755);
    mkdir("a/b", 0755);
    mkdir("a/b/c", 0755);
    put("a/b/c/file", "deep file\n");
    put("a/top", "top file\n");
    chmod("a/top", 0640);
    symlink("b/c/file", "a/rel");          /* relative, down */
    symlink("../top", "a/b/up");           /* relative, up */
    char t[PATH_MAX + 32];
    snprintf(t, sizeof t, "%s/a/b/c", abs);
    symlink(t, "a/absdir");                /* absolute, to a directory */
    symlink("rel", "a/chain");             /* link to a link */
    symlink("nowhere", "a/dangling");
    symlink("loop2", "a/loop1");
    symlink("loop1", "a/loop2");
    symlink("b", "a/bdir");                /* relative, to a directory */
    symlink(".", "a/b/c/self");

    int d = open("a", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int dc = open("a/b/c", O_PATH | O_DIRECTORY | O_CLOEXEC);
    const char *names[] = {"top", "rel", "chain", "dangling", "loop1", "bdir", "absdir", "missing",
                           "b/c/file", "bdir/c/file", "absdir/file", "b/up", "b/c/self/self/file",
                           "./top", "b/../top", "b/c/../../top", "bdir/../top", "top/", "bdir/", "absdir/", "top/.", "top/..", "rel/.",
                           "top/x", "missing/x", "b//c///file", "dangling/", ".", "..", ""};
    for (unsigned i = 0; i < sizeof names / sizeof *names; i++) {
        stat_at(d, names[i], 0);
        stat_at(d, names[i], AT_SYMLINK_NOFOLLOW);
        open_at(d, names[i], O_RDONLY);
        open_at(d, names[i], O_RDONLY | O_NOFOLLOW);
        open_at(d, names[i], O_PATH | O_NOFOLLOW);
        open_at(AT_FDCWD, names[i], O_RDONLY);
    }
    /* With O_PATH the kernel ignores O_CREAT and O_EXCL: a lookup, which
     * follows the link. */
    open_at(d, "absdir/", O_PATH | O_CREAT);
    open_at(d, "absdir", O_PATH | O_CREAT | O_EXCL);
    stat_at(dc, "file", 0);
    stat_at(dc, "self", 0);
    stat_at(dc, "..", 0);
    open_at(dc, "../../rel", O_RDONLY);
    stat_at(d, "top", AT_EMPTY_PATH);

    /* The same from the cwd and as absolute paths. */
    const char *rels[] = {"a/top", "a/rel", "a/chain", "a/dangling", "a/bdir/c/file", "a/absdir/file",
                          "a/b/up", "a/loop1", "a/missing", "a/top/"};
    for (unsigned i = 0; i < sizeof rels / sizeof *rels; i++) {
        stat_path(rels[i]);
        snprintf(t, sizeof t, "%s/%s", abs, rels[i]);
        struct stat st1, st2;
        int r1 = stat(rels[i], &st1), e1 = errno;
        int r2 = stat(t, &st2), e2 = errno;
        printf("absolute %s: %s\n", rels[i],
               r1 != r2 || (r1 < 0 && e1 != e2) || (r1 == 0 && st1.st_ino != st2.st_ino) ? "DIFFERS" : "same");
    }
    ret("access a/chain", access("a/chain", R_OK));
    ret("access a/dangling", access("a/dangling", F_OK));
    ret("faccessat nofollow d:dangling", faccessat(d, "dangling", F_OK, AT_SYMLINK_NOFOLLOW));
    readlink_at(d, "rel");
    readlink_at(d, "absdir/file");
    readlink_at(d, "top");
    readlink_at(d, "bdir");
    readlink_at(AT_FDCWD, "a/b/up");

    /* A trailing slash: a lookup follows the link (absdir/ is its
     * directory, in the root), a call on the name itself never. */
    ret("unlinkat d:bdir/", unlinkat(d, "bdir/", 0));
    ret("unlinkat d:bdir/ AT_REMOVEDIR", unlinkat(d, "bdir/", AT_REMOVEDIR));
    ret("rmdir a/absdir/", rmdir("a/absdir/"));
    ret("renameat d:absdir/ -> d:x", renameat(d, "absdir/", d, "x"));
    ret("mkdirat d:absdir/", mkdirat(d, "absdir/", 0700));
    /* A last "." or ".." on a name call: refused, nothing followed (rel
     * leads to a file, bdir to a directory). */
    ret("rmdir a/bdir/.", rmdir("a/bdir/."));
    ret("unlinkat d:rel/.", unlinkat(d, "rel/.", 0));
    ret("unlinkat d:bdir/. AT_REMOVEDIR", unlinkat(d, "bdir/.", AT_REMOVEDIR));
    ret("renameat d:bdir/. -> d:y", renameat(d, "bdir/.", d, "y"));
    ret("renameat d:top -> d:bdir/..", renameat(d, "top", d, "bdir/.."));
    ret("mkdirat d:bdir/..", mkdirat(d, "bdir/..", 0700));
    ret("linkat d:top -> d:bdir/.", linkat(d, "top", d, "bdir/.", 0));
    ret("symlinkat x -> d:bdir/.", symlinkat("x", d, "bdir/."));

    /* The root itself as a name: the kernel's walk ends with no last
     * name, which rmdir and rename refuse (EBUSY), open with O_CREAT too
     * (EEXIST with O_EXCL, else EISDIR, as for "dir/." and ".."). In a
     * guest root the host's path is a plain directory's. */
    ret("rmdir /", rmdir("/"));
    ret("rmdir //", rmdir("//"));
    ret("unlinkat / AT_REMOVEDIR", unlinkat(d, "/", AT_REMOVEDIR));
    ret("unlink /", unlink("/"));
    ret("rename / -> d:x", renameat(AT_FDCWD, "/", d, "x"));
    ret("rename d:top -> /", renameat(d, "top", AT_FDCWD, "/"));
    ret("renameat2 noreplace d:top -> /", rename2(d, "top", AT_FDCWD, "/", 1 /* RENAME_NOREPLACE */));
    ret("rename d:top -> missing/x", renameat(d, "top", d, "missing/x"));
    ret("mkdir /", mkdir("/", 0700));
    open_at(AT_FDCWD, "/", O_RDONLY | O_CREAT);
    open_at(AT_FDCWD, "/", O_RDONLY | O_CREAT | O_EXCL);
    open_at(d, "b/..", O_RDONLY | O_CREAT | O_EXCL);
    open_at(d, ".", O_RDONLY | O_CREAT);
    open_at(d, "missing/..", O_RDONLY | O_CREAT | O_EXCL);
    /* Flags (and modes, times) the kernel refuses before it walks: its
     * EINVAL (EPERM) comes first, however bad the path. */
    struct stat sb;
    const char *bad[] = {"missing/x", "top/x", "top"};
    for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
        char w[80];
        snprintf(w, sizeof w, "open creat|directory d:%s", bad[i]);
        ret(w, openat(d, bad[i], O_RDONLY | O_CREAT | O_DIRECTORY, 0600));
        snprintf(w, sizeof w, "open tmpfile rdonly d:%s", bad[i]);
        ret(w, openat(d, bad[i], O_RDONLY | O_TMPFILE, 0600));
        snprintf(w, sizeof w, "fstatat flag 1 d:%s", bad[i]);
        ret(w, fstatat(d, bad[i], &sb, 1));
        snprintf(w, sizeof w, "unlinkat flag 4 d:%s", bad[i]);
        ret(w, unlinkat(d, bad[i], 4));
        snprintf(w, sizeof w, "renameat2 flags 3 d:%s", bad[i]);
        ret(w, rename2(d, bad[i], d, "y", 3));
        snprintf(w, sizeof w, "linkat flag 1 d:%s", bad[i]);
        ret(w, linkat(d, bad[i], d, "z", 1));
        snprintf(w, sizeof w, "faccessat mode 8 d:%s", bad[i]);
        ret(w, faccessat(d, bad[i], 8, 0));
        snprintf(w, sizeof w, "fchownat flag 1 d:%s", bad[i]);
        ret(w, fchownat(d, bad[i], -1, -1, 1));
        struct timespec bt[2] = {{0, 2000000000L}, {0, 0}};
        snprintf(w, sizeof w, "utimensat bad nsec d:%s", bad[i]);
        ret(w, utimensat(d, bad[i], bt, 0));
        snprintf(w, sizeof w, "mknodat S_IFDIR d:%s", bad[i]);
        ret(w, mknodat(d, bad[i], S_IFDIR | 0700, 0));
    }

    /* Out of the tree's directory into /tmp: refused (EXDEV) where the
     * two are different mounts (a bind), made and undone where not. */
    char out[PATH_MAX];
    snprintf(out, sizeof out, "/tmp/pathwalk-out.%d", (int)getpid());
    int rr = renameat(d, "top", AT_FDCWD, out);
    ret("renameat d:top -> /tmp", rr);
    if (rr == 0 && renameat(AT_FDCWD, out, d, "top") < 0)
        return 2;
    int lr = linkat(d, "top", AT_FDCWD, out, 0);
    ret("linkat d:top -> /tmp", lr);
    if (lr == 0)
        unlink(out);
    ret("linkat d:missing -> /tmp", linkat(d, "missing", AT_FDCWD, out, 0));

    /* Changes. */
    open_at(d, "dangling", O_WRONLY | O_CREAT);            /* creates a/nowhere */
    stat_at(d, "nowhere", 0);
    open_at(d, "chain", O_WRONLY | O_CREAT | O_EXCL);      /* EEXIST: a link */
    open_at(d, "newfile", O_WRONLY | O_CREAT | O_EXCL);
    open_at(d, "bdir/c/new2", O_WRONLY | O_CREAT);
    ret("mkdirat d:newdir", mkdirat(d, "newdir", 0700));
    ret("mkdirat d:newdir again", mkdirat(d, "newdir", 0700));
    ret("mkdirat d:bdir/c/sub", mkdirat(d, "bdir/c/sub", 0700));
    ret("mkdir a/dangling", mkdir("a/dangling", 0700));
    ret("renameat d:newfile -> bdir/moved", renameat(d, "newfile", d, "bdir/moved"));
    stat_at(d, "b/moved", 0);
    ret("renameat d:rel -> renamed-link", renameat(d, "rel", d, "renamed-link"));
    stat_at(d, "renamed-link", 0);
    stat_at(d, "renamed-link", AT_SYMLINK_NOFOLLOW);
    ret("symlinkat top -> d:newlink", symlinkat("top", d, "newlink"));
    open_at(d, "newlink", O_RDONLY);
    ret("linkat d:top -> d:hard", linkat(d, "top", d, "hard", 0));
    ret("linkat follow d:chain -> hard2", linkat(d, "renamed-link", d, "hard2", AT_SYMLINK_FOLLOW));
    stat_at(d, "hard2", AT_SYMLINK_NOFOLLOW);
    ret("fchmodat d:chain 0600", fchmodat(d, "newlink", 0600, 0));
    stat_at(d, "top", 0);
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    ret("utimensat d:newlink", utimensat(d, "newlink", ts, 0));
    struct stat st;
    fstatat(d, "top", &st, 0);
    printf("top mtime %lld\n", (long long)st.st_mtime);
    ret("unlinkat d:newlink", unlinkat(d, "newlink", 0));
    stat_at(d, "top", 0);
    ret("unlinkat d:bdir", unlinkat(d, "bdir", 0));
    ret("unlinkat d:b dir", unlinkat(d, "b", AT_REMOVEDIR));
    ret("unlinkat d:newdir dir", unlinkat(d, "newdir", AT_REMOVEDIR));
    ret("rmdir a/absdir/sub", rmdir("a/absdir/sub"));
    ret("truncate a/chain", truncate("a/chain", 0));
    ret("chdir a/absdir", chdir("a/absdir"));
    stat_path("file");
    stat_path("../up");
    ret("chdir ../../bdir", chdir("../../bdir"));
    stat_path("c/file");
    ret("fchdir d", fchdir(d));
    stat_path("top");
    stat_path("b/c/file");

    /* Clean up: the tree goes, with everything made in it. */
    close(d);
    close(dc);
    if (chdir("/") < 0)
        return 2;
    rm_rf(abs);
    return 0;
}
