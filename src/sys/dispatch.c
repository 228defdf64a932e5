/* Dispatch: table[nr] -> handler, wrapped by tracing and statistics. */
#include "dispatch.h"
#include "table.h"
#include "../config.h"
#include "../rt/rt.h"
#include "../trace/trace.h"
#include "../trace/stats.h"
#include "path.h"

long sys_nosys(struct task *t, struct sc *c);

/* Passthrough: the host kernel does the work, from lbw's gate. */
long sys_pass(struct task *t, struct sc *c)
{
	return lbw_sys_cp(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5], &t->pending);
}

static unsigned long warned[(SC_MAX + 64) / 64 + 1];

static void warn_once(long nr, const char *name)
{
	unsigned long i = (unsigned long)nr < SC_MAX ? (unsigned long)nr : SC_MAX;
	unsigned long bit = 1UL << (i % 64);
	if (__atomic_fetch_or(&warned[i / 64], bit, __ATOMIC_RELAXED) & bit)
		return;
	lbw_warn("unimplemented syscall %ld (%s)", nr, name ? name : "unknown");
}

long sys_nosys(struct task *t, struct sc *c)
{
	(void)t;
	warn_once(c->nr, sc_table[c->nr].name);
	return -ENOSYS;
}

void dispatch_trace_noreturn(struct sc *c)
{
	if (cfg.trace_fd >= 0)
		trace_call(cfg.trace_fd, task_current()->tid, c, 0, 0);
}

void dispatch_trace_exec(struct sc *c)
{
	if (cfg.trace_fd >= 0)
		trace_call(cfg.trace_fd, task_current()->tid, c, 0, 1);
}

long dispatch(struct task *t, struct sc *c)
{
	unsigned long nr = (unsigned long)c->nr;
	if (nr >= SC_MAX || !sc_table[nr].name[0]) {
		/* Past the table: possibly a newer call lbw lacks, so say so.
		 * A hole in the x86-64 numbering is no call at all, nor is a
		 * negative number (the kernel's int): silent. */
		if (nr >= SC_MAX && c->nr >= 0)
			warn_once(c->nr, NULL);
		if (cfg.trace_fd >= 0)
			trace_call(cfg.trace_fd, t->tid, c, -ENOSYS, 1);
		return -ENOSYS;
	}
	const struct sc_info *info = &sc_table[nr];
	uint64_t t0 = cfg.stats_area ? rdtsc() : 0;
	if (info->ret == R_NONE) {
		/* It may never return: count it and show it now. */
		if (cfg.stats_area)
			stats_add(cfg.stats_area, nr, 0, 0, c->via);
		if (cfg.trace_fd >= 0 && nr != SYS_execve && nr != SYS_execveat)
			trace_call(cfg.trace_fd, t->tid, c, 0, 0);
	}
	/* Where lbw walks paths, the kernel's checks that come before any
	 * walk come first (sys_path.c). */
	long ret = 0;
	if (info->status == ST_PATH || info->status == ST_OWNER)
		ret = path_early_errors(c);
	if (!ret)
		ret = sc_call(t, c);
	if (cfg.stats_area && info->ret != R_NONE)
		stats_add(cfg.stats_area, nr, rdtsc() - t0, ret, c->via);
	/* An exec in place showed itself before the old image went. */
	if (cfg.trace_fd >= 0 && !(info->ret == R_NONE && ret == 0))
		trace_call(cfg.trace_fd, t->tid, c, ret, 1);
	return ret;
}
