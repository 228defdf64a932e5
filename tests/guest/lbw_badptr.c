/* lbw_badptr: system calls given bad pointers fail with EFAULT (and the
 * process, and lbw under it, keep running). Made with inline-asm syscalls so
 * that no libc checks anything first. Differential: natively the kernel
 * answers EFAULT too.
 * lbw-test: differential */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "common.h"

#define raw(n, a, b, c) raw6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define raw4(n, a, b, c, d) raw6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

static const char *ename(long r)
{
    if (r >= 0)
        return "success";
    switch (-r) {
    case EFAULT: return "EFAULT";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ECHILD: return "ECHILD";
    default: return "other";
    }
}

#define BAD1 ((void *)1)
#define BADK ((void *)0xffff800000001000UL) /* kernel half */
#define BADN ((void *)0x0000700000000000UL) /* canonical, but nothing mapped */

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("uname((void*)1): %s\n", ename(raw(SYS_uname, BAD1, 0, 0)));
    printf("uname(kernel address): %s\n", ename(raw(SYS_uname, BADK, 0, 0)));
    printf("uname(unmapped address): %s\n", ename(raw(SYS_uname, BADN, 0, 0)));
    printf("readlink(\"/proc/self/exe\", (void*)1, 64): %s\n", ename(raw(SYS_readlink, "/proc/self/exe", BAD1, 64)));
    printf("readlink(\"/proc/self/exe\", unmapped, 64): %s\n", ename(raw(SYS_readlink, "/proc/self/exe", BADN, 64)));
    printf("readlink((char*)1, buf, 64): %s\n", ename(raw(SYS_readlink, BAD1, (char[64]){0}, 64)));
    printf("open((char*)1): %s\n", ename(raw(SYS_open, BAD1, O_RDONLY, 0)));
    printf("openat(AT_FDCWD, kernel address): %s\n", ename(raw4(SYS_openat, AT_FDCWD, BADK, O_RDONLY, 0)));
    printf("stat(\"/\", (void*)1): %s\n", ename(raw(SYS_stat, "/", BAD1, 0)));
    printf("stat((char*)1, buf): %s\n", ename(raw(SYS_stat, BAD1, (char[256]){0}, 0)));
    printf("write(1, (void*)1, 10): %s\n", ename(raw(SYS_write, 1, BAD1, 10)));
    int zfd = open("/dev/zero", O_RDONLY);
    printf("read(/dev/zero, (void*)1, 10): %s\n", ename(raw(SYS_read, zfd, BAD1, 10)));
    close(zfd);
    printf("pipe((void*)1): %s\n", ename(raw(SYS_pipe, BAD1, 0, 0)));
    printf("clock_gettime(MONOTONIC, (void*)1): %s\n", ename(raw(SYS_clock_gettime, 1, BAD1, 0)));
    printf("getcwd((void*)1, 100): %s\n", ename(raw(SYS_getcwd, BAD1, 100, 0)));
    printf("chdir((char*)1): %s\n", ename(raw(SYS_chdir, BAD1, 0, 0)));
    printf("execve((char*)1, ...): %s\n", ename(raw(SYS_execve, BAD1, 0, 0)));
    char *argv[] = {"x", NULL};
    printf("execve(\"/bin/true\", (char**)1, NULL): %s\n", ename(raw(SYS_execve, "/bin/true", BAD1, 0)));
    printf("execve(\"/bin/true\", {bad string}, NULL): %s\n",
           ename(raw(SYS_execve, "/bin/true", ((char *[]){BAD1, NULL}), 0)));
    (void)argv;
    printf("rt_sigaction(SIGUSR1, (void*)1, NULL, 8): %s\n", ename(raw4(SYS_rt_sigaction, 10, BAD1, 0, 8)));
    printf("rt_sigprocmask(SIG_BLOCK, (void*)1, NULL, 8): %s\n", ename(raw4(SYS_rt_sigprocmask, 0, BAD1, 0, 8)));
    printf("wait4(-1, (int*)1, 0, NULL) with no children: %s\n", ename(raw4(SYS_wait4, -1, BAD1, 0, 0)));
    printf("getrandom((void*)1, 8, 0): %s\n", ename(raw(SYS_getrandom, BAD1, 8, 0)));
    printf("nanosleep((void*)1, NULL): %s\n", ename(raw(SYS_nanosleep, BAD1, 0, 0)));
    printf("still alive\n");
    return 0;
}
