/* ELF64 x86-64 headers: checked as strictly as the kernel, then mapped
 * where the kernel would map them. */
#include "loader.h"
#include "../rt/rt.h"


static long pread_full(int fd, void *buf, size_t n, long off)
{
	long r = sys4(SYS_pread64, fd, (long)buf, n, off);
	if (r < 0)
		return r;
	return (size_t)r == n ? 0 : -ENOEXEC;
}

/* n bytes at off: from the head already read where they lie in it. */
static long read_part(int fd, const char *head, long nhead, void *buf, size_t n, unsigned long off)
{
	if (off <= (unsigned long)nhead && n <= (unsigned long)nhead - off) {
		memcpy(buf, head + off, n);
		return 0;
	}
	return pread_full(fd, buf, n, (long)off);
}

long elf_read(int fd, struct elf_image *img, const char **why)
{
	char head[ELF_HEAD];
	return elf_read_head(fd, head, sys4(SYS_pread64, fd, (long)head, sizeof head, 0), img, why);
}

long elf_read_head(int fd, const char *head, long r, struct elf_image *img, const char **why)
{
	Elf64_Ehdr *eh = &img->eh;
	*why = "not an ELF file";
	if (r < 0)
		return r == -EISDIR ? -EACCES : r;
	if (r < 4 || memcmp(head, "\177ELF", 4) != 0)
		return -ENOEXEC;
	*why = "truncated ELF header";
	if (r < (long)sizeof *eh)
		return -ENOEXEC;
	memcpy(eh, head, sizeof *eh);
	*why = eh->e_ident[4] == 1 ? "32-bit ELF (ELFCLASS32) is not supported" : "bad ELF class";
	if (eh->e_ident[4] != ELFCLASS64)
		return -ENOEXEC;
	*why = "big-endian ELF";
	if (eh->e_ident[5] != ELFDATA2LSB)
		return -ENOEXEC;
	*why = "not an x86-64 ELF (wrong e_machine)";
	if (eh->e_machine != EM_X86_64)
		return -ENOEXEC;
	*why = "ELF is neither an executable nor a shared object";
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	*why = "bad ELF program headers";
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM)
		return -ENOEXEC;
	if (read_part(fd, head, r, img->ph, eh->e_phnum * sizeof(Elf64_Phdr), eh->e_phoff) < 0)
		return -ENOEXEC;
	struct k_stat st;
	if (sys2(SYS_fstat, fd, (long)&st) < 0)
		return -EIO;
	img->dev = st.st_dev;
	img->ino = st.st_ino;
	img->has_interp = 0;
	int nload = 0;
	unsigned long last_end = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type == PT_LOAD) {
			*why = "bad ELF segment";
			if (ph->p_filesz > ph->p_memsz || ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
			    ph->p_vaddr + ph->p_memsz > 0x800000000000UL ||
			    ph->p_offset + ph->p_filesz < ph->p_offset ||
			    ((ph->p_vaddr - ph->p_offset) & 4095) != 0)
				return -ENOEXEC;
			*why = "ELF segment beyond the end of the file";
			if (ph->p_filesz && ph->p_offset + ph->p_filesz > (unsigned long)st.st_size)
				return -ENOEXEC;
			*why = "ELF segments out of order";
			if (ph->p_vaddr < last_end && nload)
				return -ENOEXEC;
			last_end = ph->p_vaddr + ph->p_memsz;
			nload++;
		} else if (ph->p_type == PT_INTERP) {
			*why = "bad ELF interpreter path";
			if (img->has_interp || ph->p_filesz < 2 || ph->p_filesz > PATH_MAX_LBW)
				return -ENOEXEC;
			/* (past the end of the file: EIO, as the kernel says) */
			long rr = read_part(fd, head, r, img->interp, ph->p_filesz, ph->p_offset);
			if (rr < 0)
				return rr == -ENOEXEC ? -EIO : rr;
			if (img->interp[ph->p_filesz - 1] != 0)
				return -ENOEXEC;
			img->has_interp = 1;
		}
	}
	*why = "ELF has no loadable segment";
	if (!nload)
		return -ENOEXEC;
	*why = NULL;
	return 0;
}

static int is_err(long r)
{
	return r < 0 && r > -4096;
}

static int seg_prot(const Elf64_Phdr *ph)
{
	return (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
	       (ph->p_flags & PF_X ? PROT_EXEC : 0);
}

/* randomize_va_space, read off how the kernel placed lbw itself (no file
 * to open at every start): any setting but 0 moves the stack's top below
 * STACK_TOP, and 2 also moves a static PIE's brk (lbw's) off both places
 * it has without: ELF_ET_DYN_BASE (Linux 6.9+) or the image's end. Only
 * known when lbw started without ADDR_NO_RANDOMIZE; else taken as 2. */
static int sysctl_off, sysctl_brk_off;

static int personality_randomizes(void)
{
	long pers = sys1(SYS_personality, 0xffffffff);
	return pers < 0 || !(pers & 0x0040000); /* ADDR_NO_RANDOMIZE */
}

void elf_aslr_init(char **argv, char **envp)
{
	if (!personality_randomizes())
		return;
	/* The kernel's strings end at its stack top, less the exec'd name
	 * (AT_EXECFN) and 8 bytes: the last environment string, else the
	 * last argument, ends there. */
	char **last = NULL;
	for (char **a = argv; *a; a++)
		last = a;
	for (char **e = envp; *e; e++)
		last = e;
	if (!last)
		return;
	unsigned long top = (unsigned long)*last + strlen(*last) + 1;
	const unsigned long stack_top = 0x7ffffffff000UL; /* x86-64's STACK_TOP */
	if (top <= stack_top && stack_top - top <= PATH_MAX_LBW + 8) {
		sysctl_off = 1;
		return;
	}
	extern char _end[];
	unsigned long brk = (unsigned long)sys1(SYS_brk, 0);
	sysctl_brk_off = brk == page_up(ELF_ET_DYN_BASE) || brk == page_up((unsigned long)_end);
}

int elf_randomize(void)
{
	return !sysctl_off && personality_randomizes();
}

int elf_randomize_brk(void)
{
	return !sysctl_brk_off && elf_randomize();
}

long elf_map(int fd, const struct elf_image *img, int is_interp, struct elf_loaded *out)
{
	const Elf64_Ehdr *eh = &img->eh;
	unsigned long lo = ~0UL, hi = 0, align = 4096;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		if (page_down(ph->p_vaddr) < lo)
			lo = page_down(ph->p_vaddr);
		if (page_up(ph->p_vaddr + ph->p_memsz) > hi)
			hi = page_up(ph->p_vaddr + ph->p_memsz);
		if (ph->p_align > align && !(ph->p_align & (ph->p_align - 1)))
			align = ph->p_align;
	}
	unsigned long span = hi - lo, bias = 0;
	long r;
	if (eh->e_type == ET_EXEC) {
		r = sys6(SYS_mmap, lo, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (is_err(r))
			return r == -EEXIST ? -ENOMEM : r;
	} else if (!is_interp && img->has_interp) {
		/* A PIE with an interpreter: ELF_ET_DYN_BASE plus the kernel's
		 * randomization (28 bits of pages), aligned to its segments. */
		for (int tries = 0;; tries++) {
			unsigned long base = ELF_ET_DYN_BASE;
			if (elf_randomize() && tries < 8)
				base += (lbw_random() & ((1UL << 28) - 1)) << 12;
			base &= ~(align - 1);
			bias = page_down(base - lo);
			r = sys6(SYS_mmap, bias + lo, span, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (!is_err(r))
				break;
			if (tries >= 8)
				return r;
		}
	} else {
		/* An interpreter, or a static PIE: wherever mmap puts it. */
		r = sys6(SYS_mmap, 0, span + align - 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (is_err(r))
			return r;
		unsigned long start = ((unsigned long)r + align - 1) & ~(align - 1);
		if (start > (unsigned long)r)
			sys2(SYS_munmap, r, start - r);
		if (align > 4096 && (unsigned long)r + span + align - 4096 > start + span)
			sys2(SYS_munmap, start + span, (unsigned long)r + span + align - 4096 - (start + span));
		bias = start - lo;
	}

	unsigned long covered = bias + lo;
	out->phdr = 0;
	out->end = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		int prot = seg_prot(ph);
		unsigned long start = bias + ph->p_vaddr;
		unsigned long map_start = page_down(start);
		unsigned long file_end = start + ph->p_filesz;
		unsigned long mem_end = start + ph->p_memsz;
		/* The kernel leaves holes between segments unmapped. */
		if (map_start > covered)
			sys2(SYS_munmap, covered, map_start - covered);
		int zero_tail = ph->p_memsz > ph->p_filesz && (file_end & 4095);
		unsigned long anon_from = map_start;
		if (ph->p_filesz) {
			r = sys6(SYS_mmap, map_start, page_up(file_end) - map_start,
				 prot | (zero_tail ? PROT_WRITE : 0), MAP_PRIVATE | MAP_FIXED, fd,
				 ph->p_offset - (start - map_start));
			if (is_err(r))
				return r;
			if (zero_tail) {
				/* The rest of the last file page is bss: zero it to
				 * the end of the page, as the kernel does (ld.so's
				 * early allocator relies on it). */
				memset((void *)file_end, 0, page_up(file_end) - file_end);
				if (!(prot & PROT_WRITE))
					sys3(SYS_mprotect, map_start, page_up(file_end) - map_start, prot);
			}
			anon_from = page_up(file_end);
		}
		if (page_up(mem_end) > anon_from) {
			r = sys6(SYS_mmap, anon_from, page_up(mem_end) - anon_from, prot,
				 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
			if (is_err(r))
				return r;
		}
		covered = page_up(mem_end);
		if (mem_end > out->end)
			out->end = mem_end;
		if (eh->e_phoff >= ph->p_offset && eh->e_phoff - ph->p_offset < ph->p_filesz)
			out->phdr = start + (eh->e_phoff - ph->p_offset);
	}
	for (int i = 0; i < eh->e_phnum; i++)
		if (img->ph[i].p_type == PT_PHDR)
			out->phdr = bias + img->ph[i].p_vaddr;
	out->bias = bias;
	out->entry = bias + eh->e_entry;
	return 0;
}
