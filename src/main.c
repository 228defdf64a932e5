/* The command line. `lbw [OPTIONS] [--] PROGRAM [ARGS...]` resolves PROGRAM
 * and re-executes lbw for it (so that the process's argv is the guest's);
 * the re-executed lbw finds LBW_STATE and starts the guest image. */
#include "config.h"
#include "rt/rt.h"
#include "loader/loader.h"
#include "loader/state.h"
#include "sys/dispatch.h"
#include "sys/table.h"
#include "trace/stats.h"
#include "trap/trap.h"
#include "vfs/vfs.h"
#include "fake/fake.h"

struct lbw_config cfg = {.trace_fd = -1, .stats_fd = -1, .report_fd = -1};

void syscalls_report(int fd);

#define LBW_VERSION "0.1"

static const char usage[] =
	"usage: lbw [OPTIONS] [--] PROGRAM [ARGS...]\n"
	"Runs a Linux x86-64 program with every system call serviced by lbw.\n"
	"\n"
	"  -r, --root DIR         DIR is the guest's / (a rootless chroot)\n"
	"  -b, --bind HOST[:GUEST] show host path HOST at guest path GUEST (repeatable)\n"
	"  -w, --cwd DIR          the guest's first working directory (a guest path)\n"
	"  -0, --fakeroot         the guest is root: ids 0; chown, chmod, mknod and\n"
	"                         security xattrs succeed and are remembered per file\n"
	"  -R DIR                 -r DIR, binding /dev /proc /sys /tmp /etc/resolv.conf\n"
	"                         /etc/hosts and $HOME from the host\n"
	"  --trace[=FILE]         one line per system call (to stderr, or FILE)\n"
	"  --stats                a table of calls and time per system call at exit\n"
	"  --uname-release=R      uname(2) reports release R\n"
	"  --no-rewrite           never rewrite syscall sites (always trap)\n"
	"  --syscalls             list every x86-64 system call and how lbw serves it\n"
	"  --check                tell whether this kernel has what lbw needs\n"
	"  -h, --help             this text\n"
	"  --version              lbw's version\n";

/* Keeps lbw's descriptors high, out of the way of the guest's lowest-free
 * allocation. */
static int high_fd(int fd)
{
	struct k_rlimit rl;
	long min = 1000;
	if (sys2(SYS_getrlimit, RLIMIT_NOFILE, (long)&rl) == 0 && rl.cur < 1024 + 24)
		min = rl.cur > 64 ? (long)rl.cur - 24 : 10;
	long n = sys3(SYS_fcntl, fd, F_DUPFD, min);
	if (n < 0)
		return fd;
	sys1(SYS_close, fd);
	return (int)n;
}

static int parse_option(const char *a)
{
	if (!strcmp(a, "--trace")) {
		long fd = sys3(SYS_fcntl, 2, F_DUPFD, 3);
		if (fd < 0)
			lbw_die(2, "--trace: cannot duplicate stderr (%s)", errno_name(fd));
		cfg.trace_fd = high_fd((int)fd);
	} else if (starts_with(a, "--trace=")) {
		long fd = sys4(SYS_openat, AT_FDCWD, (long)(a + 8),
			       O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		if (fd < 0)
			lbw_die(2, "--trace: %s: %s", a + 8, exec_strerror(fd));
		cfg.trace_fd = high_fd((int)fd);
	} else if (!strcmp(a, "-0") || !strcmp(a, "--fakeroot")) {
		fake_enable();
	} else if (!strcmp(a, "--stats")) {
		cfg.stats = 1;
	} else if (starts_with(a, "--uname-release=")) {
		if (strlen(a + 16) >= sizeof cfg.uname_release)
			lbw_die(2, "--uname-release: at most 64 characters");
		strlcpy(cfg.uname_release, a + 16, sizeof cfg.uname_release);
	} else if (!strcmp(a, "--no-rewrite")) {
		cfg.no_rewrite = 1;
	} else if (!strcmp(a, "--syscalls")) {
		syscalls_report(1);
		sys1(SYS_exit_group, 0);
	} else if (!strcmp(a, "--check")) {
		int check_host(void);
		sys1(SYS_exit_group, check_host());
	} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
		lbw_dprintf(1, "%s", usage);
		sys1(SYS_exit_group, 0);
	} else if (!strcmp(a, "--version")) {
		lbw_dprintf(1, "lbw %s\n", LBW_VERSION);
		sys1(SYS_exit_group, 0);
	} else {
		return -1;
	}
	return 0;
}

static const char *getenv_from(char **envp, const char *name)
{
	size_t n = strlen(name);
	for (; *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

/* -r/--root DIR, -b/--bind HOST[:GUEST], -w/--cwd DIR, -R DIR. Returns how
 * many arguments it used (0: not one of these). */
static int parse_fs_option(const char *a, const char *next, char **envp, const char **cwd)
{
	const char *val = NULL;
	int used = 0;
	char kind = 0;
	static const struct { char s[3], l[7], k; } opts[] = {
		{"-r", "--root", 'r'}, {"-b", "--bind", 'b'}, {"-w", "--cwd", 'w'}, {"-R", "", 'R'},
	};
	for (unsigned i = 0; i < sizeof opts / sizeof opts[0] && !kind; i++) {
		size_t ll = strlen(opts[i].l);
		if (!strcmp(a, opts[i].s) || (ll && !strcmp(a, opts[i].l))) {
			if (!next)
				lbw_die(2, "%s needs an argument (see lbw --help)", a);
			kind = opts[i].k, val = next, used = 2;
		} else if (ll && !strncmp(a, opts[i].l, ll) && a[ll] == '=') {
			kind = opts[i].k, val = a + ll + 1, used = 1;
		}
	}
	if (!kind)
		return 0;
	long r = 0;
	if (kind == 'r' || kind == 'R') {
		r = vfs_set_root(val);
		if (r < 0)
			lbw_die(2, "%s %s: %s", a, val, exec_strerror(r));
		if (kind == 'R') {
			/* The usual host paths a guest system wants. */
			static const char usual[][18] = {"/dev", "/proc", "/sys", "/tmp",
							     "/etc/resolv.conf", "/etc/hosts"};
			for (unsigned i = 0; i < sizeof usual / sizeof usual[0]; i++)
				if (sys2(SYS_access, (long)usual[i], F_OK) == 0)
					vfs_add_bind(usual[i], usual[i], 0);
			const char *home = getenv_from(envp, "HOME");
			if (home && home[0] == '/' && sys2(SYS_access, (long)home, F_OK) == 0)
				vfs_add_bind(home, home, 0);
		}
	} else if (kind == 'b') {
		char host[4096];
		const char *colon = strchr(val, ':');
		size_t hl = colon ? (size_t)(colon - val) : strlen(val);
		if (hl == 0 || hl >= sizeof host)
			lbw_die(2, "%s %s: bad bind (HOST[:GUEST])", a, val);
		memcpy(host, val, hl);
		host[hl] = 0;
		const char *guest = colon ? colon + 1 : host;
		if (guest[0] != '/')
			lbw_die(2, "%s %s: the guest path must be absolute", a, val);
		r = vfs_add_bind(host, guest, 0);
		if (r < 0)
			lbw_die(2, "%s %s: %s", a, val, exec_strerror(r));
	} else {
		*cwd = val;
	}
	return used;
}

/* The guest's first cwd: -w, or the host cwd if the guest can see it, or
 * the guest root. */
static void enter_cwd(const char *cwd)
{
	if (!vfs_active()) {
		if (cwd) {
			long r = sys1(SYS_chdir, (long)cwd);
			if (r < 0)
				lbw_die(2, "-w %s: %s", cwd, exec_strerror(r));
		}
		return;
	}
	char h[4096], g[4096];
	if (!cwd) {
		if (sys2(SYS_getcwd, (long)h, sizeof h) > 0 && vfs_host_to_guest(h, g, sizeof g))
			return;
		cwd = "/";
	}
	long r = vfs_resolve_local(AT_FDCWD, cwd, 1, h);
	if (r == 0)
		r = sys1(SYS_chdir, (long)h);
	if (r < 0)
		lbw_die(2, "-w %s: %s", cwd, exec_strerror(r));
}

/* Finds prog in PATH as a shell would: the first executable regular file;
 * else the first one found that is not (126), else not found (127). */
static long find_in_path(const char *prog, const char *path, char *out, size_t size)
{
	if (strchr(prog, '/')) {
		strlcpy(out, prog, size);
		return 0;
	}
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	long first_err = -ENOENT;
	while (1) {
		const char *e = strchr(path, ':');
		size_t dl = e ? (size_t)(e - path) : strlen(path);
		char cand[PATH_MAX_LBW];
		if (dl + strlen(prog) + 2 < sizeof cand) {
			if (dl == 0)
				lbw_snprintf(cand, sizeof cand, "%s", prog);
			else
				lbw_snprintf(cand, sizeof cand, "%.*s/%s", (int)dl, path, prog);
			struct k_stat st;
			char host[PATH_MAX_LBW];
			if (vfs_resolve_local(AT_FDCWD, cand, 1, host) < 0)
				strlcpy(host, cand, sizeof host);
			if (sys2(SYS_stat, (long)host, (long)&st) == 0 && (st.st_mode & S_IFMT) == S_IFREG) {
				if (sys2(SYS_access, (long)host, X_OK) == 0 && (st.st_mode & 0111)) {
					strlcpy(out, cand, size);
					return 0;
				}
				if (first_err == -ENOENT) {
					first_err = -EACCES;
					strlcpy(out, cand, size);
				}
			}
		}
		if (!e)
			break;
		path = e + 1;
	}
	return first_err;
}

static void setup_stats(void)
{
	long fd = sys2(SYS_memfd_create, (long)"lbw-stats", 0);
	if (fd < 0)
		lbw_die(2, "--stats: cannot create the shared table (%s)", errno_name(fd));
	size_t size = stats_area_size();
	if (sys2(SYS_ftruncate, fd, size) < 0)
		lbw_die(2, "--stats: cannot size the shared table");
	cfg.stats_fd = high_fd((int)fd);
	/* The guest may close its stderr before it exits (ls does). */
	long rfd = sys3(SYS_fcntl, 2, F_DUPFD, 3);
	cfg.report_fd = rfd < 0 ? 2 : high_fd((int)rfd);
}

static void map_stats(void)
{
	if (cfg.stats_fd < 0)
		return;
	size_t size = stats_area_size();
	long p = sys6(SYS_mmap, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED, cfg.stats_fd, 0);
	if (p < 0 && p > -4096) {
		lbw_warn("--stats: cannot map the shared table (%s)", errno_name(p));
		return;
	}
	lbw_own_region(p, size);
	cfg.stats_area = (struct stats_area *)p;
}

static uint64_t now_ns(void)
{
	struct k_timespec ts;
	sys2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void lbw_stats_finish(void)
{
	/* Calibrate rdtsc against the monotonic clock for a few milliseconds. */
	uint64_t n0 = now_ns(), c0 = rdtsc(), n1;
	do
		n1 = now_ns();
	while (n1 - n0 < 5000000);
	uint64_t c1 = rdtsc();
	uint64_t per_us = (c1 - c0) * 1000 / (n1 - n0);
	stats_report(cfg.report_fd >= 0 ? cfg.report_fd : 2, cfg.stats_area, per_us ? per_us : 1);
}

/* Starts plan in this very process: argv as exec_lbw would pass it. */
static __attribute__((noreturn)) void start_here(unsigned long *ksp, struct exec_plan *p, char **gargv,
						 char **envp)
{
	long n = 0;
	while (gargv[n])
		n++;
	long skip = p->npre && n ? 1 : 0;
	char **argv = lbw_alloc((p->npre + n + 1) * sizeof(char *));
	if (!argv)
		lbw_die(126, "out of memory");
	long k = 0;
	for (int i = 0; i < p->npre; i++)
		argv[k++] = p->pre[i];
	for (long i = skip; i < n; i++)
		argv[k++] = gargv[i];
	argv[k] = NULL;
	strlcpy(cfg.exe_host, p->load, sizeof cfg.exe_host);
	map_stats();
	loader_start_guest(ksp, argv, envp, p->load, p->execfn);
}

/* The first lbw: options, then the program, in this process when the
 * kernel lets lbw tell it the guest's layout, else by re-executing lbw. */
static __attribute__((noreturn)) void launch(unsigned long *ksp, int argc, char **argv, char **envp)
{
	int i = 1;
	const char *cwd = NULL;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		int n = parse_fs_option(a, i + 1 < argc ? argv[i + 1] : NULL, envp, &cwd);
		if (n > 0) {
			i += n - 1;
			continue;
		}
		if (parse_option(a) < 0) {
			lbw_warn("unknown option %s (see lbw --help)", a);
			sys1(SYS_exit_group, 2);
		}
	}
	enter_cwd(cwd);
	if (i >= argc) {
		lbw_dprintf(2, "%s", usage);
		sys1(SYS_exit_group, 2);
	}
	if (cfg.stats)
		setup_stats();
	cfg.root_pid = (int)sys0(SYS_getpid);
	const char *prog = argv[i];
	/* Static, not allocated: two mmap calls fewer, and only the pages the
	 * strings reach are touched. */
	static struct exec_plan plan LBW_BIG_BSS;
	static char path[PATH_MAX_LBW] LBW_BIG_BSS;
	struct exec_plan *p = &plan;
	/* A path is used as is: find_in_path's frame is large (stack pages
	 * touched for nothing). */
	long r = 0;
	if (strchr(prog, '/'))
		strlcpy(path, prog, PATH_MAX_LBW);
	else
		r = find_in_path(prog, getenv_from(envp, "PATH"), path, PATH_MAX_LBW);
	if (r == -ENOENT)
		lbw_die(127, "%s: %s", prog, strchr(prog, '/') ? exec_strerror(r) : "command not found");
	if (r == 0)
		r = exec_resolve(path, path, p);
	if (r == 0 && loader_can_start_directly())
		start_here(ksp, p, &argv[i], envp);
	if (r == 0)
		r = exec_lbw(p, &argv[i], envp);
	if (r == -ENOEXEC && p->why)
		lbw_die(126, "%s: %s", prog, p->why);
	lbw_die(r == -ENOENT ? 127 : 126, "%s: %s", prog, exec_strerror(r));
}

void lbw_main(unsigned long *ksp)
{
	int argc = (int)ksp[0];
	char **argv = (char **)&ksp[1];
	char **envp = argv + argc + 1;
	const char *state = NULL;
	for (char **e = envp; *e; e++)
		if (starts_with(*e, STATE_PREFIX))
			state = *e;
	extern char __ehdr_start[], _end[];
	lbw_own_region((unsigned long)__ehdr_start, (unsigned long)_end - (unsigned long)__ehdr_start);
	elf_aslr_init(argv, envp);
	if (!state)
		launch(ksp, argc, argv, envp);

	/* The image to load is decoded straight into cfg.exe_host, where it
	 * belongs anyway: one page fewer to touch. */
	static char execfn[PATH_MAX_LBW];
	_Static_assert(sizeof cfg.exe_host == PATH_MAX_LBW, "exe_host holds a load path");
	if (state_decode(state, cfg.exe_host, execfn, PATH_MAX_LBW) < 0 || !cfg.exe_host[0])
		lbw_die(126, "bad LBW_STATE in the environment");
	map_stats();
	loader_start_guest(ksp, argv, envp, cfg.exe_host, execfn);
}
