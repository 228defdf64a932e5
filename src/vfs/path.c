/* Guest path resolution.
 *
 * A guest path is walked one component at a time in the guest's namespace:
 * `..` pops (never above the guest root), each component is mapped to its
 * host path (the longest bind whose guest path is a prefix, else the guest
 * root) and read with readlink: a symlink's target is spliced in (an
 * absolute target restarts at the guest root), at most 40 times, as the
 * kernel allows. /proc's magic links are not followed as text: the exe link
 * is the guest program, root is the guest root, and fd/N or cwd name host
 * files that are mapped back to guest paths. */
#include "vfs.h"
#include "../config.h"
#include "../rt/rt.h"

struct vfs vfs = {.root = "/"};

/* Length of prefix if it is a path prefix of path (component-wise), else -1. */
static long path_prefix(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);
	if (n == 1 && prefix[0] == '/')
		return 0;
	if (strncmp(prefix, path, n) != 0)
		return -1;
	if (path[n] != 0 && path[n] != '/')
		return -1;
	return (long)n;
}

static long join(char *out, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la == 1 && a[0] == '/' && lb)
		la = 0; /* "/" + "/x" */
	if (la + lb + 1 > VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(out + la, b, lb + 1);
	if (out != a)
		memcpy(out, a, la);
	if (!la && !lb) {
		out[0] = '/';
		out[1] = 0;
	}
	return 0;
}

int vfs_bind_of(const char *g)
{
	long best = -1;
	int bi = -1;
	for (int i = 0; i < vfs.nbinds; i++) {
		long n = path_prefix(vfs.binds[i].guest, g);
		if (n > best) {
			best = n;
			bi = i;
		}
	}
	return bi;
}

long vfs_guest_to_host(const char *g, char *h)
{
	int bi = vfs_bind_of(g);
	if (bi >= 0)
		return join(h, vfs.binds[bi].host, g + path_prefix(vfs.binds[bi].guest, g));
	return join(h, vfs.root, g);
}

int vfs_host_to_guest(const char *h, char *g, size_t size)
{
	long best = -1;
	const char *base = NULL;
	for (int i = 0; i < vfs.nbinds; i++) {
		long n = path_prefix(vfs.binds[i].host, h);
		if (n > best) {
			best = n;
			base = vfs.binds[i].guest;
		}
	}
	long r = path_prefix(vfs.root, h);
	if (r > best || (r == best && r >= 0 && !base)) {
		best = r;
		base = "/";
	}
	if (best < 0 || !base) {
		strlcpy(g, h, size); /* outside the guest's view */
		return 0;
	}
	char tmp[VFS_PATH_MAX];
	if (join(tmp, base, h + best) < 0)
		strlcpy(tmp, h, sizeof tmp);
	strlcpy(g, tmp, size);
	return 1;
}

long vfs_guest_cwd(char *g, size_t size)
{
	char h[VFS_PATH_MAX];
	long r = sys2(SYS_getcwd, (long)h, sizeof h);
	if (r < 0)
		return r;
	if (vfs_host_to_guest(h, g, size))
		return 1;
	strlcpy(g, "/", size); /* a cwd outside the guest's view: its root */
	return 0;
}

long vfs_fd_guest_path(int fd, char *g, size_t size)
{
	char link[64], h[VFS_PATH_MAX];
	lbw_snprintf(link, sizeof link, PROC_FD "%d", fd);
	long n = sys3(SYS_readlink, (long)link, (long)h, sizeof h - 1);
	if (n < 0)
		return n == -ENOENT ? -EBADF : n;
	h[n] = 0;
	if (h[0] != '/')
		return -ENOTDIR; /* a pipe or socket: not a directory */
	return vfs_host_to_guest(h, g, size);
}

static void pop(char *cur)
{
	char *s = strrchr(cur, '/');
	if (!s || s == cur)
		cur[1] = 0, cur[0] = '/';
	else
		*s = 0;
}

enum magic { M_NONE, M_ROOT, M_EXE, M_LINK };

/* /proc/<pid|self|thread-self>[/task/<tid>]/{root,exe,cwd,fd/N} on the host. */
static enum magic proc_magic(const char *h)
{
	if (!starts_with(h, "/proc/"))
		return M_NONE;
	const char *p = h + 6;
	if (starts_with(p, "self/"))
		p += 5;
	else if (starts_with(p, "thread-self/"))
		p += 12;
	else {
		if (*p < '0' || *p > '9')
			return M_NONE;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != '/')
			return M_NONE;
	}
	if (starts_with(p, "task/")) {
		p += 5;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != '/')
			return M_NONE;
	}
	if (!strcmp(p, "root"))
		return M_ROOT;
	if (!strcmp(p, "exe"))
		return vfs_is_self_exe(h) ? M_EXE : M_LINK;
	if (!strcmp(p, "cwd"))
		return M_LINK;
	if (starts_with(p, "fd/") && p[3] && !strchr(p + 3, '/'))
		return M_LINK;
	return M_NONE;
}

static long resolve(int dirfd, const char *path, int follow, char *hpath, char *gpath);

/* Whether magic link host's text names no file to walk: a memfd, or a
 * deleted file (" (deleted)" added, unless a file by that very name is
 * the link's own: a name may end so). */
static int link_gone(const char *host, const char *link)
{
	size_t ln = strlen(link);
	if (starts_with(link, "/memfd:"))
		return 1;
	if (ln <= 10 || strcmp(link + ln - 10, " (deleted)"))
		return 0;
	struct k_stat a, b;
	return !(sys2(SYS_stat, (long)host, (long)&a) == 0 && sys4(SYS_newfstatat, AT_FDCWD, (long)link, (long)&b,
								   AT_SYMLINK_NOFOLLOW) == 0 &&
		 a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

long vfs_resolve_local(int dirfd, const char *path, int follow, char *hpath)
{
	return resolve(dirfd, path, follow, hpath, NULL);
}

long vfs_resolve_guest(int dirfd, const char *path, int follow, char *gpath)
{
	char h[VFS_PATH_MAX];
	return resolve(dirfd, path, follow, h, gpath);
}

static long resolve(int dirfd, const char *path, int follow, char *hpath, char *gpath)
{
	char cur[VFS_PATH_MAX], rest[VFS_PATH_MAX], link[VFS_PATH_MAX], host[VFS_PATH_MAX];
	long r;
	if (!path[0])
		return -ENOENT;
	size_t plen = strlen(path);
	int trailing_slash = plen > 1 && path[plen - 1] == '/';
	if (path[0] == '/') {
		strlcpy(cur, "/", sizeof cur);
	} else if (dirfd == AT_FDCWD) {
		r = vfs_guest_cwd(cur, sizeof cur);
		if (r < 0)
			return r;
	} else {
		r = vfs_fd_guest_path(dirfd, cur, sizeof cur);
		if (r < 0)
			return r;
	}
	if (strlcpy(rest, path, sizeof rest) >= sizeof rest)
		return -ENAMETOOLONG;
	const char *p = rest;
	int links = 0;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *comp = p;
		size_t len = 0;
		while (comp[len] && comp[len] != '/')
			len++;
		const char *next = comp + len;
		if (len == 1 && comp[0] == '.') {
			p = next;
			continue;
		}
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			pop(cur);
			p = next;
			continue;
		}
		size_t cl = strlen(cur);
		if (cl + 1 + len + 1 > sizeof cur)
			return -ENAMETOOLONG;
		if (cl > 1)
			cur[cl++] = '/';
		memcpy(cur + cl, comp, len);
		cur[cl + len] = 0;
		const char *q = next;
		while (*q == '/')
			q++;
		int last = !*q;
		if (last && !follow) {
			p = next;
			continue;
		}
		r = vfs_guest_to_host(cur, host);
		if (r < 0)
			return r;
		enum magic m = proc_magic(host);
		if (m == M_ROOT) {
			strlcpy(cur, "/", sizeof cur);
			p = next;
			continue;
		}
		if (m == M_EXE && vfs_self_exe(cur, sizeof cur)) {
			p = next;
			continue;
		}
		long n;
		if (m == M_LINK && vfs_other_exe(host, link, sizeof link))
			n = (long)strlen(link); /* another guest's program, not lbw */
		else
			n = sys3(SYS_readlink, (long)host, (long)link, sizeof link - 1);
		if (m == M_LINK && n > 0) {
			link[n] = 0;
			/* A deleted file's or a memfd's link text names nothing
			 * to walk ("/x (deleted)", "/memfd:name"): nothing is
			 * below it; as the last component of this process's own
			 * fd link the kernel follows it (O_TMPFILE's linkat, a
			 * memfd reopened), but never to lbw's own descriptors. */
			if (vfs_lbw_fd_link(host))
				return -ENOENT;
			int gone = link[0] == '/' && link_gone(host, link);
			if (gone && !last)
				return -ENOENT;
			long own = gone ? vfs_own_fd(host) : -1;
			if (link[0] != '/' || own >= 0) {
				/* pipe:[N], socket:[N]...: only the kernel can follow it. */
				if (!last)
					return -ENOTDIR;
				if (join(hpath, host, trailing_slash ? "/" : "") < 0)
					return -ENAMETOOLONG;
				if (gpath && own >= 0) {
					/* (its mount: where its name was) */
					size_t ln = strlen(link);
					if (ln > 10 && !strcmp(link + ln - 10, " (deleted)"))
						link[ln - 10] = 0;
					vfs_host_to_guest(link, gpath, VFS_PATH_MAX);
				} else if (gpath) {
					strlcpy(gpath, cur, VFS_PATH_MAX);
				}
				return 0;
			}
			vfs_host_to_guest(link, cur, sizeof cur);
			p = next;
			continue;
		}
		if (n >= 0) {
			if (++links > 40)
				return -ELOOP;
			link[n] = 0;
			/* rest becomes target + "/" + what followed the link */
			char tmp[VFS_PATH_MAX];
			size_t tl = (size_t)n, nl = strlen(next);
			if (tl + nl + 2 > sizeof tmp)
				return -ENAMETOOLONG;
			memcpy(tmp, link, tl);
			memcpy(tmp + tl, next, nl + 1);
			memcpy(rest, tmp, tl + nl + 1);
			p = rest;
			if (link[0] == '/')
				strlcpy(cur, "/", sizeof cur);
			else
				pop(cur);
			continue;
		}
		if (n == -EINVAL) {
			/* Not a symlink. "." or ".." after it ask the kernel for
			 * a directory there, which the text alone does not say. */
			const char *d = q;
			if (d[0] == '.' && (d[1] == '/' || !d[1] || (d[1] == '.' && (d[2] == '/' || !d[2])))) {
				struct k_stat st;
				if (sys2(SYS_stat, (long)host, (long)&st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR)
					return -ENOTDIR;
			}
			p = next;
			continue;
		}
		if ((n == -ENOENT || n == -ENOTDIR) && last) {
			p = next;
			continue;
		}
		return n;
	}
	if (gpath)
		strlcpy(gpath, cur, VFS_PATH_MAX);
	r = vfs_guest_to_host(cur, hpath);
	if (r < 0)
		return r;
	if (trailing_slash) {
		size_t hl = strlen(hpath);
		if (hl + 2 > VFS_PATH_MAX)
			return -ENAMETOOLONG;
		if (hpath[hl - 1] != '/') {
			hpath[hl] = '/';
			hpath[hl + 1] = 0;
		}
	}
	return 0;
}

long vfs_resolve(int dirfd, const char *gpath, int follow, char *hpath)
{
	char path[VFS_PATH_MAX];
	long r = strncpy_from_guest(path, gpath, sizeof path);
	if (r < 0)
		return r;
	return vfs_resolve_local(dirfd, path, follow, hpath);
}

/* The canonical host path of an existing host file or directory. */
static long host_canonical(const char *p, char *out)
{
	long fd = sys4(SYS_openat, AT_FDCWD, (long)p, O_PATH | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	char link[64];
	lbw_snprintf(link, sizeof link, PROC_FD "%ld", fd);
	long n = sys3(SYS_readlink, (long)link, (long)out, VFS_PATH_MAX - 1);
	sys1(SYS_close, fd);
	if (n < 0)
		return n;
	out[n] = 0;
	return 0;
}

long vfs_set_root(const char *host)
{
	char h[VFS_PATH_MAX];
	long r = host_canonical(host, h);
	if (r < 0)
		return r;
	struct k_stat st;
	if (sys2(SYS_stat, (long)h, (long)&st) < 0 || (st.st_mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	strlcpy(vfs.root, h, sizeof vfs.root);
	return 0;
}

/* Makes a guest path canonical without touching the file system. */
static void guest_lexical(const char *in, char *out)
{
	strlcpy(out, "/", VFS_PATH_MAX);
	const char *p = in;
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		size_t len = 0;
		while (p[len] && p[len] != '/')
			len++;
		if (len == 2 && p[0] == '.' && p[1] == '.')
			pop(out);
		else if (!(len == 1 && p[0] == '.')) {
			size_t ol = strlen(out);
			if (ol + len + 2 >= VFS_PATH_MAX)
				break;
			if (ol > 1)
				out[ol++] = '/';
			memcpy(out + ol, p, len);
			out[ol + len] = 0;
		}
		p += len;
	}
}

long vfs_add_bind(const char *host, const char *guest, int made)
{
	if (vfs.nbinds >= VFS_MAX_BINDS)
		return -ENOSPC;
	char h[VFS_PATH_MAX], g[VFS_PATH_MAX];
	long r = host_canonical(host, h);
	if (r < 0)
		return r;
	guest_lexical(guest, g);
	char *hs = lbw_alloc(strlen(h) + 1), *gs = lbw_alloc(strlen(g) + 1);
	if (!hs || !gs)
		return -ENOMEM;
	strlcpy(hs, h, strlen(h) + 1);
	strlcpy(gs, g, strlen(g) + 1);
	/* A later bind of the same guest path replaces the earlier one. */
	for (int i = 0; i < vfs.nbinds; i++)
		if (!strcmp(vfs.binds[i].guest, gs)) {
			vfs.binds[i].host = hs;
			vfs.binds[i].made = made;
			vfs.binds[i].place = 0;
			return 0;
		}
	vfs.binds[vfs.nbinds].host = hs;
	vfs.binds[vfs.nbinds].guest = gs;
	vfs.binds[vfs.nbinds].made = made;
	vfs.binds[vfs.nbinds].place = 0;
	vfs.nbinds++;
	return 0;
}

/* Whether bind b is a mount of its own: not when the root is the host's
 * and the bind shows the host's own file at its place (-R / binds /tmp,
 * $HOME... onto themselves: the guest sees no change, so none of a
 * mount's answers, EXDEV or EBUSY, either), unless the guest mounted it.
 * (With another root, the host's walk of root + guest path may follow
 * the root's symlinks out of it: never no mount.) Found once per bind;
 * an answer the host could not give is not kept. */
static int bind_mounts(struct vfs_bind *b)
{
	if (b->made || vfs.root[1])
		return 1;
	int place = __atomic_load_n(&b->place, __ATOMIC_RELAXED);
	if (!place) {
		char canon[VFS_PATH_MAX];
		long r = host_canonical(b->guest, canon);
		if (r == 0)
			place = strcmp(canon, b->host) ? 1 : 2;
		else if (r == -ENOENT || r == -ENOTDIR)
			place = 1;
		else
			return 1;
		__atomic_store_n(&b->place, place, __ATOMIC_RELAXED);
	}
	return place == 1;
}

int vfs_mount_of(const char *g)
{
	long best = -1;
	int bi = -1;
	for (int i = 0; i < vfs.nbinds; i++) {
		long n = path_prefix(vfs.binds[i].guest, g);
		if (n > best && bind_mounts(&vfs.binds[i])) {
			best = n;
			bi = i;
		}
	}
	return bi;
}

int vfs_is_mountpoint(const char *g)
{
	for (int i = 0; i < vfs.nbinds; i++)
		if (!strcmp(vfs.binds[i].guest, g) && bind_mounts(&vfs.binds[i]))
			return 1;
	return 0;
}

int vfs_has_mounts(void)
{
	for (int i = 0; i < vfs.nbinds; i++)
		if (bind_mounts(&vfs.binds[i]))
			return 1;
	return 0;
}

long vfs_remove_bind(const char *guest)
{
	for (int i = 0; i < vfs.nbinds; i++)
		if (!strcmp(vfs.binds[i].guest, guest)) {
			vfs.binds[i] = vfs.binds[--vfs.nbinds];
			return 0;
		}
	return -EINVAL;
}
