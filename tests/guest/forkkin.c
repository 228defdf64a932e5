/* forkkin: a site a fork child rewrote is taken up by its parent (lbw's
 * family list) only where the parent's code there is the same file's,
 * as the child found it. Three code files of the program's own making,
 * each a page with `mov $nr,%eax; syscall; ret` at 0x100, mapped at fixed
 * addresses: a child maps one and calls its site 40 times (lbw rewrites
 * and lists it), then the parent
 *  - maps another file with the same bytes there: its bytes stay as they
 *    are after its next fork (no file of the list's);
 *  - maps the same file private and writable and writes three bytes
 *    before the site, which make its bytes a movabs's immediate: the
 *    immediate stays what it is after the next fork;
 *  - forks while the file is not mapped yet, then maps it and calls the
 *    site 1000 times: tests/programs/fork_family.sh checks with --stats
 *    that those calls came the fast way (a failed take-up once kept the
 *    parent from ever rewriting that address). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define P1 ((char *)0x100000000000UL)
#define P2 ((char *)0x100000100000UL)
#define P3 ((char *)0x100000200000UL)

static char dir[64];

static void write_code(const char *name, unsigned nr)
{
    unsigned char code[4096];
    memset(code, 0x90, sizeof code);
    memcpy(code + 0x100, "\xb8\x00\x00\x00\x00\x0f\x05\xc3", 8);
    memcpy(code + 0x101, &nr, 4);
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(code, 1, sizeof code, f) != sizeof code || fclose(f)) {
        perror(path);
        exit(2);
    }
}

static void map(const char *name, char *at, int prot)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || mmap(at, 4096, prot, MAP_PRIVATE | MAP_FIXED_NOREPLACE, fd, 0) != at) {
        perror(path);
        exit(2);
    }
    close(fd);
}

static long call(char *at)
{
    return ((long (*)(void))(at + 0x100))();
}

/* A child that maps name at at and calls its site 40 times (or nothing). */
static void child(const char *name, char *at)
{
    pid_t p = fork();
    if (p < 0) {
        perror("fork");
        exit(2);
    }
    if (p == 0) {
        if (name) {
            map(name, at, PROT_READ | PROT_EXEC);
            for (int i = 0; i < 40; i++)
                call(at);
        }
        _exit(0);
    }
    waitpid(p, NULL, 0);
}

int main(void)
{
    strcpy(dir, "/tmp/forkkin.XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    write_code("a", 24);  /* sched_yield */
    write_code("b", 24);
    write_code("c", 24);
    write_code("d", 102); /* getuid */
    child(NULL, NULL);    /* (lbw: the family's table is made) */

    child("a", P1);
    map("b", P1, PROT_READ | PROT_EXEC);
    child(NULL, NULL);
    printf("another file: %s\n", !memcmp(P1 + 0x100, "\xb8\x18\x00\x00\x00\x0f\x05", 7) ? "bytes kept" : "CHANGED");

    child("c", P2);
    map("c", P2, PROT_READ | PROT_WRITE | PROT_EXEC);
    memcpy(P2 + 0xfd, "\x48\xb8\x90", 3); /* movabs $imm64,%rax, then ret */
    unsigned long before = ((unsigned long (*)(void))(P2 + 0xfd))();
    child(NULL, NULL);
    unsigned long after = ((unsigned long (*)(void))(P2 + 0xfd))();
    printf("written copy: immediate %s\n", before == after ? "kept" : "CHANGED");

    child("d", P3);
    child(NULL, NULL); /* (the take-up finds nothing mapped there) */
    map("d", P3, PROT_READ | PROT_EXEC);
    long uid = getuid(), bad = 0;
    for (int i = 0; i < 1000; i++)
        bad += call(P3) != uid;
    printf("mapped after a fork: %ld wrong\n", bad);

    const char *names[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    return 0;
}
