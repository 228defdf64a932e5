/* File descriptors. lbw's own descriptors (trace output, shared
 * statistics) are kept out of the guest's reach. */
#include "table.h"
#include "../task.h"
#include "../config.h"
#include "../rt/rt.h"

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
