/* bigfile: a sparse file larger than 4 GiB: pwrite at 5 GiB, read back,
 * fstat size, lseek beyond 4 GiB, ftruncate down and up, pread/pwrite above
 * 4 GiB, and a MAP_SHARED mapping at a file offset beyond 4 GiB written
 * through and read back with pread; then unlink. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GiB (1LL << 30)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX], path[PATH_MAX + 16];
    snprintf(dir, sizeof dir, "%s/lbwt-big-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/sparse", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    printf("sizeof(off_t): %zu\n", sizeof(off_t));

    off_t at = 5 * GiB;
    printf("pwrite at 5 GiB: %zd\n", pwrite(fd, "FIVE-GIB", 8, at));
    struct stat st;
    fstat(fd, &st);
    printf("fstat size: %lld (5 GiB + 8: %d)\n", (long long)st.st_size, st.st_size == at + 8);
    printf("sparse (allocated < 1 MiB): %d\n", (long long)st.st_blocks * 512 < (1 << 20));
    char buf[64] = {0};
    printf("pread at 5 GiB: %zd [%.8s]\n", pread(fd, buf, 8, at), buf);
    printf("lseek SEEK_END: %lld\n", (long long)lseek(fd, 0, SEEK_END));
    printf("lseek SEEK_SET 5 GiB: %lld\n", (long long)lseek(fd, at, SEEK_SET));
    memset(buf, 0, sizeof buf);
    printf("read after lseek: %zd [%.8s]\n", read(fd, buf, 8), buf);
    printf("offset after read: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
    printf("write at the current offset: %zd\n", write(fd, "+more", 5));
    fstat(fd, &st);
    printf("size now: %lld\n", (long long)st.st_size);
    memset(buf, 1, sizeof buf);
    ssize_t n = pread(fd, buf, 16, 4 * GiB + 12345);
    int zero = 1;
    for (int i = 0; i < 16; i++)
        if (buf[i])
            zero = 0;
    printf("pread in the hole above 4 GiB: %zd zero %d\n", n, zero);
    off_t hole = lseek(fd, 0, SEEK_HOLE);
    printf("SEEK_HOLE from 0: %lld\n", (long long)hole);
    off_t data = lseek(fd, 0, SEEK_DATA);
    printf("SEEK_DATA from 0 is at or below 5 GiB, above 4 GiB: %d\n", data <= at && data > 4 * GiB);

    /* pwrite / pread just above the 4 GiB line, crossing nothing */
    off_t four = 4 * GiB + 100;
    printf("pwrite at 4 GiB + 100: %zd\n", pwrite(fd, "JUST-ABOVE-4G", 13, four));
    memset(buf, 0, sizeof buf);
    printf("pread it back: %zd [%.13s]\n", pread(fd, buf, 13, four), buf);
    /* a write that straddles 4 GiB exactly */
    printf("pwrite straddling 4 GiB: %zd\n", pwrite(fd, "ACROSS", 6, 4 * GiB - 3));
    memset(buf, 0, sizeof buf);
    printf("pread it back: %zd [%.6s]\n", pread(fd, buf, 6, 4 * GiB - 3), buf);
    /* the low 32 bits of 4 GiB + 100 are 100: nothing may land there */
    memset(buf, 1, sizeof buf);
    pread(fd, buf, 13, 100);
    printf("nothing written at offset 100 (truncated offset): %d\n", buf[0] == 0 && buf[12] == 0);

    /* mmap at a file offset beyond 4 GiB */
    off_t moff = 5 * GiB + 8192;
    pwrite(fd, "PRESET", 6, moff + 4096);
    char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, moff);
    printf("mmap MAP_SHARED at offset 5 GiB + 8 KiB: %s\n", m == MAP_FAILED ? "failed" : "ok");
    if (m != MAP_FAILED) {
        printf("map sees earlier pwrite: %d\n", memcmp(m + 4096, "PRESET", 6) == 0);
        memcpy(m + 100, "WRITTEN-THROUGH-MAP", 19);
        printf("msync: %d\n", msync(m, 3 * 4096, MS_SYNC));
        memset(buf, 0, sizeof buf);
        printf("pread of map write: %zd [%.19s]\n", pread(fd, buf, 19, moff + 100), buf);
        munmap(m, 3 * 4096);
    }
    /* a read-only private mapping at 5 GiB sees the first write */
    char *r = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, at);
    printf("MAP_PRIVATE at 5 GiB sees data: %d\n", r != MAP_FAILED && memcmp(r, "FIVE-GIB+more", 13) == 0);
    if (r != MAP_FAILED)
        munmap(r, 4096);

    /* truncate down below 5 GiB, then up again */
    printf("ftruncate to 4 GiB + 4096: %d\n", ftruncate(fd, 4 * GiB + 4096));
    fstat(fd, &st);
    printf("size: %lld\n", (long long)st.st_size);
    printf("pread at 5 GiB after truncate: %zd\n", pread(fd, buf, 8, at));
    memset(buf, 0, sizeof buf);
    printf("data below the cut kept: %zd [%.13s]\n", pread(fd, buf, 13, four), buf);
    printf("ftruncate to 6 GiB: %d\n", ftruncate(fd, 6 * GiB));
    fstat(fd, &st);
    printf("size: %lld\n", (long long)st.st_size);
    memset(buf, 1, sizeof buf);
    n = pread(fd, buf, 8, at);
    printf("pread at 5 GiB after growing: %zd zero %d\n", n, buf[0] == 0 && buf[7] == 0);
    printf("truncate() by path to 4 GiB + 1: %d\n", truncate(path, 4 * GiB + 1));
    stat(path, &st);
    printf("stat size: %lld\n", (long long)st.st_size);
    errno = 0;
    int e = ftruncate(fd, -1);
    printf("ftruncate(-1): %d %s\n", e, errno == EINVAL ? "EINVAL" : "other");

    /* O_APPEND on a big file appends beyond 4 GiB */
    int fa = open(path, O_WRONLY | O_APPEND);
    write(fa, "END", 3);
    close(fa);
    fstat(fd, &st);
    printf("size after O_APPEND write: %lld\n", (long long)st.st_size);

    close(fd);
    printf("unlink: %d\n", unlink(path));
    printf("rmdir: %d\n", rmdir(dir));
    return 0;
}
