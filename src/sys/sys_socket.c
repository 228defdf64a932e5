/* AF_UNIX socket paths. In a guest root a socket's file name is a guest
 * path: bind, connect, sendto and sendmsg get it resolved to a host path,
 * and the names the kernel hands back (getsockname, getpeername, accept,
 * recvfrom, recvmsg) are mapped back to guest paths. Abstract names (a
 * leading NUL) and other families pass untouched; so does everything when
 * the guest sees the host's tree. */
#include "table.h"
#include "path.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../vfs/vfs.h"

struct k_sockaddr_un {
	uint16_t family;
	char path[108];
};

struct k_msghdr {
	void *name;
	int namelen;
	void *iov;
	unsigned long iovlen;
	void *control;
	unsigned long controllen;
	unsigned flags;
};

/* The host address for the guest's address at gaddr (glen bytes): 1 with
 * *out and *outlen set, 0 when it is not a guest file name, or -errno. A
 * host path too long for sun_path is reached through an O_PATH descriptor
 * of its directory (*dirfd, to be closed after the call). */
static long unix_in(long gaddr, long glen, int follow, struct k_sockaddr_un *out, long *outlen, long *dirfd)
{
	*dirfd = -1;
	if (!vfs_active() || !gaddr || glen <= 2)
		return 0;
	struct k_sockaddr_un g;
	memset(&g, 0, sizeof g);
	unsigned long n = (unsigned long)glen < sizeof g ? (unsigned long)glen : sizeof g;
	if (copy_from_guest(&g, (void *)gaddr, n) < 0)
		return -EFAULT;
	if (g.family != AF_UNIX || !g.path[0])
		return 0;
	char gpath[sizeof g.path + 1], host[VFS_PATH_MAX];
	memcpy(gpath, g.path, n - 2);
	gpath[n - 2] = 0;
	long r = vfs_resolve_local(AT_FDCWD, gpath, follow, host);
	if (r < 0)
		return r;
	memset(out, 0, sizeof *out);
	out->family = AF_UNIX;
	/* The kernel keeps a bound name as it was given: a relative name that
	 * resolves on the host to just what lbw found (no symlink or bind on
	 * its way) is handed on as it is, so getsockname reads as natively. */
	if (gpath[0] != '/') {
		char cwd[VFS_PATH_MAX];
		long cl = sys2(SYS_getcwd, (long)cwd, sizeof cwd);
		size_t gl = strlen(gpath);
		if (cl > 0 && !strncmp(host, cwd, (size_t)cl - 1) && host[cl - 1] == '/' &&
		    !strcmp(host + cl, gpath)) {
			memcpy(out->path, gpath, gl + 1);
			*outlen = (long)(2 + gl + 1);
			return 1;
		}
	}
	size_t hl = strlen(host);
	if (hl < sizeof out->path) {
		memcpy(out->path, host, hl + 1);
	} else {
		char *slash = strrchr(host, '/');
		*slash = 0;
		long fd = sys3(SYS_openat, AT_FDCWD, (long)(slash == host ? "/" : host), O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return fd;
		/* (not /proc/TID, shorter: in a PID namespace the mounted /proc
		 * may number tasks otherwise) */
		if (lbw_snprintf(out->path, sizeof out->path, PROC_FD "%ld/%s", fd, slash + 1) >=
		    (int)sizeof out->path) {
			sys1(SYS_close, fd);
			return -ENAMETOOLONG;
		}
		*dirfd = fd;
	}
	*outlen = (long)(2 + strlen(out->path) + 1);
	return 1;
}

/* After the kernel wrote an address of *glenp bytes (the guest gave room
 * for room bytes) at gaddr: a host file name there becomes the guest's. */
static long unix_out(long gaddr, long room, long glenp_or_len, int len_is_ptr)
{
	if (!vfs_active() || !gaddr || room <= 2)
		return 0;
	int len = (int)glenp_or_len;
	if (len_is_ptr && copy_from_guest(&len, (void *)glenp_or_len, sizeof len) < 0)
		return -EFAULT;
	if (len <= 2)
		return 0;
	struct k_sockaddr_un a;
	memset(&a, 0, sizeof a);
	long n = room < len ? room : len;
	if (n > (long)sizeof a)
		n = sizeof a;
	if (copy_from_guest(&a, (void *)gaddr, (size_t)n) < 0)
		return -EFAULT;
	if (a.family != AF_UNIX || !a.path[0] || n < len)
		return 0; /* abstract, another family, or cut short: as it is */
	char host[sizeof a.path + 1], guest[VFS_PATH_MAX];
	memcpy(host, a.path, (size_t)n - 2);
	host[n - 2] = 0;
	if (!vfs_host_to_guest(host, guest, sizeof guest))
		return 0;
	int glen = (int)(2 + strlen(guest) + 1);
	if (glen > (int)sizeof a)
		return 0;
	memset(a.path, 0, sizeof a.path);
	memcpy(a.path, guest, strlen(guest));
	/* As the kernel: the address is cut to the room, the length is whole. */
	if (copy_to_guest((void *)gaddr, &a, (size_t)(room < glen ? room : glen)) < 0)
		return -EFAULT;
	return len_is_ptr ? copy_to_guest((void *)glenp_or_len, &glen, sizeof glen) : glen;
}

static long room_of(long glenp)
{
	int room = 0;
	if (glenp && copy_from_guest(&room, (void *)glenp, sizeof room) < 0)
		return -EFAULT;
	return room;
}

/* bind (the name is made: its last symlink is not followed), connect and
 * sendto (the name is used: followed). */
static long addr_call(struct task *t, struct sc *c, int ai, int follow)
{
	long a[6], len, dirfd;
	struct k_sockaddr_un host;
	memcpy(a, c->a, sizeof a);
	long r = unix_in(a[ai], a[ai + 1], follow, &host, &len, &dirfd);
	if (r < 0)
		return r;
	if (r) {
		a[ai] = (long)&host;
		a[ai + 1] = len;
	}
	r = path_call(t, c, a);
	if (dirfd >= 0)
		sys1(SYS_close, dirfd);
	return r;
}

long sys_bind(struct task *t, struct sc *c) { return addr_call(t, c, 1, NOFOLLOW); }
long sys_connect(struct task *t, struct sc *c) { return addr_call(t, c, 1, FOLLOW); }
long sys_sendto(struct task *t, struct sc *c) { return addr_call(t, c, 4, FOLLOW); }

long sys_sendmsg(struct task *t, struct sc *c)
{
	if (!vfs_active())
		return path_call(t, c, c->a);
	struct k_msghdr m;
	if (copy_from_guest(&m, (void *)c->a[1], sizeof m) < 0)
		return -EFAULT;
	long len, dirfd;
	struct k_sockaddr_un host;
	long r = unix_in((long)m.name, m.namelen, FOLLOW, &host, &len, &dirfd);
	if (r <= 0)
		return r < 0 ? r : path_call(t, c, c->a);
	m.name = &host;
	m.namelen = (int)len;
	long a[6];
	memcpy(a, c->a, sizeof a);
	a[1] = (long)&m;
	r = path_call(t, c, a);
	if (dirfd >= 0)
		sys1(SYS_close, dirfd);
	return r;
}

/* Calls that hand an address back: (addr a[ai], length pointer a[ai+1]). */
static long name_out(struct task *t, struct sc *c, int ai)
{
	if (!vfs_active() || !c->a[ai] || !c->a[ai + 1])
		return path_call(t, c, c->a);
	long room = room_of(c->a[ai + 1]);
	if (room < 0)
		return room;
	long r = path_call(t, c, c->a);
	if (r >= 0)
		unix_out(c->a[ai], room, c->a[ai + 1], 1); /* done: a new fd must not be lost */
	return r;
}

long sys_getsockname(struct task *t, struct sc *c) { return name_out(t, c, 1); }
long sys_getpeername(struct task *t, struct sc *c) { return name_out(t, c, 1); }
long sys_accept(struct task *t, struct sc *c) { return name_out(t, c, 1); }
long sys_accept4(struct task *t, struct sc *c) { return name_out(t, c, 1); }
long sys_recvfrom(struct task *t, struct sc *c) { return name_out(t, c, 4); }

long sys_recvmsg(struct task *t, struct sc *c)
{
	if (!vfs_active())
		return path_call(t, c, c->a);
	struct k_msghdr m;
	if (copy_from_guest(&m, (void *)c->a[1], sizeof m) < 0)
		return path_call(t, c, c->a); /* the kernel says EFAULT */
	long r = path_call(t, c, c->a);
	int len;
	/* the kernel wrote the name's whole length into the guest's msghdr */
	if (r >= 0 && m.name && copy_from_guest(&len, (char *)c->a[1] + 8, sizeof len) == 0) {
		int glen = (int)unix_out((long)m.name, m.namelen, len, 0);
		if (glen > 0)
			copy_to_guest((char *)c->a[1] + 8, &glen, sizeof glen);
	}
	return r;
}
