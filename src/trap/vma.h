/* The guest's mappings as the fast path sees them (vma.c). */
#ifndef LBW_TRAP_VMA_H
#define LBW_TRAP_VMA_H

#include <stddef.h>

struct vma {
	unsigned long lo, hi;
	int prot;   /* PROT_* */
	int shared; /* MAP_SHARED: patching it would change other processes */
	unsigned long ino, off; /* the file mapped (0: none) and its offset at lo */
	unsigned long dev;
};

/* The mapping holding addr: 0, or -errno (-ENOENT: none). */
long vma_at(unsigned long addr, struct vma *v);
/* The same, and the name of the mapping (a file's: its path as the kernel
 * names it, unescaped) in name: 0, -ENOENT, -ENOTTY when the kernel lacks
 * PROCMAP_QUERY (Linux 6.11; the caller reads the text), other -errno
 * (-ENAMETOOLONG: size too small). */
long vma_name_at(unsigned long addr, struct vma *v, char *name, size_t size);
/* Maps one page with prot at addr if nothing is there: 0, or -errno
 * (-EEXIST when something is). */
long vma_map_page(unsigned long addr, int prot);
/* Maps one page with prot in a free place within [lo, hi), as near site as
 * can be found; its address, or -errno. */
long vma_map_near(unsigned long site, unsigned long lo, unsigned long hi, int prot);
/* Writes n bytes into guest code at addr whatever its protection, through
 * /proc/self/mem (not atomic: for a single-threaded process only). 0, or
 * -errno when the kernel refuses (then use mprotect). */
long vma_write_code(unsigned long addr, const void *bytes, size_t n);

#endif
