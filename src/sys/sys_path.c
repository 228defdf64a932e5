/* Calls that take paths. With a guest root or binds, every path is resolved
 * in the guest's namespace (vfs/) and the host gets an absolute host path;
 * without them paths go to the host as they are, except the exe link of
 * /proc, which names the guest program. Whether the last component's
 * symlink is followed is each call's own rule, as in the kernel. */
#include "table.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../vfs/vfs.h"
#include "../fake/fake.h"
#include "path.h"

#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04

struct open_how {
	uint64_t flags, mode, resolve;
};

/* Pins h->s (see path.h). Paths in the host's /proc are left alone: its
 * magic links are the kernel's to follow. 0, or -errno when the directory
 * cannot be opened as the walk found it. */
static long pin(struct hpath *h)
{
	h->pin = -1;
	if (!strcmp(vfs.root, "/") || starts_with(h->s, "/proc/"))
		return 0;
	size_t n = strlen(h->s);
	int slash = 0;
	while (n > 1 && h->s[n - 1] == '/')
		n--, slash = 1;
	char *last = h->s + n;
	while (last > h->s && last[-1] != '/')
		last--;
	if (last == h->s || last == h->s + n)
		return 0; /* "/" itself */
	char base[256];
	size_t bl = (size_t)(h->s + n - last);
	if (bl >= sizeof base)
		return -ENAMETOOLONG;
	memcpy(base, last, bl);
	base[bl] = 0;
	last[last - 1 == h->s ? 0 : -1] = 0; /* h->s is now the directory */
	struct open_how how = {O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	long fd = sys4(SYS_openat2, AT_FDCWD, (long)(h->s[0] ? h->s : "/"), (long)&how, sizeof how);
	if (fd < 0)
		return fd;
	h->pin = (int)fd;
	lbw_snprintf(h->s, sizeof h->s, "/proc/self/fd/%ld/%s%s", fd, base, slash ? "/" : "");
	return 0;
}

long path_xlate(long *a, int di, int pi, int follow, struct hpath *h)
{
	int dirfd = di >= 0 ? (int)a[di] : AT_FDCWD;
	h->pin = -1;
	/* Fake root needs the host path of the file itself for its records. */
	if (!vfs_active() && !fake.on) {
		/* Only the exe link needs lbw: it is lbw's to the kernel. */
		if (!follow || !cfg.exe_host[0])
			return 0;
		long r = strncpy_from_guest(h->s, (const char *)a[pi], VFS_PATH_MAX);
		if (r < 0)
			return r;
		if ((dirfd == AT_FDCWD || h->s[0] == '/') && vfs_is_self_exe(h->s)) {
			a[pi] = (long)cfg.exe_host;
			if (di >= 0)
				a[di] = AT_FDCWD;
			return 0;
		}
		/* another guest's exe link: its program, not lbw */
		char other[VFS_PATH_MAX];
		if (h->s[0] == '/' && vfs_other_exe(h->s, other, sizeof other)) {
			strlcpy(h->s, other, sizeof h->s);
			a[pi] = (long)h->s;
			if (di >= 0)
				a[di] = AT_FDCWD;
			return 1;
		}
		return 0;
	}
	long r;
	/* A symlink that appears in the directory part after the walk makes
	 * the pinning open fail with ELOOP: walk again. */
	for (int tries = 0;; tries++) {
		r = vfs_resolve(dirfd, (const char *)a[pi], follow, h->s);
		if (r < 0)
			return r;
		r = pin(h);
		if (r != -ELOOP || tries == 2)
			break;
	}
	if (r < 0)
		return r;
	a[pi] = (long)h->s;
	if (di >= 0)
		a[di] = AT_FDCWD;
	return 1;
}

void path_release(struct hpath *h)
{
	if (h->pin >= 0)
		sys1(SYS_close, h->pin);
	h->pin = -1;
}

#define IN_DONT_FOLLOW 0x02000000
#define FAN_MARK_DONT_FOLLOW 0x04

void path_nofollow(long *nr, long *a)
{
	switch (*nr) {
	case SYS_open: a[1] |= O_NOFOLLOW; break;
	case SYS_openat: a[2] |= O_NOFOLLOW; break;
	case SYS_creat:
		*nr = SYS_open;
		a[2] = a[1];
		a[1] = O_CREAT | O_WRONLY | O_TRUNC | O_NOFOLLOW;
		break;
	case SYS_stat: *nr = SYS_lstat; break;
	case SYS_newfstatat: a[3] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_statx: a[2] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_chown: *nr = SYS_lchown; break;
	case SYS_fchownat: a[4] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_chmod:
		*nr = SYS_fchmodat2;
		a[2] = a[1], a[1] = a[0], a[0] = AT_FDCWD, a[3] = AT_SYMLINK_NOFOLLOW;
		break;
	case SYS_fchmodat: *nr = SYS_fchmodat2; a[3] = AT_SYMLINK_NOFOLLOW; break;
	case SYS_fchmodat2: a[3] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_access:
		*nr = SYS_faccessat2;
		a[2] = a[1], a[1] = a[0], a[0] = AT_FDCWD, a[3] = AT_SYMLINK_NOFOLLOW;
		break;
	case SYS_faccessat: *nr = SYS_faccessat2; a[3] = AT_SYMLINK_NOFOLLOW; break;
	case SYS_faccessat2: a[3] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_utimensat: a[3] |= AT_SYMLINK_NOFOLLOW; break;
	case SYS_getxattr: *nr = SYS_lgetxattr; break;
	case SYS_setxattr: *nr = SYS_lsetxattr; break;
	case SYS_listxattr: *nr = SYS_llistxattr; break;
	case SYS_removexattr: *nr = SYS_lremovexattr; break;
	case SYS_inotify_add_watch: a[2] |= IN_DONT_FOLLOW; break;
	case SYS_fanotify_mark: a[1] |= FAN_MARK_DONT_FOLLOW; break;
	case SYS_name_to_handle_at: a[4] &= ~AT_SYMLINK_FOLLOW; break;
	case SYS_linkat: a[4] &= ~AT_SYMLINK_FOLLOW; break;
	default: break; /* utime(s), truncate, chdir, statfs: no such form */
	}
}

int path_empty(long gpath, long flags)
{
	char ch;
	return (flags & AT_EMPTY_PATH) && gpath && copy_from_guest(&ch, (void *)gpath, 1) == 0 && !ch;
}

long path_call(struct task *t, struct sc *c, const long *a)
{
	/* Opening a FIFO blocks: a guest signal may cut it short. */
	return lbw_sys_cp(c->nr, a[0], a[1], a[2], a[3], a[4], a[5], &t->pending);
}

long path1(struct task *t, struct sc *c, int di, int pi, int follow)
{
	long a[6];
	struct hpath h;
	memcpy(a, c->a, sizeof a);
	long r = path_xlate(a, di, pi, follow, &h);
	if (r < 0)
		return r;
	if (h.pin >= 0 && follow) {
		struct sc c2 = *c;
		path_nofollow(&c2.nr, a);
		r = path_call(t, &c2, a);
	} else {
		r = path_call(t, c, a);
	}
	path_release(&h);
	return r;
}

static long path2(struct task *t, struct sc *c, int di, int pi, int follow, int dj, int pj, int follow2)
{
	long a[6];
	struct hpath h, h2;
	h2.pin = -1;
	memcpy(a, c->a, sizeof a);
	long r = path_xlate(a, di, pi, follow, &h);
	if (r >= 0)
		r = path_xlate(a, dj, pj, follow2, &h2);
	if (r >= 0) {
		struct sc c2 = *c;
		if (h.pin >= 0 && follow)
			path_nofollow(&c2.nr, a); /* linkat with AT_SYMLINK_FOLLOW */
		r = path_call(t, &c2, a);
	}
	path_release(&h);
	path_release(&h2);
	return r;
}

static int open_follows(long flags)
{
	return !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
}

static int at_follows(long flags)
{
	return !(flags & AT_SYMLINK_NOFOLLOW);
}

#define PATH_AT(name, flagsarg)                                                       \
	long sys_##name(struct task *t, struct sc *c)                                   \
	{                                                                               \
		if (path_empty(c->a[1], c->a[flagsarg]))                                    \
			return path_call(t, c, c->a);                                                \
		return path1(t, c, 0, 1, at_follows(c->a[flagsarg]));                       \
	}

long sys_open(struct task *t, struct sc *c) { return path1(t, c, -1, 0, open_follows(c->a[1])); }
long sys_openat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, open_follows(c->a[2])); }
long sys_creat(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }

long sys_openat2(struct task *t, struct sc *c)
{
	uint64_t flags = 0;
	if (c->a[2] && copy_from_guest(&flags, (void *)c->a[2], sizeof flags) < 0)
		return -EFAULT;
	return path1(t, c, 0, 1, open_follows((long)flags));
}

long sys_access(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_faccessat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, FOLLOW); }
PATH_AT(faccessat2, 3)
long sys_mkdir(struct task *t, struct sc *c) { return path1(t, c, -1, 0, NOFOLLOW); }
long sys_mkdirat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, NOFOLLOW); }
long sys_rmdir(struct task *t, struct sc *c) { return path1(t, c, -1, 0, NOFOLLOW); }
long sys_unlink(struct task *t, struct sc *c) { return path1(t, c, -1, 0, NOFOLLOW); }
long sys_unlinkat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, NOFOLLOW); }
long sys_utime(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_utimes(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_futimesat(struct task *t, struct sc *c) { return c->a[1] ? path1(t, c, 0, 1, FOLLOW) : path_call(t, c, c->a); }
long sys_truncate(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_chdir(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_statfs(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
PATH_AT(setxattrat, 2)
PATH_AT(getxattrat, 2)
PATH_AT(listxattrat, 2)
PATH_AT(removexattrat, 2)
PATH_AT(file_getattr, 4)
PATH_AT(file_setattr, 4)
PATH_AT(open_tree, 2)

long sys_utimensat(struct task *t, struct sc *c)
{
	if (!c->a[1])
		return path_call(t, c, c->a); /* NULL path: the file dirfd refers to */
	return path1(t, c, 0, 1, at_follows(c->a[3]));
}

long sys_inotify_add_watch(struct task *t, struct sc *c)
{
	return path1(t, c, -1, 1, !(c->a[2] & IN_DONT_FOLLOW));
}

long sys_fanotify_mark(struct task *t, struct sc *c)
{
	if (!c->a[4])
		return path_call(t, c, c->a);
	return path1(t, c, 3, 4, !(c->a[1] & FAN_MARK_DONT_FOLLOW));
}

long sys_name_to_handle_at(struct task *t, struct sc *c)
{
	if (path_empty(c->a[1], c->a[4]))
		return path_call(t, c, c->a);
	return path1(t, c, 0, 1, (c->a[4] & AT_SYMLINK_FOLLOW) != 0);
}

long sys_rename(struct task *t, struct sc *c) { return path2(t, c, -1, 0, NOFOLLOW, -1, 1, NOFOLLOW); }
long sys_renameat(struct task *t, struct sc *c) { return path2(t, c, 0, 1, NOFOLLOW, 2, 3, NOFOLLOW); }
long sys_renameat2(struct task *t, struct sc *c) { return path2(t, c, 0, 1, NOFOLLOW, 2, 3, NOFOLLOW); }
long sys_link(struct task *t, struct sc *c) { return path2(t, c, -1, 0, NOFOLLOW, -1, 1, NOFOLLOW); }

long sys_linkat(struct task *t, struct sc *c)
{
	if (path_empty(c->a[1], c->a[4]))
		return path1(t, c, 2, 3, NOFOLLOW);
	return path2(t, c, 0, 1, (c->a[4] & AT_SYMLINK_FOLLOW) != 0, 2, 3, NOFOLLOW);
}

/* The target of a symlink is text, stored as the guest wrote it. */
long sys_symlink(struct task *t, struct sc *c) { return path1(t, c, -1, 1, NOFOLLOW); }
long sys_symlinkat(struct task *t, struct sc *c) { return path1(t, c, 1, 2, NOFOLLOW); }

/* readlink: the exe link names the guest program; /proc's other magic
 * links (fd/N, cwd, root) name host files, shown as guest paths. */
static long readlink_common(struct task *t, struct sc *c, int di, int pi, int bi, int si)
{
	long a[6];
	char buf[VFS_PATH_MAX], path[VFS_PATH_MAX], out[VFS_PATH_MAX];
	memcpy(a, c->a, sizeof a);
	long size = a[si];
	if (size <= 0)
		return -EINVAL;
	long r = strncpy_from_guest(path, (const char *)a[pi], sizeof path);
	if (r < 0)
		return r;
	int dirfd = di >= 0 ? (int)a[di] : AT_FDCWD;
	const char *host = path;
	if (vfs_active()) {
		r = vfs_resolve_local(dirfd, path, NOFOLLOW, buf);
		if (r < 0)
			return r;
		host = buf;
		dirfd = AT_FDCWD;
	}
	if (cfg.exe_path[0] && (dirfd == AT_FDCWD || path[0] == '/') && vfs_is_self_exe(host)) {
		size_t n = strlen(cfg.exe_path);
		if ((size_t)size < n)
			n = size;
		return copy_to_guest((void *)a[bi], cfg.exe_path, n) < 0 ? -EFAULT : (long)n;
	}
	if (vfs_other_exe(host, out, sizeof out)) {
		vfs_host_to_guest(out, buf, sizeof buf);
		size_t n = strlen(buf);
		if ((size_t)size < n)
			n = size;
		return copy_to_guest((void *)a[bi], buf, n) < 0 ? -EFAULT : (long)n;
	}
	if (!vfs_active() || !starts_with(host, "/proc/")) {
		a[pi] = (long)host;
		if (di >= 0)
			a[di] = dirfd;
		return path_call(t, c, a);
	}
	long n = sys4(SYS_readlinkat, AT_FDCWD, (long)host, (long)out, sizeof out - 1);
	if (n < 0)
		return n;
	out[n] = 0;
	if (out[0] == '/') {
		vfs_host_to_guest(out, buf, sizeof buf);
		n = strlen(buf);
		memcpy(out, buf, n + 1);
	}
	if (n > size)
		n = size;
	return copy_to_guest((void *)a[bi], out, n) < 0 ? -EFAULT : n;
}

long sys_readlink(struct task *t, struct sc *c) { return readlink_common(t, c, -1, 0, 1, 2); }
long sys_readlinkat(struct task *t, struct sc *c) { return readlink_common(t, c, 0, 1, 2, 3); }

long sys_getcwd(struct task *t, struct sc *c)
{
	if (!vfs_active())
		return path_call(t, c, c->a);
	char g[VFS_PATH_MAX];
	long r = vfs_guest_cwd(g, sizeof g);
	if (r < 0)
		return r;
	size_t n = strlen(g) + 1;
	if ((size_t)c->a[1] < n)
		return -ERANGE;
	return copy_to_guest((void *)c->a[0], g, n) < 0 ? -EFAULT : (long)n;
}

/* Mounting inside the guest's view, for a guest that is root (really or
 * by -0): bind mounts and the kernel's own trees (proc, sysfs, devpts) are
 * emulated as lbw binds, seen by this process and its children; changes of
 * propagation or remounts succeed as no-ops. Anything else -- a new file
 * system -- gets EPERM, as for an unprivileged user. */
#define MS_RDONLY 1
#define MS_REMOUNT 32
#define MS_BIND 4096
#define MS_UNBINDABLE (1 << 17)
#define MS_PRIVATE (1 << 18)
#define MS_SLAVE (1 << 19)
#define MS_SHARED (1 << 20)

static long guest_is_root(void)
{
	return (fake.on ? fake.c.euid : sys0(SYS_geteuid)) == 0;
}

/* The guest's canonical name of an existing file or directory the guest
 * names (mount points, chroot); its host path in host, its stat in st. */
static long guest_place(long gpath, char *host, char *guest, struct k_stat *st)
{
	long r = vfs_resolve(AT_FDCWD, (const char *)gpath, FOLLOW, host);
	if (r < 0)
		return r;
	r = sys2(SYS_stat, (long)host, (long)st);
	if (r < 0)
		return r;
	vfs_host_to_guest(host, guest, VFS_PATH_MAX);
	return 0;
}

long sys_mount(struct task *t, struct sc *c)
{
	if (!vfs_active() && !fake.on)
		return path_call(t, c, c->a);
	if (!guest_is_root())
		return -EPERM;
	unsigned long flags = (unsigned long)c->a[3];
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX], type[64] = "";
	if (c->a[2] && strncpy_from_guest(type, (const char *)c->a[2], sizeof type) < 0)
		return -EFAULT;
	struct k_stat st;
	long r = guest_place(c->a[1], host, guest, &st);
	if (r < 0)
		return r;
	if (flags & (MS_REMOUNT | MS_PRIVATE | MS_SLAVE | MS_SHARED | MS_UNBINDABLE))
		return 0;
	if (flags & MS_BIND) {
		char src[VFS_PATH_MAX];
		r = vfs_resolve(AT_FDCWD, (const char *)c->a[0], FOLLOW, src);
		return r < 0 ? r : vfs_add_bind(src, guest);
	}
	static const char kernel_trees[][2][10] = {
		{"proc", "/proc"}, {"sysfs", "/sys"}, {"devpts", "/dev/pts"}, {"devtmpfs", "/dev"},
	};
	for (unsigned i = 0; i < sizeof kernel_trees / sizeof kernel_trees[0]; i++)
		if (!strcmp(type, kernel_trees[i][0]))
			return vfs_add_bind(kernel_trees[i][1], guest);
	return -EPERM;
}

long sys_umount2(struct task *t, struct sc *c)
{
	if (!vfs_active() && !fake.on)
		return path_call(t, c, c->a);
	if (!guest_is_root())
		return -EPERM;
	char host[VFS_PATH_MAX], guest[VFS_PATH_MAX];
	struct k_stat st;
	long r = guest_place(c->a[0], host, guest, &st);
	if (r < 0)
		return r;
	return vfs_remove_bind(guest);
}

/* chroot inside the guest: the new root is a guest directory; binds below
 * it stay visible at their place in the new root, the others go. */
long sys_chroot(struct task *t, struct sc *c)
{
	long euid = fake.on ? fake.c.euid : sys0(SYS_geteuid);
	if (!vfs_active() && euid != 0)
		return path_call(t, c, c->a);
	if (euid != 0)
		return -EPERM;
	char host[VFS_PATH_MAX], g[VFS_PATH_MAX];
	struct k_stat st;
	long r = guest_place(c->a[0], host, g, &st);
	if (r < 0)
		return r;
	if ((st.st_mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	size_t gl = strlen(g);
	int k = 0;
	for (int i = 0; i < vfs.nbinds; i++) {
		const char *bg = vfs.binds[i].guest;
		if (gl == 1 || (!strncmp(bg, g, gl) && (bg[gl] == '/' || !bg[gl]))) {
			vfs.binds[k] = vfs.binds[i];
			if (gl > 1)
				vfs.binds[k].guest = bg[gl] ? (char *)bg + gl : "/";
			k++;
		}
	}
	vfs.nbinds = k;
	return vfs_set_root(host);
}
