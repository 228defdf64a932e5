#ifndef LBW_SYS_MEMORY_H
#define LBW_SYS_MEMORY_H
/* Sets where the guest's emulated brk starts. */
void mem_brk_init(unsigned long start);
/* The kernel's brk has been moved after the guest image: pass brk through. */
void mem_brk_native(void);
/* True when it has: brk is then a plain call. */
int mem_brk_is_native(void);
/* Where the guest's brk starts (the heap grows up from there). */
unsigned long mem_brk_start(void);
#endif
