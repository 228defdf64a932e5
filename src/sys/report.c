/* `lbw --syscalls`: the coverage report, read straight off the table. */
#include "table.h"
#include "../rt/rt.h"

void syscalls_report(int fd);

static const char status_words[][12] = {
	[ST_PASS] = "passthrough",
	[ST_EMU] = "emulated",
	[ST_NOSYS] = "unsupported",
	[ST_PATH] = "emulated",
	[ST_FAKE] = "fakeroot",
	[ST_OWNER] = "emulated",
};

static void row(int fd, int nr, const char *note, int *count)
{
	const struct sc_info *s = &sc_table[nr];
	lbw_dprintf(fd, "%3d  %-24s %-11s  %s\n", nr, s->name, status_words[s->status], note);
	count[s->status]++;
}

/* Prints one line per existing syscall number (number, name, status, note)
 * and a summary line with the count of each status. The notes are not in
 * sc_table (pointers there would cost every process a relocation), so the
 * rows are expanded here, in number order. */
void syscalls_report(int fd)
{
	int count[6] = {0, 0, 0, 0, 0, 0}, total = 0;
#define SC(nr, name, st, ret, n, a1, a2, a3, a4, a5, a6, note) row(fd, nr, note, count), total++;
#include "syscalls.def"
#undef SC
	lbw_dprintf(fd,
		    "%d system calls: %d passthrough, %d emulated (%d of them also changed by fake root), "
		    "%d unsupported, %d changed by fake root\n",
		    total, count[ST_PASS], count[ST_EMU] + count[ST_PATH] + count[ST_OWNER], count[ST_OWNER],
		    count[ST_NOSYS], count[ST_FAKE]);
}
