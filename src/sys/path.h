/* The path translation every path-taking handler shares (sys_path.c). */
#ifndef LBW_SYS_PATH_H
#define LBW_SYS_PATH_H

struct task;
struct sc;

/* How a call takes its last component: FOLLOW a symlink there, or not
 * (NOFOLLOW: lstat, lchown, O_NOFOLLOW...), or NAME: the call acts on the
 * name itself (mkdir, rmdir, unlink, rename, link's and symlink's new
 * name, mknod). A trailing slash makes the kernel follow a symlink last
 * component of the first two kinds, never of the third; path_xlate does
 * the same in guest terms. SLASH_NAME, or'ed in: with a trailing slash,
 * as NAME (open with O_CREAT: EISDIR, without a look at the component). */
enum { NOFOLLOW = 0, FOLLOW = 1, NAME = 2, SLASH_NAME = 4 };

/* A resolved host path. In a guest root it names the file through an
 * O_PATH descriptor of its directory (pin, -1 when none), opened without
 * following any symlink: a directory renamed or a symlink swapped in after
 * lbw's walk cannot send the kernel out of the root. */
struct hpath {
	char s[4096];
	int pin;
	int nofollow; /* lbw looked at the last component already: make the
			 call in its no-follow form (path_nofollow) */
};

/* An hpath with nothing pinned yet (path_release has nothing to do). */
static inline void hpath_init(struct hpath *h)
{
	h->pin = -1;
	h->nofollow = 0;
}

/* Resolves the path argument a[pi] (relative to a[di], or the cwd when di
 * is -1) in place: a[pi] becomes the host path h->s, a[di] AT_FDCWD.
 * Without a guest root or fake root it may leave the arguments as they
 * are; 1 says a[pi] now is h->s, 0 that it is not. path_release(h) after
 * the call, in every case. */
long path_xlate(long *a, int di, int pi, int follow, struct hpath *h);
void path_release(struct hpath *h);
/* For h->nofollow: lbw followed (or looked at) the last component
 * already, so the call must not follow a symlink swapped in since (nr and
 * a changed to the no-follow form of the call, where it has one). */
void path_nofollow(long *nr, long *a);
/* Makes call c with arguments a; a blocking call may be cut by a signal. */
long path_call(struct task *t, struct sc *c, const long *a);
/* A call whose one path argument is a[pi] (dirfd a[di], or -1). */
long path1(struct task *t, struct sc *c, int di, int pi, int follow);
/* In a guest root, the file a[pi] names as an O_PATH descriptor (of a
 * symlink itself when !follow), opened by the kernel's walk refusing
 * symlinks (quick_path says when that walk is the guest's): 1 with *fd the
 * descriptor or the walk's error, 0 when lbw's walk must do it. */
int path_open_quick(struct task *t, const long *a, int di, int pi, int follow, long *fd);
/* An empty path with AT_EMPTY_PATH names the dirfd itself. */
int path_empty(long gpath, long flags);
/* Where lbw walks paths (a guest root, fake root): the error the kernel
 * gives call c before it walks any path (bad flags, mode or times), else 0. */
long path_early_errors(const struct sc *c);

#endif
