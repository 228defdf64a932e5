/* rawsys: system calls made with inline-asm `syscall`, not through libc,
 * checked for consistency against each other and against libc's answers. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

#define raw0(n) raw6((n), 0, 0, 0, 0, 0, 0)
#define raw1(n, a) raw6((n), (long)(a), 0, 0, 0, 0, 0)
#define raw3(n, a, b, c) raw6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define raw4(n, a, b, c, d) raw6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static void say(const char *s) { raw3(SYS_write, 1, s, strlen(s)); }
static void check(const char *what, int ok)
{
    say(what);
    say(ok ? ": ok\n" : ": WRONG\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    long pid = raw0(SYS_getpid), ppid = raw0(SYS_getppid), tid = raw0(SYS_gettid);
    check("raw getpid == libc getpid", pid == (long)getpid());
    check("raw getppid == libc getppid", ppid == (long)getppid());
    check("raw gettid == raw getpid (main thread)", tid == pid);
    check("raw getuid == libc getuid", raw0(SYS_getuid) == (long)getuid());
    check("raw getgid == libc getgid", raw0(SYS_getgid) == (long)getgid());
    check("raw geteuid == libc geteuid", raw0(SYS_geteuid) == (long)geteuid());

    long w = raw3(SYS_write, 1, "raw write to stdout\n", 20);
    printf("raw write returned %ld\n", w);
    w = raw3(SYS_write, 2, "raw write to stderr\n", 20);
    printf("raw write to stderr returned %ld\n", w);
    w = raw3(SYS_write, 987, "x", 1);
    printf("raw write to fd 987: %s\n", w == -EBADF ? "-EBADF" : "unexpected");

    struct utsname ru, lu;
    long r = raw1(SYS_uname, &ru);
    uname(&lu);
    printf("raw uname returned %ld\n", r);
    printf("sysname=%s machine=%s\n", ru.sysname, ru.machine);
    check("raw uname release == libc uname release", strcmp(ru.release, lu.release) == 0);
    check("raw uname version == libc uname version", strcmp(ru.version, lu.version) == 0);
    check("raw uname nodename == libc uname nodename", strcmp(ru.nodename, lu.nodename) == 0);

    /* A forked child makes raw calls of its own. */
    long child = raw0(SYS_fork);
    if (child == 0) {
        long cpid = raw0(SYS_getpid);
        check("child: raw getppid == parent's raw getpid", raw0(SYS_getppid) == pid);
        check("child: raw getpid != parent's", cpid != pid);
        check("child: libc getpid == raw getpid", (long)getpid() == cpid);
        struct utsname cu;
        raw1(SYS_uname, &cu);
        check("child: raw uname release same as parent", strcmp(cu.release, ru.release) == 0);
        raw1(SYS_exit_group, 17);
        for (;;) ;
    }
    if (child < 0) {
        printf("fork failed: %ld\n", child);
        return 1;
    }
    int status = 0;
    long got = raw4(SYS_wait4, child, &status, 0, 0);
    check("raw wait4 returned the child", got == child);
    printf("child exited: %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
    check("pid unchanged after fork", raw0(SYS_getpid) == pid);
    raw1(SYS_exit_group, 0);
    return 99;
}
