/* Owners, modes, device nodes and extended attributes: the file calls that
 * fake root (-0) changes (fake/). Without -0 they are ordinary path calls
 * (or passed to the host, for the descriptor forms). */
#include "table.h"
#include "path.h"
#include "../rt/rt.h"
#include "../task.h"
#include "../fake/fake.h"
#include "../vfs/vfs.h"

long sys_pass(struct task *t, struct sc *c);

static int follows(long flags)
{
	return !(flags & AT_SYMLINK_NOFOLLOW);
}

/* Without fake root: the path call as it would be anyway. */
static long plain(struct task *t, struct sc *c, int di, int pi, int follow, long flags)
{
	if (di >= 0 && path_empty(c->a[pi], flags))
		return path_call(t, c, c->a);
	return path1(t, c, di, pi, follow);
}

/* Under fake root: the file the call names, by host path (a[pi] is
 * rewritten to it), or its descriptor for an empty path with AT_EMPTY_PATH
 * (di -1: the call takes no dirfd). */
static long target(long *a, int di, int pi, int follow, long flags, struct hpath *h, struct fake_file *f)
{
	hpath_init(h);
	if (di >= 0 && path_empty(a[pi], flags)) {
		int fd = (int)a[di];
		f->path = fd == AT_FDCWD ? "." : NULL;
		f->fd = fd;
		f->follow = 1;
		return 0;
	}
	long r = path_xlate(a, di, pi, follow, h);
	if (r < 0)
		return r;
	f->path = h->s;
	f->fd = -1;
	/* a pinned path's last symlink was followed by lbw's walk already */
	f->follow = h->nofollow ? NOFOLLOW : follow;
	return 0;
}

/* ---- the stat family: ids, modes and devices as the guest set them ---- */

static long fix_out(const struct fake_file *f, long gbuf, int is_statx)
{
	if (is_statx) {
		unsigned char b[256];
		if (copy_from_guest(b, (void *)gbuf, sizeof b) < 0)
			return -EFAULT;
		fake_fix_statx(f, b);
		return copy_to_guest((void *)gbuf, b, sizeof b);
	}
	struct k_stat st;
	if (copy_from_guest(&st, (void *)gbuf, sizeof st) < 0)
		return -EFAULT;
	fake_fix_stat(f, &st);
	return copy_to_guest((void *)gbuf, &st, sizeof st);
}

/* The calls on a file's owner, mode and status under fake root share one
 * way in: the file resolved (and pinned), then the operation. */
enum owner_op { OP_STAT, OP_STATX, OP_CHOWN, OP_CHMOD };

static long owner_common(struct task *t, struct sc *c, int di, int pi, int follow, long flags,
			 enum owner_op op, long x, long y)
{
	if (!fake.on)
		return plain(t, c, di, pi, follow, flags);
	long a[6];
	struct hpath h;
	struct fake_file f;
	memcpy(a, c->a, sizeof a);
	long r = target(a, di, pi, follow, flags, &h, &f);
	if (r < 0)
		return r;
	switch (op) {
	case OP_STAT:
	case OP_STATX: { /* x: the argument holding the guest's buffer */
		struct sc c2 = *c;
		if (h.nofollow)
			path_nofollow(&c2.nr, a);
		r = path_call(t, &c2, a);
		if (r >= 0)
			r = fix_out(&f, a[x], op == OP_STATX);
		break;
	}
	case OP_CHOWN: /* x, y: uid, gid */
		/* Giving files away takes root (CAP_CHOWN); a no-op is anyone's. */
		if (fake.c.euid != 0 && ((uint32_t)x != (uint32_t)-1 || (uint32_t)y != (uint32_t)-1))
			r = -EPERM;
		else
			r = fake_chown(&f, x, y);
		break;
	case OP_CHMOD: /* x: mode */
		r = fake_chmod(&f, x);
		break;
	}
	path_release(&h);
	return r;
}

static long stat_common(struct task *t, struct sc *c, int di, int pi, int follow, long flags, int bi,
			int is_statx)
{
	/* In a guest root, the kernel's walk to an O_PATH descriptor, then
	 * the call on it: three calls, where the pinned way takes a readlink
	 * more and a walk through /proc. Flags the kernel would refuse go
	 * the long way, which lets it refuse them first. */
	long known = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | (is_statx ? AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC : 0);
	long fd;
	if (!fake.on && !(flags & ~known) && path_open_quick(t, c->a, di, pi, follow, &fd)) {
		if (fd < 0)
			return fd;
		long r = is_statx ? sys5(SYS_statx, fd, (long)"", flags | AT_EMPTY_PATH, c->a[3], c->a[4])
				  : sys4(SYS_newfstatat, fd, (long)"", c->a[bi], flags | AT_EMPTY_PATH);
		sys1(SYS_close, fd);
		return r;
	}
	return owner_common(t, c, di, pi, follow, flags, is_statx ? OP_STATX : OP_STAT, bi, 0);
}

long sys_stat(struct task *t, struct sc *c) { return stat_common(t, c, -1, 0, FOLLOW, 0, 1, 0); }
long sys_lstat(struct task *t, struct sc *c) { return stat_common(t, c, -1, 0, NOFOLLOW, 0, 1, 0); }

long sys_newfstatat(struct task *t, struct sc *c)
{
	return stat_common(t, c, 0, 1, follows(c->a[3]), c->a[3], 2, 0);
}

long sys_statx(struct task *t, struct sc *c)
{
	return stat_common(t, c, 0, 1, follows(c->a[2]), c->a[2], 4, 1);
}

long sys_fstat(struct task *t, struct sc *c)
{
	long r = sys_pass(t, c);
	if (r < 0 || !fake.on)
		return r;
	struct fake_file f = {NULL, (int)c->a[0], 1};
	return fix_out(&f, c->a[1], 0);
}

/* ---- chown and chmod: recorded, never refused to root ---- */

static long chown_common(struct task *t, struct sc *c, int di, int pi, int follow, long flags, long uid,
			 long gid)
{
	return owner_common(t, c, di, pi, follow, flags, OP_CHOWN, uid, gid);
}

long sys_chown(struct task *t, struct sc *c) { return chown_common(t, c, -1, 0, FOLLOW, 0, c->a[1], c->a[2]); }
long sys_lchown(struct task *t, struct sc *c) { return chown_common(t, c, -1, 0, NOFOLLOW, 0, c->a[1], c->a[2]); }

long sys_fchownat(struct task *t, struct sc *c)
{
	return chown_common(t, c, 0, 1, follows(c->a[4]), c->a[4], c->a[2], c->a[3]);
}

long sys_fchown(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	if (fake.c.euid != 0 && ((uint32_t)c->a[1] != (uint32_t)-1 || (uint32_t)c->a[2] != (uint32_t)-1))
		return -EPERM;
	struct fake_file f = {NULL, (int)c->a[0], 1};
	return fake_chown(&f, c->a[1], c->a[2]);
}

static long chmod_common(struct task *t, struct sc *c, int di, int pi, int follow, long flags, long mode)
{
	return owner_common(t, c, di, pi, follow, flags, OP_CHMOD, mode, 0);
}

long sys_chmod(struct task *t, struct sc *c) { return chmod_common(t, c, -1, 0, FOLLOW, 0, c->a[1]); }
long sys_fchmodat(struct task *t, struct sc *c) { return chmod_common(t, c, 0, 1, FOLLOW, 0, c->a[2]); }

long sys_fchmodat2(struct task *t, struct sc *c)
{
	return chmod_common(t, c, 0, 1, follows(c->a[3]), c->a[3], c->a[2]);
}

long sys_fchmod(struct task *t, struct sc *c)
{
	if (!fake.on)
		return sys_pass(t, c);
	struct fake_file f = {NULL, (int)c->a[0], 1};
	return fake_chmod(&f, c->a[1]);
}

/* ---- mknod: device nodes stand in as recorded empty files ---- */

static long mknod_common(struct task *t, struct sc *c, int di, int pi, long mode, long dev)
{
	if (!fake.on)
		return path1(t, c, di, pi, NAME);
	long a[6];
	struct hpath h;
	memcpy(a, c->a, sizeof a);
	long r = path_xlate(a, di, pi, NAME, &h);
	if (r < 0)
		return r;
	r = fake_mknod(h.s, mode, dev);
	path_release(&h);
	return r;
}

long sys_mknod(struct task *t, struct sc *c) { return mknod_common(t, c, -1, 0, c->a[1], c->a[2]); }
long sys_mknodat(struct task *t, struct sc *c) { return mknod_common(t, c, 0, 1, c->a[2], c->a[3]); }

/* ---- extended attributes: root's namespaces kept under user.lbw. ---- */

#define XATTR_NAME_MAX 255
#define XATTR_LIST_MAX 65536

/* The host's name for the guest's attribute name a[ni]; a[ni] is set to
 * it. lbw's own names do not exist for the guest. */
static long map_name(long *a, int ni, char *name, char *host, int for_get)
{
	long r = strncpy_from_guest(name, (const char *)a[ni], XATTR_NAME_MAX + 1);
	if (r == -ENAMETOOLONG)
		return -ERANGE;
	if (r < 0)
		return r;
	if (starts_with(name, "user.lbw."))
		return for_get ? -ENODATA : -EPERM;
	a[ni] = (long)fake_xattr_name(name, host, XATTR_NAME_MAX + 16);
	return 0;
}

/* The path forms (pi 0) and the descriptor forms (pi -1). */
static long xattr_named(struct task *t, struct sc *c, int pi, int follow, int for_get)
{
	if (!fake.on)
		return pi < 0 ? sys_pass(t, c) : path1(t, c, -1, pi, follow);
	long a[6];
	struct hpath h;
	char name[XATTR_NAME_MAX + 1], host[XATTR_NAME_MAX + 16];
	memcpy(a, c->a, sizeof a);
	hpath_init(&h);
	long r = pi < 0 ? 0 : path_xlate(a, -1, pi, follow, &h);
	if (r >= 0)
		r = map_name(a, 1, name, host, for_get);
	if (r >= 0) {
		struct sc c2 = *c;
		if (h.nofollow)
			path_nofollow(&c2.nr, a);
		r = path_call(t, &c2, a);
	}
	path_release(&h);
	return r;
}

long sys_setxattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, FOLLOW, 0); }
long sys_lsetxattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, NOFOLLOW, 0); }
long sys_fsetxattr(struct task *t, struct sc *c) { return xattr_named(t, c, -1, FOLLOW, 0); }
long sys_getxattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, FOLLOW, 1); }
long sys_lgetxattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, NOFOLLOW, 1); }
long sys_fgetxattr(struct task *t, struct sc *c) { return xattr_named(t, c, -1, FOLLOW, 1); }
long sys_removexattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, FOLLOW, 0); }
long sys_lremovexattr(struct task *t, struct sc *c) { return xattr_named(t, c, 0, NOFOLLOW, 0); }
long sys_fremovexattr(struct task *t, struct sc *c) { return xattr_named(t, c, -1, FOLLOW, 0); }

static long xattr_list(struct task *t, struct sc *c, int pi, int follow)
{
	if (!fake.on)
		return pi < 0 ? sys_pass(t, c) : path1(t, c, -1, pi, follow);
	long a[6];
	struct hpath h;
	memcpy(a, c->a, sizeof a);
	hpath_init(&h);
	long r = pi < 0 ? 0 : path_xlate(a, -1, pi, follow, &h);
	if (r < 0)
		return r;
	char *list = lbw_alloc(XATTR_LIST_MAX);
	if (!list) {
		path_release(&h);
		return -ENOMEM;
	}
	long gbuf = a[1], gsize = a[2];
	a[1] = (long)list;
	a[2] = XATTR_LIST_MAX;
	struct sc c2 = *c;
	if (h.nofollow)
		path_nofollow(&c2.nr, a);
	r = path_call(t, &c2, a);
	path_release(&h);
	if (r >= 0) {
		r = fake_xattr_list(list, r);
		if (gsize && r > gsize)
			r = -ERANGE;
		else if (gsize && copy_to_guest((void *)gbuf, list, (size_t)r) < 0)
			r = -EFAULT;
	}
	lbw_free(list);
	return r;
}

long sys_listxattr(struct task *t, struct sc *c) { return xattr_list(t, c, 0, FOLLOW); }
long sys_llistxattr(struct task *t, struct sc *c) { return xattr_list(t, c, 0, NOFOLLOW); }
long sys_flistxattr(struct task *t, struct sc *c) { return xattr_list(t, c, -1, FOLLOW); }
