/* lbw --check: what this kernel offers lbw, and which mode lbw will use. */
#include "config.h"
#include "rt/rt.h"

int check_host(void);

int check_host(void)
{
	struct k_utsname u;
	sys1(SYS_uname, (long)&u);
	lbw_dprintf(1, "kernel: %s %s\n", u.sysname, u.release);

	/* Syscall User Dispatch: arm it over the gate with the switch on
	 * "allow", then turn it off again. */
	volatile char sel = SYSCALL_DISPATCH_FILTER_ALLOW;
	long sud = sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (long)lbw_gate_start,
			lbw_gate_end - lbw_gate_start, (long)&sel);
	if (sud == 0)
		sys5(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0);
	lbw_dprintf(1, "Syscall User Dispatch: %s\n", sud == 0 ? "yes" : errno_name(sud));

	long sc = sys1(SYS_prctl, 21 /* PR_GET_SECCOMP */);
	lbw_dprintf(1, "seccomp: %s\n", sc >= 0 ? "yes" : errno_name(sc));

	struct { uint64_t flags, mode, resolve; } how = {O_PATH | O_CLOEXEC, 0, 0x08 /* IN_ROOT */};
	long o2 = sys4(SYS_openat2, AT_FDCWD, (long)"/", (long)&how, sizeof how);
	if (o2 >= 0)
		sys1(SYS_close, o2);
	lbw_dprintf(1, "openat2 with RESOLVE_IN_ROOT: %s\n", o2 >= 0 ? "yes" : errno_name(o2));

	long z = sys6(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (z == 0)
		sys2(SYS_munmap, 0, 4096);
	lbw_dprintf(1, "page 0 mappable: %s\n", z == 0 ? "yes" : "no (vm.mmap_min_addr > 0 and no CAP_SYS_RAWIO)");

	if (sud == 0) {
		lbw_dprintf(1, "mode: trap by Syscall User Dispatch%s\n",
			    z == 0 ? "; rewriting to a page-0 trampoline possible" : "");
		return 0;
	}
	lbw_dprintf(1, "mode: none: lbw needs Syscall User Dispatch (Linux 5.11+, "
		       "CONFIG_SYSCALL_USER_DISPATCH)\n");
	return 1;
}
