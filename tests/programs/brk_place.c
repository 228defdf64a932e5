/* brk_place.c: where the program break starts, told in terms that do not
 * depend on the random offset: after the program's end (the kernel's way
 * for a program it places), or after ELF_ET_DYN_BASE (a static PIE, which
 * the kernel places where mmap would, with address randomization on).
 * With the brk's randomization off (setarch -R, or randomize_va_space
 * below 2) the offset itself, which is then fixed; with it on, only that
 * it lies within the kernel's 1 GiB. */
#include <stdint.h>
#include <stdio.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char end;

int main(void)
{
	uintptr_t brk = (uintptr_t)syscall(SYS_brk, 0);
	uintptr_t prog = ((uintptr_t)&end + 4095) & ~4095UL;
	uintptr_t dyn_base = 0x555555555000UL; /* (1 << 47) - 4096) / 3 * 2, page-aligned */
	int sysctl = 2;
	FILE *f = fopen("/proc/sys/kernel/randomize_va_space", "r");
	if (f) {
		if (fscanf(f, "%d", &sysctl) != 1)
			sysctl = 2;
		fclose(f);
	}
	int fixed = (personality(0xffffffff) & ADDR_NO_RANDOMIZE) != 0 || sysctl < 2;
	const char *where = brk - prog < (1UL << 30)	       ? "after the program's end"
			    : brk - dyn_base < (1UL << 30) ? "after ELF_ET_DYN_BASE"
							   : NULL;
	if (!where) {
		printf("elsewhere: brk %#lx, the program's end %#lx\n", (unsigned long)brk,
		       (unsigned long)prog);
		return 1;
	}
	uintptr_t off = brk - (where[6] == 't' ? prog : dyn_base);
	if (fixed)
		printf("%s, at +%#lx\n", where, (unsigned long)off);
	else
		printf("%s, within 1 GiB%s\n", where, off % 4096 ? " (not page-aligned)" : "");
	return 0;
}
