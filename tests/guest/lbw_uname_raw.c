/* lbw_uname_raw: the kernel release as seen by libc's uname and by a raw
 * inline-asm SYS_uname, in the first process, in a forked child, and after
 * an execve of this program (argv[1] = "child"). Under
 * `lbw --uname-release=X` every line must say X: no escape anywhere.
 * Needs argv[0] to be a path to this program. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static long raw_uname(struct utsname *u)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"((long)SYS_uname), "D"(u) : "rcx", "r11", "memory");
    return ret;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    struct utsname u;
    int child = argc > 1 && strcmp(argv[1], "child") == 0;
    const char *phase = child ? "after execve" : "first process";

    memset(&u, 0, sizeof u);
    uname(&u);
    printf("%s: libc uname release: %s\n", phase, u.release);
    memset(&u, 0, sizeof u);
    raw_uname(&u);
    printf("%s: raw uname release: %s\n", phase, u.release);
    if (child)
        return 0;

    pid_t pid = fork();
    if (pid == 0) {
        memset(&u, 0, sizeof u);
        raw_uname(&u);
        printf("forked child: raw uname release: %s\n", u.release);
        memset(&u, 0, sizeof u);
        uname(&u);
        printf("forked child: libc uname release: %s\n", u.release);
        _exit(0);
    }
    int st;
    waitpid(pid, &st, 0);
    char *av[] = {argv[0], "child", NULL};
    execve(argv[0], av, environ);
    perror("execve");
    return 1;
}
