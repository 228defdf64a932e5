/* What the kernel appears to be. */
#include "table.h"
#include "../task.h"
#include "../config.h"
#include "../rt/rt.h"

long sys_uname(struct task *t, struct sc *c)
{
	(void)t;
	struct k_utsname u;
	long r = sys1(SYS_uname, (long)&u);
	if (r < 0)
		return r;
	if (cfg.uname_release[0])
		strlcpy(u.release, cfg.uname_release, sizeof u.release);
	return copy_to_guest((void *)c->a[0], &u, sizeof u);
}
