/* lbw's process-wide state: options from the command line, carried across
 * the guest's execve in the LBW_STATE environment entry. */
#ifndef LBW_CONFIG_H
#define LBW_CONFIG_H

#include <stdint.h>

struct stats_area;

struct lbw_config {
	int trace_fd;            /* -1: no --trace */
	int stats;               /* --stats */
	int stats_fd;            /* shared counters memfd, -1 when off */
	int report_fd;           /* where --stats prints: stderr as it was at start */
	struct stats_area *stats_area; /* mapped MAP_SHARED: one for the whole guest tree */
	int root_pid;            /* pid of the first guest process: it prints --stats */
	int no_rewrite;          /* --no-rewrite */
	uint64_t tsc_per_us;     /* rdtsc ticks per microsecond, for --stats */
	char uname_release[65];  /* --uname-release, "" = host's */
	uint64_t self_dev, self_ino; /* lbw's own binary, once known (exec_lbw) */
	uint64_t guest_dev, guest_ino; /* the running image's file: its mapping
	                                * names what /proc/self/exe shows */
	uint64_t guest_phdr;     /* where lbw mapped its headers (AT_PHDR) */
	/* The paths last: their pages are touched only as far as written. */
	char exe_host[4096];     /* the host path the running image was loaded by */
};

extern struct lbw_config cfg;

/* Prints the --stats table (the first guest process, at its exit). */
void lbw_stats_finish(void);

#endif
