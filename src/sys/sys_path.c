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
static long pin(struct hpath *h, int follow)
{
	hpath_init(h);
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
	if (slash && follow) {
		/* A lookup whose walk followed the last component. With the
		 * slash the kernel would follow a symlink swapped in there
		 * since, no-follow form or not: walk again for a symlink, name
		 * a directory without it, and give the kernel's answer for
		 * anything else (nothing else can succeed). */
		struct k_stat st;
		long e = sys4(SYS_newfstatat, fd, (long)base, (long)&st, AT_SYMLINK_NOFOLLOW);
		if (e == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
			e = -ELOOP;
		else if (e == 0 && (st.st_mode & S_IFMT) != S_IFDIR)
			e = -ENOTDIR;
		if (e < 0) {
			sys1(SYS_close, fd);
			return e;
		}
		slash = 0;
	}
	h->pin = (int)fd;
	h->nofollow = follow;
	lbw_snprintf(h->s, sizeof h->s, PROC_FD "%ld/%s%s", fd, base, slash ? "/" : "");
	return 0;
}

/* The call names the file by h->s: a host path, or PROC_FD "N/name"
 * for a name in directory N (fd -1: none), which fake root's path calls
 * take as it is. A call that takes a dirfd names it by (N, name) instead,
 * which spares the kernel a walk through /proc and its magic link. */
static void name_pinned(long *a, int di, int pi, struct hpath *h, int fd)
{
	a[pi] = (long)h->s;
	if (di < 0)
		return;
	a[di] = AT_FDCWD;
	if (fd < 0)
		return;
	const char *s = h->s + sizeof PROC_FD - 1;
	while (*s >= '0' && *s <= '9')
		s++;
	a[di] = fd;
	a[pi] = (long)(s + 1);
}

static long open_dir_nosymlinks(int dirfd, const char *path)
{
	struct open_how how = {O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	return sys4(SYS_openat2, dirfd, (long)path, (long)&how, sizeof how);
}

/* The number of components of a canonical guest path ("/" has none). */
static int components(const char *g)
{
	int n = 0;
	for (; *g; g++)
		if (*g == '/' && g[1])
			n++;
	return n;
}

/* The quick way through a guest root. lbw's walk costs a readlink per
 * component; the kernel can walk a path in one call when lbw asks it to
 * refuse symlinks (openat2 with RESOLVE_NO_SYMLINKS: ELOOP sends the path
 * back to lbw's walk). The kernel's walk and lbw's then agree when the
 * path has no `.` or `..` and no trailing slash, crosses no bind between
 * its base directory and its end (an absolute path may enter a bind of
 * one component: /tmp, /dev), and leads nowhere in the host's /proc (its
 * magic links are lbw's to interpret). A relative path's base directory
 * must be in the guest's view. 1 when path qualifies, with what the kernel
 * is to walk: *base and out (AT_FDCWD and the host path for an absolute
 * path; the guest's dirfd or AT_FDCWD and the path itself, slashes
 * squeezed, for a relative one); 0 when the walk must do it. */
static int quick_path(const long *a, int di, const char *path, int *base, char *out)
{
	char g[VFS_PATH_MAX], gb[VFS_PATH_MAX];
	size_t len = strlen(path);
	if (!len || path[len - 1] == '/')
		return 0;
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		size_t n = 0;
		while (p[n] && p[n] != '/')
			n++;
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') || n > 255)
			return 0;
		p += n;
	}
	int dirfd = di >= 0 ? (int)a[di] : AT_FDCWD, absolute = path[0] == '/';
	int bb = -1;
	gb[0] = 0;
	if (!absolute) {
		long r = dirfd == AT_FDCWD ? vfs_guest_cwd(gb, sizeof gb) : vfs_fd_guest_path(dirfd, gb, sizeof gb);
		if (r != 1)
			return 0;
		bb = vfs_bind_of(gb);
		if (!strcmp(gb, "/"))
			gb[0] = 0;
	}
	/* The file's guest path, with single slashes. */
	size_t gl = strlen(gb);
	if (gl + len + 2 > sizeof g)
		return 0;
	char *o = g + gl;
	memcpy(g, gb, gl);
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		*o++ = '/';
		while (*p && *p != '/')
			*o++ = *p++;
	}
	*o = 0;
	int bf = vfs_bind_of(g);
	if (absolute ? bf >= 0 && components(vfs.binds[bf].guest) != 1 : bf != bb)
		return 0;
	if (vfs_guest_to_host(g, out) < 0 || !strcmp(out, "/proc") || starts_with(out, "/proc/"))
		return 0;
	*base = absolute ? AT_FDCWD : dirfd;
	if (!absolute)
		memmove(out, g + gl + 1, strlen(g + gl + 1) + 1);
	return 1;
}

/* path_xlate's quick way: the directory part pinned by the kernel's walk
 * (no directory part: the guest's dirfd or cwd is the directory), the last
 * component looked at with one readlink when the call follows it (a
 * symlink there is the walk's to follow). 1 when done, 0 for the walk. */
static int quick_xlate(long *a, int di, int pi, int follow, struct hpath *h, const char *path)
{
	char q[VFS_PATH_MAX], buf[1];
	int base;
	if (!quick_path(a, di, path, &base, q))
		return 0;
	char *slash = strrchr(q, '/'), *name = q;
	int pinfd = base;
	if (slash) {
		name = slash + 1;
		char *cut = slash == q ? slash + 1 : slash; /* "/x": the directory is "/" */
		char keep = *cut;
		*cut = 0;
		long fd = open_dir_nosymlinks(base, q);
		*cut = keep;
		if (fd < 0)
			return 0;
		h->pin = pinfd = (int)fd;
	}
	if (!*name) {
		path_release(h);
		return 0;
	}
	if (follow) {
		long n = sys4(SYS_readlinkat, pinfd, (long)name, (long)buf, sizeof buf);
		if (n != -EINVAL && n != -ENOENT) {
			path_release(h);
			return 0;
		}
	}
	if (pinfd != AT_FDCWD) {
		/* in lbw's pin, or in the guest's dirfd */
		lbw_snprintf(h->s, sizeof h->s, PROC_FD "%d/%s", pinfd, name);
		name_pinned(a, di, pi, h, pinfd);
	} else {
		strlcpy(h->s, name, sizeof h->s); /* relative to the cwd */
		a[pi] = (long)h->s;
	}
	h->nofollow = follow;
	return 1;
}

/* Whether the last component is "." or "..". */
static int ends_in_dots(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *last = path + n;
	while (last > path && last[-1] != '/')
		last--;
	size_t len = (size_t)(path + n - last);
	return (len == 1 && last[0] == '.') || (len == 2 && last[0] == '.' && last[1] == '.');
}

/* Whether guest path gpath is the root itself ("/", "//"...): the
 * kernel's walk ends there with no last name at all, and rmdir, rename
 * and open with O_CREAT say so by their errors; in a guest root the host
 * path is a plain directory's. */
static int is_root_name(const char *path)
{
	if (!vfs_active())
		return 0;
	for (const char *p = path; *p; p++)
		if (*p != '/')
			return 0;
	return path[0] == '/';
}

/* The same for guest path argument gpath. */
static int is_root_arg(long gpath)
{
	char path[VFS_PATH_MAX];
	return vfs_active() && strncpy_from_guest(path, (const char *)gpath, sizeof path) > 0 && is_root_name(path);
}

/* unlink and rmdir of a mount point: EBUSY (the host would remove the
 * bound file or directory itself). 1 with *r when so. */
static int removes_mountpoint(const long *a, int di, int pi, int dir, long *r)
{
	char path[VFS_PATH_MAX], g[VFS_PATH_MAX], h[VFS_PATH_MAX];
	if (!vfs_active() || !vfs_has_mounts() || strncpy_from_guest(path, (const char *)a[pi], sizeof path) <= 0 ||
	    ends_in_dots(path) || vfs_resolve_guest(di >= 0 ? (int)a[di] : AT_FDCWD, path, NOFOLLOW, g) < 0 ||
	    !vfs_is_mountpoint(g))
		return 0;
	/* The kernel's order: the kind of file first (unlink of a directory
	 * EISDIR, rmdir of a file or a file's "f/" ENOTDIR), then EBUSY. */
	struct k_stat st;
	if (vfs_guest_to_host(g, h) < 0 || sys4(SYS_newfstatat, AT_FDCWD, (long)h, (long)&st, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	int is_dir = (st.st_mode & S_IFMT) == S_IFDIR;
	size_t n = strlen(path);
	if (dir)
		*r = is_dir ? -EBUSY : -ENOTDIR;
	else
		*r = is_dir ? -EISDIR : path[n - 1] == '/' ? -ENOTDIR : -EBUSY;
	return 1;
}

/* A name call's "dir/." or "dir/..": the directory walked (following),
 * pinned, and the dots handed to the kernel as the last component, which
 * it refuses to act on. */
static long dots_xlate(long *a, int di, int pi, struct hpath *h, const char *path)
{
	char dir[VFS_PATH_MAX];
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t d = n;
	while (d > 0 && path[d - 1] != '/')
		d--;
	const char *dots = path[d + 1] == '.' && d + 2 == n ? ".." : ".";
	memcpy(dir, path, d);
	dir[d] = 0;
	if (!d)
		strlcpy(dir, ".", sizeof dir);
	int dirfd = di >= 0 ? (int)a[di] : AT_FDCWD;
	long r = vfs_resolve_local(dirfd, dir, FOLLOW, h->s);
	if (r < 0)
		return r;
	size_t hl = strlen(h->s);
	if (hl + 4 > sizeof h->s)
		return -ENAMETOOLONG;
	lbw_snprintf(h->s + hl, sizeof h->s - hl, "%s%s", hl && h->s[hl - 1] == '/' ? "" : "/", dots);
	r = pin(h, NOFOLLOW);
	if (r < 0)
		return r;
	name_pinned(a, di, pi, h, h->pin);
	return 1;
}

long path_xlate(long *a, int di, int pi, int follow, struct hpath *h)
{
	int dirfd = di >= 0 ? (int)a[di] : AT_FDCWD;
	int slash_name = (follow & SLASH_NAME) != 0;
	follow &= ~SLASH_NAME;
	int name_only = follow == NAME;
	if (name_only)
		follow = NOFOLLOW;
	hpath_init(h);
	/* Fake root needs the host path of the file itself for its records. */
	if (!vfs_active() && !fake.on) {
		/* Only the exe link needs lbw: it is lbw's to the kernel. */
		if (!follow || !cfg.exe_host[0])
			return 0;
		long r = strncpy_from_guest(h->s, (const char *)a[pi], VFS_PATH_MAX);
		if (r < 0)
			return r;
		if (vfs_lbw_fd_link(h->s))
			return -ENOENT;
		if ((dirfd == AT_FDCWD || h->s[0] == '/') && vfs_is_self_exe(h->s)) {
			/* (the file as mapped now: renamed, it is found) */
			vfs_self_exe_host(h->s, sizeof h->s);
			a[pi] = (long)h->s;
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
	char path[VFS_PATH_MAX];
	long r = strncpy_from_guest(path, (const char *)a[pi], sizeof path);
	if (r < 0)
		return r;
	/* "link/" is the directory the link leads to, for a lookup: the kernel
	 * would follow it (in host terms, out of a guest root), so lbw's walk
	 * does, in guest terms. */
	int slash = r > 1 && path[r - 1] == '/';
	if (slash && slash_name)
		name_only = 1, follow = NOFOLLOW;
	else if (slash && !name_only)
		follow = FOLLOW;
	/* A call on a name ending in "." or "..": the kernel refuses it
	 * (EINVAL, EBUSY, EEXIST...) without following anything; lbw's walk
	 * would drop the "." and act on the directory. */
	if (name_only && ends_in_dots(path))
		return dots_xlate(a, di, pi, h, path);
	if (quick_xlate(a, di, pi, follow, h, path))
		return 1;
	/* A symlink that appears in the directory part after the walk makes
	 * the pinning open fail with ELOOP: walk again. */
	for (int tries = 0;; tries++) {
		r = vfs_resolve_local(dirfd, path, follow, h->s);
		if (r < 0)
			return r;
		r = pin(h, follow);
		if (r != -ELOOP || tries == 2)
			break;
	}
	if (r < 0)
		return r;
	name_pinned(a, di, pi, h, h->pin);
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

/* The call with its path translated (h released by the caller). */
static long xlate_call(struct task *t, struct sc *c, int di, int pi, int follow, struct hpath *h)
{
	long a[6];
	memcpy(a, c->a, sizeof a);
	long r = path_xlate(a, di, pi, follow, h);
	if (r < 0)
		return r;
	struct sc c2 = *c;
	if (h->nofollow)
		path_nofollow(&c2.nr, a);
	return path_call(t, &c2, a);
}

long path1(struct task *t, struct sc *c, int di, int pi, int follow)
{
	struct hpath h;
	long r = xlate_call(t, c, di, pi, follow, &h);
	path_release(&h);
	return r;
}

static long path2(struct task *t, struct sc *c, int di, int pi, int follow, int dj, int pj, int follow2)
{
	long a[6];
	struct hpath h, h2;
	hpath_init(&h2);
	memcpy(a, c->a, sizeof a);
	long r = path_xlate(a, di, pi, follow, &h);
	if (r >= 0)
		r = path_xlate(a, dj, pj, follow2, &h2);
	if (r >= 0) {
		struct sc c2 = *c;
		if (h.nofollow)
			path_nofollow(&c2.nr, a); /* linkat with AT_SYMLINK_FOLLOW */
		r = path_call(t, &c2, a);
	}
	path_release(&h);
	path_release(&h2);
	return r;
}

static int open_follows(long flags)
{
	if (flags & O_PATH) /* the kernel ignores O_CREAT and O_EXCL then: a lookup */
		flags &= ~(long)(O_CREAT | O_EXCL);
	int follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	return follow | (flags & O_CREAT ? SLASH_NAME : 0);
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

/* The flags openat2 takes (open and openat ignore any others). */
#define OPEN_FLAGS_KNOWN 037777703L

/* A pinned open: lbw's descriptor of the directory took the lowest free
 * number, which the guest's new descriptor should have had; it moves
 * there (dup3 closes the pin). */
static long open_pinned(struct task *t, struct sc *c, int di, int pi, int follow, long flags)
{
	struct hpath h;
	long r = xlate_call(t, c, di, pi, follow, &h);
	if (r > h.pin && h.pin >= 0 && sys3(SYS_dup3, r, h.pin, flags & O_CLOEXEC) == h.pin) {
		sys1(SYS_close, r);
		r = h.pin;
		h.pin = -1;
	}
	path_release(&h);
	return r;
}

/* The kernel's walk, for a path quick_path admits: one openat2 with the
 * given flags and mode that refuses symlinks. 1 with *r its answer; 0 when
 * the path, a symlink on the way (ELOOP) or flags openat2 refuses (EINVAL)
 * send it to lbw's walk. Opening a FIFO blocks: a guest signal may cut it
 * short. */
static int open_quick(struct task *t, const long *a, int di, int pi, uint64_t flags, uint64_t mode, long *r)
{
	char path[VFS_PATH_MAX], q[VFS_PATH_MAX];
	int base;
	if (!vfs_active() || strncpy_from_guest(path, (const char *)a[pi], sizeof path) < 0)
		return 0;
	if (!quick_path(a, di, path, &base, q))
		return 0;
	struct open_how how = {flags, mode, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	*r = lbw_sys_cp(SYS_openat2, base, (long)q, (long)&how, sizeof how, 0, 0, &t->pending);
	return *r != -ELOOP && *r != -EINVAL;
}

/* open with O_CREAT of a name that is no name ("dir/.", "..", "/"): the
 * kernel walks to the directory, then refuses (EEXIST with O_EXCL, else
 * EISDIR); lbw's walk would hand the host a plain name. 1 with *r. */
static int open_no_name(long *a, int di, int pi, long flags, long *r)
{
	char path[VFS_PATH_MAX], host[VFS_PATH_MAX];
	if (!vfs_active() || !(flags & O_CREAT) || (flags & O_PATH) ||
	    strncpy_from_guest(path, (const char *)a[pi], sizeof path) <= 0)
		return 0;
	if (!ends_in_dots(path) && !is_root_name(path))
		return 0;
	*r = vfs_resolve_local(di >= 0 ? (int)a[di] : AT_FDCWD, path, FOLLOW, host);
	if (*r >= 0)
		*r = flags & O_EXCL ? -EEXIST : -EISDIR;
	return 1;
}

/* open, openat, creat. In a guest root, a path that can take the quick
 * way is opened by the kernel in one openat2; any other goes through
 * lbw's walk. */
static long open_common(struct task *t, struct sc *c, int di, int pi, long flags, long mode)
{
	long r;
	if (open_no_name(c->a, di, pi, flags, &r))
		return r;
	uint64_t m = flags & (O_CREAT | O_TMPFILE) ? (uint64_t)mode & 07777 : 0;
	if (!(flags & ~OPEN_FLAGS_KNOWN) && open_quick(t, c->a, di, pi, (uint64_t)flags, m, &r))
		return r;
	return open_pinned(t, c, di, pi, open_follows(flags), flags);
}

int path_open_quick(struct task *t, const long *a, int di, int pi, int follow, long *fd)
{
	return open_quick(t, a, di, pi, O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW), 0, fd);
}

/* Flags, modes and times the kernel refuses before it walks the path.
 * lbw walks first, where it walks: a bad path would answer (ENOENT,
 * ENOTDIR) where the kernel says EINVAL. Values no call refuses go on at
 * no cost; others are put to the kernel first, the call made with a
 * dirfd of -1 and a relative name, which it refuses (EBADF) only after
 * those checks: any other answer is the call's. */
#define __O_TMPFILE 020000000
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define RENAME_WHITEOUT 4
#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

static int odd_times(long gtimes)
{
	struct k_timespec ts[2];
	if (!gtimes || copy_from_guest(ts, (void *)gtimes, sizeof ts) < 0)
		return gtimes != 0; /* (a bad pointer: the kernel's EFAULT) */
	for (int i = 0; i < 2; i++)
		if ((ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000L) && ts[i].tv_nsec != UTIME_NOW &&
		    ts[i].tv_nsec != UTIME_OMIT)
			return 1;
	return 0;
}

/* Calls with one flags (or mode) argument and the bits no value outside
 * of which the kernel refuses; a second name ("y") for the two-name
 * calls. */
static const struct {
	short nr;
	signed char arg; /* the flags' argument */
	signed char two; /* a second dirfd and name at 2 and 3 */
	long ok;
} plain_flags[] = {
	{SYS_newfstatat, 3, 0, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT},
	{SYS_unlinkat, 2, 0, AT_REMOVEDIR},
	{SYS_linkat, 4, 1, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH},
	{SYS_faccessat, 2, 0, 7}, /* the mode: R_OK | W_OK | X_OK */
	{SYS_fchmodat2, 3, 0, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH},
	{SYS_fchownat, 4, 0, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH},
};

long path_early_errors(const struct sc *c)
{
	if (!vfs_active() && !fake.on)
		return 0;
	const long *a = c->a;
	long nr = c->nr, p[6] = {-1, (long)"x", a[2], a[3], a[4], a[5]};
	const long names = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
	for (unsigned i = 0; i < sizeof plain_flags / sizeof plain_flags[0]; i++)
		if (plain_flags[i].nr == nr) {
			if (!(a[plain_flags[i].arg] & ~plain_flags[i].ok))
				return 0;
			if (plain_flags[i].two) {
				p[2] = -1;
				p[3] = (long)"y";
			}
			goto ask;
		}
	switch (nr) {
	case SYS_open:
	case SYS_openat: {
		long flags = nr == SYS_open ? a[1] : a[2];
		if (!(flags & __O_TMPFILE) && (flags & (O_CREAT | O_DIRECTORY)) != (O_CREAT | O_DIRECTORY))
			return 0;
		p[2] = flags;
		p[3] = nr == SYS_open ? a[2] : a[3];
		nr = SYS_openat;
		break;
	}
	case SYS_openat2:
		break; /* (rare: always asked) */
	case SYS_statx:
		if (!(a[2] & ~(names | AT_NO_AUTOMOUNT | AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)) &&
		    (a[2] & (AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC)) !=
			    (AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC) &&
		    !(a[3] & 0x80000000L)) /* STATX__RESERVED */
			return 0;
		break;
	case SYS_renameat2:
		if (a[4] == 0 || a[4] == RENAME_NOREPLACE || a[4] == RENAME_EXCHANGE || a[4] == RENAME_WHITEOUT)
			return 0;
		p[2] = -1;
		p[3] = (long)"y";
		break;
	case SYS_access:
		if (!(a[1] & ~7L))
			return 0;
		nr = SYS_faccessat;
		p[2] = a[1];
		break;
	case SYS_faccessat2:
		if (!(a[2] & ~7L) && !(a[3] & ~(names | AT_EACCESS)))
			return 0;
		break;
	case SYS_utimensat:
		if (!a[1] || (!(a[3] & ~names) && !odd_times(a[2])))
			return 0;
		break;
	case SYS_mknod:
	case SYS_mknodat: {
		long mode = nr == SYS_mknod ? a[1] : a[2];
		long type = mode & S_IFMT;
		if (type == 0 || type == S_IFREG || type == S_IFCHR || type == S_IFBLK || type == S_IFIFO ||
		    type == S_IFSOCK)
			return 0;
		p[2] = mode;
		p[3] = nr == SYS_mknod ? a[2] : a[3];
		nr = SYS_mknodat;
		break;
	}
	default:
		return 0;
	}
ask:;
	long r = sys6(nr, p[0], p[1], p[2], p[3], p[4], p[5]);
	if (r >= 0 && (nr == SYS_openat || nr == SYS_openat2))
		sys1(SYS_close, r); /* (cannot be: no such directory) */
	return r == -EBADF || r >= 0 ? 0 : r;
}

long sys_open(struct task *t, struct sc *c) { return open_common(t, c, -1, 0, c->a[1], c->a[2]); }
long sys_openat(struct task *t, struct sc *c) { return open_common(t, c, 0, 1, c->a[2], c->a[3]); }
long sys_creat(struct task *t, struct sc *c)
{
	return open_common(t, c, -1, 0, O_CREAT | O_WRONLY | O_TRUNC, c->a[1]);
}

long sys_openat2(struct task *t, struct sc *c)
{
	uint64_t flags = 0;
	if (c->a[2] && copy_from_guest(&flags, (void *)c->a[2], sizeof flags) < 0)
		return -EFAULT;
	long r;
	if (open_no_name(c->a, 0, 1, (long)flags, &r))
		return r;
	return open_pinned(t, c, 0, 1, open_follows((long)flags), (long)flags);
}

long sys_access(struct task *t, struct sc *c) { return path1(t, c, -1, 0, FOLLOW); }
long sys_faccessat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, FOLLOW); }
PATH_AT(faccessat2, 3)
long sys_mkdir(struct task *t, struct sc *c) { return path1(t, c, -1, 0, NAME); }
long sys_mkdirat(struct task *t, struct sc *c) { return path1(t, c, 0, 1, NAME); }
long sys_rmdir(struct task *t, struct sc *c)
{
	long r;
	if (is_root_arg(c->a[0]))
		return -EBUSY;
	return removes_mountpoint(c->a, -1, 0, 1, &r) ? r : path1(t, c, -1, 0, NAME);
}

long sys_unlink(struct task *t, struct sc *c)
{
	long r;
	return removes_mountpoint(c->a, -1, 0, 0, &r) ? r : path1(t, c, -1, 0, NAME);
}

long sys_unlinkat(struct task *t, struct sc *c)
{
	long r;
	if ((c->a[2] & AT_REMOVEDIR) && is_root_arg(c->a[1]))
		return -EBUSY;
	return removes_mountpoint(c->a, 0, 1, (c->a[2] & AT_REMOVEDIR) != 0, &r) ? r : path1(t, c, 0, 1, NAME);
}

/* utime(s), futimesat, truncate, chdir and statfs follow a symlink last
 * component and have no form that does not: one swapped in after lbw's
 * walk would be followed by the kernel, in host terms (out of a guest
 * root). So lbw opens the object the walk found (O_PATH | O_NOFOLLOW) and
 * makes the call on /proc/thread-self/fd/N, which names that very object; a
 * symlink found there came after the walk: walk again. */
static long path1_object(struct task *t, struct sc *c, int di, int pi)
{
	for (int tries = 0; tries < 3; tries++) {
		long a[6];
		struct hpath h;
		memcpy(a, c->a, sizeof a);
		long r = path_xlate(a, di, pi, FOLLOW, &h);
		if (r <= 0 || !h.nofollow) {
			if (r >= 0)
				r = path_call(t, c, a);
			path_release(&h);
			return r;
		}
		/* (a trailing slash pin took off, a directory found there) */
		long fd = sys4(SYS_openat, di >= 0 ? a[di] : AT_FDCWD, a[pi], O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
		path_release(&h);
		if (fd < 0)
			return fd;
		struct k_stat st;
		r = sys2(SYS_fstat, fd, (long)&st);
		if (r == 0 && (st.st_mode & S_IFMT) != S_IFLNK) {
			char self[48];
			lbw_snprintf(self, sizeof self, PROC_FD "%ld", fd);
			a[pi] = (long)self;
			if (di >= 0)
				a[di] = AT_FDCWD;
			r = path_call(t, c, a);
		}
		sys1(SYS_close, fd);
		if (r != 0 || (st.st_mode & S_IFMT) != S_IFLNK)
			return r;
	}
	return -ELOOP;
}

long sys_utime(struct task *t, struct sc *c) { return path1_object(t, c, -1, 0); }
long sys_utimes(struct task *t, struct sc *c) { return path1_object(t, c, -1, 0); }
long sys_futimesat(struct task *t, struct sc *c) { return c->a[1] ? path1_object(t, c, 0, 1) : path_call(t, c, c->a); }
long sys_truncate(struct task *t, struct sc *c) { return path1_object(t, c, -1, 0); }
long sys_chdir(struct task *t, struct sc *c) { return path1_object(t, c, -1, 0); }
long sys_statfs(struct task *t, struct sc *c) { return path1_object(t, c, -1, 0); }
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

/* The guest's mount holding the directory of guest path g. */
static int parent_mount(const char *g)
{
	char d[VFS_PATH_MAX];
	strlcpy(d, g, sizeof d);
	char *s = strrchr(d, '/');
	if (s && s != d)
		*s = 0;
	else
		strlcpy(d, "/", sizeof d);
	return vfs_mount_of(d);
}

/* 0 when guest path path (relative to dirfd) names a file (following a
 * symlink last component when follow), else the walk's or the lookup's
 * error. */
static long name_exists(int dirfd, const char *path, int follow)
{
	char host[VFS_PATH_MAX];
	long r = vfs_resolve_local(dirfd, path, follow, host);
	if (r < 0)
		return r;
	struct k_stat st;
	return sys4(SYS_newfstatat, AT_FDCWD, (long)host, (long)&st, AT_SYMLINK_NOFOLLOW);
}

/* The guest mount the kernel compares for name path (relative to dirfd),
 * walked to g: its directory's; for "dir/." or "dir/..", which are no
 * name, dir's. */
static long name_mount(int dirfd, const char *path, const char *g, int *m)
{
	if (!ends_in_dots(path)) {
		*m = parent_mount(g);
		return 0;
	}
	char d[VFS_PATH_MAX], gd[VFS_PATH_MAX];
	strlcpy(d, path, sizeof d);
	size_t n = strlen(d);
	while (n > 1 && d[n - 1] == '/')
		n--;
	while (n > 0 && d[n - 1] != '/')
		n--;
	d[n] = 0;
	long r = vfs_resolve_guest(dirfd, n ? d : ".", FOLLOW, gd);
	if (r < 0)
		return r;
	*m = vfs_mount_of(gd);
	return 0;
}

static int ends_in_slash(const char *path)
{
	size_t n = strlen(path);
	return n > 1 && path[n - 1] == '/';
}

/* A rename whose name or target is a mount point: the kernel's checks
 * before its EBUSY (do_renameat2, vfs_rename, may_delete). */
static long rename_mountpoint(const char *op, const char *np, const char *o, const char *n, long flags)
{
	char h[VFS_PATH_MAX];
	struct k_stat so, sn;
	if (vfs_guest_to_host(o, h) < 0 || sys4(SYS_newfstatat, AT_FDCWD, (long)h, (long)&so, AT_SYMLINK_NOFOLLOW) < 0)
		return -ENOENT;
	int have_new = vfs_guest_to_host(n, h) == 0 &&
		       sys4(SYS_newfstatat, AT_FDCWD, (long)h, (long)&sn, AT_SYMLINK_NOFOLLOW) == 0;
	if ((flags & RENAME_NOREPLACE) && have_new)
		return -EEXIST;
	if ((flags & RENAME_EXCHANGE) && !have_new)
		return -ENOENT;
	int old_dir = (so.st_mode & S_IFMT) == S_IFDIR;
	if (!old_dir && (ends_in_slash(op) || (!(flags & RENAME_EXCHANGE) && ends_in_slash(np))))
		return -ENOTDIR;
	if (have_new && so.st_dev == sn.st_dev && so.st_ino == sn.st_ino)
		return 0; /* the same file: nothing to do */
	if (have_new && !(flags & RENAME_EXCHANGE) && old_dir != ((sn.st_mode & S_IFMT) == S_IFDIR))
		return old_dir ? -ENOTDIR : -EISDIR;
	return -EBUSY;
}

/* rename and link between the guest's mounts (lbw's binds, which are no
 * mounts to the host), and of the root as a name, answered as the
 * kernel does: both parents looked up; two mounts refused (EXDEV; link
 * compares the mount of its file, found first, with its new name's, made
 * first); then the root as a rename's name (EBUSY; EEXIST as a target
 * that must not exist); then a mount point (EBUSY, after the checks of
 * the files: the host would rename or replace the bound file itself). */
static long two_names(struct task *t, struct sc *c, int di, int pi, int follow, int dj, int pj, long flags)
{
	if (!vfs_active())
		return path2(t, c, di, pi, follow, dj, pj, NAME);
	char op[VFS_PATH_MAX], np[VFS_PATH_MAX];
	long r = strncpy_from_guest(op, (const char *)c->a[pi], sizeof op);
	if (r >= 0)
		r = strncpy_from_guest(np, (const char *)c->a[pj], sizeof np);
	if (r < 0)
		return r;
	int is_rename = follow == NAME;
	int old_root = is_rename && is_root_name(op), new_root = is_rename && is_root_name(np);
	int mounts = vfs_has_mounts();
	if (!old_root && !new_root && !mounts)
		return path2(t, c, di, pi, follow, dj, pj, NAME);
	int od = di >= 0 ? (int)c->a[di] : AT_FDCWD, nd = dj >= 0 ? (int)c->a[dj] : AT_FDCWD;
	char o[VFS_PATH_MAX] = "/", n[VFS_PATH_MAX] = "/";
	if (!old_root && (r = vfs_resolve_guest(od, op, is_rename ? NOFOLLOW : follow, o)) < 0)
		return r;
	if (!new_root && (r = vfs_resolve_guest(nd, np, NOFOLLOW, n)) < 0)
		return r;
	if (mounts) {
		int m1 = -1, m2 = -1;
		if (is_rename && !old_root && (r = name_mount(od, op, o, &m1)) < 0)
			return r;
		if (!is_rename)
			m1 = vfs_mount_of(o);
		if (!new_root && (r = name_mount(nd, np, n, &m2)) < 0)
			return r;
		if (m1 != m2) {
			if (!is_rename && (r = name_exists(od, op, follow)) < 0)
				return r;
			if (!is_rename && name_exists(nd, np, NOFOLLOW) == 0)
				return -EEXIST;
			return -EXDEV;
		}
	}
	if (old_root || new_root)
		return old_root || ends_in_dots(op) || !(flags & RENAME_NOREPLACE) ? -EBUSY : -EEXIST;
	int old_mp = is_rename && !ends_in_dots(op) && vfs_is_mountpoint(o);
	int new_mp = !ends_in_dots(np) && vfs_is_mountpoint(n);
	if (mounts && (old_mp || new_mp)) {
		if (is_rename)
			return rename_mountpoint(op, np, o, n, flags);
		/* link: its file first, then the new name, which exists */
		if ((r = name_exists(od, op, follow)) < 0)
			return r;
		return -EEXIST;
	}
	return path2(t, c, di, pi, follow, dj, pj, NAME);
}

long sys_rename(struct task *t, struct sc *c) { return two_names(t, c, -1, 0, NAME, -1, 1, 0); }
long sys_renameat(struct task *t, struct sc *c) { return two_names(t, c, 0, 1, NAME, 2, 3, 0); }
long sys_renameat2(struct task *t, struct sc *c) { return two_names(t, c, 0, 1, NAME, 2, 3, c->a[4]); }
long sys_link(struct task *t, struct sc *c) { return two_names(t, c, -1, 0, NOFOLLOW, -1, 1, 0); }

long sys_linkat(struct task *t, struct sc *c)
{
	if (path_empty(c->a[1], c->a[4]))
		return path1(t, c, 2, 3, NAME);
	return two_names(t, c, 0, 1, (c->a[4] & AT_SYMLINK_FOLLOW) != 0, 2, 3, 0);
}

/* The target of a symlink is text, stored as the guest wrote it. */
long sys_symlink(struct task *t, struct sc *c) { return path1(t, c, -1, 1, NAME); }
long sys_symlinkat(struct task *t, struct sc *c) { return path1(t, c, 1, 2, NAME); }

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
		/* "link/" is a lookup through the link (see path_xlate) */
		size_t pl = strlen(path);
		r = vfs_resolve_local(dirfd, path, pl > 1 && path[pl - 1] == '/' ? FOLLOW : NOFOLLOW, buf);
		if (r < 0)
			return r;
		host = buf;
		dirfd = AT_FDCWD;
	}
	if ((dirfd == AT_FDCWD || path[0] == '/') && vfs_is_self_exe(host) && vfs_self_exe(out, sizeof out)) {
		size_t n = strlen(out);
		if ((size_t)size < n)
			n = size;
		return copy_to_guest((void *)a[bi], out, n) < 0 ? -EFAULT : (long)n;
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
		return r < 0 ? r : vfs_add_bind(src, guest, 1);
	}
	static const char kernel_trees[][2][10] = {
		{"proc", "/proc"}, {"sysfs", "/sys"}, {"devpts", "/dev/pts"}, {"devtmpfs", "/dev"},
	};
	for (unsigned i = 0; i < sizeof kernel_trees / sizeof kernel_trees[0]; i++)
		if (!strcmp(type, kernel_trees[i][0]))
			return vfs_add_bind(kernel_trees[i][1], guest, 1);
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
