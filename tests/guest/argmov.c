/* argmov: syscall sites whose five bytes before the syscall set an
 * argument, not %eax (`mov $AT_FDCWD,%edi; syscall`, as glibc's
 * open64_nocancel, opendir's open, has them). lbw rewrites such a site for
 * the call number %eax held when it trapped; the same site reached with
 * another number must still make that other call. Each site here is made
 * hot with one call, then called with others, in turn. The same five
 * bytes may be the end of a longer instruction: `41 ba imm32` is a mov to
 * %r10d (pread's offset), `41 be imm32` one to %r14d, a movabs's last
 * bytes are no mov at all; such sites must keep doing what they do.
 * The seven bytes before may be a lea setting an argument (glibc's
 * start_thread passes a signal mask so): RIP-relative, or from another
 * register; or only look like one (a movabs's tail). A site may take its
 * number in a register, with a register mov before the syscall (Go's
 * Syscall6), or a load from the stack (glibc's syscall(3)): any number
 * reaches it, each made as asked. Or `mov $nr,%eax; xor $0x80,%sil;
 * syscall` (glibc's __lll_lock_wait): the xor must still be made, also by
 * a jump straight to it with another number. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* long at_cwd(long nr, long a1, long a2, long a3): nr(AT_FDCWD, a1, a2, a3) */
long at_cwd(long nr, long a1, long a2, long a3);
/* long zero_a2(long nr, long a0, long a1): nr(a0, a1, 0) */
long zero_a2(long nr, long a0, long a1);
/* long pread_at5(long fd, long buf, long count): pread64(fd, buf, count, 5) */
long pread_at5(long fd, long buf, long count);
/* long pread_r8(long fd, long buf, long count): pread64(fd, buf, count, 0),
 * %r8 = 0xbabababa (the 5 bytes before the syscall: ba ba ba ba ba) */
long pread_r8(long fd, long buf, long count);
/* long lseek_r14(long fd, long off, long whence): lseek, %r14d = 5 set
 * just before the syscall (41 be 05 00 00 00); returns %r14 */
long lseek_r14(long fd, long off, long whence);
/* long pread_41(long fd, long buf): pread64(fd, buf, 8, 8), the mov of
 * the count after `mov $0x41,%cl` (b1 41 ba 08 00 00 00: not a mov to
 * %r10d, though %r10 holds 8 too) */
long pread_41(long fd, long buf);
/* long lea_path(long nr, long dfd, long a2, long a3, long a4):
 * nr(dfd, "/etc/passwd", a2, a3, a4), the path from `lea path(%rip),%rsi`
 * (48 8d 35 disp32) */
long lea_path(long nr, long dfd, long a2, long a3, long a4);
/* long lea_buf(long nr, long fd, long buf, long count): nr(fd, buf, count),
 * buf from `lea 0x1000(%r9),%rsi` (49 8d b1 00 10 00 00) */
long lea_buf(long nr, long fd, long buf, long count);
/* long lea_decoy(long fd, long buf, long count): read(fd, buf, count)
 * after a movabs to %r8 whose last seven bytes read `lea 0(%rip),%rsi` */
long lea_decoy(long fd, long buf, long count);
/* long lea_not_mov(long nr): nr() after `mov $0x10,%edx; lea 0x10(%rdx),%rdi`
 * (48 8d ba 10 00 00 00: its last five bytes read `mov $0x10,%edx`, and
 * %rdx holds 0x10) */
long lea_not_mov(long nr);
/* long reg_site(long nr, long a0, long a1, long a2): nr(a0, a1, a2), the
 * number in %rax from the caller, `mov %r8,%rdx` (4c 89 c2) last */
long reg_site(long nr, long a0, long a1, long a2);
/* long xor_lseek(long fd, long off): lseek(fd, off ^ 0x80, SEEK_SET), the
 * bit flipped by `xor $0x80,%sil` between `mov $8,%eax` and the syscall */
long xor_lseek(long fd, long off);
/* long xor_mid(long nr, long fd, long off): nr(fd, off ^ 0x80, 0), entering
 * xor_lseek's site at its xor */
long xor_mid(long nr, long fd, long off);
/* long xor_decoy(long fd, long off): lseek(fd, off ^ 0x80, SEEK_SET) after
 * a movabs to %rcx whose last five bytes read `mov $8,%eax` */
long xor_decoy(long fd, long off);
/* long movabs_decoy(long fd, long off): lseek(fd, off, SEEK_SET) after a
 * movabs to %r8 whose eight bytes read `mov $8,%eax; xor $0x80,%sil`;
 * returns the result if %r8 holds that value after, else -1000 */
long movabs_decoy(long fd, long off);
__asm__(".section .rodata\n"
        "passwd_path: .asciz \"/etc/passwd\"\n"
        ".text\n"
        ".p2align 4\n"
        ".globl lea_path\n"
        "lea_path:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rdi\n"
        "  mov %rcx,%r10\n"
        "  lea passwd_path(%rip),%rsi\n"
        "  syscall\n"
        "  ret\n"
        ".p2align 4\n"
        ".globl lea_buf\n"
        "lea_buf:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rdi\n"
        "  lea -0x1000(%rdx),%r9\n"
        "  mov %rcx,%rdx\n"
        "  lea 0x1000(%r9),%rsi\n"
        "  syscall\n"
        "  ret\n"
        ".p2align 4\n"
        ".globl lea_not_mov\n"
        "lea_not_mov:\n"
        "  mov %rdi,%rax\n"
        "  mov $0x10,%edx\n"
        "  .byte 0x48, 0x8d, 0xba, 0x10, 0, 0, 0\n" /* lea 0x10(%rdx),%rdi (disp32) */
        "  syscall\n"
        "  ret\n"
        ".p2align 4\n"
        ".globl reg_site\n"
        "reg_site:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rdi\n"
        "  mov %rdx,%rsi\n"
        "  mov %rcx,%r8\n"
        "  mov %r8,%rdx\n" /* 4c 89 c2 */
        "  syscall\n"
        "  ret\n"
        ".globl xor_lseek\n"
        "xor_lseek:\n"
        "  xor %edx,%edx\n"
        "  mov $8,%eax\n" /* b8 08 00 00 00 */
        "xor_lseek_xor:\n"
        "  xor $0x80,%sil\n" /* 40 80 f6 80 */
        "  syscall\n"
        "  ret\n"
        ".globl xor_mid\n"
        "xor_mid:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rdi\n"
        "  mov %rdx,%rsi\n"
        "  xor %edx,%edx\n"
        "  jmp xor_lseek_xor\n"
        ".globl xor_decoy\n"
        "xor_decoy:\n"
        "  xor %edx,%edx\n"
        "  mov $8,%eax\n"
        "  movabs $0x08b8000000,%rcx\n" /* 48 b9 00 00 00 b8 08 00 00 00 */
        "  xor $0x80,%sil\n"
        "  syscall\n"
        "  ret\n"
        ".globl movabs_decoy\n"
        "movabs_decoy:\n"
        "  xor %edx,%edx\n"
        "  mov $8,%eax\n"
        "  xor %r8d,%r8d\n"
        "  .byte 0x49, 0xb8, 0x08, 0, 0, 0, 0x40, 0x80, 0xf6, 0x80\n" /* movabs $0x80f6804000000008,%r8 */
        "  syscall\n"
        "  movabs $0x80f6804000000008,%rcx\n"
        "  cmp %rcx,%r8\n"
        "  je 1f\n"
        "  mov $-1000,%rax\n"
        "1: ret\n"
        ".globl lea_decoy\n"
        "lea_decoy:\n"
        "  xor %eax,%eax\n"
        "  movabs $0x358d4800,%r8\n" /* 49 b8 00 48 8d 35 00 00 00 00 */
        "  syscall\n"
        "  ret\n"
        ".globl at_cwd\n"
        "at_cwd:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rsi\n"
        "  mov %rcx,%r10\n"
        "  mov %rdx,%rdx\n"
        "  mov $-100,%edi\n" /* bf 9c ff ff ff */
        "  syscall\n"
        "  ret\n"
        ".globl zero_a2\n"
        "zero_a2:\n"
        "  mov %rdi,%rax\n"
        "  mov %rsi,%rdi\n"
        "  mov %rdx,%rsi\n"
        "  mov $0,%edx\n" /* ba 00 00 00 00 */
        "  syscall\n"
        "  ret\n"
        ".globl pread_at5\n"
        "pread_at5:\n"
        "  mov $17,%eax\n"
        "  mov $5,%r10d\n" /* 41 ba 05 00 00 00 */
        "  syscall\n"
        "  ret\n"
        ".globl pread_r8\n"
        "pread_r8:\n"
        "  mov $17,%eax\n"
        "  xor %r10d,%r10d\n"
        "  movabs $0xbabababababa,%r8\n" /* 49 b8 ba ba ba ba ba ba 00 00 */
        "  syscall\n"
        "  ret\n"
        ".globl lseek_r14\n"
        "lseek_r14:\n"
        "  push %r14\n"
        "  mov $8,%eax\n"
        "  xor %r14d,%r14d\n"
        "  mov $5,%r14d\n" /* 41 be 05 00 00 00: the last five look like mov $5,%esi */
        "  syscall\n"
        "  mov %r14,%rax\n"
        "  pop %r14\n"
        "  ret\n"
        ".globl pread_41\n"
        "pread_41:\n"
        "  mov $17,%eax\n"
        "  mov $8,%r10d\n"
        "  mov $0x41,%cl\n"
        "  mov $8,%edx\n"
        "  syscall\n"
        "  ret\n");

int main(void)
{
    struct stat ref, st;
    if (stat("/etc/passwd", &ref) < 0)
        return 1;
    int bad = 0, opens = 0, stats = 0;
    for (int i = 0; i < 200; i++) {
        long fd = at_cwd(SYS_openat, (long)"/etc/passwd", O_RDONLY, 0);
        if (fd < 0)
            bad++;
        else
            opens++, close((int)fd);
        /* after the first rounds, the same site with other calls */
        if (i >= 40 && i % 4 == 0) {
            long r = at_cwd(SYS_newfstatat, (long)"/etc/passwd", (long)&st, 0);
            if (r != 0 || st.st_ino != ref.st_ino || st.st_size != ref.st_size)
                bad++;
            else
                stats++;
            if (at_cwd(SYS_faccessat, (long)"/nonexistent/x", F_OK, 0) != -2)
                bad++;
            if (at_cwd(SYS_readlinkat, (long)"/etc/passwd", (long)&st, 8) != -22)
                bad++;
        }
    }
    printf("at_cwd: %d opens, %d stats, %d wrong\n", opens, stats, bad);

    int dfd = open("/etc", O_RDONLY | O_DIRECTORY);
    bad = opens = 0;
    for (int i = 0; i < 200; i++) {
        long fd = zero_a2(SYS_openat, dfd, (long)"passwd");
        if (fd < 0)
            bad++;
        else
            opens++, close((int)fd);
        if (i >= 40 && i % 4 == 0) {
            if (zero_a2(SYS_faccessat, dfd, (long)"passwd") != 0)
                bad++;
            if (zero_a2(SYS_getppid, 0, 0) != getppid())
                bad++;
            if (zero_a2(SYS_openat, dfd, (long)"no-such-file") != -2)
                bad++;
        }
    }
    printf("zero_a2: %d opens, %d wrong\n", opens, bad);

    /* sites whose five bytes only look like an argument's mov */
    int pfd = open("/etc/passwd", O_RDONLY);
    char want[8], got[8];
    if (pfd < 0 || pread(pfd, want, 3, 5) != 3)
        return 3;
    bad = 0;
    for (int i = 0; i < 100; i++) {
        long n = pread_at5(pfd, (long)got, 3);
        if (n != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2])
            bad++;
    }
    printf("pread with a constant offset in %%r10d: %d wrong of 100\n", bad);
    if (pread(pfd, want, 4, 0) != 4)
        return 3;
    bad = 0;
    for (int i = 0; i < 100; i++) {
        long n = pread_r8(pfd, (long)got, 4);
        if (n != 4 || got[0] != want[0] || got[3] != want[3])
            bad++;
    }
    printf("pread after a movabs to %%r8: %d wrong of 100\n", bad);
    bad = 0;
    for (int i = 0; i < 100; i++)
        bad += lseek_r14(pfd, 5, SEEK_SET) != 5;
    printf("lseek after a mov to %%r14d: %d wrong of 100\n", bad);
    if (pread(pfd, want, 8, 8) != 8)
        return 3;
    bad = 0;
    for (int i = 0; i < 100; i++) {
        long n = pread_41(pfd, (long)got);
        bad += n != 8 || memcmp(got, want, 8) != 0;
    }
    printf("pread after mov $0x41,%%cl: %d wrong of 100\n", bad);

    /* mov $8,%eax; xor $0x80,%sil; syscall */
    bad = 0;
    for (int i = 0; i < 200; i++) {
        long off = i * 3 + (i & 1 ? 0x80 : 0);
        bad += xor_lseek(pfd, off) != (off ^ 0x80);
        if (i >= 40 && i % 4 == 0) {
            bad += xor_mid(SYS_lseek, pfd, 7) != (7 ^ 0x80);
            bad += xor_mid(SYS_getppid, 0, 0) != getppid();
        }
    }
    printf("lseek after mov $8,%%eax; xor $0x80,%%sil: %d wrong\n", bad);
    bad = 0;
    for (int i = 0; i < 100; i++)
        bad += xor_decoy(pfd, i) != (i ^ 0x80);
    printf("lseek after a movabs that ends like mov $8,%%eax: %d wrong of 100\n", bad);
    bad = 0;
    for (int i = 0; i < 100; i++)
        bad += movabs_decoy(pfd, i) != i;
    printf("lseek after a movabs that reads like mov $8,%%eax; xor $0x80,%%sil: %d wrong of 100\n", bad);

    /* lea sites, each made hot with one call, then reached with others */
    bad = 0;
    for (int i = 0; i < 200; i++) {
        unsigned char sx[256]; /* struct statx: stx_size at 40 */
        unsigned long long size;
        memset(sx, 0, sizeof sx);
        if (lea_path(SYS_statx, AT_FDCWD, 0, 0x7ff, (long)sx) != 0)
            bad++;
        memcpy(&size, sx + 40, 8);
        bad += size != (unsigned long long)ref.st_size;
        if (i >= 40 && i % 4 == 0) {
            bad += lea_path(SYS_faccessat, AT_FDCWD, F_OK, 0, 0) != 0;
            long fd = lea_path(SYS_openat, AT_FDCWD, O_RDONLY, 0, 0);
            if (fd < 0)
                bad++;
            else
                close((int)fd);
            bad += lea_path(SYS_getpid, 0, 0, 0, 0) != getpid();
        }
    }
    printf("statx after a RIP-relative lea of the path: %d wrong\n", bad);
    int nfd = open("/dev/null", O_WRONLY);
    if (pread(pfd, want, 8, 0) != 8 || nfd < 0)
        return 3;
    bad = 0;
    for (int i = 0; i < 200; i++) {
        lseek(pfd, 0, SEEK_SET);
        memset(got, 0, 8);
        bad += lea_buf(SYS_read, pfd, (long)got, 8) != 8 || memcmp(got, want, 8) != 0;
        if (i >= 40 && i % 4 == 0) {
            bad += lea_buf(SYS_write, nfd, (long)got, 8) != 8;
            bad += lea_buf(SYS_getpid, 0, 0, 0) != getpid();
        }
    }
    printf("read after a lea of the buffer from %%r9: %d wrong\n", bad);
    bad = 0;
    for (int i = 0; i < 100; i++) {
        lseek(pfd, 0, SEEK_SET);
        memset(got, 0, 8);
        bad += lea_decoy(pfd, (long)got, 8) != 8 || memcmp(got, want, 8) != 0;
    }
    printf("read after a movabs that ends like a lea: %d wrong of 100\n", bad);
    bad = 0;
    for (int i = 0; i < 100; i++) {
        bad += lea_not_mov(SYS_getpid) != getpid();
        if (i >= 40 && i % 4 == 0)
            bad += lea_not_mov(SYS_getppid) != getppid();
    }
    printf("getpid after a lea whose tail reads as a mov: %d wrong\n", bad);

    /* one site, the number in a register: calls the kernel makes as they
     * are, path calls (one of /proc), a call lbw serves */
    bad = 0;
    int rfd = open("/etc/passwd", O_RDONLY), wfd = open("/dev/null", O_WRONLY);
    char exe[256];
    ssize_t exelen = readlink("/proc/self/exe", exe, sizeof exe);
    if (rfd < 0 || wfd < 0 || pread(rfd, want, 8, 0) != 8 || exelen <= 0)
        return 3;
    for (int i = 0; i < 300; i++) {
        bad += reg_site(SYS_getppid, 0, 0, 0) != getppid();
        lseek(rfd, 0, SEEK_SET);
        memset(got, 0, 8);
        bad += reg_site(SYS_read, rfd, (long)got, 8) != 8 || memcmp(got, want, 8) != 0;
        bad += reg_site(SYS_write, wfd, (long)got, 8) != 8;
        long fd = reg_site(SYS_openat, AT_FDCWD, (long)"/etc/passwd", O_RDONLY);
        if (fd < 0)
            bad++;
        else
            close((int)fd);
        bad += reg_site(SYS_openat, AT_FDCWD, (long)"/nonexistent/x", O_RDONLY) != -2;
        if (i % 10 == 0) {
            char link[256];
            long n = reg_site(SYS_readlink, (long)"/proc/self/exe", (long)link, sizeof link);
            bad += n != exelen || memcmp(link, exe, (size_t)exelen) != 0;
            /* the kernel reads the number from %eax alone */
            bad += reg_site((1L << 32) | SYS_read, -1, (long)got, 8) != -9; /* EBADF */
            bad += reg_site((1L << 32) | SYS_getppid, 0, 0, 0) != getppid();
            stack_t ss;
            bad += reg_site(SYS_sigaltstack, 0, (long)&ss, 0) != 0 || ss.ss_flags != SS_DISABLE;
        }
    }
    printf("one site for any number: %d wrong\n", bad);

    /* syscall(3): glibc's ends with `mov 0x8(%rsp),%r9; syscall` */
    bad = 0;
    for (int i = 0; i < 300; i++) {
        bad += syscall(SYS_sched_yield) != 0;
        if (i % 10 == 0)
            bad += syscall(SYS_getppid) != getppid();
    }
    printf("syscall(3): %d wrong\n", bad);
    close(rfd);
    close(wfd);
    close(nfd);
    close(pfd);

    /* glibc's and musl's opendir, over and over */
    long entries = 0;
    for (int i = 0; i < 100; i++) {
        DIR *d = opendir("/etc");
        if (!d)
            return 2;
        while (readdir(d))
            entries++;
        closedir(d);
    }
    printf("opendir: %s\n", entries >= 200 ? "ok" : "too few entries");
    return 0;
}
