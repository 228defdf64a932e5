/* unixsock: AF_UNIX sockets with file names: bind at relative and absolute
 * paths, getsockname, connect, accept and getpeername, datagrams with
 * sendto/recvfrom and sendmsg/recvmsg naming the sender, a symlink to a
 * socket, an abstract name, and the errors of a missing or taken path.
 * Under a guest root every name must read as the guest's path. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static char cwd[PATH_MAX];

static socklen_t addr(struct sockaddr_un *a, const char *path)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strncpy(a->sun_path, path, sizeof a->sun_path - 1);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

/* Shows a returned name, with the cwd written as $CWD so that it reads
 * the same wherever the test runs. */
static void show(const char *what, const struct sockaddr_un *a, socklen_t len)
{
    size_t cl = strlen(cwd);
    if (len <= offsetof(struct sockaddr_un, sun_path)) {
        printf("%s: unnamed (len %u)\n", what, (unsigned)len);
    } else if (!a->sun_path[0]) {
        printf("%s: abstract @%s (len %u)\n", what, a->sun_path + 1, (unsigned)len);
    } else if (!strncmp(a->sun_path, cwd, cl) && a->sun_path[cl] == '/') {
        printf("%s: $CWD%s (len - cwd %u)\n", what, a->sun_path + cl, (unsigned)(len - cl));
    } else {
        printf("%s: %s (len %u)\n", what, a->sun_path, (unsigned)len);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (!getcwd(cwd, sizeof cwd))
        return 1;
    mkdir("u", 0755);
    unlink("u/s");
    unlink("u/d");
    unlink("u/c");
    unlink("u/link");

    /* stream: bound at a relative path */
    struct sockaddr_un a, b;
    socklen_t len;
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind u/s: %d\n", bind(srv, (struct sockaddr *)&a, addr(&a, "u/s")));
    printf("listen: %d\n", listen(srv, 4));
    struct stat st;
    printf("u/s is a socket: %d\n", stat("u/s", &st) == 0 && S_ISSOCK(st.st_mode));
    len = sizeof b;
    getsockname(srv, (struct sockaddr *)&b, &len);
    show("getsockname", &b, len);

    int cli = socket(AF_UNIX, SOCK_STREAM, 0);
    char p[PATH_MAX + 8];
    snprintf(p, sizeof p, "%s/u/s", cwd);
    printf("connect by absolute path: %d\n", connect(cli, (struct sockaddr *)&a, addr(&a, p)));
    len = sizeof b;
    getpeername(cli, (struct sockaddr *)&b, &len);
    show("getpeername", &b, len);
    len = sizeof b;
    int acc = accept(srv, (struct sockaddr *)&b, &len);
    printf("accept: %d\n", acc >= 0);
    show("accept's peer", &b, len);
    write(cli, "ping", 4);
    char buf[16] = {0};
    read(acc, buf, sizeof buf - 1);
    printf("stream read: %s\n", buf);
    /* a name cut short: the whole length is reported */
    len = 6;
    memset(&b, 0, sizeof b);
    getsockname(srv, (struct sockaddr *)&b, &len);
    printf("short room: family %d, length %s\n", b.sun_family, len > 6 ? "whole" : "cut");

    /* through a symlink to the socket */
    symlink("s", "u/link");
    int cli2 = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("connect via symlink: %d\n", connect(cli2, (struct sockaddr *)&a, addr(&a, "u/link")));
    int cli3 = socket(AF_UNIX, SOCK_STREAM, 0);
    int r = bind(cli3, (struct sockaddr *)&a, addr(&a, "u/s"));
    printf("bind on a taken path: %d %s\n", r, strerror(errno));
    r = connect(cli3, (struct sockaddr *)&a, addr(&a, "u/none"));
    printf("connect to a missing path: %d %s\n", r, strerror(errno));

    /* datagrams naming their sender */
    int d = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
    snprintf(p, sizeof p, "%s/u/d", cwd);
    printf("bind %s: %d\n", "$CWD/u/d", bind(d, (struct sockaddr *)&a, addr(&a, p)));
    printf("bind u/c: %d\n", bind(c, (struct sockaddr *)&a, addr(&a, "u/c")));
    printf("sendto: %zd\n", sendto(c, "dgram", 5, 0, (struct sockaddr *)&a, addr(&a, "u/d")));
    len = sizeof b;
    memset(buf, 0, sizeof buf);
    printf("recvfrom: %zd\n", recvfrom(d, buf, sizeof buf - 1, 0, (struct sockaddr *)&b, &len));
    show("recvfrom's sender", &b, len);

    struct iovec iov = {"msg", 3};
    struct msghdr m = {0};
    m.msg_name = &a;
    m.msg_namelen = addr(&a, "u/d");
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    printf("sendmsg: %zd\n", sendmsg(c, &m, 0));
    char rb[8] = {0};
    struct iovec riov = {rb, sizeof rb - 1};
    struct msghdr rm = {0};
    rm.msg_name = &b;
    rm.msg_namelen = sizeof b;
    rm.msg_iov = &riov;
    rm.msg_iovlen = 1;
    printf("recvmsg: %zd %s\n", recvmsg(d, &rm, 0), rb);
    show("recvmsg's sender", &b, rm.msg_namelen);

    /* abstract names are no files */
    int ab = socket(AF_UNIX, SOCK_STREAM, 0);
    char aname[32];
    int an = snprintf(aname, sizeof aname, "lbw-test-%d", (int)getpid());
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    memcpy(a.sun_path + 1, aname, (size_t)an);
    printf("bind abstract: %d\n", bind(ab, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + an));
    len = sizeof b;
    getsockname(ab, (struct sockaddr *)&b, &len);
    printf("abstract name kept: %d\n", len == offsetof(struct sockaddr_un, sun_path) + 1 + an &&
                                           !memcmp(b.sun_path + 1, aname, (size_t)an));
    unlink("u/s");
    unlink("u/d");
    unlink("u/c");
    unlink("u/link");
    rmdir("u");
    return 0;
}
