/* Ownership, modes and device nodes under fake root, remembered in the
 * user.lbw.meta extended attribute of each file (see fake.h for why). */
#include "fake.h"
#include "../rt/rt.h"

#define META_NAME "user.lbw.meta"
#define HIDDEN_PREFIX "user.lbw."

static long f_call1(const struct fake_file *f, long by_path, long by_lpath, long by_fd, long a2, long a3,
		    long a4, long a5)
{
	if (f->path)
		return sys5(f->follow ? by_path : by_lpath, (long)f->path, a2, a3, a4, a5);
	long r = sys5(by_fd, f->fd, a2, a3, a4, a5);
	if (r == -EBADF) {
		char p[40];
		lbw_snprintf(p, sizeof p, PROC_FD "%d", f->fd);
		r = sys5(by_path, (long)p, a2, a3, a4, a5);
	}
	return r;
}

static long f_chmod(const struct fake_file *f, long mode)
{
	long r = f->path ? sys2(SYS_chmod, (long)f->path, mode) : sys2(SYS_fchmod, f->fd, mode);
	if (r == -EBADF && !f->path) {
		char p[40];
		lbw_snprintf(p, sizeof p, PROC_FD "%d", f->fd);
		r = sys2(SYS_chmod, (long)p, mode);
	}
	return r;
}

/* xattr calls by path or descriptor. A descriptor that cannot take xattr
 * calls (O_PATH) is reached again through /proc/thread-self/fd. The kernel wants
 * the owner to have read (write) permission for user.* xattrs: a file
 * created with mode 000 (tar, dpkg) is opened up for the call. */
static long f_call(const struct fake_file *f, long by_path, long by_lpath, long by_fd, long a2, long a3,
		   long a4, long a5)
{
	long r = f_call1(f, by_path, by_lpath, by_fd, a2, a3, a4, a5);
	if (r != -EACCES)
		return r;
	struct k_stat st;
	if (fake_host_stat(f, &st) < 0 || st.st_uid != fake.host_uid ||
	    ((st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR))
		return r;
	if (f_chmod(f, (st.st_mode & 07777) | 0600) < 0)
		return r;
	r = f_call1(f, by_path, by_lpath, by_fd, a2, a3, a4, a5);
	f_chmod(f, st.st_mode & 07777);
	return r;
}

long fake_host_stat(const struct fake_file *f, struct k_stat *st)
{
	if (f->path)
		return sys2(f->follow ? SYS_stat : SYS_lstat, (long)f->path, (long)st);
	return sys4(SYS_newfstatat, f->fd, (long)"", (long)st, AT_EMPTY_PATH);
}

long fake_meta_get(const struct fake_file *f, struct fake_meta *m)
{
	memset(m, 0, sizeof *m);
	long r = f_call(f, SYS_getxattr, SYS_lgetxattr, SYS_fgetxattr, (long)META_NAME, (long)m, sizeof *m, 0);
	if (r == -ENODATA || r == -EOPNOTSUPP || r == -EPERM || r == -EACCES) {
		memset(m, 0, sizeof *m);
		return 0;
	}
	if (r < 0)
		return r;
	if (r != sizeof *m || m->version != FAKE_META_VERSION)
		memset(m, 0, sizeof *m); /* not ours, or a later format: ignored */
	return 0;
}

long fake_meta_put(const struct fake_file *f, const struct fake_meta *m)
{
	if (!m->flags) {
		long r = f_call(f, SYS_removexattr, SYS_lremovexattr, SYS_fremovexattr, (long)META_NAME, 0, 0, 0);
		return r == -ENODATA ? 0 : r;
	}
	struct fake_meta w = *m;
	w.version = FAKE_META_VERSION;
	return f_call(f, SYS_setxattr, SYS_lsetxattr, SYS_fsetxattr, (long)META_NAME, (long)&w, sizeof w, 0);
}

static void fix_ids(uint32_t *uid, uint32_t *gid)
{
	if (*uid == fake.host_uid)
		*uid = 0;
	if (*gid == fake.host_gid)
		*gid = 0;
}

void fake_fix_stat(const struct fake_file *f, struct k_stat *st)
{
	fix_ids(&st->st_uid, &st->st_gid);
	if ((st->st_mode & S_IFMT) != S_IFREG && (st->st_mode & S_IFMT) != S_IFDIR)
		return; /* only files and directories take user xattrs */
	struct fake_meta m;
	if (fake_meta_get(f, &m) < 0 || !m.flags)
		return;
	if (m.flags & FM_OWNER) {
		st->st_uid = m.uid;
		st->st_gid = m.gid;
	}
	if (m.flags & FM_DEV) {
		st->st_mode = m.mode;
		st->st_rdev = m.rdev;
		st->st_size = 0;
		st->st_blocks = 0;
	} else if (m.flags & FM_MODE) {
		st->st_mode = (st->st_mode & S_IFMT) | (m.mode & 07777);
	}
}

/* struct statx, the fields fake root touches. */
#define STX_MASK 0
#define STX_UID 20
#define STX_GID 24
#define STX_MODE 28
#define STX_SIZE 40
#define STX_BLOCKS 48
#define STX_RDEV_MAJOR 128
#define STX_RDEV_MINOR 132
#define STATX_TYPE 0x1
#define STATX_MODE 0x2
#define STATX_UID 0x8
#define STATX_GID 0x10

void fake_fix_statx(const struct fake_file *f, void *buf)
{
	unsigned char *b = buf;
	uint32_t mask, uid, gid;
	uint16_t mode;
	memcpy(&mask, b + STX_MASK, 4);
	memcpy(&uid, b + STX_UID, 4);
	memcpy(&gid, b + STX_GID, 4);
	memcpy(&mode, b + STX_MODE, 2);
	/* Fill a k_stat with what statx gave, fix it, copy the fields back. */
	struct k_stat st;
	memset(&st, 0, sizeof st);
	st.st_uid = uid;
	st.st_gid = gid;
	st.st_mode = mode;
	if (!(mask & STATX_TYPE)) {
		/* No type known: look at the file, as the record depends on it. */
		struct k_stat hs;
		if (fake_host_stat(f, &hs) == 0)
			st.st_mode = hs.st_mode;
	}
	uint32_t maj, min;
	memcpy(&maj, b + STX_RDEV_MAJOR, 4);
	memcpy(&min, b + STX_RDEV_MINOR, 4);
	fake_fix_stat(f, &st);
	if (mask & STATX_UID)
		memcpy(b + STX_UID, &st.st_uid, 4);
	if (mask & STATX_GID)
		memcpy(b + STX_GID, &st.st_gid, 4);
	if (mask & (STATX_TYPE | STATX_MODE)) {
		mode = (uint16_t)st.st_mode;
		memcpy(b + STX_MODE, &mode, 2);
	}
	if (st.st_rdev) {
		/* The kernel's encoding of a 32-bit dev_t. */
		maj = (uint32_t)((st.st_rdev & 0xfff00) >> 8);
		min = (uint32_t)((st.st_rdev & 0xff) | ((st.st_rdev >> 12) & 0xfff00));
		uint64_t zero = 0;
		memcpy(b + STX_RDEV_MAJOR, &maj, 4);
		memcpy(b + STX_RDEV_MINOR, &min, 4);
		memcpy(b + STX_SIZE, &zero, 8);
		memcpy(b + STX_BLOCKS, &zero, 8);
	}
}

/* The current guest-visible owner of a file. */
static void owner_of(const struct k_stat *st, const struct fake_meta *m, uint32_t *uid, uint32_t *gid)
{
	*uid = st->st_uid;
	*gid = st->st_gid;
	fix_ids(uid, gid);
	if (m->flags & FM_OWNER) {
		*uid = m->uid;
		*gid = m->gid;
	}
}

/* A record that says only "owned by root" is no record at all. */
static void tidy(struct fake_meta *m)
{
	if ((m->flags & FM_OWNER) && m->uid == 0 && m->gid == 0)
		m->flags &= ~FM_OWNER;
}

static int takes_xattrs(const struct k_stat *st)
{
	unsigned t = st->st_mode & S_IFMT;
	return t == S_IFREG || t == S_IFDIR;
}

long fake_chown(const struct fake_file *f, long uid, long gid)
{
	struct k_stat st;
	long r = fake_host_stat(f, &st);
	if (r < 0)
		return r;
	if (!takes_xattrs(&st))
		return 0; /* symlinks, fifos, sockets: root's owner change is not kept */
	struct fake_meta m;
	r = fake_meta_get(f, &m);
	if (r < 0)
		return r;
	uint32_t u, g;
	owner_of(&st, &m, &u, &g);
	if ((uint32_t)uid != (uint32_t)-1)
		u = (uint32_t)uid;
	if ((uint32_t)gid != (uint32_t)-1)
		g = (uint32_t)gid;
	/* As the kernel does for any caller: a new owner of a regular file
	 * drops its set-user-ID bit, and set-group-ID when group-executable. */
	if ((st.st_mode & S_IFMT) == S_IFREG && !(m.flags & FM_DEV)) {
		uint32_t mode = (m.flags & FM_MODE) ? m.mode : st.st_mode & 07777;
		uint32_t drop = S_ISUID | ((mode & 010) ? S_ISGID : 0);
		if (((uint32_t)uid != (uint32_t)-1 || (uint32_t)gid != (uint32_t)-1) && (mode & drop)) {
			m.mode = mode & ~drop;
			m.flags |= FM_MODE;
		}
	}
	m.uid = u;
	m.gid = g;
	m.flags |= FM_OWNER;
	tidy(&m);
	r = fake_meta_put(f, &m);
	return r == -EOPNOTSUPP ? 0 : r;
}

long fake_chmod(const struct fake_file *f, long mode)
{
	struct k_stat st;
	long r = fake_host_stat(f, &st);
	if (r < 0)
		return r;
	mode &= 07777;
	if (!takes_xattrs(&st)) {
		if ((st.st_mode & S_IFMT) == S_IFLNK)
			return -EOPNOTSUPP; /* lchmod: as the kernel answers */
		return f_chmod(f, mode);
	}
	struct fake_meta m;
	r = fake_meta_get(f, &m);
	if (r < 0)
		return r;
	if (m.flags & FM_DEV) {
		m.mode = (m.mode & S_IFMT) | (uint32_t)mode;
		return fake_meta_put(f, &m);
	}
	/* The host keeps the owner's read and write (and search, on a
	 * directory) so that lbw's user can go on doing what root could. */
	long real = mode | 0600 | ((st.st_mode & S_IFMT) == S_IFDIR ? 0100 : 0);
	r = f_chmod(f, real);
	if (r < 0)
		return r;
	if (real == mode && !(m.flags & FM_MODE))
		return 0;
	if (real == mode)
		m.flags &= ~FM_MODE;
	else
		m.flags |= FM_MODE;
	m.mode = (uint32_t)mode;
	r = fake_meta_put(f, &m);
	return r == -EOPNOTSUPP ? 0 : r;
}

long fake_mknod(const char *path, long mode, long dev)
{
	unsigned t = (unsigned)mode & S_IFMT;
	if (t != S_IFCHR && t != S_IFBLK)
		return sys4(SYS_mknodat, AT_FDCWD, (long)path, mode, dev);
	/* A device node needs CAP_MKNOD: an empty regular file stands in. */
	long um = sys1(SYS_umask, 0);
	sys1(SYS_umask, um);
	mode &= ~um;
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fd;
	struct fake_meta m;
	memset(&m, 0, sizeof m);
	m.flags = FM_DEV;
	m.mode = t | ((uint32_t)mode & 07777);
	m.rdev = (uint32_t)dev;
	struct fake_file f = {NULL, (int)fd, 1};
	long r = fake_meta_put(&f, &m);
	sys1(SYS_close, fd);
	if (r < 0)
		sys1(SYS_unlink, (long)path);
	return r;
}

const char *fake_xattr_name(const char *name, char *buf, unsigned long size)
{
	if (!starts_with(name, "security.") && !starts_with(name, "trusted."))
		return name;
	if (lbw_snprintf(buf, size, HIDDEN_PREFIX "%s", name) >= (int)size)
		return name;
	return buf;
}

long fake_xattr_list(char *list, long len)
{
	long out = 0;
	for (long i = 0; i < len;) {
		const char *n = list + i;
		long nl = (long)strnlen(n, (size_t)(len - i)) + 1;
		i += nl;
		const char *show = n;
		if (starts_with(n, HIDDEN_PREFIX)) {
			show = n + sizeof HIDDEN_PREFIX - 1;
			if (!starts_with(show, "security.") && !starts_with(show, "trusted."))
				continue; /* lbw's own record */
		}
		long sl = (long)strlen(show) + 1;
		memmove(list + out, show, (size_t)sl);
		out += sl;
	}
	return out;
}
