/* execve: resolve the new image the way the kernel does (#! chains, ELF
 * checks, the interpreter) while the old image can still get an error back,
 * then re-execute lbw itself with the guest's argv unchanged and lbw's state
 * in the environment entry LBW_STATE. */
#include "loader.h"
#include "state.h"
#include "../rt/rt.h"
#include "../config.h"
#include "../vfs/vfs.h"
#include "../sig/sig.h"

#define EXEC_STACK_ARRAYS (64 * 1024)

const char *exec_strerror(long err)
{
	switch (-err) {
	case ENOENT: return "No such file or directory";
	case EACCES: return "Permission denied";
	case ENOEXEC: return "Exec format error";
	case ENOTDIR: return "Not a directory";
	case ELOOP: return "Too many levels of symbolic links";
	case ENAMETOOLONG: return "File name too long";
	case E2BIG: return "Argument list too long";
	case ENOMEM: return "Cannot allocate memory";
	case EFAULT: return "Bad address";
	case ETXTBSY: return "Text file busy";
	case EISDIR: return "Is a directory";
	case EINVAL: return "Invalid argument";
	case EIO: return "Input/output error";
	}
	return "cannot execute";
}

static long open_exec(const char *path)
{
	long r = sys4(SYS_faccessat2, AT_FDCWD, (long)path, X_OK, 0);
	if (r == -ENOSYS)
		r = sys3(SYS_faccessat, AT_FDCWD, (long)path, X_OK);
	if (r < 0)
		return r;
	long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	struct k_stat st;
	r = sys2(SYS_fstat, fd, (long)&st);
	if (r == 0 && (st.st_mode & S_IFMT) != S_IFREG)
		r = -EACCES;
	if (r == 0 && !(st.st_mode & 0111))
		r = -EACCES; /* root passes access(X_OK) for files nobody may run */
	if (r < 0) {
		sys1(SYS_close, fd);
		return r;
	}
	return fd;
}

static int spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses a #! line as binfmt_script does (Linux 5.0+), in its 256-byte
 * buffer: interpreter, then at most one argument (the rest of the line,
 * trailing spaces and tabs trimmed, a \r kept). Without a newline there
 * the line is cut at byte 255, unless that cuts the interpreter's name:
 * then, as for a line of blanks or no name, the kernel says ENOEXEC
 * (*interp ""). Returns 1 if buf (n bytes read, room for 256) is a
 * script. */
static int parse_shebang(char *buf, long n, char **interp, char **arg)
{
	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	if (n < 256)
		memset(buf + n, 0, (size_t)(256 - n)); /* (the kernel's padding) */
	char *end = buf + 255, *i_end = NULL;
	*interp = "";
	*arg = NULL;
	for (char *q = buf; q <= end && *q; q++)
		if (*q == '\n') {
			i_end = q;
			break;
		}
	if (!i_end) {
		char *q = buf + 2;
		while (q <= end && spacetab(*q))
			q++;
		if (q > end)
			return 1; /* all blanks */
		while (q <= end && *q && !spacetab(*q))
			q++;
		if (q > end)
			return 1; /* the name runs past the buffer: cut */
		i_end = end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	*i_end = 0;
	char *p = buf + 2;
	while (spacetab(*p))
		p++;
	if (!*p)
		return 1;
	*interp = p;
	while (*p && !spacetab(*p))
		p++;
	while (spacetab(*p))
		*p++ = 0;
	if (*p)
		*arg = p;
	return 1;
}

long exec_resolve(const char *path, const char *name, struct exec_plan *p)
{
	return exec_resolve_as(path, name, p, 0);
}

long exec_resolve_as(const char *path, const char *name, struct exec_plan *p, int host_path)
{
	/* /proc/self/exe is lbw to the kernel, the guest program to the guest
	 * (vfs_resolve knows it too, for a guest root). */
	char self[PATH_MAX_LBW];
	if (!vfs_active() && vfs_is_self_exe(path) && cfg.exe_host[0]) {
		vfs_self_exe_host(self, sizeof self);
		path = self;
	}
	const char *cur = path;
	char host[PATH_MAX_LBW];
	char buf[ELF_HEAD];
	p->npre = 0;
	p->why = NULL;
	p->pinned_fd = -1;
	p->has_sigmask = 0;
	if (strlen(path) >= PATH_MAX_LBW)
		return -ENAMETOOLONG;
	strlcpy(p->execfn, name, sizeof p->execfn);
	for (int depth = 0;; depth++) {
		if (depth > 4)
			return -ELOOP;
		if (!*cur)
			return -ENOENT;
		long fd;
		if (vfs_active() && !(host_path && depth == 0)) {
			fd = vfs_resolve_local(AT_FDCWD, cur, 1, host);
			if (fd == 0)
				fd = open_exec(host);
		} else {
			fd = open_exec(cur);
			strlcpy(host, cur, sizeof host);
		}
		if (fd < 0)
			return fd;
		long n = sys4(SYS_pread64, fd, (long)buf, sizeof buf, 0);
		if (n < 0) {
			sys1(SYS_close, fd);
			return n;
		}
		char *interp, *arg;
		if (parse_shebang(buf, n, &interp, &arg)) {
			sys1(SYS_close, fd);
			if (!*interp)
				return -ENOEXEC;
			/* argv becomes: interp [arg] cur argv[1..]; a nested
			 * script replaces its own interp the same way. */
			char *old[16];
			int nold = p->npre;
			memcpy(old, p->pre, sizeof old);
			char *ibuf = p->prebuf[2 * depth], *abuf = p->prebuf[2 * depth + 1];
			strlcpy(ibuf, interp, sizeof p->prebuf[0]);
			int k = 0;
			p->pre[k++] = ibuf;
			if (arg) {
				strlcpy(abuf, arg, sizeof p->prebuf[0]);
				p->pre[k++] = abuf;
			}
			p->pre[k++] = depth ? (char *)cur : p->execfn;
			for (int i = 1; i < nold && k < 16; i++)
				p->pre[k++] = old[i];
			p->npre = k;
			cur = ibuf;
			continue;
		}
		struct elf_image imgbuf, *img = &imgbuf;
		long r = elf_read_head(fd, buf, n, img, &p->why);
		if (r == 0)
			strlcpy(p->load, host, sizeof p->load);
		sys1(SYS_close, fd);
		if (r == 0 && img->has_interp) {
			/* A missing interpreter is ENOENT, as the kernel says. */
			char ihost[PATH_MAX_LBW];
			long ifd = 0;
			if (vfs_active())
				ifd = vfs_resolve_local(AT_FDCWD, img->interp, 1, ihost);
			else
				strlcpy(ihost, img->interp, sizeof ihost);
			if (ifd == 0)
				ifd = sys4(SYS_openat, AT_FDCWD, (long)ihost, O_RDONLY | O_CLOEXEC, 0);
			if (ifd < 0) {
				r = ifd;
			} else {
				/* img is done with (its interp path is in ihost):
				 * it holds the interpreter's headers now, which
				 * keeps this frame (and the stack it touches) small. */
				struct elf_image *ii = img;
				r = elf_read(ifd, ii, &p->why);
				if (r == 0 && ii->has_interp) {
					p->why = "the ELF interpreter itself asks for an interpreter";
					r = -ELIBBAD;
				}
				sys1(SYS_close, ifd);
			}
		}
		/* #! interpreters and ELF interpreters that are not ELF: ENOEXEC. */
		return r;
	}
}

int loader_pinned_fd = -1;

long exec_pin_load(struct exec_plan *p)
{
	if (!starts_with(p->load, "/proc/self/fd/") && !starts_with(p->load, PROC_FD))
		return 0;
	long fd = sys4(SYS_openat, AT_FDCWD, (long)p->load, O_RDONLY, 0);
	if (fd < 0)
		return fd;
	lbw_snprintf(p->load, sizeof p->load, PROC_FD "%ld", fd);
	p->pinned_fd = (int)fd;
	return 0;
}

long exec_count_strv(char *const *v)
{
	if (!v)
		return 0;
	for (long n = 0;; n++) {
		char *s;
		if (copy_from_guest(&s, &v[n], sizeof s) < 0)
			return -EFAULT;
		if (!s)
			return n;
		if (n > (1L << 20))
			return -E2BIG;
	}
}

/* lbw's own binary, for execveat. A vfork child (a shell's) is a new
 * process whose /proc entries the kernel makes on first use, ~20 us on the
 * VMs lbw is measured on for /proc/self/exe; its parent's, waiting in the
 * vfork, are made already, and its exe is the same file (the memory, and
 * so the binary, is shared) -- if it is lbw's binary still, which its
 * device and inode say (any lbw process with that binary would do). */
static long open_lbw_binary(void)
{
	struct k_stat st;
	if (cfg.self_ino && task_current()->parent_frees) {
		char path[40];
		lbw_snprintf(path, sizeof path, "/proc/%ld/exe", sys0(SYS_getppid));
		long fd = sys4(SYS_openat, AT_FDCWD, (long)path, O_PATH | O_CLOEXEC, 0);
		if (fd >= 0 && sys2(SYS_fstat, fd, (long)&st) == 0 && st.st_dev == cfg.self_dev &&
		    st.st_ino == cfg.self_ino)
			return fd;
		if (fd >= 0)
			sys1(SYS_close, fd);
	}
	long fd = sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/exe", O_PATH | O_CLOEXEC, 0);
	if (fd >= 0 && !cfg.self_ino && sys2(SYS_fstat, fd, (long)&st) == 0) {
		cfg.self_dev = st.st_dev;
		cfg.self_ino = st.st_ino;
	}
	return fd;
}

long exec_lbw(const struct exec_plan *p, char *const *gargv, char *const *genvp)
{
	long argc = exec_count_strv(gargv), envc = exec_count_strv(genvp);
	if (argc < 0)
		return argc;
	if (envc < 0)
		return envc;
	long skip = p->npre ? 1 : 0; /* #! replaces argv[0] */
	if (skip > argc)
		skip = argc;
	/* On lbw's stack while they fit: a vfork child runs this in its parent's
	 * memory, and what it allocated there would outlive its exec. */
	char stackbuf[EXEC_STACK_ARRAYS], state[STATE_MAX];
	size_t need = (p->npre + argc + 1 + envc + 2) * sizeof(char *);
	char **argv, **envp;
	int heap = need > sizeof stackbuf;
	if (heap) {
		argv = lbw_alloc((p->npre + argc + 1) * sizeof(char *));
		envp = lbw_alloc((envc + 2) * sizeof(char *));
	} else {
		argv = (char **)stackbuf;
		envp = argv + p->npre + argc + 1;
	}
	long r = -ENOMEM;
	uint64_t mask = 0;
	int blocked = 0;
	if (!argv || !envp)
		goto out;
	long k = 0;
	for (int i = 0; i < p->npre; i++)
		argv[k++] = p->pre[i];
	if (argc)
		memcpy(&argv[k], gargv + skip, (argc - skip) * sizeof(char *));
	k += argc - skip;
	argv[k] = NULL;
	if (envc)
		memcpy(envp, genvp, envc * sizeof(char *));
	/* A guest's execve (p->has_sigmask), past lbw's last read of its
	 * memory: the kernel keeps pending signals across the exec, not those
	 * lbw holds (taken from it while lbw ran, blocked in lbw's mask
	 * since), which go back to it, with every signal blocked from here
	 * on; the new lbw puts the guest's mask back. */
	if (p->has_sigmask) {
		mask = sig_block_all();
		blocked = 1;
		sig_returning(task_current(), 0);
	}
	/* (first: its device and inode go in the state once known) */
	long self = open_lbw_binary();
	if (self < 0) {
		lbw_warn("cannot find lbw's own binary through /proc/self/exe (%s)", errno_name(self));
		r = -ENOEXEC;
		goto out;
	}
	r = state_encode(state, STATE_MAX, p);
	if (r >= 0) {
		envp[envc] = state;
		envp[envc + 1] = NULL;
		r = sys5(SYS_execveat, self, (long)"", (long)argv, (long)envp, AT_EMPTY_PATH);
	}
	sys1(SYS_close, self);
out:
	if (blocked) /* failed: what came meanwhile, lbw's handlers take */
		sys4(SYS_rt_sigprocmask, SIG_SETMASK, (long)&mask, 0, 8);
	if (p->pinned_fd >= 0)
		sys1(SYS_close, p->pinned_fd);
	if (heap) {
		lbw_free(argv);
		lbw_free(envp);
	}
	return r;
}
