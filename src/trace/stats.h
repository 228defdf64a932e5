/* --stats: per-syscall counters shared by a whole guest process tree, and
 * the strace -c style table printed at the end. */
#ifndef LBW_TRACE_STATS_H
#define LBW_TRACE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Opaque: lives in one MAP_SHARED mapping that every guest process of the
 * tree inherits; all updates are atomic. Zero-filled memory is a valid,
 * empty area. */
struct stats_area;

/* Bytes to map for one stats_area (not rounded to pages). */
size_t stats_area_size(void);

/* Counts one call of number nr: ticks of rdtsc spent, an error when ret is
 * in -4095..-1, and whether it came by the trap or the fast path (via is
 * VIA_TRAP or VIA_FAST from task.h). Numbers outside the table are counted
 * together on one row. Safe from any thread of any process of the tree. */
void stats_add(struct stats_area *s, long nr, uint64_t ticks, long ret, int via);

/* Prints the table to fd: % time, seconds, usecs/call, calls, errors, trap,
 * fast, syscall; rows with calls, by time descending; then a total line.
 * tsc_per_us converts ticks to time (0: unknown, times shown as ticks). */
void stats_report(int fd, const struct stats_area *s, uint64_t tsc_per_us);

/* The counters a fast-path stub increments for nr (see trap/rewrite.c). */
uint64_t *stats_fast_row(struct stats_area *s, long nr, int *calls_off, int *errors_off, int *fast_off);

#endif
