/* File descriptors and file names. lbw's own descriptors (trace output,
 * shared statistics) are kept out of the guest's reach; readlink of the
 * exe link in /proc names the guest program. */
#include "table.h"
#include "../task.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../loader/loader.h"
#include "../vfs/vfs.h"

static int is_lbw_fd(long fd)
{
	return fd >= 0 && (fd == cfg.trace_fd || fd == cfg.stats_fd || fd == cfg.report_fd);
}

/* Moves lbw's descriptor fd out of the way of a guest dup2 onto it. */
static long move_lbw_fd(int fd)
{
	long n = sys3(SYS_fcntl, fd, F_DUPFD, fd + 1);
	if (n < 0)
		return n;
	if (cfg.trace_fd == fd)
		cfg.trace_fd = (int)n;
	if (cfg.stats_fd == fd)
		cfg.stats_fd = (int)n;
	if (cfg.report_fd == fd)
		cfg.report_fd = (int)n;
	return 0;
}

long sys_close(struct task *t, struct sc *c)
{
	(void)t;
	if (is_lbw_fd((int)c->a[0]))
		return -EBADF;
	return sys1(SYS_close, c->a[0]);
}

#define CLOSE_RANGE_UNSHARE 2
long sys_close_range(struct task *t, struct sc *c)
{
	(void)t;
	unsigned int first = (unsigned int)c->a[0], last = (unsigned int)c->a[1];
	unsigned int flags = (unsigned int)c->a[2];
	if (first > last)
		return -EINVAL;
	/* Close around lbw's descriptors, in increasing order. */
	int mine[3] = {cfg.trace_fd, cfg.stats_fd, cfg.report_fd};
	for (int i = 0; i < 3; i++)
		for (int j = i + 1; j < 3; j++)
			if (mine[j] < mine[i]) {
				int x = mine[i];
				mine[i] = mine[j];
				mine[j] = x;
			}
	unsigned int lo = first;
	for (int i = 0; i < 3; i++) {
		if (mine[i] < 0 || (unsigned int)mine[i] < lo || (unsigned int)mine[i] > last)
			continue;
		if ((unsigned int)mine[i] > lo) {
			long r = sys3(SYS_close_range, lo, mine[i] - 1, flags);
			if (r < 0)
				return r;
			flags &= ~CLOSE_RANGE_UNSHARE;
		}
		lo = mine[i] + 1;
		if (lo == 0)
			return 0;
	}
	if (lo > last)
		return 0;
	return sys3(SYS_close_range, lo, last, flags);
}

/* dup2 and dup3 onto one of lbw's descriptors: lbw's moves away first. */
static long dup_onto(struct sc *c, long nr)
{
	if (is_lbw_fd(c->a[0]))
		return -EBADF;
	if (is_lbw_fd(c->a[1]) && c->a[0] != c->a[1]) {
		long r = move_lbw_fd((int)c->a[1]);
		if (r < 0)
			return r;
	}
	return sys3(nr, c->a[0], c->a[1], c->a[2]);
}

long sys_dup2(struct task *t, struct sc *c)
{
	(void)t;
	return dup_onto(c, SYS_dup2);
}

long sys_dup3(struct task *t, struct sc *c)
{
	(void)t;
	return dup_onto(c, SYS_dup3);
}

static long readlink_common(int dirfd, const char *gpath, char *gbuf, long size, long nr)
{
	char path[PATH_MAX_LBW];
	long r = strncpy_from_guest(path, gpath, sizeof path);
	if (r < 0)
		return r;
	if (size <= 0)
		return -EINVAL;
	if ((dirfd == AT_FDCWD || path[0] == '/') && vfs_is_self_exe(path) && cfg.exe_path[0]) {
		size_t n = strlen(cfg.exe_path);
		if ((size_t)size < n)
			n = size;
		return copy_to_guest(gbuf, cfg.exe_path, n) < 0 ? -EFAULT : (long)n;
	}
	if (nr == SYS_readlink)
		return sys3(SYS_readlink, (long)gpath, (long)gbuf, size);
	return sys4(SYS_readlinkat, dirfd, (long)gpath, (long)gbuf, size);
}

long sys_readlink(struct task *t, struct sc *c)
{
	(void)t;
	return readlink_common(AT_FDCWD, (const char *)c->a[0], (char *)c->a[1], c->a[2], SYS_readlink);
}

long sys_readlinkat(struct task *t, struct sc *c)
{
	(void)t;
	return readlink_common((int)c->a[0], (const char *)c->a[1], (char *)c->a[2], c->a[3],
			       SYS_readlinkat);
}

/* open of the exe link opens the guest program, as the kernel would open
 * the running image. */
static long open_common(int dirfd, const char *gpath, long flags, long mode, long nr, long *handled)
{
	char path[PATH_MAX_LBW];
	*handled = 0;
	long r = strncpy_from_guest(path, gpath, sizeof path);
	if (r < 0) {
		*handled = 1;
		return r;
	}
	if ((dirfd == AT_FDCWD || path[0] == '/') && vfs_is_self_exe(path) && cfg.exe_path[0]) {
		*handled = 1;
		return sys4(SYS_openat, AT_FDCWD, (long)cfg.exe_path, flags, mode);
	}
	(void)nr;
	return 0;
}

long sys_open(struct task *t, struct sc *c)
{
	(void)t;
	long handled, r = open_common(AT_FDCWD, (const char *)c->a[0], c->a[1], c->a[2], SYS_open, &handled);
	if (handled)
		return r;
	return sys3(SYS_open, c->a[0], c->a[1], c->a[2]);
}

long sys_openat(struct task *t, struct sc *c)
{
	(void)t;
	long handled, r = open_common((int)c->a[0], (const char *)c->a[1], c->a[2], c->a[3], SYS_openat, &handled);
	if (handled)
		return r;
	return sys4(SYS_openat, c->a[0], c->a[1], c->a[2], c->a[3]);
}

/* Following the exe link leads to the guest program, so stat and statx
 * (when they follow links) describe it. Returns the path to use instead of
 * the guest's, or NULL to pass the call through. */
static const char *exe_redirect(long dirfd, const char *gpath, long flags, long *err)
{
	char path[PATH_MAX_LBW];
	*err = 0;
	if (flags & AT_SYMLINK_NOFOLLOW)
		return NULL;
	long r = strncpy_from_guest(path, gpath, sizeof path);
	if (r < 0) {
		*err = r;
		return NULL;
	}
	if ((dirfd == AT_FDCWD || path[0] == '/') && vfs_is_self_exe(path) && cfg.exe_path[0])
		return cfg.exe_path;
	return NULL;
}

long sys_stat(struct task *t, struct sc *c)
{
	(void)t;
	long err;
	const char *p = exe_redirect(AT_FDCWD, (const char *)c->a[0], 0, &err);
	if (err)
		return err;
	return sys2(SYS_stat, p ? (long)p : c->a[0], c->a[1]);
}

long sys_newfstatat(struct task *t, struct sc *c)
{
	(void)t;
	long err = 0;
	const char *p = (c->a[3] & AT_EMPTY_PATH) ? NULL : exe_redirect(c->a[0], (const char *)c->a[1], c->a[3], &err);
	if (err)
		return err;
	if (p)
		return sys4(SYS_newfstatat, AT_FDCWD, (long)p, c->a[2], c->a[3]);
	return sys4(SYS_newfstatat, c->a[0], c->a[1], c->a[2], c->a[3]);
}

long sys_statx(struct task *t, struct sc *c)
{
	(void)t;
	long err = 0;
	const char *p = (c->a[2] & AT_EMPTY_PATH) ? NULL : exe_redirect(c->a[0], (const char *)c->a[1], c->a[2], &err);
	if (err)
		return err;
	if (p)
		return sys5(SYS_statx, AT_FDCWD, (long)p, c->a[2], c->a[3], c->a[4]);
	return sys5(SYS_statx, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4]);
}
