/* The tracer's decoder: turns one struct sc into one strace-like line,
 * driven by the argument and result kinds in the syscall table. */
#include "trace.h"
#include "../rt/rt.h"
#include "../sys/table.h"
#include "../task.h"

#define LINE_SIZE 4096   /* one line, one write(2) */
#define LINE_TAIL 96     /* kept free for ") = -1 ERESTART_RESTARTBLOCK\n" */
#define STR_SHOW 32      /* bytes of a string or buffer shown, as strace -s 32 */
#define PATH_SHOW 1024   /* paths are shown whole, as strace does, up to this */
#define STRV_SHOW 8      /* argv/envp entries shown before "..." */

/* ---- the line being built: appends never overflow, they stop ---- */

struct line {
	char *buf;
	size_t len, cap;
};

static void put_n(struct line *l, const char *s, size_t n)
{
	for (size_t i = 0; i < n && l->len < l->cap; i++)
		l->buf[l->len++] = s[i];
}

static void put_c(struct line *l, char c)
{
	if (l->len < l->cap)
		l->buf[l->len++] = c;
}

static void put_s(struct line *l, const char *s)
{
	put_n(l, s, strlen(s));
}

static void put_udec(struct line *l, unsigned long v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_c(l, tmp[--n]);
}

static void put_dec(struct line *l, long v)
{
	if (v < 0) {
		put_c(l, '-');
		put_udec(l, -(unsigned long)v);
	} else {
		put_udec(l, (unsigned long)v);
	}
}

/* 0x... always; strace shows addresses and raw flags this way. */
static void put_hex0x(struct line *l, unsigned long v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	put_s(l, "0x");
	while (n)
		put_c(l, tmp[--n]);
}

/* Flags and hex numbers: a bare 0 reads better than 0x0. */
static void put_hex(struct line *l, unsigned long v)
{
	if (v)
		put_hex0x(l, v);
	else
		put_c(l, '0');
}

static void put_ptr(struct line *l, unsigned long v)
{
	if (v)
		put_hex0x(l, v);
	else
		put_s(l, "NULL");
}

/* An int argument arrives in a 64-bit register whose upper half the kernel
 * ignores: show it as the int the kernel sees, unless it is plainly a long. */
static int fits32(long v)
{
	return v >= -2147483648L && v <= 4294967295L;
}

static void put_int(struct line *l, long v)
{
	put_dec(l, fits32(v) ? (long)(int)v : v);
}

static void put_uint(struct line *l, long v)
{
	put_udec(l, fits32(v) ? (unsigned long)(unsigned int)v : (unsigned long)v);
}

/* ---- names for numbers and flags ---- */

/* Names inline, not pointers: nothing for lbw to relocate at start-up. */
struct xlat {
	unsigned long val;
	char name[32];
};
#define X(c) { (unsigned long)(c), #c }
#define N(tab) (sizeof(tab) / sizeof((tab)[0]))

static const char *xlat_find(const struct xlat *t, size_t n, unsigned long v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].val == v)
			return t[i].name;
	return NULL;
}

/* Names of the set flags, joined by '|', leftover bits in hex. sep says
 * whether something was already printed for this value. */
static void put_flags_rest(struct line *l, unsigned long v, const struct xlat *t, size_t n, int sep)
{
	for (size_t i = 0; i < n && v; i++) {
		if (t[i].val && (v & t[i].val) == t[i].val) {
			if (sep)
				put_c(l, '|');
			put_s(l, t[i].name);
			sep = 1;
			v &= ~t[i].val;
		}
	}
	if (v) {
		if (sep)
			put_c(l, '|');
		put_hex0x(l, v);
	} else if (!sep) {
		put_c(l, '0');
	}
}

static void put_flags(struct line *l, unsigned long v, const struct xlat *t, size_t n)
{
	put_flags_rest(l, v, t, n, 0);
}

/* The name of v, or v itself (decimal or hex). */
static void put_named(struct line *l, unsigned long v, const struct xlat *t, size_t n, int hex)
{
	const char *s = xlat_find(t, n, v);
	if (s)
		put_s(l, s);
	else if (hex)
		put_hex0x(l, v);
	else
		put_int(l, (long)v);
}

static const struct xlat open_flags[] = {
	X(O_CREAT), X(O_EXCL), X(O_NOCTTY), X(O_TRUNC), X(O_APPEND), X(O_NONBLOCK),
	X(O_SYNC), X(O_DSYNC), X(O_ASYNC), X(O_DIRECT), X(O_LARGEFILE), X(O_NOFOLLOW),
	X(O_NOATIME), X(O_CLOEXEC), X(O_PATH), X(O_TMPFILE), X(O_DIRECTORY),
};

static const struct xlat prot_flags[] = {
	X(PROT_READ), X(PROT_WRITE), X(PROT_EXEC), X(PROT_SEM), X(PROT_GROWSDOWN), X(PROT_GROWSUP),
};

static const struct xlat map_types[] = {
	X(MAP_SHARED), X(MAP_PRIVATE), X(MAP_SHARED_VALIDATE), X(MAP_DROPPABLE),
};

static const struct xlat map_flags[] = {
	X(MAP_FIXED), X(MAP_ANONYMOUS), X(MAP_32BIT), X(MAP_GROWSDOWN), X(MAP_DENYWRITE),
	X(MAP_EXECUTABLE), X(MAP_LOCKED), X(MAP_NORESERVE), X(MAP_POPULATE), X(MAP_NONBLOCK),
	X(MAP_STACK), X(MAP_HUGETLB), X(MAP_SYNC), X(MAP_FIXED_NOREPLACE), X(MAP_UNINITIALIZED),
};

static const struct xlat at_flags[] = {
	X(AT_SYMLINK_NOFOLLOW), X(AT_REMOVEDIR), X(AT_SYMLINK_FOLLOW), X(AT_NO_AUTOMOUNT),
	X(AT_EMPTY_PATH), X(AT_STATX_FORCE_SYNC), X(AT_STATX_DONT_SYNC), X(AT_RECURSIVE),
};

/* faccessat2 gives 0x200 another meaning. */
static const struct xlat at_flags_access[] = {
	X(AT_SYMLINK_NOFOLLOW), X(AT_EACCESS), X(AT_SYMLINK_FOLLOW), X(AT_NO_AUTOMOUNT),
	X(AT_EMPTY_PATH),
};

static const struct xlat clone_flags[] = {
	X(CLONE_VM), X(CLONE_FS), X(CLONE_FILES), X(CLONE_SIGHAND), X(CLONE_PIDFD),
	X(CLONE_PTRACE), X(CLONE_VFORK), X(CLONE_PARENT), X(CLONE_THREAD), X(CLONE_NEWNS),
	X(CLONE_SYSVSEM), X(CLONE_SETTLS), X(CLONE_PARENT_SETTID), X(CLONE_CHILD_CLEARTID),
	X(CLONE_DETACHED), X(CLONE_UNTRACED), X(CLONE_CHILD_SETTID), X(CLONE_NEWCGROUP),
	X(CLONE_NEWUTS), X(CLONE_NEWIPC), X(CLONE_NEWUSER), X(CLONE_NEWPID), X(CLONE_NEWNET),
	X(CLONE_IO),
};

static const char signames[32][10] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
	[SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM",
	[SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT",
	[SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP", [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU",
	[SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ",
	[SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
	[SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
};

static const struct xlat whences[] = {
	X(SEEK_SET), X(SEEK_CUR), X(SEEK_END), X(SEEK_DATA), X(SEEK_HOLE),
};

static const struct xlat sighows[] = {
	X(SIG_BLOCK), X(SIG_UNBLOCK), X(SIG_SETMASK),
};

static const struct xlat fcntl_cmds[] = {
	X(F_DUPFD), X(F_GETFD), X(F_SETFD), X(F_GETFL), X(F_SETFL), X(F_GETLK), X(F_SETLK),
	X(F_SETLKW), X(F_SETOWN), X(F_GETOWN), X(F_SETSIG), X(F_GETSIG), X(F_SETOWN_EX),
	X(F_GETOWN_EX), X(F_GETOWNER_UIDS), X(F_OFD_GETLK), X(F_OFD_SETLK), X(F_OFD_SETLKW),
	X(F_SETLEASE), X(F_GETLEASE), X(F_NOTIFY), X(F_DUPFD_QUERY), X(F_CREATED_QUERY),
	X(F_DUPFD_CLOEXEC), X(F_SETPIPE_SZ), X(F_GETPIPE_SZ), X(F_ADD_SEALS), X(F_GET_SEALS),
	X(F_GET_RW_HINT), X(F_SET_RW_HINT), X(F_GET_FILE_RW_HINT), X(F_SET_FILE_RW_HINT),
};

static const struct xlat fd_flags[] = {
	X(FD_CLOEXEC),
};

static const struct xlat ioctl_cmds[] = {
	X(TCGETS), X(TCSETS), X(TCSETSW), X(TCSETSF), X(TCGETA), X(TCSETA), X(TCSETAW),
	X(TCSETAF), X(TCSBRK), X(TCXONC), X(TCFLSH), X(TIOCEXCL), X(TIOCNXCL), X(TIOCSCTTY),
	X(TIOCGPGRP), X(TIOCSPGRP), X(TIOCOUTQ), X(TIOCSTI), X(TIOCGWINSZ), X(TIOCSWINSZ),
	X(TIOCMGET), X(TIOCMSET), X(FIONREAD), X(TIOCLINUX), X(TIOCCONS), X(FIONBIO),
	X(TIOCNOTTY), X(TIOCSETD), X(TIOCGETD), X(TIOCGSID), X(TCGETS2), X(TCSETS2),
	X(TIOCGPTN), X(TIOCSPTLCK), X(TIOCGDEV), X(TIOCGPTLCK), X(TIOCGPTPEER), X(FIONCLEX),
	X(FIOCLEX), X(FIOASYNC), X(FIOQSIZE), X(FS_IOC_GETFLAGS), X(FS_IOC_SETFLAGS),
	X(FICLONE), X(FICLONERANGE), X(BLKGETSIZE64), X(SIOCGIFNAME), X(SIOCGIFCONF),
	X(SIOCGIFFLAGS), X(SIOCSIFFLAGS), X(SIOCGIFADDR), X(SIOCGIFMTU), X(SIOCGIFHWADDR),
	X(SIOCGIFINDEX),
};

static const struct xlat futex_cmds[] = {
	X(FUTEX_WAIT), X(FUTEX_WAKE), X(FUTEX_FD), X(FUTEX_REQUEUE), X(FUTEX_CMP_REQUEUE),
	X(FUTEX_WAKE_OP), X(FUTEX_LOCK_PI), X(FUTEX_UNLOCK_PI), X(FUTEX_TRYLOCK_PI),
	X(FUTEX_WAIT_BITSET), X(FUTEX_WAKE_BITSET), X(FUTEX_WAIT_REQUEUE_PI),
	X(FUTEX_CMP_REQUEUE_PI), X(FUTEX_LOCK_PI2),
};

static const struct xlat prctl_ops[] = {
	X(PR_SET_PDEATHSIG), X(PR_GET_PDEATHSIG), X(PR_GET_DUMPABLE), X(PR_SET_DUMPABLE),
	X(PR_GET_UNALIGN), X(PR_SET_UNALIGN), X(PR_GET_KEEPCAPS), X(PR_SET_KEEPCAPS),
	X(PR_GET_FPEMU), X(PR_SET_FPEMU), X(PR_GET_FPEXC), X(PR_SET_FPEXC), X(PR_GET_TIMING),
	X(PR_SET_TIMING), X(PR_SET_NAME), X(PR_GET_NAME), X(PR_GET_ENDIAN), X(PR_SET_ENDIAN),
	X(PR_GET_SECCOMP), X(PR_SET_SECCOMP), X(PR_CAPBSET_READ), X(PR_CAPBSET_DROP),
	X(PR_GET_TSC), X(PR_SET_TSC), X(PR_GET_SECUREBITS), X(PR_SET_SECUREBITS),
	X(PR_SET_TIMERSLACK), X(PR_GET_TIMERSLACK), X(PR_TASK_PERF_EVENTS_DISABLE),
	X(PR_TASK_PERF_EVENTS_ENABLE), X(PR_MCE_KILL), X(PR_MCE_KILL_GET), X(PR_SET_MM),
	X(PR_SET_CHILD_SUBREAPER), X(PR_GET_CHILD_SUBREAPER), X(PR_SET_NO_NEW_PRIVS),
	X(PR_GET_NO_NEW_PRIVS), X(PR_GET_TID_ADDRESS), X(PR_SET_THP_DISABLE),
	X(PR_GET_THP_DISABLE), X(PR_MPX_ENABLE_MANAGEMENT), X(PR_MPX_DISABLE_MANAGEMENT),
	X(PR_SET_FP_MODE), X(PR_GET_FP_MODE), X(PR_CAP_AMBIENT), X(PR_SVE_SET_VL),
	X(PR_SVE_GET_VL), X(PR_GET_SPECULATION_CTRL), X(PR_SET_SPECULATION_CTRL),
	X(PR_PAC_RESET_KEYS), X(PR_SET_TAGGED_ADDR_CTRL), X(PR_GET_TAGGED_ADDR_CTRL),
	X(PR_SET_IO_FLUSHER), X(PR_GET_IO_FLUSHER), X(PR_SET_SYSCALL_USER_DISPATCH),
	X(PR_PAC_SET_ENABLED_KEYS), X(PR_PAC_GET_ENABLED_KEYS), X(PR_SCHED_CORE),
	X(PR_SME_SET_VL), X(PR_SME_GET_VL), X(PR_SET_MDWE), X(PR_GET_MDWE),
	X(PR_SET_MEMORY_MERGE), X(PR_GET_MEMORY_MERGE), X(PR_SET_VMA), X(PR_SET_PTRACER),
};

static const struct xlat arch_prctl_ops[] = {
	X(ARCH_SET_GS), X(ARCH_SET_FS), X(ARCH_GET_FS), X(ARCH_GET_GS), X(ARCH_GET_CPUID),
	X(ARCH_SET_CPUID), X(ARCH_GET_XCOMP_SUPP), X(ARCH_GET_XCOMP_PERM),
	X(ARCH_REQ_XCOMP_PERM), X(ARCH_GET_XCOMP_GUEST_PERM), X(ARCH_REQ_XCOMP_GUEST_PERM),
	X(ARCH_MAP_VDSO_X32), X(ARCH_MAP_VDSO_32), X(ARCH_MAP_VDSO_64), X(ARCH_GET_UNTAG_MASK),
	X(ARCH_ENABLE_TAGGED_ADDR), X(ARCH_GET_MAX_TAG_BITS), X(ARCH_FORCE_TAGGED_SVA),
	X(ARCH_SHSTK_ENABLE), X(ARCH_SHSTK_DISABLE), X(ARCH_SHSTK_LOCK), X(ARCH_SHSTK_UNLOCK),
	X(ARCH_SHSTK_STATUS),
};

static const struct xlat sock_families[] = {
	X(AF_UNSPEC), X(AF_UNIX), X(AF_INET), X(AF_AX25), X(AF_IPX), X(AF_APPLETALK),
	X(AF_INET6), X(AF_KEY), X(AF_NETLINK), X(AF_PACKET), X(AF_CAN), X(AF_TIPC),
	X(AF_BLUETOOTH), X(AF_ALG), X(AF_VSOCK), X(AF_XDP),
};

static const struct xlat sock_types[] = {
	X(SOCK_STREAM), X(SOCK_DGRAM), X(SOCK_RAW), X(SOCK_RDM), X(SOCK_SEQPACKET),
	X(SOCK_DCCP), X(SOCK_PACKET),
};

static const struct xlat sock_flags[] = {
	X(SOCK_NONBLOCK), X(SOCK_CLOEXEC),
};

static const struct xlat clock_ids[] = {
	X(CLOCK_REALTIME), X(CLOCK_MONOTONIC), X(CLOCK_PROCESS_CPUTIME_ID),
	X(CLOCK_THREAD_CPUTIME_ID), X(CLOCK_MONOTONIC_RAW), X(CLOCK_REALTIME_COARSE),
	X(CLOCK_MONOTONIC_COARSE), X(CLOCK_BOOTTIME), X(CLOCK_REALTIME_ALARM),
	X(CLOCK_BOOTTIME_ALARM), X(CLOCK_TAI),
};

static const struct xlat wait4_opts[] = {
	X(WNOHANG), X(WUNTRACED), X(WCONTINUED), X(WNOWAIT), X(__WNOTHREAD), X(__WALL), X(__WCLONE),
};

/* waitid calls bit 1 WSTOPPED and has WEXITED. */
static const struct xlat waitid_opts[] = {
	X(WNOHANG), X(WSTOPPED), X(WEXITED), X(WCONTINUED), X(WNOWAIT), X(__WNOTHREAD),
	X(__WALL), X(__WCLONE),
};

static const struct xlat msync_flags[] = {
	X(MS_ASYNC), X(MS_INVALIDATE), X(MS_SYNC),
};

static const struct xlat mode_types[] = {
	X(S_IFSOCK), X(S_IFLNK), X(S_IFREG), X(S_IFBLK), X(S_IFDIR), X(S_IFCHR), X(S_IFIFO),
};

/* ---- decoders of one kind each ---- */

static void put_signum(struct line *l, long v)
{
	if (v > 0 && v < 32 && signames[v][0])
		put_s(l, signames[v]);
	else if (v == SIGRTMIN)
		put_s(l, "SIGRTMIN");
	else if (v > SIGRTMIN && v <= NSIG_LINUX) {
		put_s(l, "SIGRT_");
		put_dec(l, v - SIGRTMIN);
	} else
		put_int(l, v);
}

/* Calls whose flags carry an access mode (open's O_RDONLY is 0, so it is
 * shown by name); elsewhere (dup3, pipe2...) only the flag bits are. */
static int has_access_mode(long nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_mq_open ||
	       nr == SYS_open_by_handle_at || nr == SYS_fanotify_init;
}

static void put_oflags(struct line *l, unsigned long v, int accmode)
{
	int sep = 0;
	if (accmode) {
		static const char modes[4][10] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
		put_s(l, modes[v & O_ACCMODE]);
		v &= ~(unsigned long)O_ACCMODE;
		sep = 1;
	}
	put_flags_rest(l, v, open_flags, N(open_flags), sep);
}

static int oflags_create(unsigned long v)
{
	return (v & O_CREAT) || (v & O_TMPFILE) == O_TMPFILE;
}

/* strace style: S_IFREG|0644, 0644, 022, 000. */
static void put_mode(struct line *l, unsigned long v)
{
	const char *type = xlat_find(mode_types, N(mode_types), v & S_IFMT);
	if (type) {
		put_s(l, type);
		put_c(l, '|');
		v &= ~(unsigned long)S_IFMT;
	}
	unsigned long perm = v & 07777, rest = v & ~07777UL;
	char tmp[8];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + (perm & 7));
		perm >>= 3;
	} while (perm);
	put_c(l, '0');
	for (int w = n; w < 2; w++)
		put_c(l, '0');
	while (n)
		put_c(l, tmp[--n]);
	if (rest) {
		put_c(l, '|');
		put_hex0x(l, rest);
	}
}

static void put_mapflags(struct line *l, unsigned long v)
{
	const char *type = xlat_find(map_types, N(map_types), v & MAP_TYPE);
	if (type)
		put_s(l, type);
	else
		put_hex0x(l, v & MAP_TYPE);
	put_flags_rest(l, v & ~(unsigned long)MAP_TYPE, map_flags, N(map_flags), 1);
}

static void put_cloneflags(struct line *l, long nr, unsigned long v)
{
	if (nr != SYS_clone) {
		put_flags(l, v, clone_flags, N(clone_flags));
		return;
	}
	/* clone's low byte is the signal sent to the parent at exit */
	unsigned long sig = v & CSIGNAL;
	v &= ~(unsigned long)CSIGNAL;
	if (v)
		put_flags(l, v, clone_flags, N(clone_flags));
	if (sig) {
		if (v)
			put_c(l, '|');
		put_signum(l, (long)sig);
	} else if (!v) {
		put_c(l, '0');
	}
}

static void put_futexop(struct line *l, unsigned long v)
{
	unsigned long cmd = v & ~(unsigned long)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	const char *s = xlat_find(futex_cmds, N(futex_cmds), cmd);
	if (!s) {
		put_hex0x(l, v);
		return;
	}
	put_s(l, s);
	if (v & FUTEX_PRIVATE_FLAG)
		put_s(l, "_PRIVATE");
	if (v & FUTEX_CLOCK_REALTIME)
		put_s(l, "|FUTEX_CLOCK_REALTIME");
}

static void put_socktype(struct line *l, unsigned long v)
{
	put_named(l, v & SOCK_TYPE_MASK, sock_types, N(sock_types), 0);
	put_flags_rest(l, v & ~(unsigned long)SOCK_TYPE_MASK, sock_flags, N(sock_flags), 1);
}

/* ---- guest memory: only through copy_from_guest, never a raw read ---- */

/* Reads a NUL-terminated guest string into dst, at most max bytes, a page
 * at a time so that a short string at the end of a mapping still reads.
 * Returns its length (< max), max when no NUL came first, or -EFAULT. */
static long guest_str(char *dst, unsigned long g, size_t max)
{
	size_t got = 0;
	while (got < max) {
		unsigned long a = g + got;
		size_t chunk = 4096 - (a & 4095);
		if (chunk > max - got)
			chunk = max - got;
		if (copy_from_guest(dst + got, (const void *)a, chunk) < 0)
			return -EFAULT;
		for (size_t i = 0; i < chunk; i++)
			if (!dst[got + i])
				return (long)(got + i);
		got += chunk;
	}
	return (long)max;
}

/* "..." with C escapes; \xNN for other bytes. */
static void put_quoted(struct line *l, const unsigned char *p, size_t n)
{
	put_c(l, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		switch (ch) {
		case '\n': put_s(l, "\\n"); break;
		case '\t': put_s(l, "\\t"); break;
		case '\r': put_s(l, "\\r"); break;
		case '\v': put_s(l, "\\v"); break;
		case '\f': put_s(l, "\\f"); break;
		case '"': put_s(l, "\\\""); break;
		case '\\': put_s(l, "\\\\"); break;
		default:
			if (ch >= 0x20 && ch < 0x7f) {
				put_c(l, (char)ch);
			} else {
				put_s(l, "\\x");
				put_c(l, "0123456789abcdef"[ch >> 4]);
				put_c(l, "0123456789abcdef"[ch & 15]);
			}
		}
	}
	put_c(l, '"');
}

static void put_guest_str(struct line *l, unsigned long g, size_t show)
{
	char tmp[PATH_SHOW + 1];
	if (!g) {
		put_s(l, "NULL");
		return;
	}
	long n = guest_str(tmp, g, show + 1);
	if (n < 0) {
		put_hex0x(l, g);
		return;
	}
	put_quoted(l, (const unsigned char *)tmp, (size_t)n > show ? show : (size_t)n);
	if ((size_t)n > show)
		put_s(l, "...");
}

static void put_guest_buf(struct line *l, unsigned long g, unsigned long len)
{
	unsigned char tmp[STR_SHOW];
	size_t show = len < STR_SHOW ? len : STR_SHOW;
	if (!g) {
		put_s(l, "NULL");
		return;
	}
	if (copy_from_guest(tmp, (const void *)g, show) < 0) {
		put_hex0x(l, g);
		return;
	}
	put_quoted(l, tmp, show);
	if (len > show)
		put_s(l, "...");
}

static void put_guest_strv(struct line *l, unsigned long g)
{
	unsigned long p;
	if (!g) {
		put_s(l, "NULL");
		return;
	}
	if (copy_from_guest(&p, (const void *)g, sizeof p) < 0) {
		put_hex0x(l, g);
		return;
	}
	put_c(l, '[');
	for (unsigned long i = 0; p; i++) {
		if (i)
			put_s(l, ", ");
		if (i == STRV_SHOW) {
			put_s(l, "...");
			break;
		}
		put_guest_str(l, p, STR_SHOW);
		if (copy_from_guest(&p, (const void *)(g + 8 * (i + 1)), sizeof p) < 0) {
			put_s(l, ", ...");
			break;
		}
	}
	put_c(l, ']');
}

/* fcntl's third argument means what its command says. */
static int put_fcntl_arg(struct line *l, long cmd, long v)
{
	switch (cmd) {
	case F_GETFD: case F_GETFL: case F_GETOWN: case F_GETSIG: case F_GETLEASE:
	case F_GETPIPE_SZ: case F_GET_SEALS:
		return 0; /* no argument: strace leaves it out */
	case F_SETFD:
		put_flags(l, (unsigned long)v, fd_flags, N(fd_flags));
		return 1;
	case F_SETFL:
		put_oflags(l, (unsigned long)v, 1);
		return 1;
	case F_DUPFD: case F_DUPFD_CLOEXEC: case F_DUPFD_QUERY: case F_SETOWN: case F_SETSIG:
	case F_SETPIPE_SZ: case F_SETLEASE: case F_NOTIFY:
		put_int(l, v);
		return 1;
	case F_GETLK: case F_SETLK: case F_SETLKW: case F_OFD_GETLK: case F_OFD_SETLK:
	case F_OFD_SETLKW: case F_SETOWN_EX: case F_GETOWN_EX: case F_GETOWNER_UIDS:
	case F_GET_RW_HINT: case F_SET_RW_HINT: case F_GET_FILE_RW_HINT: case F_SET_FILE_RW_HINT:
		put_ptr(l, (unsigned long)v);
		return 1;
	}
	put_hex(l, (unsigned long)v);
	return 1;
}

/* ---- the line ---- */

static void put_args(struct line *l, const struct sc_info *info, const struct sc *c,
		     long ret, int returned)
{
	long nr = c->nr;
	unsigned long last_oflags = 0;
	int have_oflags = 0;
	long fcntl_cmd = -1;
	for (int i = 0; i < info->nargs && i < 6; i++) {
		long v = c->a[i];
		unsigned long u = (unsigned long)v;
		unsigned char kind = info->args[i];
		long next = i + 1 < 6 ? c->a[i + 1] : 0;

		/* arguments strace leaves out when they mean nothing */
		if (kind == A_MODE && have_oflags && !oflags_create(last_oflags))
			continue;
		if (fcntl_cmd >= 0) {
			size_t mark = l->len;
			put_s(l, ", ");
			if (!put_fcntl_arg(l, fcntl_cmd, v))
				l->len = mark;
			fcntl_cmd = -1;
			continue;
		}
		if (i)
			put_s(l, ", ");
		switch (kind) {
		case A_INT: put_int(l, v); break;
		case A_UINT: put_uint(l, v); break;
		case A_HEX: put_hex(l, u); break;
		case A_PTR: put_ptr(l, u); break;
		case A_FD: put_int(l, v); break;
		case A_DIRFD:
			if ((int)v == AT_FDCWD)
				put_s(l, "AT_FDCWD");
			else
				put_int(l, v);
			break;
		case A_PATH: put_guest_str(l, u, PATH_SHOW); break;
		case A_STR: put_guest_str(l, u, STR_SHOW); break;
		case A_BUFIN: put_guest_buf(l, u, (unsigned long)next); break;
		case A_BUFOUT:
			/* filled by the call: shown only once it returned bytes */
			if (returned && ret > 0)
				/* getcwd's count includes the NUL it wrote */
				put_guest_buf(l, u, (unsigned long)ret - (nr == SYS_getcwd));
			else
				put_ptr(l, u);
			break;
		case A_SIZE: put_udec(l, u); break;
		case A_OFF: put_dec(l, v); break;
		case A_OFLAGS:
			put_oflags(l, u, has_access_mode(nr));
			last_oflags = u;
			have_oflags = 1;
			break;
		case A_MODE: put_mode(l, u); break;
		case A_PROT:
			if (u)
				put_flags(l, u, prot_flags, N(prot_flags));
			else
				put_s(l, "PROT_NONE");
			break;
		case A_MAPFLAGS: put_mapflags(l, u); break;
		case A_ATFLAGS:
			if (nr == SYS_faccessat2)
				put_flags(l, u, at_flags_access, N(at_flags_access));
			else
				put_flags(l, u, at_flags, N(at_flags));
			break;
		case A_SIGNUM: put_signum(l, v); break;
		case A_CLONEFLAGS: put_cloneflags(l, nr, u); break;
		case A_WHENCE: put_named(l, u, whences, N(whences), 0); break;
		case A_STRV: put_guest_strv(l, u); break;
		case A_FCNTLCMD:
			put_named(l, (unsigned int)v, fcntl_cmds, N(fcntl_cmds), 0);
			fcntl_cmd = (unsigned int)v;
			break;
		case A_IOCTLCMD: put_named(l, (unsigned int)v, ioctl_cmds, N(ioctl_cmds), 1); break;
		case A_SIGHOW: put_named(l, u, sighows, N(sighows), 0); break;
		case A_FUTEXOP: put_futexop(l, (unsigned int)v); break;
		case A_PRCTLOP: put_named(l, (unsigned int)v, prctl_ops, N(prctl_ops), 0); break;
		case A_ARCHPRCTL: put_named(l, (unsigned int)v, arch_prctl_ops, N(arch_prctl_ops), 1); break;
		case A_SOCKFAM: put_named(l, (unsigned int)v, sock_families, N(sock_families), 0); break;
		case A_SOCKTYPE: put_socktype(l, (unsigned int)v); break;
		case A_CLOCKID:
			if ((int)v >= 0)
				put_named(l, (unsigned int)v, clock_ids, N(clock_ids), 0);
			else
				put_int(l, v); /* a CPU-time clock of some pid */
			break;
		case A_WAITOPTS:
			if (nr == SYS_waitid)
				put_flags(l, (unsigned int)v, waitid_opts, N(waitid_opts));
			else
				put_flags(l, (unsigned int)v, wait4_opts, N(wait4_opts));
			break;
		case A_MSFLAGS: put_flags(l, u, msync_flags, N(msync_flags)); break;
		default: put_hex(l, u); break;
		}
	}
}

static void put_result(struct line *l, const struct sc_info *info, long ret, int returned)
{
	put_s(l, " = ");
	if (!returned) {
		put_c(l, '?');
		return;
	}
	if (ret < 0 && ret >= -4095) {
		const char *e = errno_name(-ret);
		put_s(l, "-1 ");
		if (e) {
			put_s(l, e);
		} else {
			put_c(l, 'E');
			put_dec(l, -ret);
		}
		return;
	}
	if (info && info->ret == R_HEX)
		put_hex0x(l, (unsigned long)ret);
	else
		put_dec(l, ret);
}

/* One line per call, one write(2); never faults on guest pointers. */
void trace_call(int fd, int pid, const struct sc *c, long ret, int returned)
{
	char buf[LINE_SIZE];
	struct line l = {buf, 0, LINE_SIZE - LINE_TAIL};
	unsigned long nr = (unsigned long)c->nr;
	const struct sc_info *info = nr < SC_MAX && sc_table[nr].name[0] ? &sc_table[nr] : NULL;

	put_dec(&l, pid);
	put_c(&l, ' ');
	if (info) {
		put_s(&l, info->name);
		put_c(&l, '(');
		put_args(&l, info, c, ret, returned);
	} else {
		/* a hole or a number past the table: six raw arguments (the
		 * number in hex as strace has it, a negative one as its
		 * 64-bit value) */
		put_s(&l, "syscall_");
		put_hex0x(&l, (unsigned long)c->nr);
		put_c(&l, '(');
		for (int i = 0; i < 6; i++) {
			if (i)
				put_s(&l, ", ");
			put_hex0x(&l, (unsigned long)c->a[i]);
		}
	}
	if (l.len >= l.cap) {
		/* arguments cut short: say so, the result still fits */
		l.len = l.cap - 3;
		put_s(&l, "...");
	}
	l.cap = LINE_SIZE;
	put_c(&l, ')');
	put_result(&l, info, ret, returned);
	put_c(&l, '\n');

	long r;
	do
		r = lbw_sys(SYS_write, fd, (long)buf, (long)l.len, 0, 0, 0);
	while (r == -EINTR);
}
