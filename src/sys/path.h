/* The path translation every path-taking handler shares (sys_path.c). */
#ifndef LBW_SYS_PATH_H
#define LBW_SYS_PATH_H

struct task;
struct sc;

enum { NOFOLLOW = 0, FOLLOW = 1 };

/* Resolves the path argument a[pi] (relative to a[di], or the cwd when di
 * is -1) in place: a[pi] becomes a host path in buf (VFS_PATH_MAX bytes),
 * a[di] AT_FDCWD. Without a guest root or fake root it may leave the
 * arguments as they are; 1 says a[pi] now is buf, 0 that it is not. */
long path_xlate(long *a, int di, int pi, int follow, char *buf);
/* Makes call c with arguments a; a blocking call may be cut by a signal. */
long path_call(struct task *t, struct sc *c, const long *a);
/* A call whose one path argument is a[pi] (dirfd a[di], or -1). */
long path1(struct task *t, struct sc *c, int di, int pi, int follow);
/* An empty path with AT_EMPTY_PATH names the dirfd itself. */
int path_empty(long gpath, long flags);

#endif
