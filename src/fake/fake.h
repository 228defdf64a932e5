/* Fake root (-0/--fakeroot): the guest believes it is root. Its ids are
 * virtual (every id call says 0 until the guest itself changes them, with
 * the kernel's rules for who may change what), and the ownership, modes
 * and device numbers it sets are remembered per file in an extended
 * attribute of the file itself (user.lbw.meta), so stat, ls, tar and dpkg
 * see them in later calls and later runs. The kernel writes an xattr as a
 * whole or not at all, and it follows the inode through renames and hard
 * links: no separate store can drift from the tree or be half-written. */
#ifndef LBW_FAKE_H
#define LBW_FAKE_H

#include <stdint.h>
#include "../abi/linux.h"

#define FAKE_NGROUPS 64

struct fake_creds {
	uint32_t ruid, euid, suid, fsuid;
	uint32_t rgid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[FAKE_NGROUPS];
};

struct fake {
	int on;                   /* -0 given */
	uint32_t host_uid, host_gid; /* the real ids: files they own look root's */
	struct fake_creds c;      /* the guest's virtual credentials */
};

extern struct fake fake;

/* Turns fake root on: all ids 0, supplementary groups {0}. */
void fake_enable(void);

/* ---- ids.c: the credential calls, with the kernel's permission rules ---- */
long fake_setresuid(long r, long e, long s);
long fake_setresgid(long r, long e, long s);
long fake_setreuid(long r, long e);
long fake_setregid(long r, long e);
long fake_setuid(long u);
long fake_setgid(long g);
long fake_setfsuid(long u);
long fake_setfsgid(long g);
long fake_setgroups(long n, const uint32_t *list);

/* ---- meta.c: what the guest set on a file, kept in user.lbw.meta ---- */
struct fake_meta {
	uint32_t version; /* FAKE_META_VERSION */
	uint32_t flags;   /* FM_* */
	uint32_t uid, gid;
	uint32_t mode;    /* FM_MODE: permission bits; FM_DEV: type bits too */
	uint32_t pad;
	uint64_t rdev;    /* FM_DEV */
};
#define FAKE_META_VERSION 1
#define FM_OWNER 1 /* uid and gid are the guest's */
#define FM_MODE 2  /* the permission bits are the guest's */
#define FM_DEV 4   /* a device node the host would not let us make: a
		      regular file standing in, with the guest's type and rdev */

/* A file, by host path (follow: its last symlink) or, when path is NULL,
 * by descriptor. */
struct fake_file {
	const char *path;
	int fd;
	int follow;
};

/* Reads the record: 0 (flags 0 when there is none) or -errno. */
long fake_meta_get(const struct fake_file *f, struct fake_meta *m);
/* Writes it, or removes it when flags is 0. */
long fake_meta_put(const struct fake_file *f, const struct fake_meta *m);
/* stat of the file itself (lstat when !follow). */
long fake_host_stat(const struct fake_file *f, struct k_stat *st);

/* What the guest sees of a file the host stat'ed: the host's ids map to 0,
 * then the record's owner, mode and device apply. */
void fake_fix_stat(const struct fake_file *f, struct k_stat *st);
void fake_fix_statx(const struct fake_file *f, void *statx_buf);

/* chown/chmod/mknod as root would see them succeed. */
long fake_chown(const struct fake_file *f, long uid, long gid);
long fake_chmod(const struct fake_file *f, long mode);
/* mknod at host path; 0 or -errno. */
long fake_mknod(const char *path, long mode, long dev);

/* xattr names: security.* and trusted.* (which only root may set) live as
 * user.lbw.<name>; the guest never sees user.lbw.* itself. Returns the
 * host's name in buf (or name itself). */
const char *fake_xattr_name(const char *name, char *buf, unsigned long size);
/* Rewrites a host listxattr list in place for the guest; returns its new length. */
long fake_xattr_list(char *list, long len);

#endif
