/* Starting a guest image inside a fresh lbw process: map it (and its
 * interpreter), place its brk, build its initial stack on the kernel's
 * stack below lbw's own arguments, arm the trap and jump in. */
#include "loader.h"
#include "state.h"
#include "../rt/rt.h"
#include "../config.h"
#include "../task.h"
#include "../trap/trap.h"
#include "../sys/memory.h"
#include "../sig/sig.h"
#include "../vfs/vfs.h"

void lbw_enter_guest(unsigned long entry, unsigned long sp);

static long map_file(const char *path, int is_interp, struct elf_image *img, struct elf_loaded *out)
{
	const char *why = NULL;
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		lbw_die(127, "%s: %s", path, exec_strerror(fd));
	long r = elf_read(fd, img, &why);
	if (r < 0)
		lbw_die(126, "%s: %s", path, why ? why : exec_strerror(r));
	r = elf_map(fd, img, is_interp, out);
	sys1(SYS_close, fd);
	if (r < 0)
		lbw_die(126, "%s: cannot map the program (%s)", path, errno_name(r));
	return 0;
}

/* The guest's name in /proc/self/comm: the basename of what it exec'd. */
static void set_comm(const char *execfn)
{
	const char *b = strrchr(execfn, '/');
	char name[16];
	strlcpy(name, b ? b + 1 : execfn, sizeof name);
	sys2(SYS_prctl, PR_SET_NAME, (long)name);
}

struct prctl_mm_map {
	uint64_t start_code, end_code, start_data, end_data, start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint64_t auxv;
	uint32_t auxv_size, exe_fd;
};
#define PR_SET_MM_MAP 14

/* Tells the kernel the guest's memory layout (PR_SET_MM_MAP, allowed
 * without privilege), so that /proc/self/cmdline, environ, auxv and stat
 * and the brk are the guest's. The kernel's brk then serves the guest
 * directly. Without it lbw emulates the brk. */
static void tell_kernel(const struct elf_image *img, const struct elf_loaded *m, unsigned long brk,
			unsigned long sp, unsigned long arg_start, unsigned long arg_end,
			unsigned long env_start, unsigned long env_end, unsigned long *auxv,
			unsigned long auxv_size)
{
	struct prctl_mm_map mm;
	memset(&mm, 0, sizeof mm);
	for (int i = 0; i < img->eh.e_phnum; i++) {
		const Elf64_Phdr *ph = &img->ph[i];
		if (ph->p_type != PT_LOAD)
			continue;
		if ((ph->p_flags & PF_X) && !mm.start_code) {
			mm.start_code = m->bias + ph->p_vaddr;
			mm.end_code = m->bias + ph->p_vaddr + ph->p_filesz;
		}
		if (ph->p_flags & PF_W) {
			mm.start_data = m->bias + ph->p_vaddr;
			mm.end_data = m->bias + ph->p_vaddr + ph->p_filesz;
		}
	}
	if (mm.start_code >= mm.end_code) {
		mm.start_code = m->bias + img->ph[0].p_vaddr;
		mm.end_code = mm.start_code + 1;
	}
	if (mm.start_data > mm.end_data || !mm.start_data)
		mm.start_data = mm.end_data = mm.end_code;
	mm.start_brk = mm.brk = brk;
	mm.start_stack = sp;
	mm.arg_start = arg_start;
	mm.arg_end = arg_end;
	mm.env_start = env_start;
	mm.env_end = env_end;
	mm.auxv = (unsigned long)auxv;
	mm.auxv_size = (uint32_t)auxv_size;
	mm.exe_fd = (uint32_t)-1;
	if (sys5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&mm, sizeof mm, 0) == 0)
		mem_brk_native();
}

/* Copies NULL-terminated strings v (skipping LBW_STATE entries) to dst,
 * one after the other; returns their count. With dst NULL, only adds their
 * size to *bytes. */
static long copy_strings(char *const *v, char *dst, size_t *bytes)
{
	long n = 0;
	for (; v && *v; v++) {
		if (starts_with(*v, STATE_PREFIX))
			continue;
		size_t len = strlen(*v) + 1;
		if (dst) {
			memcpy(dst, *v, len);
			dst += len;
		} else {
			*bytes += len;
		}
		n++;
	}
	return n;
}

unsigned long *loader_host_auxv(unsigned long *ksp)
{
	long kargc = (long)ksp[0];
	char **kenv = (char **)&ksp[1 + kargc + 1];
	while (*kenv)
		kenv++;
	return (unsigned long *)(kenv + 1);
}

unsigned long loader_build_guest(unsigned long *ksp, char *const *argv, char *const *envp,
				 const char *load, const char *execfn, unsigned long *sp_out)
{
	unsigned long *hauxv = loader_host_auxv(ksp);
	long nauxv = 0;
	while (hauxv[2 * nauxv] != AT_NULL)
		nauxv++;

	/* Static: a guest image is built by the only thread there is (a new
	 * process, or an exec in place, which needs one thread). */
	static struct elf_image img_buf LBW_BIG_BSS, iimg_buf LBW_BIG_BSS;
	struct elf_image *img = &img_buf, *iimg = &iimg_buf;
	struct elf_loaded main, interp = {0, 0, 0, 0};
	map_file(load, 0, img, &main);
	cfg.guest_dev = img->dev;
	cfg.guest_ino = img->ino;
	cfg.guest_phdr = main.phdr;
	if (cfg.exe_host[0] && cfg.exe_host[0] != '/') {
		/* the path loaded by, for when nothing of the file is mapped any
		 * more: not relative to a cwd the program may change */
		char abs[PATH_MAX_LBW];
		long n = sys2(SYS_getcwd, (long)abs, sizeof abs);
		if (n > 1 && (size_t)n + strlen(cfg.exe_host) < sizeof abs) {
			lbw_snprintf(abs + n - 1, sizeof abs - (size_t)(n - 1), "/%s", cfg.exe_host);
			strlcpy(cfg.exe_host, abs, sizeof cfg.exe_host);
		}
	}
	if (loader_pinned_fd >= 0) {
		/* load named lbw's own descriptor: the guest must not see it,
		 * nor /proc/self/exe go through it (the file as mapped, now). */
		sys1(SYS_close, loader_pinned_fd);
		loader_pinned_fd = -1;
		vfs_self_exe_host(cfg.exe_host, sizeof cfg.exe_host);
	}
	unsigned long entry = main.entry;
	if (img->has_interp) {
		char ihost[4096];
		if (!vfs_active() || vfs_resolve_local(AT_FDCWD, img->interp, 1, ihost) < 0)
			strlcpy(ihost, img->interp, sizeof ihost);
		map_file(ihost, 1, iimg, &interp);
		entry = interp.entry;
	}
	/* brk: after the program, randomized within 1 GiB as the kernel does on
	 * x86-64 (arch_randomize_brk), not at all without ASLR (setarch -R);
	 * a program without interpreter that the kernel would not have placed
	 * (static PIE, ld.so run directly) gets the kernel's ELF_ET_DYN_BASE
	 * (page-aligned up), with or without ASLR (as since Linux 6.9). Randomized, it starts 82 MiB or more after
	 * that, past the stub pages its register sites may get
	 * (trap/rewrite.c). */
	unsigned long brk = page_up(main.end);
	if (img->eh.e_type == ET_DYN && !img->has_interp)
		brk = page_up(ELF_ET_DYN_BASE);
	if (elf_randomize_brk())
		brk += BRK_AFTER_STUBS +
		       ((lbw_random() % (0x40000000 - BRK_AFTER_STUBS)) & ~4095UL);
	mem_brk_init(brk);

	/* The initial stack, below lbw's own (the kernel's) argc: the guest's
	 * strings as the kernel lays them out (argv, envp, then the exec'd
	 * name), then argc, the pointers and the auxv. */
	size_t argbytes = 0, envbytes = 0;
	long argc = copy_strings(argv, NULL, &argbytes);
	long envc = copy_strings(envp, NULL, &envbytes);
	char *p = (char *)ksp;
	size_t fnlen = strlen(execfn) + 1;
	p -= fnlen;
	memcpy(p, execfn, fnlen);
	unsigned long execfn_addr = (unsigned long)p;
	/* AT_RANDOM's 16 bytes, fresh for each image as the kernel makes them
	 * (an image started in place must not reuse its predecessor's). */
	p = (char *)((unsigned long)(p - 16) & ~15UL);
	if (sys3(SYS_getrandom, (long)p, 16, GRND_NONBLOCK) != 16) {
		uint64_t r[2] = {lbw_random(), rdtsc() * 0x9e3779b97f4a7c15ULL};
		memcpy(p, r, 16);
	}
	unsigned long random_addr = (unsigned long)p;
	p -= envbytes;
	char *env_area = p;
	copy_strings(envp, env_area, &envbytes);
	p -= argbytes;
	char *arg_area = p;
	copy_strings(argv, arg_area, &argbytes);
	p = (char *)((unsigned long)p & ~15UL);

	long naux = nauxv + 16;
	long words = 1 + (argc + 1) + (envc + 1) + 2 * naux;
	unsigned long *sp = (unsigned long *)(((unsigned long)p - words * 8) & ~15UL);
	unsigned long *w = sp;
	*w++ = argc;
	char *s = arg_area;
	for (long i = 0; i < argc; i++, s += strlen(s) + 1)
		*w++ = (unsigned long)s;
	*w++ = 0;
	s = env_area;
	for (long i = 0; i < envc; i++, s += strlen(s) + 1)
		*w++ = (unsigned long)s;
	*w++ = 0;
	unsigned long *auxv_start = w;
	for (long i = 0; i < nauxv; i++) {
		unsigned long type = hauxv[2 * i], val = hauxv[2 * i + 1];
		switch (type) {
		case AT_PHDR: val = main.phdr; break;
		case AT_PHENT: val = sizeof(Elf64_Phdr); break;
		case AT_PHNUM: val = img->eh.e_phnum; break;
		case AT_BASE: val = img->has_interp ? interp.bias : 0; break;
		case AT_ENTRY: val = main.entry; break;
		case AT_EXECFN: val = execfn_addr; break;
		case AT_RANDOM: val = random_addr; break;
		case AT_FLAGS: val = 0; break;
		case AT_SECURE: val = 0; break;
		case AT_EXECFD: continue;
		}
		*w++ = type;
		*w++ = val;
	}
	*w++ = AT_NULL;
	*w++ = 0;
	tell_kernel(img, &main, brk, (unsigned long)sp, (unsigned long)arg_area,
		    (unsigned long)arg_area + argbytes, (unsigned long)env_area,
		    (unsigned long)env_area + envbytes, auxv_start,
		    (unsigned long)w - (unsigned long)auxv_start);
	set_comm(execfn);
	*sp_out = (unsigned long)sp;
	return entry;
}

void loader_start_guest(unsigned long *ksp, char *const *argv, char *const *envp, const char *load,
			const char *execfn)
{
	unsigned long sp, entry = loader_build_guest(ksp, argv, envp, load, execfn, &sp);

	/* Arm: lbw's handlers, the altstack, then the trap itself. */
	struct task *t = task_current();
	t->tid = (int)sys0(SYS_gettid);
	long r = sig_init(t);
	if (r == 0)
		r = trap_install_handlers();
	if (r == 0)
		r = trap_altstack(t);
	if (r < 0)
		lbw_die(126, "cannot install lbw's signal handlers (%s)", errno_name(r));
	r = trap_arm(t);
	if (r < 0)
		lbw_die(126, "this kernel has no Syscall User Dispatch (Linux 5.11+, "
			     "CONFIG_SYSCALL_USER_DISPATCH); see lbw --check");
	lbw_enter_guest(entry, sp);
	__builtin_unreachable();
}

int loader_can_start_directly(void)
{
	unsigned int size = 0;
	return sys5(SYS_prctl, PR_SET_MM, 15 /* PR_SET_MM_MAP_SIZE */, (long)&size, 0, 0) == 0 &&
	       size == sizeof(struct prctl_mm_map);
}
