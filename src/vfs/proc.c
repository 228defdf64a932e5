/* /proc overlays: links that would name lbw name the guest program. */
#include "vfs.h"
#include "../rt/rt.h"
#include "../sys/dispatch.h"

int vfs_is_self_exe(const char *path)
{
	if (!starts_with(path, "/proc/"))
		return 0;
	const char *p = path + 6;
	if (starts_with(p, "self/"))
		p += 5;
	else if (starts_with(p, "thread-self/"))
		p += 12;
	else {
		long pid = 0;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			pid = pid * 10 + (*p++ - '0');
		if (*p++ != '/')
			return 0;
		if (pid != sys0(SYS_getpid)) {
			/* /proc/PID/task/TID/exe of our own threads */
			return 0;
		}
		if (starts_with(p, "task/")) {
			p += 5;
			while (*p >= '0' && *p <= '9')
				p++;
			if (*p++ != '/')
				return 0;
		}
	}
	return strcmp(p, "exe") == 0;
}
