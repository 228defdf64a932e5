/* --stats: counters per syscall number in one MAP_SHARED area for the whole
 * guest process tree, and the strace -c style table printed from them. */
#include "stats.h"
#include "../rt/rt.h"
#include "../sys/table.h"
#include "../task.h"

struct stats_row {
	uint64_t calls;
	uint64_t errors;
	uint64_t ticks; /* rdtsc ticks spent servicing the calls */
	uint64_t trap;  /* calls that came by Syscall User Dispatch's SIGSYS */
	uint64_t fast;  /* calls that came by a rewritten site */
};

/* Row SC_MAX gathers numbers past the table; holes keep their own rows so
 * that `syscall_NNN` shows which number the guest tried. */
#define OTHER_ROW SC_MAX

struct stats_area {
	struct stats_row row[SC_MAX + 1];
};

/* The size of the shared area; zeroed memory is an empty one. */
size_t stats_area_size(void)
{
	return sizeof(struct stats_area);
}

/* Counts one call; lock-free, safe across threads and processes. */
void stats_add(struct stats_area *s, long nr, uint64_t ticks, long ret, int via)
{
	struct stats_row *r = &s->row[(unsigned long)nr < SC_MAX ? (unsigned long)nr : OTHER_ROW];
	/* relaxed: each counter stands alone, and processes share the area */
	__atomic_fetch_add(&r->calls, 1, __ATOMIC_RELAXED);
	if (ticks)
		__atomic_fetch_add(&r->ticks, ticks, __ATOMIC_RELAXED);
	if (ret < 0 && ret >= -4095)
		__atomic_fetch_add(&r->errors, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(via == VIA_FAST ? &r->fast : &r->trap, 1, __ATOMIC_RELAXED);
}

static void load_row(const struct stats_row *src, struct stats_row *dst)
{
	dst->calls = __atomic_load_n(&src->calls, __ATOMIC_RELAXED);
	dst->errors = __atomic_load_n(&src->errors, __ATOMIC_RELAXED);
	dst->ticks = __atomic_load_n(&src->ticks, __ATOMIC_RELAXED);
	dst->trap = __atomic_load_n(&src->trap, __ATOMIC_RELAXED);
	dst->fast = __atomic_load_n(&src->fast, __ATOMIC_RELAXED);
}

/* ticks*10000/total as "xx.xx", without 128-bit arithmetic (no libgcc). */
static void fmt_percent(char *buf, size_t size, uint64_t ticks, uint64_t total)
{
	unsigned shift = 0;
	while ((total >> shift) > (1ULL << 40))
		shift++;
	uint64_t t = total >> shift;
	uint64_t p = t ? (ticks >> shift) * 10000 / t : 0;
	lbw_snprintf(buf, size, "%3lu.%02lu", (unsigned long)(p / 100), (unsigned long)(p % 100));
}

static void print_row(int fd, const char *name, const struct stats_row *r, uint64_t total_ticks,
		      uint64_t tsc_per_us)
{
	char pct[16], errors[24];
	uint64_t us = r->ticks / tsc_per_us;
	fmt_percent(pct, sizeof pct, r->ticks, total_ticks);
	/* strace -c leaves the errors column blank when there were none */
	if (r->errors)
		lbw_snprintf(errors, sizeof errors, "%lu", (unsigned long)r->errors);
	else
		errors[0] = 0;
	lbw_dprintf(fd, "%s %4lu.%06lu %11lu %9lu %9s %9lu %9lu %s\n", pct,
		    (unsigned long)(us / 1000000), (unsigned long)(us % 1000000),
		    (unsigned long)(r->calls ? us / r->calls : 0), (unsigned long)r->calls, errors,
		    (unsigned long)r->trap, (unsigned long)r->fast, name);
}

/* Prints the strace -c style table of every number that was called. */
void stats_report(int fd, const struct stats_area *s, uint64_t tsc_per_us)
{
	static const char rule[] =
		"------ ----------- ----------- --------- --------- --------- --------- ----------------\n";
	struct stats_row rows[SC_MAX + 1], total = {0, 0, 0, 0, 0};
	unsigned short order[SC_MAX + 1];
	int n = 0;

	if (!tsc_per_us) {
		lbw_dprintf(fd, "lbw: the TSC rate is unknown: the times below are in ticks\n");
		tsc_per_us = 1;
	}
	for (int i = 0; i <= SC_MAX; i++) {
		load_row(&s->row[i], &rows[i]);
		if (!rows[i].calls)
			continue;
		total.calls += rows[i].calls;
		total.errors += rows[i].errors;
		total.ticks += rows[i].ticks;
		total.trap += rows[i].trap;
		total.fast += rows[i].fast;
		/* insertion sort: by time, then calls, descending; few hundred rows */
		int j = n++;
		while (j > 0) {
			const struct stats_row *p = &rows[order[j - 1]];
			if (p->ticks > rows[i].ticks ||
			    (p->ticks == rows[i].ticks && p->calls >= rows[i].calls))
				break;
			order[j] = order[j - 1];
			j--;
		}
		order[j] = (unsigned short)i;
	}

	lbw_dprintf(fd, "%% time     seconds  usecs/call     calls    errors      trap      fast syscall\n");
	lbw_dprintf(fd, "%s", rule);
	for (int k = 0; k < n; k++) {
		int i = order[k];
		char hole[24];
		const char *name = i < SC_MAX ? sc_table[i].name : "(past the table)";
		if (!name[0]) {
			lbw_snprintf(hole, sizeof hole, "syscall_%d", i);
			name = hole;
		}
		print_row(fd, name, &rows[i], total.ticks, tsc_per_us);
	}
	lbw_dprintf(fd, "%s", rule);
	print_row(fd, "total", &total, total.ticks, tsc_per_us);
}

/* Where a rewritten site's stub counts its calls: the row of nr and the
 * offsets of its calls, errors and fast counters (the stub increments them
 * itself, without entering lbw's C code). */
uint64_t *stats_fast_row(struct stats_area *s, long nr, int *calls_off, int *errors_off, int *fast_off)
{
	struct stats_row *r = &s->row[(unsigned long)nr < SC_MAX ? (unsigned long)nr : OTHER_ROW];
	*calls_off = (int)__builtin_offsetof(struct stats_row, calls);
	*errors_off = (int)__builtin_offsetof(struct stats_row, errors);
	*fast_off = (int)__builtin_offsetof(struct stats_row, fast);
	return &r->calls;
}
