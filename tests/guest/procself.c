/* procself: what /proc/self and the auxiliary vector tell the program about
 * itself must be the program's own story: /proc/self/exe is argv[0]'s file,
 * /proc/self/cmdline is argv, AT_EXECFN is the path that was executed.
 * Only "match"/"mismatch" style results are printed. Needs argv[0] to be a
 * path to this program (the runner passes an absolute one). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

extern char **environ;

/* A copy of this program, started through a symlink and renamed while it
 * runs (to a name with a newline): its exe link names the file by its new
 * name, as the kernel's does, also once the program has mapped another
 * file over its program headers; and /proc/self/exe still runs it (child
 * side: told "go" on fd 0 once renamed, ready said on fd 3). */
static int renamed_child(const char *how, const char *want)
{
    char c, exe[PATH_MAX];
    if (write(3, "r", 1) != 1 || read(0, &c, 1) != 1)
        return 1;
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    printf("exe link of a program renamed while running (%s): %s\n", how, m(n > 0 && !strcmp(exe, want)));
    /* (in a child of its own: the headers' page may hold what lazy
     * binding reads; it leaves by a raw exit_group) */
    unsigned long ph = getauxval(AT_PHDR) & ~4095UL;
    int other = open("/etc/passwd", O_RDONLY);
    pid_t g = fork();
    if (g == 0) {
        if (ph && ((unsigned long)renamed_child & ~4095UL) != ph && other >= 0 &&
            mmap((void *)ph, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, other, 0) != MAP_FAILED) {
            n = readlink("/proc/self/exe", exe, sizeof exe - 1);
            exe[n > 0 ? n : 0] = 0;
            printf("... with another file over its program headers (%s): %s\n", how,
                   m(n > 0 && !strcmp(exe, want)));
        } else {
            printf("... with another file over its program headers (%s): not tried\n", how);
        }
        raw6(SYS_exit_group, 0, 0, 0, 0, 0, 0);
    }
    waitpid(g, NULL, 0);
    char *args[] = {"procself", "--reexec", (char *)how, NULL};
    execv("/proc/self/exe", args);
    printf("... run again through /proc/self/exe (%s): %s\n", how, strerror(errno));
    return 0;
}

static void renamed_run(const char *how)
{
    char dir[64], a[96], b[96], l[96], want[PATH_MAX];
    snprintf(dir, sizeof dir, "procself-ren.%d", (int)getpid());
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b\nc", dir);
    snprintf(l, sizeof l, "%s/l", dir);
    int in = open("/proc/self/exe", O_RDONLY), out = -1;
    if (in < 0 || mkdir(dir, 0700) < 0 || (out = open(a, O_WRONLY | O_CREAT | O_EXCL, 0700)) < 0 ||
        symlink("a", l) < 0 || !realpath(dir, want)) {
        printf("exe link of a program renamed while running (%s): cannot set up\n", how);
        return;
    }
    strcat(want, "/b\nc");
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, n) != n)
            break;
    close(in);
    close(out);
    int go[2], ready[2];
    pid_t pid = -1;
    /* (close-on-exec: dup2 clears it on 0 and 3; a child left holding
     * the other ends would wait for ever if the rename failed) */
    if (pipe2(go, O_CLOEXEC) == 0 && pipe2(ready, O_CLOEXEC) == 0) {
        char *args[] = {l, "--renamed", (char *)how, want, NULL};
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, go[0], 0);
        posix_spawn_file_actions_adddup2(&fa, ready[1], 3);
        if (!strcmp(how, "posix_spawn")) {
            if (posix_spawn(&pid, l, &fa, NULL, args, environ) != 0)
                pid = -1;
        } else if ((pid = fork()) == 0) {
            dup2(go[0], 0);
            dup2(ready[1], 3);
            execv(l, args);
            _exit(127);
        }
        posix_spawn_file_actions_destroy(&fa);
        close(go[0]);
        close(ready[1]);
        char c;
        if (pid > 0 && read(ready[0], &c, 1) == 1 && rename(a, b) == 0)
            write(go[1], "g", 1);
        close(go[1]);
        close(ready[0]);
        if (pid > 0)
            waitpid(pid, NULL, 0);
    }
    unlink(a);
    unlink(b);
    unlink(l);
    rmdir(dir);
}


int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc == 4 && !strcmp(argv[1], "--renamed"))
        return renamed_child(argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "--reexec")) {
        printf("... run again through /proc/self/exe (%s): ok\n", argv[2]);
        return 0;
    }
    char exe[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    char *rp = realpath(argv[0], real);
    printf("readlink /proc/self/exe vs realpath(argv[0]): %s\n", m(n > 0 && rp && strcmp(exe, real) == 0));

    struct stat a, b;
    int sa = stat("/proc/self/exe", &a), sb = stat(argv[0], &b);
    printf("stat /proc/self/exe is argv[0]'s file: %s\n", m(sa == 0 && sb == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev));

    int efd = open("/proc/self/exe", O_RDONLY);
    char head[4] = {0};
    read(efd, head, 4);
    close(efd);
    int sfd = open(argv[0], O_RDONLY);
    char head2[64], body[64];
    efd = open("/proc/self/exe", O_RDONLY);
    pread(efd, head2, sizeof head2, 0);
    pread(sfd, body, sizeof body, 0);
    printf("/proc/self/exe starts with ELF magic: %s\n", m(memcmp(head, "\177ELF", 4) == 0));
    printf("/proc/self/exe content is argv[0]'s: %s\n", m(memcmp(head2, body, sizeof body) == 0));
    close(efd);
    close(sfd);

    char cmd[65536];
    n = slurp("/proc/self/cmdline", cmd, sizeof cmd);
    size_t want = 0;
    for (int i = 0; i < argc; i++)
        want += strlen(argv[i]) + 1;
    int ok = n == (ssize_t)want;
    size_t off = 0;
    for (int i = 0; ok && i < argc; i++) {
        if (strcmp(cmd + off, argv[i]) != 0)
            ok = 0;
        off += strlen(argv[i]) + 1;
    }
    printf("/proc/self/cmdline equals argv (argc %d): %s\n", argc, m(ok));

    char cwd[PATH_MAX], pcwd[PATH_MAX];
    getcwd(cwd, sizeof cwd);
    n = readlink("/proc/self/cwd", pcwd, sizeof pcwd - 1);
    pcwd[n > 0 ? n : 0] = 0;
    printf("readlink /proc/self/cwd equals getcwd: %s\n", m(strcmp(cwd, pcwd) == 0));

    char stat_buf[4096];
    n = slurp("/proc/self/stat", stat_buf, sizeof stat_buf - 1);
    stat_buf[n > 0 ? n : 0] = 0;
    printf("/proc/self/stat pid is getpid: %s\n", m(atol(stat_buf) == (long)getpid()));
    char *lp = strrchr(stat_buf, ')');
    int ppid = -1;
    if (lp)
        sscanf(lp + 2, "%*c %d", &ppid);
    printf("/proc/self/stat ppid is getppid: %s\n", m(ppid == getppid()));
    char status[8192];
    n = slurp("/proc/self/status", status, sizeof status - 1);
    status[n > 0 ? n : 0] = 0;
    char *pidl = strstr(status, "\nPid:");
    printf("/proc/self/status Pid is getpid: %s\n", m(pidl && atol(pidl + 5) == (long)getpid()));

    /* /proc/self/fd/N for a file we opened */
    int fd = open("/etc/passwd", O_RDONLY);
    char fdl[64], tgt[PATH_MAX];
    snprintf(fdl, sizeof fdl, "/proc/self/fd/%d", fd);
    n = readlink(fdl, tgt, sizeof tgt - 1);
    tgt[n > 0 ? n : 0] = 0;
    printf("readlink /proc/self/fd/N of /etc/passwd: %s\n", m(strcmp(tgt, "/etc/passwd") == 0));
    close(fd);

    /* the auxiliary vector */
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN equals argv[0]: %s\n", m(execfn && strcmp(execfn, argv[0]) == 0));
    printf("AT_PAGESZ: %lu\n", getauxval(AT_PAGESZ));
    printf("AT_SECURE: %lu\n", getauxval(AT_SECURE));
    printf("AT_UID/AT_EUID/AT_GID/AT_EGID are the ids: %s\n",
           m(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() && getauxval(AT_GID) == getgid() &&
             getauxval(AT_EGID) == getegid()));
    printf("AT_RANDOM present: %d\n", getauxval(AT_RANDOM) != 0);
    printf("AT_PHDR present: %d\n", getauxval(AT_PHDR) != 0);
    printf("AT_PHENT: %lu\n", getauxval(AT_PHENT));
    printf("AT_ENTRY present: %d\n", getauxval(AT_ENTRY) != 0);
    printf("AT_SYSINFO_EHDR present: %d\n", getauxval(AT_SYSINFO_EHDR) != 0);
    printf("AT_HWCAP present: %d\n", getauxval(AT_HWCAP) != 0);
    unsigned char *vd = (unsigned char *)getauxval(AT_SYSINFO_EHDR);
    printf("vDSO starts with ELF magic: %d\n", vd && memcmp(vd, "\177ELF", 4) == 0);

    /* /proc/self/fd/N of a file with no name (deleted, or O_TMPFILE),
     * followed as the last component: the file itself (opened again;
     * given a name by linkat, the way O_TMPFILE is meant to be used). */
    char tmpl[] = "procself-del.XXXXXX", link[64], name[64];
    int df = mkstemp(tmpl);
    if (df >= 0 && write(df, "gone\n", 5) == 5 && unlink(tmpl) == 0) {
        snprintf(link, sizeof link, "/proc/self/fd/%d", df);
        int again = open(link, O_RDONLY);
        char buf[8] = "";
        printf("a deleted file reopened through its fd link: %s\n",
               m(again >= 0 && read(again, buf, sizeof buf) == 5 && !memcmp(buf, "gone\n", 5)));
        close(again);
    }
    close(df);
    int tf = open(".", O_RDWR | O_TMPFILE, 0600);
    if (tf >= 0) {
        snprintf(link, sizeof link, "/proc/self/fd/%d", tf);
        snprintf(name, sizeof name, "procself-tmp.%d", (int)getpid());
        int made = write(tf, "t", 1) == 1 && linkat(AT_FDCWD, link, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0;
        struct stat ts;
        printf("an O_TMPFILE file named by linkat: %s\n", m(made && stat(name, &ts) == 0 && ts.st_size == 1));
        unlink(name);
        close(tf);
    } else {
        printf("an O_TMPFILE file named by linkat: %s\n", m(errno == EOPNOTSUPP || errno == EISDIR));
    }
    renamed_run("fork+exec");
    renamed_run("posix_spawn");
    return 0;
}
