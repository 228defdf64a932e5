/* ELF loading, #! scripts, and lbw's re-execution of itself for each new
 * guest image. */
#ifndef LBW_LOADER_H
#define LBW_LOADER_H

#include "../abi/linux.h"

#define PATH_MAX_LBW 4096
#define MAX_PHNUM 73 /* the kernel reads at most 4 KiB of program headers */

/* In the order elf_read writes it: an image without interpreter touches
 * only the first page. */
struct elf_image {
	Elf64_Ehdr eh;
	int has_interp;
	uint64_t dev, ino; /* the file's (fstat) */
	Elf64_Phdr ph[MAX_PHNUM];
	char interp[PATH_MAX_LBW];
};

struct elf_loaded {
	unsigned long bias;  /* load bias: 0 for ET_EXEC */
	unsigned long entry; /* entry point in memory */
	unsigned long phdr;  /* the program headers in memory (AT_PHDR) */
	unsigned long end;   /* end of the highest segment */
};

/* Reads and checks an ELF's headers. 0, or -ENOEXEC (or -EIO) with *why
 * set to a one-line reason. */
long elf_read(int fd, struct elf_image *img, const char **why);
/* The same with the file's first bytes already read (r: pread's result
 * for ELF_HEAD bytes at 0): the headers and the interpreter's name are
 * taken from there when they lie in it (one read for a usual program). */
#define ELF_HEAD 1024
long elf_read_head(int fd, const char *head, long r, struct elf_image *img, const char **why);
/* Maps an ELF checked by elf_read. Main programs go where the kernel would
 * put them; an interpreter goes wherever mmap chooses. 0 or -errno. */
long elf_map(int fd, const struct elf_image *img, int is_interp, struct elf_loaded *out);
/* Whether addresses are randomized, as the kernel's execve decides: the
 * personality's ADDR_NO_RANDOMIZE, and the randomize_va_space sysctl
 * (elf_aslr_init reads it off lbw's own stack and brk at start). */
void elf_aslr_init(char **argv, char **envp);
int elf_randomize(void);
int elf_randomize_brk(void); /* only at randomize_va_space 2 */
/* Where the kernel puts a PIE (plus randomization), and a static PIE's brk. */
#define ELF_ET_DYN_BASE 0x555555554aaaUL /* 2/3 of the 47-bit user space */
/* A randomized brk starts this far after the program or more: past the
 * window of a register site's stub page (trap/rewrite.c). */
#define BRK_AFTER_STUBS 0x05200000UL

/* What a guest execve resolves to. */
struct exec_plan {
	int npre;                  /* #! adds these before argv[1..] */
	char *pre[16];
	const char *why;           /* reason for -ENOEXEC */
	int pinned_fd;             /* exec_pin_load's descriptor, or -1 */
	int has_sigmask;           /* a guest's execve: sigmask is its mask, */
	uint64_t sigmask;          /* which the new lbw puts back (exec_lbw) */
	char execfn[PATH_MAX_LBW]; /* the filename given to execve: AT_EXECFN */
	char load[PATH_MAX_LBW];   /* the ELF to load (the interpreter for #!) */
	char prebuf[10][256];      /* #! lines are at most 256 bytes */
};

/* Resolves path (#! chains included) and checks that it can be loaded,
 * the way execve would before the point of no return. name is what the
 * new image calls the file (AT_EXECFN, a script's argument). 0 or -errno. */
long exec_resolve(const char *path, const char *name, struct exec_plan *p);
/* The same, path being a host path when host_path (a descriptor's
 * /proc/thread-self/fd/N: a #! interpreter named inside is still a guest path). */
long exec_resolve_as(const char *path, const char *name, struct exec_plan *p, int host_path);
/* Replaces this process with lbw running plan, with the guest's argv and
 * envp (guest pointers; argv may be NULL). Returns -errno on failure. */
long exec_lbw(const struct exec_plan *p, char *const *gargv, char *const *genvp);
/* execveat of a descriptor (fexecve): the load path is /proc/thread-self/fd/N,
 * and N may be close-on-exec. The kernel opens the file before closing such
 * descriptors; lbw maps it only afterwards (in a new lbw, or in place), so
 * it opens its own descriptor on the file, not close-on-exec, and points
 * the load path at it (p->pinned_fd). 0 or -errno. */
long exec_pin_load(struct exec_plan *p);
/* That descriptor in the process that loads the image (from LBW_STATE, or
 * set by an exec in place): closed once the image is mapped. Never set in
 * a vfork child, whose memory is its parent's. */
extern int loader_pinned_fd;
/* Counts a guest string array; -EFAULT on a bad pointer, -E2BIG if huge. */
long exec_count_strv(char *const *v);
/* Text for an errno, for messages a shell would print. */
const char *exec_strerror(long err);

/* Maps the guest image load and enters it with argv and envp (LBW_STATE
 * entries left out), building its stack below the kernel's stack ksp. */
__attribute__((noreturn)) void loader_start_guest(unsigned long *ksp, char *const *argv,
						  char *const *envp, const char *load,
						  const char *execfn);
/* The auxv the kernel gave this lbw process, above its initial stack ksp. */
unsigned long *loader_host_auxv(unsigned long *ksp);
/* Maps the guest image and builds its stack below ksp, as
 * loader_start_guest does, without arming or entering: returns the entry
 * point and the stack pointer in *sp. */
unsigned long loader_build_guest(unsigned long *ksp, char *const *argv, char *const *envp,
				 const char *load, const char *execfn, unsigned long *sp);

struct task;
struct sc;
/* execve without the kernel (loader/inplace.c): replaces the guest image in
 * this process and sets c's frame to enter the new one; 0. Before the point
 * of no return: 1 (re-execute lbw instead) or the call's -errno. */
long exec_in_place(struct task *t, struct sc *c, const struct exec_plan *p, char *const *gargv,
		   char *const *genvp);
/* Set when this process holds what only the kernel's exec can undo (POSIX
 * timers, AIO contexts, memory or descriptors shared with another process). */
extern int exec_via_kernel;

/* True when this kernel lets lbw set the guest's layout (PR_SET_MM_MAP),
 * so that the first guest needs no re-execution of lbw. */
int loader_can_start_directly(void);

#endif
