/* pipe: data through pipes between parent and child, EOF, pipe2 flags,
 * ping-pong, and a transfer larger than the pipe buffer. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOTAL (1 << 20)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    int p[2];
    printf("pipe: %d\n", pipe(p));

    /* child -> parent, 1 MiB in odd-sized chunks */
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        unsigned char buf[7919];
        long sent = 0;
        while (sent < TOTAL) {
            long n = TOTAL - sent < (long)sizeof buf ? TOTAL - sent : (long)sizeof buf;
            for (long i = 0; i < n; i++)
                buf[i] = (unsigned char)((sent + i) * 31 + 7);
            ssize_t w = write(p[1], buf, n);
            if (w <= 0)
                _exit(1);
            sent += w;
        }
        _exit(0);
    }
    close(p[1]);
    unsigned char buf[4096];
    long got = 0, bad = 0;
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != (unsigned char)((got + i) * 31 + 7))
                bad++;
        got += n;
    }
    printf("received %ld bytes, %ld wrong, last read %zd (EOF)\n", got, bad, n);
    int st;
    waitpid(pid, &st, 0);
    printf("writer exit status %d\n", WEXITSTATUS(st));
    close(p[0]);

    /* ping-pong over two pipes */
    int a[2], b[2];
    pipe(a);
    pipe(b);
    pid = fork();
    if (pid == 0) {
        close(a[1]);
        close(b[0]);
        int v;
        while (read(a[0], &v, sizeof v) == sizeof v) {
            v = v * 2 + 1;
            write(b[1], &v, sizeof v);
        }
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    int v = 0, ok = 1;
    for (int i = 0; i < 200; i++) {
        int w = i;
        write(a[1], &w, sizeof w);
        if (read(b[0], &v, sizeof v) != sizeof v || v != 2 * i + 1)
            ok = 0;
    }
    close(a[1]);
    waitpid(pid, &st, 0);
    printf("ping-pong 200 rounds: %s, child status %d\n", ok ? "ok" : "WRONG", WEXITSTATUS(st));
    close(b[0]);

    /* pipe2 flags */
    printf("pipe2: %d\n", pipe2(p, O_CLOEXEC | O_NONBLOCK));
    printf("read end cloexec: %d, nonblock: %d\n", (fcntl(p[0], F_GETFD) & FD_CLOEXEC) != 0,
           (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    errno = 0;
    n = read(p[0], buf, 1);
    printf("read on empty non-blocking pipe: %zd %s\n", n, errno == EAGAIN ? "EAGAIN" : "other");
    struct pollfd pf = {p[0], POLLIN, 0};
    printf("poll empty: %d\n", poll(&pf, 1, 0));
    write(p[1], "z", 1);
    pf.revents = 0;
    int pr = poll(&pf, 1, 1000);
    printf("poll after write: %d revents POLLIN=%d\n", pr, (pf.revents & POLLIN) != 0);
    /* fill the pipe: default capacity 64 KiB */
    long filled = 1;
    char big[4096];
    memset(big, 'f', sizeof big);
    while ((n = write(p[1], big, sizeof big)) > 0)
        filled += n;
    printf("non-blocking pipe filled with %ld bytes, then %s\n", filled, errno == EAGAIN ? "EAGAIN" : "other");
    printf("F_GETPIPE_SZ: %d\n", fcntl(p[0], F_GETPIPE_SZ));
    close(p[0]);
    close(p[1]);
    return 0;
}
