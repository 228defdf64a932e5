/* The guest's view of the file system: a guest root (a host directory),
 * bind mounts (host paths shown at guest paths), and /proc telling the
 * guest's story. Guest paths are resolved here, in the guest's namespace:
 * symlinks (absolute ones relative to the guest root), `..` (never above
 * the guest root) and binds; the host then gets an absolute host path. */
#ifndef LBW_VFS_H
#define LBW_VFS_H

#include <stddef.h>

#define VFS_PATH_MAX 4096
#define VFS_MAX_BINDS 32

struct vfs_bind {
	char *host;  /* canonical host path */
	char *guest; /* canonical guest path */
	int made;    /* by the guest's mount(2): a mount, whatever it shows */
	int place;   /* 0: not yet known; 1: a mount of its own; 2: the host's
		      * own directory at that place, the root being the host's
		      * (-R /'s /tmp): no mount */
};

/* rt/guestmem.S's path probe reads nbinds (offset 0) and root[1] (5). */
struct vfs {
	int nbinds;
	char root[VFS_PATH_MAX]; /* canonical host path of the guest root; "/" = none */
	struct vfs_bind binds[VFS_MAX_BINDS];
};

extern struct vfs vfs;
_Static_assert(__builtin_offsetof(struct vfs, root) == 4, "lbw_probe_proc reads vfs.root[1] at 5");

/* True when the guest sees something else than the host's tree. */
static inline int vfs_active(void)
{
	return vfs.root[1] != 0 || vfs.nbinds > 0;
}
/* Adds a bind of host path onto guest path (both made canonical); made:
 * by the guest's mount(2). -errno. */
long vfs_add_bind(const char *host, const char *guest, int made);
/* Removes the bind at a canonical guest path; -EINVAL when there is none. */
long vfs_remove_bind(const char *guest);
/* Sets the guest root (a host directory); -errno. */
long vfs_set_root(const char *host);

/* Resolves a guest path relative to dirfd (AT_FDCWD: the guest's cwd) into
 * an absolute host path. follow: whether a symlink in the last component
 * is followed. 0 or -errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EFAULT
 * ...), as the kernel would fail. */
long vfs_resolve(int dirfd, const char *gpath, int follow, char *hpath);
/* The same for a path already copied from the guest. */
long vfs_resolve_local(int dirfd, const char *path, int follow, char *hpath);
/* The same walk, giving the guest path it reached (symlinks followed in
 * guest terms, the last one when follow). 0 or -errno. */
long vfs_resolve_guest(int dirfd, const char *path, int follow, char *gpath);
/* The guest's mount holding guest path g: the innermost bind that is a
 * mount of its own (an index of vfs.binds), or -1 for the root. */
int vfs_mount_of(const char *g);
/* Whether guest path g is where such a bind is mounted. */
int vfs_is_mountpoint(const char *g);
/* What follows /proc/self/, /proc/thread-self/ or /proc/PID/[task/TID/]
 * in path when PID is this process's, else NULL. */
const char *vfs_own_proc(const char *path);
/* N of this process's /proc fd link path (.../fd/N), else -1. */
long vfs_own_fd(const char *path);
/* Whether path is this process's /proc fd link of one of lbw's own
 * descriptors (trace, statistics): never the program's to open. */
int vfs_lbw_fd_link(const char *path);
/* Whether any bind is a mount of its own. */
int vfs_has_mounts(void);
/* A canonical guest path to its host path (the longest bind whose guest
 * path is a prefix, else the guest root), without looking at the file
 * system; 0 or -ENAMETOOLONG. */
long vfs_guest_to_host(const char *gpath, char *hpath);
/* The index of that bind in vfs.binds, or -1 for the guest root. */
int vfs_bind_of(const char *gpath);
/* Maps a host path to the guest's name for it: 1. Paths outside the
 * guest's view are returned unchanged: 0. */
int vfs_host_to_guest(const char *hpath, char *gpath, size_t size);
/* The guest's cwd (from the host cwd): 1, or 0 when the host cwd is
 * outside the guest's view (gpath is then "/"); -errno. */
long vfs_guest_cwd(char *gpath, size_t size);
/* The guest's name for an open file descriptor: 1, or 0 when it is
 * outside the guest's view (gpath is then its host path); -errno. */
long vfs_fd_guest_path(int fd, char *gpath, size_t size);

/* True when path names the calling process's own exe link in /proc. */
int vfs_is_self_exe(const char *path);
/* For /proc/PID/exe of another process lbw runs (whose exe link, to the
 * kernel, is lbw): 1 with the host path of the guest's program in out.
 * 0 for anything else: the kernel's answer stands. */
int vfs_other_exe(const char *link, char *out, size_t size);
/* The guest path of the running image (what its /proc/self/exe names)
 * into out: 1, or 0 when unknown. */
int vfs_self_exe(char *out, size_t size);
/* Its host path into out: from its mapping, else the path it was loaded
 * by. */
void vfs_self_exe_host(char *out, size_t size);

#endif
