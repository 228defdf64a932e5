/* `lbw --syscalls`: the coverage report, read straight off the table. */
#include "table.h"
#include "../rt/rt.h"

void syscalls_report(int fd);

static const char *const status_words[] = {
	[ST_PASS] = "passthrough",
	[ST_EMU] = "emulated",
	[ST_NOSYS] = "unsupported",
	[ST_PATH] = "emulated",
	[ST_FAKE] = "fakeroot",
};

/* Prints one line per existing syscall number (number, name, status, note)
 * and a summary line with the count of each status. */
void syscalls_report(int fd)
{
	int count[5] = {0, 0, 0, 0, 0}, total = 0;
	for (int nr = 0; nr < SC_MAX; nr++) {
		const struct sc_info *s = &sc_table[nr];
		if (!s->name)
			continue;
		lbw_dprintf(fd, "%3d  %-24s %-11s  %s\n", nr, s->name, status_words[s->status], s->note);
		count[s->status]++;
		total++;
	}
	lbw_dprintf(fd, "%d system calls: %d passthrough, %d emulated, %d unsupported, %d changed by fake root\n",
		    total, count[ST_PASS], count[ST_EMU] + count[ST_PATH], count[ST_NOSYS], count[ST_FAKE]);
}
