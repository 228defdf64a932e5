/* First C code to run: relocate lbw, give the main thread its lbw stack,
 * and go on to lbw_main there. */
#include "rt.h"
#include "../task.h"
#include "../trap/trap.h"

void lbw_main(unsigned long *ksp);
void lbw_run_on_stack(void *top, void (*fn)(void *), void *arg);

/* The kernel's initial stack pointer (argc, argv, envp, auxv): each guest
 * image started in this process builds its stack below it. */
unsigned long *lbw_kernel_sp;

static void main_on_lbw_stack(void *arg)
{
	lbw_main(arg);
}

/* Applies R_X86_64_RELATIVE relocations. Runs before relocation, so it may
 * touch nothing but its arguments and locals (no globals, no calls). */
__attribute__((used)) static void
self_relocate(unsigned long base, const Elf64_Dyn *dyn)
{
	unsigned long rela = 0, relasz = 0;
	for (; dyn->d_tag != DT_NULL; dyn++) {
		if (dyn->d_tag == DT_RELA)
			rela = dyn->d_val;
		else if (dyn->d_tag == DT_RELASZ)
			relasz = dyn->d_val;
	}
	const Elf64_Rela *r = (const Elf64_Rela *)(base + rela);
	for (unsigned long i = 0; i < relasz / sizeof(Elf64_Rela); i++)
		if ((r[i].r_info & 0xffffffff) == R_X86_64_RELATIVE)
			*(unsigned long *)(base + r[i].r_offset) = base + r[i].r_addend;
}

/* Each page a process touches first costs it a fault; a page mapped
 * ahead by one MADV_POPULATE call costs a little less, and a page mapped
 * ahead but never touched costs as much as a touched one (it is
 * allocated, zeroed and freed all the same: ~2 us each here). Every
 * start-up writes lbw's data and bss (the configuration, the path state,
 * the small variables): those are mapped now, in one call. Not .lbss, the
 * large tables after them (rt.h): a re-executed lbw touches 5 of its 13
 * pages, each faulting in when first used (a vfork+exec of a static
 * program from a program under lbw: ~10% faster than with all 17 pages
 * mapped ahead, 13 interleaved runs). Not the code and read-only data:
 * their faults map 16 pages of the file each (fault-around), ~4 faults
 * for what a start-up runs (a shell loop of /bin/true: 2.5% faster than
 * with them mapped ahead, 31 interleaved runs). Kernels before 5.14 say
 * EINVAL: faults, as before. */
static void populate_self(unsigned long dyn, unsigned long bss_end)
{
	unsigned long rw = page_down(dyn);
	sys3(SYS_madvise, (long)rw, (long)(page_up(bss_end) - rw), MADV_POPULATE_WRITE);
}

__attribute__((used, noreturn)) void lbw_start_c(unsigned long *sp, unsigned long base,
						 const Elf64_Dyn *dyn, unsigned long bss_end)
{
	/* (addresses from entry.S: taken here, before the relocations, an
	 * address may still be its link-time value) */
	populate_self((unsigned long)dyn, bss_end); /* before the relocations write to the data */
	self_relocate(base, dyn);
	lbw_kernel_sp = sp;
	struct task *t = task_new(6); /* start-up goes 6 pages deep */
	if (!t)
		lbw_die(127, "cannot allocate lbw's stack");
	lbw_solo = t;
	lbw_run_on_stack((void *)t->stack_hi, main_on_lbw_stack, lbw_kernel_sp);
	__builtin_unreachable();
}
